/* Helpers shared by the fuzz harnesses. */
#ifndef DL_FUZZ_COMMON_H
#define DL_FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>

#include "common.h"

/* A log sink that drops everything: messages are formatted (so their
 * code runs under the sanitizers) but not printed. */
static inline void fuzz_quiet(void *ctx, int level, const char *msg)
{
	(void)ctx, (void)level, (void)msg;
}

/* The input cut at NUL bytes into at most max parts (the last part takes
 * the rest); returns the number of parts (at least 1). */
struct fuzz_part {
	const char *p;
	size_t n;
};

static inline int fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts, int max)
{
	const char *p = (const char *)data, *end = p + size;
	int n = 0;
	while (n < max) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		parts[n].p = p;
		parts[n].n = z ? (size_t)(z - p) : (size_t)(end - p);
		n++;
		if (!z)
			break;
		p = z + 1;
	}
	return n;
}

#endif
