/* libFuzzer harness for the GRUB 2 interpreter, with a fake guest so that
 * source/configfile/load_env/blscfg/search/file tests are exercised.
 * Input: "config\0file2\0file3..." - the first part is grub.cfg, the
 * others are served as /boot/grub/a.cfg, /boot/grub/grubenv,
 * /loader/entries/x.conf.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_grub2 -max_total_time=$((N*60)) \
 *                       -max_len=65536 tests/fuzz/corpus/grub2 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz_common.h"

static const char *const names[] = {"/boot/grub/a.cfg", "/boot/grub/grubenv",
				    "/loader/entries/x.conf"};
static struct fuzz_part parts[4];
static int nparts;

static int rd(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
	      struct dl_error *err)
{
	(void)ctx, (void)dev, (void)err;
	for (int i = 1; i < nparts; i++)
		if (!strcmp(path, names[i - 1])) {
			*buf = malloc(parts[i].n + 1);
			memcpy(*buf, parts[i].p, parts[i].n);
			*len = parts[i].n;
			return 0;
		}
	return DL_ABSENT;
}

static int tf(void *ctx, const char *dev, const char *path, char t)
{
	(void)ctx, (void)dev, (void)t;
	return strlen(path) % 2;
}

static int ls(void *ctx, const char *dev, const char *path, char ***names_, size_t *n,
	      struct dl_error *err)
{
	(void)ctx, (void)dev, (void)err;
	if (strcmp(path, "/loader/entries"))
		return DL_ABSENT;
	*names_ = malloc(sizeof(char *));
	(*names_)[0] = strdup("x.conf");
	*n = 1;
	return 0;
}

static int se(void *ctx, const char *by, const char *value, char *out, size_t sz)
{
	(void)ctx, (void)by;
	if (strlen(value) % 3)
		return DL_ABSENT;
	snprintf(out, sz, "hd0,gpt%zu", strlen(value) % 7);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);   /* format every message, print none */
	nparts = fuzz_split(data, size, parts, 4);
	struct dl_boot_io io = {.read_file = rd, .test_file = tf, .list_dir = ls, .search = se,
				.self_dev = "hd0,gpt2"};
	struct dl_boot_config cfg;
	struct dl_error err = {0};
	if (dl_boot_parse_as(&dl_grub2_parser, "/boot/grub/grub.cfg", parts[0].p, parts[0].n, &io, &cfg, &err) == 0) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			dl_boot_list(&cfg, null, false);
			dl_boot_list(&cfg, null, true);
			fclose(null);
		}
		dl_boot_select(&cfg, NULL, &err);
		dl_boot_select(&cfg, "1>0", &err);
		dl_boot_select(&cfg, "2", &err);
		dl_boot_config_free(&cfg);
	}
	return 0;
}
