/* Fuzz the FAT backend through the walker: the input is a FAT image.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_fat \
 *   -max_total_time=$((N*60)) -max_len=262144 tests/fuzz/corpus/fat
 * Corpus: tests/fuzz/gen_fat_corpus.sh. */
#include "fs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/EFI/debian/grub.cfg", "/loader/entries/debian-6.1.0-2.conf", "/vmlinuz",
		"/README.TXT", "/a/very long name with spaces.txt",
	};
	return fuzz_fs(data, size, "vfat", paths, sizeof(paths) / sizeof(paths[0]));
}
