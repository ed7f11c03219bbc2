/* Fuzz the btrfs backend through the walker: the input is a btrfs image.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_btrfs \
 *   -max_total_time=$((N*60)) -max_len=1048576 tests/fuzz/corpus/btrfs
 * Corpus: tests/fuzz/gen_btrfs_corpus.sh.
 * The helper thread runs (src/helper.h): whole compressed extents of a
 * read are decompressed half by it, as in the sandboxed parser. */
#include "fs_common.h"
#include "helper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/boot/grub2/grub.cfg", "/vmlinuz", "/abs", "/tiny", "/many/f-7", "/boot/big",
	};
	if (!dl_helper_running())
		(void)dl_helper_start();
	return fuzz_fs_sparse(data, size, "btrfs", paths, sizeof(paths) / sizeof(paths[0]));
}
