/* Partition scanning with libblkid, validated against the disk size. */
#include "part/part.h"

#include <blkid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DL_MAX_PARTS 256

static void blkid_freep(blkid_probe *p)
{
	if (*p)
		blkid_free_probe(*p);
}

void dl_diskset_add(struct dl_disk_set *set, struct dl_disk *d)
{
	set->disks = dl_reallocarray(set->disks, set->ndisks + 1, sizeof(*set->disks));
	d->index = (int)set->ndisks;
	if (!d->vdev && d->index < 26)
		d->vdev = dl_asprintf("xvd%c", 'a' + d->index);
	set->disks[set->ndisks++] = d;
}

void dl_diskset_free(struct dl_disk_set *set)
{
	for (size_t i = 0; i < set->nvols; i++)
		free(set->vols[i].ext);
	free(set->vols);
	for (size_t i = 0; i < set->ndisks; i++)
		dl_disk_free(set->disks[i]);
	free(set->disks);
	memset(set, 0, sizeof(*set));
}

static struct dl_volume *add_volume(struct dl_disk_set *set, struct dl_disk *d, int partno,
				    const char *scheme, uint64_t off, uint64_t size)
{
	struct dl_volume *v = dl_array_push(&set->vols, &set->nvols, &set->capvols, sizeof(*v));
	v->kind = partno ? DL_VOL_PART : DL_VOL_DISK;
	v->disk = d;
	v->partno = partno;
	v->size = size;
	snprintf(v->scheme, sizeof(v->scheme), "%s", scheme);
	const char *base = d->vdev ? d->vdev : d->path;
	if (partno) {
		snprintf(v->name, sizeof(v->name), "%s%s%d", base,
			 base[0] && base[strlen(base) - 1] >= '0' && base[strlen(base) - 1] <= '9' ? "p" : "",
			 partno);
		snprintf(v->grub, sizeof(v->grub), "hd%d,%s%d", d->index,
			 strcmp(scheme, "gpt") ? "msdos" : "gpt", partno);
	} else {
		snprintf(v->name, sizeof(v->name), "%s", base);
		snprintf(v->grub, sizeof(v->grub), "hd%d", d->index);
	}
	v->ext = dl_calloc(1, sizeof(*v->ext));
	v->next = 1;
	v->ext[0] = (struct dl_extent){ .off = 0, .len = size, .disk = d, .disk_off = off };
	return v;
}

static int scan_disk(struct dl_disk_set *set, struct dl_disk *d, struct dl_error *err)
{
	_cleanup_(blkid_freep) blkid_probe pr = NULL;
	size_t before = set->nvols;

	if (d->fd < 0) {
		add_volume(set, d, 0, "", 0, d->size);
		return 0;
	}
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, d->fd, 0, (blkid_loff_t)d->size) < 0)
		return dl_fail(err, DL_EIO, "%s: cannot probe partition table", d->path);
	blkid_probe_set_sectorsize(pr, d->sector);
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	blkid_partlist ls = blkid_probe_get_partitions(pr);
	int n = ls ? blkid_partlist_numof_partitions(ls) : 0;
	if (n > DL_MAX_PARTS)
		return dl_fail(err, DL_ELIMIT, "%s: %d partitions (more than %d)", d->path, n, DL_MAX_PARTS);
	blkid_parttable root = ls ? blkid_partlist_get_table(ls) : NULL;
	const char *scheme = root ? blkid_parttable_get_type(root) : "";
	for (int i = 0; i < n; i++) {
		blkid_partition p = blkid_partlist_get_partition(ls, i);
		if (!p || blkid_partition_is_extended(p))
			continue;
		blkid_loff_t start = blkid_partition_get_start(p), size = blkid_partition_get_size(p);
		int no = blkid_partition_get_partno(p);
		uint64_t off, len, end;
		if (start < 0 || size <= 0 || no <= 0 ||
		    ckd_mul(&off, (uint64_t)start, 512) || ckd_mul(&len, (uint64_t)size, 512) ||
		    ckd_add(&end, off, len) || end > d->size)
			return dl_fail(err, DL_EBADIMAGE,
				       "%s: partition %d lies outside the disk (start %lld, %lld sectors, disk %llu bytes)",
				       d->path, no, (long long)start, (long long)size, (unsigned long long)d->size);
		struct dl_volume *v = add_volume(set, d, no, scheme, off, len);
		const char *s;
		if ((s = blkid_partition_get_uuid(p)))
			snprintf(v->partuuid, sizeof(v->partuuid), "%s", s);
		if ((s = blkid_partition_get_name(p)))
			snprintf(v->partlabel, sizeof(v->partlabel), "%s", s);
	}
	if (set->nvols == before)
		add_volume(set, d, 0, "", 0, d->size);
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
		return 0;
	}
	for (size_t i = 0; i < set->ndisks; i++)
		if (scan_disk(set, set->disks[i], err) < 0)
			return -1;
	return 0;
}

int dl_volume_probe(struct dl_volume *v, struct dl_error *err)
{
	_cleanup_(blkid_freep) blkid_probe pr = NULL;
	const char *val;

	if (v->next != 1 || !v->ext[0].disk || v->ext[0].disk->fd < 0 ||
	    v->ext[0].disk->format != DL_FMT_RAW)
		return 0; /* left to the filesystem backends' own validation */
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, v->ext[0].disk->fd, (blkid_loff_t)v->ext[0].disk_off,
					  (blkid_loff_t)v->size) < 0)
		return dl_fail(err, DL_EIO, "%s: cannot probe volume", v->name);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL);
	blkid_probe_enable_partitions(pr, 0);
	if (blkid_do_safeprobe(pr) != 0)
		return 0;
	if (!blkid_probe_lookup_value(pr, "TYPE", &val, NULL))
		snprintf(v->fstype, sizeof(v->fstype), "%s", val);
	if (!blkid_probe_lookup_value(pr, "UUID", &val, NULL))
		snprintf(v->uuid, sizeof(v->uuid), "%s", val);
	if (!blkid_probe_lookup_value(pr, "LABEL", &val, NULL))
		snprintf(v->label, sizeof(v->label), "%s", val);
	return 0;
}

static const char *strip_dev(const char *s)
{
	if (!strncmp(s, "/dev/", 5))
		s += 5;
	return s;
}

struct dl_volume *dl_diskset_find(struct dl_disk_set *set, const char *spec)
{
	static const struct { const char *pfx; size_t off; } tags[] = {
		{ "UUID=", offsetof(struct dl_volume, uuid) },
		{ "LABEL=", offsetof(struct dl_volume, label) },
		{ "PARTUUID=", offsetof(struct dl_volume, partuuid) },
		{ "PARTLABEL=", offsetof(struct dl_volume, partlabel) },
	};
	for (size_t t = 0; t < DL_ARRAY_SIZE(tags); t++) {
		size_t pl = strlen(tags[t].pfx);
		if (strncmp(spec, tags[t].pfx, pl))
			continue;
		const char *val = spec + pl;
		for (size_t i = 0; i < set->nvols; i++) {
			const char *f = (const char *)&set->vols[i] + tags[t].off;
			if (*f && (t == 1 || t == 3 ? !strcmp(f, val) : !strcasecmp(f, val)))
				return &set->vols[i];
		}
		return NULL;
	}
	const char *s = strip_dev(spec);
	for (size_t i = 0; i < set->nvols; i++) {
		struct dl_volume *v = &set->vols[i];
		if (!strcmp(strip_dev(v->name), s) || !strcmp(v->grub, spec))
			return v;
	}
	return NULL;
}
