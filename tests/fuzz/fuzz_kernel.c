/* Fuzz kernel image inspection: the input is the start of a kernel file.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_kernel \
 *   -max_total_time=$((N*60)) tests/fuzz/corpus/kernel */
#include <string.h>

#include "kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dl_kernel_info ki;
	if (size > DL_KERNEL_PROBE_BYTES)
		size = DL_KERNEL_PROBE_BYTES;
	/* the probe reads only inside [data, data+size): ASan checks that */
	dl_kernel_probe(data, size, &ki);
	if (strlen(ki.version) >= sizeof(ki.version))
		__builtin_trap();
	return 0;
}
