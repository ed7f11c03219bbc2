/* libFuzzer harness for BLS entry parsing, ordering and $var expansion.
 * Input: entry files separated by NUL bytes, served as
 * /loader/entries/eN.conf, plus /boot/grub2/grubenv = the last part.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_bls -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/bls */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz_common.h"

static struct fuzz_part parts[8];
static int nparts;

static int rd(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
	      struct dl_error *err)
{
	(void)ctx, (void)dev, (void)err;
	int i = -1;
	if (!strcmp(path, "/boot/grub2/grubenv"))
		i = nparts - 1;
	else if (sscanf(path, "/loader/entries/e%d.conf", &i) != 1)
		return DL_ABSENT;
	if (i < 0 || i >= nparts)
		return DL_ABSENT;
	*buf = malloc(parts[i].n + 1);
	memcpy(*buf, parts[i].p, parts[i].n);
	*len = parts[i].n;
	return 0;
}

static int ls(void *ctx, const char *dev, const char *path, char ***names, size_t *n,
	      struct dl_error *err)
{
	(void)ctx, (void)dev, (void)err;
	if (strcmp(path, "/loader/entries"))
		return DL_ABSENT;
	*names = malloc(sizeof(char *) * 8);
	for (int i = 0; i < nparts; i++) {
		char b[32];
		snprintf(b, sizeof(b), i == 3 ? "e%d+0.conf" : "e%d.conf", i);
		(*names)[i] = strdup(b);
	}
	*n = (size_t)nparts;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);   /* format every message, print none */
	nparts = fuzz_split(data, size, parts, 8);
	struct dl_boot_io io = {.read_file = rd, .list_dir = ls};
	struct dl_boot_config cfg;
	struct dl_error err = {0};
	if (dl_boot_find(&io, &cfg, &err) == 0) {
		dl_boot_select(&cfg, NULL, &err);
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			dl_boot_list(&cfg, null, true);
			fclose(null);
		}
		dl_boot_config_free(&cfg);
	}
	if (dl_boot_parse_as(&dl_bls_parser, "/loader/entries/one.conf", parts[0].p, parts[0].n, &io, &cfg, &err) == 0)
		dl_boot_config_free(&cfg);
	dl_vercmp(parts[0].p[0] ? "1.2" : "", nparts > 1 ? "1.2~rc" : "");
	return 0;
}
