/* Which partition table a disk has: GPT (also behind a hybrid MBR, where the
 * GPT wins), dos, or none. */
#include "part/part_int.h"

#include <stdio.h>

static bool fs_boot_sector(const uint8_t *b)
{
	/* A FAT/NTFS/exFAT volume boot record also ends in 0x55AA. */
	return !memcmp(b + 0x36, "FAT", 3) || !memcmp(b + 0x52, "FAT32", 5) ||
	       !memcmp(b + 3, "NTFS    ", 8) || !memcmp(b + 3, "EXFAT   ", 8);
}

int dl_ptable_read(struct dl_disk *d, struct dl_ptable *t, struct dl_error *err)
{
	uint8_t b[512];
	bool sig = false, protective = false, valid = true, any = false;

	memset(t, 0, sizeof(*t));
	if (d->size < 512)
		return 0;
	int r = dl_disk_read_exact(d, b, sizeof(b), 0, "first sector", err);
	if (r < 0)
		return r;
	sig = b[510] == 0x55 && b[511] == 0xaa;
	if (sig) {
		for (int i = 0; i < 4; i++) {
			const uint8_t *p = b + 446 + 16 * i;
			if (p[0] != 0 && p[0] != 0x80)
				valid = false;
			if (p[4] == 0xee)
				protective = true;
			else if (p[4] && dl_le32(p + 12))
				any = true;
		}
		if (!valid || (fs_boot_sector(b) && !protective))
			sig = protective = any = false;
	}
	r = dl_gpt_read(d, protective, t, err);
	if (r < 0)
		return r;
	if (r > 0) {
		if (any)
			dl_debug("%s: hybrid MBR; using the GPT", dl_disk_name(d));
		return 0;
	}
	if (!sig)
		return 0;
	if (protective && !any)
		return dl_fail(err, DL_EBADIMAGE, "%s: protective MBR but no valid GPT header", dl_disk_name(d));
	dl_ptable_free(t);
	return dl_mbr_read(d, b, t, err);
}
