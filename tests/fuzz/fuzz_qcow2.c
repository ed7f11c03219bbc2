/* qcow2 header, L1/L2 tables and compressed clusters over a memory file.
 * Reads the first 2 MiB of the virtual disk and a range near its end. */
#include "part/part.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dl_disk *d;
	struct dl_error err = { 0 };
	dl_log_set(NULL, NULL, 0);
	if (dl_disk_qcow2_from_mem(&d, data, size, "fuzz.qcow2", &err) < 0)
		return 0;
	static uint8_t buf[1 << 16];
	for (uint64_t off = 0; off < d->size && off < (2u << 20); off += sizeof(buf))
		if (dl_disk_pread(d, buf, sizeof(buf), off) < 0)
			break;
	if (d->size > 4096)
		dl_disk_pread(d, buf, 4096, d->size - 4000);
	dl_disk_free(d);
	return 0;
}
