/* Fuzz the ISO9660 backend through the walker: the input is a whole ISO
 * image.  Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_iso9660 \
 *   -max_total_time=$((N*60)) -max_len=262144 tests/fuzz/corpus/iso9660
 * Corpus: tests/fuzz/gen_iso_corpus.sh. */
#include "fs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/isolinux/isolinux.cfg", "/install.amd/vmlinuz", "/vmlinuz", "/abs-initrd",
		"/a/b/up/vmlinuz", "/boot/grub/grub.cfg", "/a/b/c/d/e/f/g/h/i/j/deep.txt",
	};
	return fuzz_fs(data, size, "iso9660", paths, sizeof(paths) / sizeof(paths[0]));
}
