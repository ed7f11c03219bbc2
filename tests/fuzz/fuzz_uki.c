/* libFuzzer harness for the unified kernel image (PE section table)
 * parser: the input is a whole file, of which the first DL_UKI_HEADER
 * bytes are offered, as the extraction reads them.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_uki -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/uki */
#include <stdint.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);
	struct dl_uki u;
	struct dl_error err = {0};
	size_t len = size < DL_UKI_HEADER ? size : DL_UKI_HEADER;
	if (dl_uki_parse(data, len, size, &u, &err) == 0) {
		/* every section found lies inside the file */
		for (int k = 0; k < DL_UKI_NSECTIONS; k++)
			if (u.s[k].present && (uint64_t)u.s[k].off + u.s[k].size > size)
				__builtin_trap();
	}
	return 0;
}
