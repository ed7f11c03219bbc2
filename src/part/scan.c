/* The disk set: scanning disks into volumes and probing them (their
 * lookup by name is in spec.c). */
#include "part/part_int.h"

#include <blkid.h>
#include <errno.h>
#include <stdio.h>

static void blkid_freep(blkid_probe *p)
{
	if (*p)
		blkid_free_probe(*p);
}

static blkid_probe new_probe(void);
static int probe_with(blkid_probe pr, struct dl_volume *v, struct dl_error *err);

void dl_diskset_add(struct dl_disk_set *set, struct dl_disk *d)
{
	set->disks = dl_reallocarray(set->disks, set->ndisks + 1, sizeof(*set->disks));
	d->index = (int)set->ndisks;
	if (!d->vdev && d->index < 26 + 26 * 26) {
		/* xvda..xvdz, then xvdaa..xvdzz as Linux names them */
		int i = d->index;
		if (i < 26)
			d->vdev = dl_asprintf("xvd%c", 'a' + i);
		else
			d->vdev = dl_asprintf("xvd%c%c", 'a' + (i / 26 - 1), 'a' + i % 26);
	}
	set->disks[set->ndisks++] = d;
}

void dl_diskset_free(struct dl_disk_set *set)
{
	for (size_t i = 0; i < set->nvols; i++) {
		for (size_t j = 0; j < set->vols[i].nextents; j++)
			free(set->vols[i].ext[j].stripe);
		free(set->vols[i].ext);
	}
	free(set->vols);
	for (size_t i = 0; i < set->ndisks; i++)
		dl_disk_free(set->disks[i]);
	free(set->disks);
	memset(set, 0, sizeof(*set));
}

static struct dl_volume *add_volume(struct dl_disk_set *set, struct dl_disk *d, int partno,
				    const char *scheme, uint64_t off, uint64_t size)
{
	struct dl_volume *v = dl_volume_new(set);
	v->kind = partno ? DL_VOL_PART : DL_VOL_DISK;
	v->disk = d;
	v->partno = partno;
	v->size = size;
	snprintf(v->scheme, sizeof(v->scheme), "%s", scheme);
	const char *base = d->vdev ? d->vdev : d->path;
	size_t bl = strlen(base);
	if (partno) {
		/* nvme0n1 -> nvme0n1p1, mmcblk0 -> mmcblk0p1, xvda -> xvda1 */
		snprintf(v->name, sizeof(v->name), "%s%s%d", base,
			 bl && base[bl - 1] >= '0' && base[bl - 1] <= '9' ? "p" : "", partno);
		snprintf(v->grub, sizeof(v->grub), "hd%d,%s%d", d->index,
			 strcmp(scheme, "gpt") ? "msdos" : "gpt", partno);
	} else {
		snprintf(v->name, sizeof(v->name), "%s", base);
		snprintf(v->grub, sizeof(v->grub), "hd%d", d->index);
	}
	v->ext = dl_calloc(1, sizeof(*v->ext));
	v->nextents = 1;
	v->ext[0] = (struct dl_extent){ .off = 0, .len = size, .disk = d, .disk_off = off };
	return v;
}

static int scan_disk(struct dl_disk_set *set, struct dl_disk *d, struct dl_error *err)
{
	struct dl_ptable t;
	int r = dl_ptable_read(d, &t, err);
	if (r < 0) {
		dl_ptable_free(&t);
		return r;
	}
	snprintf(d->table, sizeof(d->table), "%s", t.scheme);
	if (t.n && t.sector)
		d->sector = t.sector; /* a 4Kn disk's image: the table says so */
	if (t.note[0]) {
		free(d->note);
		d->note = dl_strdup(t.note);
		dl_warn("%s: %s", d->vdev ? d->vdev : d->path, t.note);
	}
	for (size_t i = 0; i < t.n; i++) {
		const struct dl_ptable_entry *e = &t.e[i];
		struct dl_volume *v = add_volume(set, d, e->partno, t.scheme, e->start, e->size);
		snprintf(v->partuuid, sizeof(v->partuuid), "%s", e->uuid);
		snprintf(v->partlabel, sizeof(v->partlabel), "%s", e->name);
		snprintf(v->parttype, sizeof(v->parttype), "%s", e->type);
		v->bootable = e->bootable;
	}
	if (!t.n)
		add_volume(set, d, 0, "", 0, d->size);
	dl_ptable_free(&t);
	return 0;
}

int dl_diskset_scan(struct dl_disk_set *set, uint64_t offset, struct dl_error *err)
{
	if (!set->ndisks)
		return dl_fail(err, DL_EUSAGE, "no disk given");
	if (offset != UINT64_MAX) {
		struct dl_disk *d = set->disks[0];
		if (offset >= d->size)
			return dl_fail(err, DL_EUSAGE, "%s: offset %llu is past the end of the disk",
				       d->path, (unsigned long long)offset);
		struct dl_volume *v = add_volume(set, d, 0, "", offset, d->size - offset);
		snprintf(v->name, sizeof(v->name), "%s@%llu", d->vdev ? d->vdev : d->path,
			 (unsigned long long)offset);
		return set->no_probe ? 0 : dl_volume_probe(v, err);
	}
	for (size_t i = 0; i < set->ndisks; i++) {
		int r = scan_disk(set, set->disks[i], err);
		if (r < 0)
			return r;
	}
	dl_lvm_scan(set);
	if (set->no_probe)
		return 0;
	_cleanup_(blkid_freep) blkid_probe pr = new_probe();
	for (size_t i = 0; i < set->nvols; i++) {
		struct dl_volume *v = &set->vols[i];
		if (v->kind == DL_VOL_LV && v->skip)
			continue;
		int r = probe_with(pr, v, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static void set_skip_note(struct dl_volume *v)
{
	static const struct { const char *type, *note; } skip[] = {
		{ "crypto_LUKS", "encrypted (LUKS); skipped" },
		{ "BitLocker", "encrypted (BitLocker); skipped" },
		{ "linux_raid_member", "Linux md RAID member; skipped" },
		{ "isw_raid_member", "RAID member; skipped" },
		{ "ddf_raid_member", "RAID member; skipped" },
		{ "swap", "swap; skipped" },
		{ "swsuspend", "swap (hibernation image); skipped" },
		{ "LVM2_member", "LVM physical volume" },
		{ "LVM1_member", "LVM1 physical volume (unsupported); skipped" },
		{ "zfs_member", "ZFS pool member (unsupported); skipped" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(skip); i++)
		if (!strcmp(v->fstype, skip[i].type)) {
			v->skip = true;
			if (!v->note[0])
				snprintf(v->note, sizeof(v->note), "%s", skip[i].note);
			return;
		}
}

/* Signatures a Xen guest's volume will not carry (host RAID BIOS formats,
 * cluster and flash filesystems, an XFS external log device): each costs
 * reads, several at the end of the volume (the external-log probe alone
 * reads and scans 256 KiB of every volume), and listing hundreds of
 * volumes must stay fast. */
static char *rare_types[] = {
	"adaptec_raid_member", "ddf_raid_member", "hpt37x_raid_member", "hpt45x_raid_member",
	"isw_raid_member", "jmicron_raid_member", "lsi_mega_raid_member", "nvidia_raid_member",
	"promise_fasttrack_raid_member", "silicon_medley_raid_member", "via_raid_member",
	"vmfs_volume_member", "vmfs", "ceph_bluestore", "zonefs", "vdo", "drbd", "drbdmanage_control_volume",
	"drbdproxy_datalog", "mpool", "stratis", "oracleasm", "ocfs", "ocfs2", "gfs", "gfs2", "befs",
	"sysv", "xenix", "vxfs", "hpfs", "ubi", "ubifs", "bfs", "minix", "romfs", "cramfs", "nilfs2",
	"ufs", "hfs", "hfsplus", "apfs", "DM_snapshot_cow", "DM_verity_hash", "DM_integrity",
	"bcache", "bcachefs", "zfs_member", "netware", "LVM1_member", "xfs_external_log", NULL,
};

/* A probe set up once (the type filter is costly to build) and reused. */
static blkid_probe new_probe(void)
{
	/* libblkid debug output prints from unchecked guest buffers (the
	 * util-linux ZFS fix a7caeabad says so); it reads the variable on
	 * first use. */
	unsetenv("LIBBLKID_DEBUG");
	blkid_probe pr = blkid_new_probe();
	if (!pr)
		return NULL;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL);
	blkid_probe_enable_partitions(pr, 0);
	blkid_probe_filter_superblocks_type(pr, BLKID_FLTR_NOTIN, rare_types);
	return pr;
}

static int probe_with(blkid_probe pr, struct dl_volume *v, struct dl_error *err)
{
	const char *val;

	if (v->probed || v->size == 0 || v->nextents == 0)
		return 0;
	v->probed = true;
	const struct dl_extent *e = &v->ext[0];
	if (!(v->nextents == 1 && !e->nstripes && e->disk && e->disk->fd >= 0 && e->disk->format == DL_FMT_RAW)) {
		/* Striped, qcow2 or memory: not one run of a file libblkid can read. */
		dl_volume_sniff(v);
		set_skip_note(v);
		return 0;
	}
	if (!pr || blkid_probe_set_device(pr, e->disk->fd, (blkid_loff_t)e->disk_off, (blkid_loff_t)v->size) < 0)
		return dl_fail(err, DL_EIO, "%s: cannot probe volume", v->name);
	int r = blkid_do_safeprobe(pr);
	if (r == 0) {
		if (!blkid_probe_lookup_value(pr, "TYPE", &val, NULL))
			snprintf(v->fstype, sizeof(v->fstype), "%s", val);
		if (!blkid_probe_lookup_value(pr, "UUID", &val, NULL))
			snprintf(v->uuid, sizeof(v->uuid), "%s", val);
		if (!blkid_probe_lookup_value(pr, "LABEL", &val, NULL))
			snprintf(v->label, sizeof(v->label), "%s", val);
		set_skip_note(v);
	}
	return 0;
}

int dl_volume_probe(struct dl_volume *v, struct dl_error *err)
{
	if (v->probed)
		return 0;
	_cleanup_(blkid_freep) blkid_probe pr = new_probe();
	return probe_with(pr, v, err);
}
