/* libFuzzer harness for the --mount call's request decoder (what the
 * privileged side reads from the parsing child, before it maps anything)
 * and the device-mapper table built from what it accepts.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_kmount -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/kmount */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mount/mount.h"

static uint8_t blank[512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);
	struct dl_disk_set set = { 0 };
	for (int i = 0; i < 2; i++) {
		struct dl_disk *d = dl_disk_from_mem(blank, sizeof(blank), "fuzz");
		d->size = (uint64_t)1 << (30 + i);
		dl_diskset_add(&set, d);
	}
	struct dl_kmount_req r;
	struct dl_error err = { 0 };
	if (dl_kmount_req_decode(data, size, &set, &r, &err) == 0) {
		static const char *const dev[] = { "7:0", "7:1" };
		struct dl_dm_target *t;
		size_t n;
		if (dl_dm_table(&r.vol, dev, 2, &t, &n, &err) == 0) {
			free(dl_dm_table_text(t, n));
			dl_dm_table_free(t, n);
		}
		char name[128];
		dl_kmount_map_name(name, sizeof(name), 1, &r.vol);
		dl_kmount_fstype(r.vol.fstype);
	}
	dl_kmount_req_free(&r);
	dl_diskset_free(&set);
	return 0;
}
