/* Fuzz the XFS backend through the walker: the input is an XFS image.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_xfs \
 *   -max_total_time=$((N*60)) -max_len=1048576 tests/fuzz/corpus/xfs
 * Corpus: tests/fuzz/gen_xfs_corpus.sh. */
#include "fs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/boot/grub/grub.cfg", "/vmlinuz", "/abs", "/longlink", "/boot/many/f-7-with-a-longer-name",
		"/boot/big",
	};
	return fuzz_fs_sparse(data, size, "xfs", paths, sizeof(paths) / sizeof(paths[0]));
}
