/* Content type of volumes libblkid cannot read through a file descriptor
 * (striped LVs, qcow2 disks, memory buffers): a small signature check over
 * bytes read through the volume, so no memfd or temporary file is needed
 * (the sandboxed parser may not create either).  Reports the libblkid TYPE
 * names the filesystem backends and the skip notes use. */
#include "part/part_int.h"

#include <stdio.h>

#define HEAD (72u << 10)

static void copy_label(char *out, size_t n, const uint8_t *p, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < len && p[i] && k + 1 < n; i++)
		out[k++] = (char)p[i];
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

static void uuid_str(char *out, size_t n, const uint8_t *u)
{
	snprintf(out, n, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
		 u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static bool md_magic(const uint8_t *p) { return dl_le32(p) == 0xa92b4efcu; }

/* Fill v->fstype/uuid/label from a signature; nothing when none matches. */
void dl_volume_sniff(struct dl_volume *v)
{
	uint8_t *h = dl_calloc(1, HEAD);
	ssize_t hn = dl_volume_pread(v, h, HEAD, 0);
	if (hn <= 0)
		goto out;
	size_t n = (size_t)hn;
	const uint8_t *sb = h + 1024;
	if (n >= 4096 && !memcmp(h, "LUKS\xba\xbe", 6)) {
		snprintf(v->fstype, sizeof(v->fstype), "crypto_LUKS");
		copy_label(v->uuid, sizeof(v->uuid), h + 168, 40);
	} else if (n >= 2048 && dl_le16(sb + 56) == 0xef53) {
		uint32_t compat = dl_le32(sb + 92), incompat = dl_le32(sb + 96), ro = dl_le32(sb + 100);
		const char *type = "ext2";
		if ((incompat & ~0x16u) || (ro & ~0x7u))
			type = "ext4";
		else if (compat & 0x4)
			type = "ext3";
		if (incompat & 0x8)
			type = "jbd";
		snprintf(v->fstype, sizeof(v->fstype), "%s", type);
		uuid_str(v->uuid, sizeof(v->uuid), sb + 104);
		copy_label(v->label, sizeof(v->label), sb + 120, 16);
	} else if (n >= 512 && !memcmp(h, "XFSB", 4)) {
		snprintf(v->fstype, sizeof(v->fstype), "xfs");
		uuid_str(v->uuid, sizeof(v->uuid), h + 32);
		copy_label(v->label, sizeof(v->label), h + 108, 12);
	} else if (n >= 65536 + 4096 && !memcmp(h + 65536 + 64, "_BHRfS_M", 8)) {
		snprintf(v->fstype, sizeof(v->fstype), "btrfs");
		uuid_str(v->uuid, sizeof(v->uuid), h + 65536 + 32);
		copy_label(v->label, sizeof(v->label), h + 65536 + 299, 256);
	} else if (n >= 32768 + 2048 && !memcmp(h + 32769, "CD001", 5)) {
		snprintf(v->fstype, sizeof(v->fstype), "iso9660");
		copy_label(v->label, sizeof(v->label), h + 32768 + 40, 32);
	} else if (n >= 4096 && (!memcmp(h + 4096 - 10, "SWAPSPACE2", 10) || !memcmp(h + 4096 - 10, "SWAP-SPACE", 10))) {
		snprintf(v->fstype, sizeof(v->fstype), "swap");
		uuid_str(v->uuid, sizeof(v->uuid), h + 1024 + 12);
		copy_label(v->label, sizeof(v->label), h + 1024 + 28, 16);
	} else if (n >= 512 && h[510] == 0x55 && h[511] == 0xaa &&
		   (!memcmp(h + 0x36, "FAT", 3) || !memcmp(h + 0x52, "FAT32", 5))) {
		bool f32 = !memcmp(h + 0x52, "FAT32", 5);
		const uint8_t *id = h + (f32 ? 0x43 : 0x27);
		snprintf(v->fstype, sizeof(v->fstype), "vfat");
		snprintf(v->uuid, sizeof(v->uuid), "%02X%02X-%02X%02X", id[3], id[2], id[1], id[0]);
		copy_label(v->label, sizeof(v->label), h + (f32 ? 0x47 : 0x2b), 11);
		if (!strcmp(v->label, "NO NAME"))
			v->label[0] = '\0';
	} else if (n >= 512 && !memcmp(h + 3, "NTFS    ", 8)) {
		snprintf(v->fstype, sizeof(v->fstype), "ntfs");
	} else if (n >= 4 && !memcmp(h, "hsqs", 4)) {
		snprintf(v->fstype, sizeof(v->fstype), "squashfs");
	} else if (n >= 8192 && (md_magic(h) || md_magic(h + 4096))) {
		snprintf(v->fstype, sizeof(v->fstype), "linux_raid_member");
	} else if (v->size >= 3 * 65536) {
		/* md metadata 0.90 and 1.0 live near the end. */
		uint64_t end90 = (v->size & ~65535ull) - 65536, end10 = ((v->size - 8192) & ~4095ull);
		uint8_t m[4];
		if ((dl_volume_pread(v, m, 4, end90) == 4 && dl_le32(m) == 0xa92b4efcu) ||
		    (dl_volume_pread(v, m, 4, end10) == 4 && md_magic(m)))
			snprintf(v->fstype, sizeof(v->fstype), "linux_raid_member");
	}
out:
	free(h);
}

/* Image formats by their magic (qemu's block/ drivers: vmdk.c, vpc.c,
 * vhdx.h, vdi.c, qed.h, parallels.c, qcow.c, qcow2.h). */
const char *dl_image_format_sniff(const uint8_t *h, size_t hn, const uint8_t *tail, size_t tn)
{
	static const struct { size_t off; const char *magic; size_t len; const char *name; } m[] = {
		{ 0, "KDMV", 4, "VMDK" },                 /* sparse extent (also streamOptimized) */
		{ 0, "COWD", 4, "VMDK" },                 /* ESX vmfsSparse */
		{ 0, "# Disk DescriptorFile", 21, "VMDK descriptor" },
		{ 0, "conectix", 8, "dynamic VHD" },      /* the footer's copy at 0 */
		{ 0, "vhdxfile", 8, "VHDX" },
		{ 0, "QED\0", 4, "QED" },
		{ 0, "WithoutFreeSpace", 16, "Parallels" },
		{ 0, "WithouFreSpacExt", 16, "Parallels" },
		{ 64, "\x7f\x10\xda\xbe", 4, "VDI" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(m); i++)
		if (hn >= m[i].off + m[i].len && !memcmp(h + m[i].off, m[i].magic, m[i].len))
			return m[i].name;
	if (hn >= 8 && !memcmp(h, "QFI\xfb", 4))
		return dl_be32(h + 4) == 1 ? "qcow" : "qcow2";
	/* a fixed VHD is raw data followed by a 512-byte footer (511 in Virtual PC 2004) */
	if ((tn >= 512 && !memcmp(tail + tn - 512, "conectix", 8)) ||
	    (tn >= 511 && !memcmp(tail + tn - 511, "conectix", 8)))
		return "fixed VHD";
	return NULL;
}

const char *dl_disk_format_hint(struct dl_disk *d)
{
	uint8_t head[512] = { 0 }, tail[512] = { 0 };
	if (d->format != DL_FMT_RAW)
		return NULL;
	ssize_t hn = dl_disk_pread(d, head, sizeof(head), 0);
	size_t tn = d->size >= sizeof(tail) ? sizeof(tail) : (size_t)d->size;
	ssize_t r = tn ? dl_disk_pread(d, tail, tn, d->size - tn) : 0;
	return dl_image_format_sniff(head, hn > 0 ? (size_t)hn : 0, tail, r > 0 ? (size_t)r : 0);
}
