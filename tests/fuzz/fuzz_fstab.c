/* libFuzzer harness for fstab parsing/lookup and domUloader entries.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_fstab -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/fstab */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "guest/fstab.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);   /* format every message, print none */
	struct dl_fstab fs;
	struct dl_error err = {0};
	if (dl_fstab_parse("/etc/fstab", (const char *)data, size, &fs, &err) == 0) {
		const char *rest;
		dl_fstab_lookup(&fs, "/boot/vmlinuz", &rest);
		dl_fstab_lookup(&fs, "/", &rest);
		dl_fstab_find(&fs, "/boot");
		dl_fstab_free(&fs);
	}
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	struct dl_domu_entry e;
	if (dl_domu_entry_like(s) && dl_domu_entry_parse(s, &e, &err) == 0)
		dl_domu_entry_free(&e);
	free(s);
	return 0;
}
