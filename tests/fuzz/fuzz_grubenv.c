/* libFuzzer harness for GRUB environment blocks: reading one, save_env's
 * in-place edit (dl_grubenv_set, which must keep the size and never write
 * outside the block), and the privileged side's reading of a
 * DL_CALL_GRUBENV request from the parser.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_grubenv -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/grubenv */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "boot/internal.h"
#include "guest/guest.h"
#include "fuzz_common.h"

static void count(void *ctx, const char *name, const char *value)
{
	(void)name, (void)value;
	++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);
	struct dl_error err = {0};
	size_t n = 0;
	dl_grubenv_parse("grubenv", (const char *)data, size, count, &n, &err);
	dl_error_clear(&err);
	/* the first byte picks the edit, the rest is the block */
	if (size > 1) {
		uint8_t *b = malloc(size - 1);
		memcpy(b, data + 1, size - 1);
		static const char *const vals[] = { "", "gnulinux-advanced>x\\y\nz", NULL, "0" };
		static const char *const names[] = { "next_entry", "saved_entry", "a", "#" };
		dl_grubenv_set((char *)b, size - 1, names[data[0] & 3], vals[(data[0] >> 2) & 3]);
		free(b);
	}
	struct dl_grubenv_write w;
	if (dl_grubenv_request_parse(data, size, &w, &err) == 0)
		free(w.ranges);
	return 0;
}
