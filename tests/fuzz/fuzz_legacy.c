/* libFuzzer harness for the GRUB legacy parser.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_legacy -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/legacy */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz_common.h"

static const uint8_t *in;
static size_t insz;

static int rd(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
	      struct dl_error *err)
{
	(void)ctx, (void)dev, (void)err;
	if (strcmp(path, "/boot/grub/default"))
		return DL_ABSENT;
	size_t n = insz < 8 ? insz : 8;
	*buf = malloc(n + 1);
	memcpy(*buf, in, n);
	*len = n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);   /* format every message, print none */
	in = data;
	insz = size;
	struct dl_boot_io io = {.read_file = rd, .self_dev = "hd0,1"};
	struct dl_boot_config cfg;
	struct dl_error err = {0};
	if (dl_boot_parse_as(&dl_legacy_parser, "/boot/grub/menu.lst", (const char *)data, size, &io, &cfg,
			  &err) == 0) {
		dl_boot_select(&cfg, NULL, &err);
		dl_boot_select(&cfg, "1", &err);
		dl_boot_config_free(&cfg);
	}
	return 0;
}
