/* qcow2 header, L1/L2 tables and compressed clusters over a memory file.
 * Reads the first 2 MiB of the virtual disk and a range near its end, and
 * maps the first 1 MiB (dl_qcow2_map): every range of the file it reports
 * lies inside the file and holds the bytes a read gives (else abort).
 * The helper thread runs (src/helper.h): whole compressed clusters of a
 * read are decompressed half by it, as in the sandboxed parser. */
#include "part/part_int.h"
#include "helper.h"

#include <stdlib.h>
#include <string.h>

static int check_range(void *ctx, struct dl_disk *d, uint64_t off, uint64_t len)
{
	uint64_t *voff = ctx;
	static uint8_t want[1 << 16];
	if (d) {
		if (off > d->file_size || len > d->file_size - off)
			abort();
		for (uint64_t k = 0; k < len; k += sizeof(want)) {
			size_t n = (size_t)(len - k < sizeof(want) ? len - k : sizeof(want));
			if (dl_disk_pread(d, want, n, *voff + k) != (ssize_t)n || memcmp(want, d->mem + off + k, n))
				abort();
		}
	}
	*voff += len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dl_disk *d;
	struct dl_error err = { 0 };
	dl_log_set(NULL, NULL, 0);
	if (!dl_helper_running())
		(void)dl_helper_start();
	if (dl_disk_qcow2_from_mem(&d, data, size, "fuzz.qcow2", &err) < 0)
		return 0;
	static uint8_t buf[1 << 16];
	for (uint64_t off = 0; off < d->size && off < (2u << 20); off += sizeof(buf))
		if (dl_disk_pread(d, buf, sizeof(buf), off) < 0)
			break;
	if (d->size > 4096)
		dl_disk_pread(d, buf, 4096, d->size - 4000);
	uint64_t voff = 0;
	dl_qcow2_map(d, 0, d->size < (1u << 20) ? d->size : (1u << 20), 0, check_range, &voff);
	dl_disk_free(d);
	return 0;
}
