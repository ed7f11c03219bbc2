/* Helpers shared by the fuzz harnesses. */
#ifndef DL_FUZZ_COMMON_H
#define DL_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
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

/* The compact sparse input of the seed generators (tests/fuzz/seeds/):
 * "DLSB", u32 image size in bytes (at most FUZZ_UNSPARSE_MAX), then records
 * {u32 byte offset, u16 length, length bytes}, little-endian; the rest of
 * the image is zero, an unparseable tail is ignored.  Byte runs keep a
 * hand-built filesystem image to a few KiB, so mutations land on metadata
 * rather than on zero padding.
 * The image is built in a zeroed arena allocated once (slot 0 or 1), at
 * its end so that reads past the image hit ASan's redzone, and the bytes
 * written are zeroed again by fuzz_unsparse_done(): no multi-MiB calloc and
 * page faults per execution.  Returns the image (*len set) or NULL when
 * the input is not in this format. */
#ifndef FUZZ_UNSPARSE_MAX
#define FUZZ_UNSPARSE_MAX (32u << 20)
#endif
static uint8_t *fuzz_arena[2];

static inline uint32_t fuzz_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Visit the records of a DLSB input: copy them into img, or zero them. */
static inline void fuzz_records(const uint8_t *data, size_t size, uint8_t *img, uint32_t n, int copy)
{
	for (size_t pos = 8; pos + 6 <= size;) {
		uint32_t off = fuzz_u32(data + pos);
		size_t cnt = (size_t)data[pos + 4] | (size_t)data[pos + 5] << 8;
		pos += 6;
		if (off >= n || cnt > n - off || cnt > size - pos)
			break;
		if (copy)
			memcpy(img + off, data + pos, cnt);
		else
			memset(img + off, 0, cnt);
		pos += cnt;
	}
}

static inline uint8_t *fuzz_unsparse(const uint8_t *data, size_t size, size_t *len, int slot)
{
	if (size < 8 || memcmp(data, "DLSB", 4))
		return NULL;
	uint32_t n = fuzz_u32(data + 4);
	if (!n || n > FUZZ_UNSPARSE_MAX)
		return NULL;
	if (!fuzz_arena[slot] && !(fuzz_arena[slot] = calloc(1, FUZZ_UNSPARSE_MAX)))
		return NULL;
	uint8_t *img = fuzz_arena[slot] + FUZZ_UNSPARSE_MAX - n;
	fuzz_records(data, size, img, n, 1);
	*len = n;
	return img;
}

/* Zero what fuzz_unsparse() wrote (img: what it returned, or NULL). */
static inline void fuzz_unsparse_done(const uint8_t *data, size_t size, uint8_t *img)
{
	if (img)
		fuzz_records(data, size, img, fuzz_u32(data + 4), 0);
}

#endif
