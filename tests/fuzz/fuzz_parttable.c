/* Partition tables, LVM PV/metadata discovery and content signatures over
 * one memory disk.
 * Byte 0 picks the logical sector size; the rest is the disk. */
#include "part/part.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct dl_disk_set set = { 0 }; /* memory disks: own signature checks, no libblkid */
	struct dl_error err = { 0 };
	struct dl_disk *d = dl_disk_from_mem(data + 1, size - 1, "fuzz.img");
	d->sector = data[0] & 1 ? 4096 : 512;
	dl_log_set(NULL, NULL, 0);
	dl_diskset_add(&set, d);
	dl_disk_format_hint(d);
	if (dl_diskset_scan(&set, UINT64_MAX, &err) == 0) {
		uint8_t buf[4096];
		for (size_t i = 0; i < set.nvols; i++) {
			struct dl_volume *v = &set.vols[i];
			if (v->size)
				dl_volume_pread(v, buf, sizeof(buf), v->size > 100 ? v->size - 100 : 0);
			dl_diskset_find_name(&set, v->name);
			dl_diskset_find_name(&set, v->grub);
		}
		dl_diskset_find_name(&set, "/dev/mapper/a--b-c");
		free(dl_diskset_listing(&set, true));
	}
	dl_diskset_free(&set);
	return 0;
}
