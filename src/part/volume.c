/* Volumes: extent lists over disks (plain or striped), and their reads. */
#include "part/part_int.h"

#include <errno.h>

/* The extent holding volume byte off (extents are sorted and tile the volume
 * for LVs; single for partitions).  Binary search. */
static const struct dl_extent *find_extent(const struct dl_volume *v, uint64_t off)
{
	size_t lo = 0, hi = v->nextents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dl_extent *e = &v->ext[mid];
		if (off < e->off)
			hi = mid;
		else if (off - e->off >= e->len)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

/* Where byte in (offset inside extent e) lives, and how many bytes follow
 * contiguously there (capped by max). */
static void locate(const struct dl_extent *e, uint64_t in, uint64_t max, struct dl_disk **disk,
		   uint64_t *doff, uint64_t *n)
{
	if (!e->nstripes) {
		*disk = e->disk;
		*doff = e->disk_off + in;
		*n = DL_MIN(max, e->len - in);
		return;
	}
	uint64_t k = in / e->chunk, within = in % e->chunk;
	const struct dl_stripe *s = &e->stripe[k % e->nstripes];
	*disk = s->disk;
	*doff = s->disk_off + (k / e->nstripes) * e->chunk + within;
	*n = DL_MIN(max, DL_MIN(e->chunk - within, e->len - in));
}

/* Bytes this thread read through volumes (and backends' caches said they
 * handled): what the lookup budget (src/fs/budget.c) charges a lookup. */
static _Thread_local uint64_t work_bytes;

uint64_t dl_volume_work(void)
{
	return work_bytes;
}

void dl_volume_charge(uint64_t n)
{
	work_bytes += n;
}

ssize_t dl_volume_pread(const struct dl_volume *v, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	if (off >= v->size)
		return 0;
	if (len > v->size - off)
		len = (size_t)(v->size - off);
	while (done < len) {
		uint64_t pos = off + done, doff, n;
		struct dl_disk *disk;
		const struct dl_extent *e = find_extent(v, pos);
		if (!e)
			break;
		locate(e, pos - e->off, len - done, &disk, &doff, &n);
		ssize_t r = dl_disk_pread(disk, (char *)buf + done, (size_t)n, doff);
		if (r < 0)
			return -1;
		done += (size_t)r;
		if ((uint64_t)r < n)
			break;
	}
	work_bytes += done;
	return (ssize_t)done;
}

int dl_volume_map(const struct dl_volume *v, uint64_t off, uint64_t len, dl_range_cb cb, void *ctx)
{
	uint64_t end;
	if (ckd_add(&end, off, len) || end > v->size)
		return -ERANGE;
	/* Refuse before emitting anything when any disk has no file to copy
	 * from (memory-backed: tests, fuzzing). */
	for (size_t i = 0; i < v->nextents; i++) {
		const struct dl_extent *e = &v->ext[i];
		for (unsigned k = 0; k < (e->nstripes ? e->nstripes : 1); k++) {
			const struct dl_disk *d = e->nstripes ? e->stripe[k].disk : e->disk;
			if ((d->format != DL_FMT_RAW && d->format != DL_FMT_QCOW2) || d->mem)
				return -ENOTSUP;
		}
	}
	while (off < end) {
		const struct dl_extent *e = find_extent(v, off);
		struct dl_disk *disk;
		uint64_t doff, n;
		if (!e)
			return -ERANGE;
		locate(e, off - e->off, end - off, &disk, &doff, &n);
		if (doff > disk->size || n > disk->size - doff)
			return -ERANGE;
		int r = disk->format == DL_FMT_QCOW2 ? dl_qcow2_map(disk, doff, n, off, cb, ctx)
						     : cb(ctx, disk, doff, n);
		if (r < 0)
			return r;
		off += n;
	}
	return 0;
}

int dl_volume_read_exact(const struct dl_volume *v, void *buf, size_t len, uint64_t off,
			 const char *what, struct dl_error *err)
{
	ssize_t r = dl_volume_pread(v, buf, len, off);
	if (r < 0)
		return dl_fail(err, DL_EIO, "%s: cannot read %s: %s", v->name, what, strerror(errno));
	if ((size_t)r != len)
		return dl_fail(err, DL_EBADIMAGE, "%s: %s lies past the end of the volume", v->name, what);
	return 0;
}

struct dl_volume *dl_volume_new(struct dl_disk_set *set)
{
	return dl_array_push(&set->vols, &set->nvols, &set->capvols, sizeof(struct dl_volume));
}
