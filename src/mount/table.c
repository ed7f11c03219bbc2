/* Pure parts of the kernel-mount mode: the call's request codec, the
 * device-mapper tables for a volume's extents, map names and per-type
 * mount options.  No I/O here. */
#include "mount/mount.h"

#include <stdio.h>
#include <string.h>

/* On the wire: a header, the name, the fs type, the extents, the stripes
 * (all striped extents' stripes in order), the path. */
struct wire_hdr {
	uint32_t what, namelen, typelen, next, nstripes, pathlen;
	uint64_t size;
};
struct wire_ext {
	uint64_t off, len, disk_off, chunk;
	uint32_t disk, nstripes;
};
struct wire_stripe {
	uint64_t disk_off;
	uint32_t disk, pad;
};

int dl_kmount_req_encode(const struct dl_volume *v, enum dl_kmount_what what, const char *path,
			 struct dl_sbuf *out)
{
	struct wire_hdr h = { .what = what, .namelen = (uint32_t)strlen(v->name),
			      .typelen = (uint32_t)strlen(v->fstype), .next = (uint32_t)v->nextents,
			      .pathlen = (uint32_t)strlen(path), .size = v->size };
	for (size_t i = 0; i < v->nextents; i++)
		h.nstripes += v->ext[i].nstripes;
	out->max = DL_CALL_MAX;
	int r = dl_sbuf_add(out, &h, sizeof(h));
	r = r ? r : dl_sbuf_add(out, v->name, h.namelen);
	r = r ? r : dl_sbuf_add(out, v->fstype, h.typelen);
	for (size_t i = 0; !r && i < v->nextents; i++) {
		const struct dl_extent *e = &v->ext[i];
		struct wire_ext w = { e->off, e->len, e->disk_off, e->chunk,
				      e->disk ? (uint32_t)e->disk->index : 0, e->nstripes };
		r = dl_sbuf_add(out, &w, sizeof(w));
	}
	for (size_t i = 0; !r && i < v->nextents; i++)
		for (unsigned k = 0; !r && k < v->ext[i].nstripes; k++) {
			const struct dl_stripe *s = &v->ext[i].stripe[k];
			struct wire_stripe w = { s->disk_off, (uint32_t)s->disk->index, 0 };
			r = dl_sbuf_add(out, &w, sizeof(w));
		}
	return r ? r : dl_sbuf_add(out, path, h.pathlen);
}

void dl_kmount_req_free(struct dl_kmount_req *r)
{
	for (size_t i = 0; r->vol.ext && i < r->vol.nextents; i++)
		free(r->vol.ext[i].stripe);
	free(r->vol.ext);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* [off, off+len) inside disk index di of set, 512-byte aligned. */
static int check_range(struct dl_disk_set *set, uint32_t di, uint64_t off, uint64_t len,
		       struct dl_disk **dp, struct dl_error *err)
{
	if (di >= set->ndisks)
		return dl_fail(err, DL_ESANDBOX, "mount request: no disk %u", di);
	struct dl_disk *d = set->disks[di];
	if (off % 512 || len % 512 || !len || off > d->size || len > d->size - off)
		return dl_fail(err, DL_ESANDBOX, "mount request: range %llu+%llu outside %s",
			       (unsigned long long)off, (unsigned long long)len, d->path);
	*dp = d;
	return 0;
}

static int decode_ext(const struct wire_ext *w, const uint8_t **sp, size_t *left,
		      struct dl_disk_set *set, struct dl_extent *e, struct dl_error *err)
{
	*e = (struct dl_extent){ .off = w->off, .len = w->len, .disk_off = w->disk_off };
	if (!w->nstripes)
		return check_range(set, w->disk, w->disk_off, w->len, &e->disk, err);
	uint64_t n = w->nstripes, row;
	if (n > DL_KMOUNT_MAX_STRIPES || n > *left || !w->chunk || w->chunk % 512 ||
	    ckd_mul(&row, w->chunk, n) || w->len % row)
		return dl_fail(err, DL_ESANDBOX, "mount request: bad striped extent at %llu",
			       (unsigned long long)w->off);
	e->nstripes = w->nstripes;
	e->chunk = w->chunk;
	e->stripe = dl_calloc(n, sizeof(*e->stripe));
	for (unsigned k = 0; k < n; k++) {
		struct wire_stripe s;   /* copied: the buffer is not aligned */
		memcpy(&s, *sp + k * sizeof(s), sizeof(s));
		int r = check_range(set, s.disk, s.disk_off, w->len / n, &e->stripe[k].disk, err);
		if (r < 0)
			return r;
		e->stripe[k].disk_off = s.disk_off;
	}
	*sp += n * sizeof(struct wire_stripe);
	*left -= n;
	return 0;
}

int dl_kmount_req_decode(const void *buf, size_t len, struct dl_disk_set *set,
			 struct dl_kmount_req *r, struct dl_error *err)
{
	memset(r, 0, sizeof(*r));
	struct wire_hdr h;
	const uint8_t *p = buf;
	if (len < sizeof(h))
		return dl_fail(err, DL_ESANDBOX, "mount request: %zu bytes", len);
	memcpy(&h, p, sizeof(h));
	uint64_t need = sizeof(h) + (uint64_t)h.namelen + h.typelen + (uint64_t)h.next * sizeof(struct wire_ext) +
			(uint64_t)h.nstripes * sizeof(struct wire_stripe) + h.pathlen;
	if (h.what > DL_KMOUNT_LIST || h.namelen >= sizeof(r->vol.name) ||
	    h.typelen >= sizeof(r->vol.fstype) || !h.next || h.next > DL_KMOUNT_MAX_EXTENTS ||
	    h.nstripes > DL_KMOUNT_MAX_EXTENTS * 4 || !h.pathlen || h.pathlen >= DL_FS_MAX_PATH || need != len)
		return dl_fail(err, DL_ESANDBOX, "mount request: malformed");
	r->what = h.what;
	p += sizeof(h);
	memcpy(r->vol.name, p, h.namelen);
	p += h.namelen;
	memcpy(r->vol.fstype, p, h.typelen);
	p += h.typelen;
	if (memchr(r->vol.name, 0, h.namelen) || memchr(r->vol.fstype, 0, h.typelen))
		return dl_fail(err, DL_ESANDBOX, "mount request: malformed name");
	r->vol.size = h.size;
	r->vol.ext = dl_calloc(h.next, sizeof(*r->vol.ext));
	const uint8_t *sp = p + (size_t)h.next * sizeof(struct wire_ext);
	size_t left = h.nstripes;
	uint64_t off = 0;
	for (uint32_t i = 0; i < h.next; i++) {
		struct wire_ext w;
		memcpy(&w, p + (size_t)i * sizeof(w), sizeof(w));
		r->vol.nextents = i + 1;
		int rc = decode_ext(&w, &sp, &left, set, &r->vol.ext[i], err);
		if (rc < 0)
			return rc;
		if (w.off != off)
			return dl_fail(err, DL_ESANDBOX, "mount request: extents not contiguous");
		off += w.len;
	}
	if (left || off != h.size)
		return dl_fail(err, DL_ESANDBOX, "mount request: extents do not make the volume");
	const char *path = (const char *)sp;
	if (path[0] != '/' || memchr(path, 0, h.pathlen))
		return dl_fail(err, DL_ESANDBOX, "mount request: bad path");
	r->path = dl_strndup(path, h.pathlen);
	return 0;
}

/* ---- tables ---- */

static const char *dev_of(const struct dl_disk *d, const char *const *dev, size_t ndev)
{
	return d && d->index >= 0 && (size_t)d->index < ndev ? dev[d->index] : NULL;
}

static int add_target(const char *vol, const struct dl_extent *e, const char *const *dev, size_t ndev,
		      struct dl_dm_target *t, struct dl_error *err)
{
	t->start = e->off / 512;
	t->len = e->len / 512;
	struct dl_sbuf b = { 0 };
	if (!e->nstripes) {
		const char *d = dev_of(e->disk, dev, ndev);
		if (!d)
			return dl_fail(err, DL_EUNSUPPORTED, "%s: extent at %llu: no device for its disk",
				       vol, (unsigned long long)e->off);
		t->type = "linear";
		dl_sbuf_printf(&b, "%s %llu", d, (unsigned long long)(e->disk_off / 512));
		t->params = dl_sbuf_take(&b);
		return 0;
	}
	t->type = "striped";
	dl_sbuf_printf(&b, "%u %llu", e->nstripes, (unsigned long long)(e->chunk / 512));
	for (unsigned k = 0; k < e->nstripes; k++) {
		const char *d = dev_of(e->stripe[k].disk, dev, ndev);
		if (!d || e->stripe[k].disk_off % 512) {
			dl_sbuf_free(&b);
			return dl_fail(err, DL_EUNSUPPORTED, "%s: stripe %u of extent at %llu: no device or misaligned",
				       vol, k, (unsigned long long)e->off);
		}
		dl_sbuf_printf(&b, " %s %llu", d, (unsigned long long)(e->stripe[k].disk_off / 512));
	}
	t->params = dl_sbuf_take(&b);
	return 0;
}

int dl_dm_table(const struct dl_volume *v, const char *const *dev, size_t ndev,
		struct dl_dm_target **tp, size_t *np, struct dl_error *err)
{
	*tp = NULL;
	*np = 0;
	if (!v->nextents)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: no extents", v->name);
	struct dl_dm_target *t = dl_calloc(v->nextents, sizeof(*t));
	for (size_t i = 0; i < v->nextents; i++) {
		const struct dl_extent *e = &v->ext[i];
		int r = 0;
		if (e->off % 512 || e->len % 512 || !e->len || (!e->nstripes && e->disk_off % 512) ||
		    (e->nstripes && (e->chunk % 512 || !e->chunk)))
			r = dl_fail(err, DL_EUNSUPPORTED, "%s: extent at %llu is not sector-aligned", v->name,
				    (unsigned long long)e->off);
		if (r == 0)
			r = add_target(v->name, e, dev, ndev, &t[i], err);
		if (r < 0) {
			dl_dm_table_free(t, i + 1);
			return r;
		}
	}
	*tp = t;
	*np = v->nextents;
	return 0;
}

void dl_dm_table_free(struct dl_dm_target *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		free(t[i].params);
	free(t);
}

char *dl_dm_table_text(const struct dl_dm_target *t, size_t n)
{
	struct dl_sbuf b = { 0 };
	for (size_t i = 0; i < n; i++)
		dl_sbuf_printf(&b, "%llu %llu %s %s\n", (unsigned long long)t[i].start,
			       (unsigned long long)t[i].len, t[i].type, t[i].params);
	return dl_sbuf_take(&b);
}

void dl_kmount_map_name(char *buf, size_t size, long pid, const struct dl_volume *v)
{
	char vol[100];
	const char *s = v->name;
	snprintf(vol, sizeof(vol), "%.99s", strncmp(s, "/dev/", 5) ? s : s + 5);
	for (char *c = vol; *c; c++)
		if (*c == '/')
			*c = '-';
		else if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-", *c))
			*c = '_';
	snprintf(buf, size < 128 ? size : 128, "domuloader-%ld-%s", pid, vol);
}

/* What the kernel must not do to an image it mounts read-only: replay a
 * journal or log (ext3/4 noload, XFS/f2fs/NILFS norecovery, btrfs
 * nologreplay).  A type missing here is not mounted. */
static const struct dl_kmount_fstype fstypes[] = {
	{ "ext2", "ext2", "" },
	{ "ext3", "ext3", "noload" },
	{ "ext4", "ext4", "noload" },
	{ "xfs", "xfs", "norecovery,nouuid" },   /* nouuid: a clone of a mounted dom0 fs */
	{ "btrfs", "btrfs", "nologreplay" },
	{ "vfat", "vfat", "" },
	{ "iso9660", "iso9660", "" },
	{ "udf", "udf", "" },
	{ "squashfs", "squashfs", "" },
	{ "f2fs", "f2fs", "norecovery" },
	{ "jfs", "jfs", "" },
	{ "reiserfs", "reiserfs", "nolog" },
	{ "nilfs2", "nilfs2", "norecovery" },
	{ "erofs", "erofs", "" },
	{ "minix", "minix", "" },
};

const struct dl_kmount_fstype *dl_kmount_fstype(const char *blkid_type)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(fstypes); i++)
		if (!strcmp(fstypes[i].blkid, blkid_type))
			return &fstypes[i];
	return NULL;
}
