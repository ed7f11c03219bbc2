/* ISO9660 backend (installer media, cdrom disks), read-only, with Rock
 * Ridge (names, symlinks, file types, relocated directories) and Joliet
 * names; hand-written because libcdio's libiso9660 reads through its own
 * I/O layer, not through the checked reads of a volume.  Every length is checked before use; the lessons of XSA-497
 * (libfsimage iso9660) are applied: record length at least the fixed header
 * plus the name, SUSP entries at least 4 bytes and inside their area, NM at
 * least 5 bytes, continuation areas inside the volume and bounded in size
 * and in number.
 *
 * A node id is the byte offset, in the volume, of the directory record that
 * describes the node (for a directory, its own "." record, so relocated
 * Rock Ridge directories and the root look alike). */
#include "fs/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SECTOR 2048u
#define MAX_DESCRIPTORS 64
#define MAX_DIR_BYTES (16u << 20)
#define MAX_CE_HOPS 16
#define MAX_CE_LEN 4096u

enum { PLAIN, JOLIET, ROCKRIDGE };

struct iso {
	uint64_t nbytes;        /* volume space size in bytes */
	int mode;
	unsigned susp_skip;     /* SP "skip" bytes at the start of every SU area */
	uint64_t root;
};

/* A directory record, copied out of its sector. */
struct rec {
	uint64_t off;
	uint8_t buf[256];
	unsigned len, namelen;
	uint32_t extent, size;
	uint8_t flags;
};


/* Parse the record at b (inside a sector buffer with avail bytes left). */
static int parse_rec(struct dl_fs *fs, const uint8_t *b, size_t avail, uint64_t off, struct rec *r)
{
	struct iso *s = fs->priv;
	uint64_t end;
	r->len = b[0];
	if (r->len < 34 || r->len > avail)
		return -EUCLEAN;
	r->namelen = b[32];
	if (r->namelen == 0 || 33u + r->namelen > r->len)
		return -EUCLEAN;
	memcpy(r->buf, b, r->len);
	r->off = off;
	r->extent = dl_le32(b + 2);
	r->size = dl_le32(b + 10);
	r->flags = b[25];
	if (ckd_mul(&end, (uint64_t)r->extent, SECTOR) || ckd_add(&end, end, (uint64_t)r->size) ||
	    end > s->nbytes || end > fs->vol->size)
		return -EUCLEAN;
	return 0;
}

static int read_rec(struct dl_fs *fs, uint64_t off, struct rec *r)
{
	uint8_t b[256];
	size_t avail = SECTOR - (size_t)(off % SECTOR);
	size_t n = DL_MIN(avail, sizeof(b));
	int e = dl_fs_pread_exact(fs, off, b, n);
	return e < 0 ? e : parse_rec(fs, b, n, off, r);
}

/* ---- Rock Ridge ------------------------------------------------------- */

struct rr {
	char name[DL_FS_MAX_NAME + 1];
	size_t namelen;
	bool has_name, name_long;
	uint32_t mode;
	bool has_px, relocated, zf, has_cl;
	uint32_t cl;
	char link[DL_FS_MAX_LINK + 1];
	size_t linklen;
	bool has_sl, link_long, link_sep;  /* link_sep: a component ended, next needs '/' */
};

static void link_add(struct rr *rr, const char *p, size_t n)
{
	if (rr->linklen + n > DL_FS_MAX_LINK) {
		rr->link_long = true;
		return;
	}
	memcpy(rr->link + rr->linklen, p, n);
	rr->linklen += n;
}

static int rr_sl(struct rr *rr, const uint8_t *p, size_t len)
{
	size_t pos = 5;
	rr->has_sl = true;
	while (pos + 2 <= len) {
		uint8_t cf = p[pos], cl = p[pos + 1];
		if (pos + 2 + cl > len)
			return -EUCLEAN;
		if (rr->link_sep) {
			link_add(rr, "/", 1);
			rr->link_sep = false;
		}
		if (cf & 0x08) {              /* root */
			rr->linklen = 0;
			link_add(rr, "/", 1);
		} else if (cf & 0x02) {
			link_add(rr, ".", 1);
		} else if (cf & 0x04) {
			link_add(rr, "..", 2);
		} else {
			link_add(rr, (const char *)p + pos + 2, cl);
		}
		/* A component without CONTINUE is complete; a root component is
		 * its own separator. */
		rr->link_sep = !(cf & 0x01) && !(cf & 0x08);
		pos += 2u + cl;
	}
	return 0;
}

/* Walk a System Use area and its continuations. */
static int rr_scan(struct dl_fs *fs, const uint8_t *su, size_t sulen, struct rr *rr)
{
	uint8_t ce[MAX_CE_LEN];
	int hops = 0;
	while (su) {
		const uint8_t *next = NULL;
		size_t nextlen = 0;
		uint64_t ce_off = 0;
		size_t pos = 0;
		while (pos + 4 <= sulen) {
			const uint8_t *p = su + pos;
			size_t elen = p[2];
			if (elen < 4 || pos + elen > sulen)
				return -EUCLEAN;
			if (!memcmp(p, "ST", 2))
				break;
			if (!memcmp(p, "NM", 2)) {
				if (elen < 5)
					return -EUCLEAN;
				size_t n = elen - 5;
				if (p[4] & 0x06)
					n = 0;        /* CURRENT/PARENT: not a real name */
				else if (rr->namelen + n > DL_FS_MAX_NAME)
					rr->name_long = true;
				else {
					memcpy(rr->name + rr->namelen, p + 5, n);
					rr->namelen += n;
					rr->has_name = true;
				}
			} else if (!memcmp(p, "PX", 2)) {
				if (elen < 36)
					return -EUCLEAN;
				rr->mode = dl_le32(p + 4);
				rr->has_px = true;
			} else if (!memcmp(p, "SL", 2)) {
				if (elen < 5 || rr_sl(rr, p, elen) < 0)
					return -EUCLEAN;
			} else if (!memcmp(p, "CL", 2)) {
				if (elen < 12)
					return -EUCLEAN;
				rr->cl = dl_le32(p + 4);
				rr->has_cl = true;
			} else if (!memcmp(p, "RE", 2)) {
				rr->relocated = true;
			} else if (!memcmp(p, "ZF", 2)) {
				rr->zf = true;
			} else if (!memcmp(p, "CE", 2)) {
				if (elen < 28)
					return -EUCLEAN;
				uint64_t blk = dl_le32(p + 4), o = dl_le32(p + 12), l = dl_le32(p + 20), start, end;
				if (l == 0 || l > MAX_CE_LEN || o >= SECTOR ||
				    ckd_mul(&start, blk, SECTOR) || ckd_add(&start, start, o) ||
				    ckd_add(&end, start, l) || end > ((struct iso *)fs->priv)->nbytes)
					return -EUCLEAN;
				ce_off = start;
				nextlen = (size_t)l;
			}
			pos += elen;
		}
		if (nextlen) {
			if (++hops > MAX_CE_HOPS)
				return -ELOOP;
			int e = dl_fs_pread_exact(fs, ce_off, ce, nextlen);
			if (e < 0)
				return e;
			next = ce;
		}
		su = next;
		sulen = nextlen;
	}
	return 0;
}

static int rec_rr(struct dl_fs *fs, const struct rec *r, struct rr *rr)
{
	struct iso *s = fs->priv;
	memset(rr, 0, sizeof(*rr));
	if (s->mode != ROCKRIDGE)
		return 0;
	size_t start = 33u + r->namelen + !(r->namelen & 1);
	if (start + s->susp_skip >= r->len)
		return 0;
	start += s->susp_skip;
	return rr_scan(fs, r->buf + start, r->len - start, rr);
}

/* ---- names and types ---------------------------------------------------- */

/* The record's name in UTF-8 (without ISO ";1" versions); 0 or -errno. */
static int rec_name(struct dl_fs *fs, const struct rec *r, const struct rr *rr, char *out, size_t *len)
{
	struct iso *s = fs->priv;
	const uint8_t *n = r->buf + 33;
	size_t nl = r->namelen, o = 0;
	if (rr->has_name) {
		if (rr->name_long)
			return -ENAMETOOLONG;
		memcpy(out, rr->name, rr->namelen);
		*len = rr->namelen;
		return 0;
	}
	if (s->mode == JOLIET) {
		for (size_t i = 0; i + 1 < nl; i += 2) {
			unsigned c = (unsigned)n[i] << 8 | n[i + 1];
			if (c == ';')
				break;
			if (o + 3 > DL_FS_MAX_NAME)
				return -ENAMETOOLONG;
			if (c < 0x80) {
				out[o++] = (char)c;
			} else if (c < 0x800) {
				out[o++] = (char)(0xc0 | c >> 6);
				out[o++] = (char)(0x80 | (c & 0x3f));
			} else {
				out[o++] = (char)(0xe0 | c >> 12);
				out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
				out[o++] = (char)(0x80 | (c & 0x3f));
			}
		}
	} else {
		/* Plain ISO names are upper case; show them as Linux does (map=normal). */
		for (size_t i = 0; i < nl && n[i] != ';'; i++)
			out[o++] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
		if (o && out[o - 1] == '.')
			o--;          /* "VMLINUZ." has no extension */
	}
	*len = o;
	return 0;
}

static enum dl_ftype rec_type(const struct rec *r, const struct rr *rr)
{
	if (rr->has_cl)
		return DL_FT_DIR;
	if (rr->has_px) {
		switch (rr->mode & 0170000) {
		case 0040000: return DL_FT_DIR;
		case 0100000: return DL_FT_REG;
		case 0120000: return DL_FT_LNK;
		default: return DL_FT_OTHER;
		}
	}
	if (rr->has_sl)
		return DL_FT_LNK;
	return (r->flags & 0x02) ? DL_FT_DIR : DL_FT_REG;
}

/* ---- directories -------------------------------------------------------- */

/* Call fn for each record of directory dir (a "." record node) except "."
 * and ".."; fn returns 0 to go on, >0 to stop (returned), <0 error. */
typedef int (*rec_fn)(struct dl_fs *fs, const struct rec *r, const struct rr *rr, void *ctx);

static int dir_iterate(struct dl_fs *fs, uint64_t dir, rec_fn fn, void *ctx)
{
	struct rec d, r;
	struct rr rr;
	uint8_t sec[SECTOR];
	int e = read_rec(fs, dir, &d);
	if (e < 0)
		return e;
	if (!(d.flags & 0x02))
		return -ENOTDIR;
	if (d.size > MAX_DIR_BYTES)
		return -EFBIG;
	uint64_t base = (uint64_t)d.extent * SECTOR;
	for (uint64_t so = 0; so < d.size; so += SECTOR) {
		size_t n = (size_t)DL_MIN((uint64_t)SECTOR, d.size - so);
		if ((e = dl_fs_pread_exact(fs, base + so, sec, n)) < 0)
			return e;
		for (size_t pos = 0; pos < n && sec[pos];) {
			if ((e = parse_rec(fs, sec + pos, n - pos, base + so + pos, &r)) < 0)
				return e;
			pos += r.len;
			if (r.namelen == 1 && r.buf[33] <= 1)
				continue;              /* "." and ".." */
			if (r.flags & 0x80)
				continue;              /* multi-extent parts: not supported, skipped */
			if ((e = rec_rr(fs, &r, &rr)) < 0)
				return e;
			if (rr.relocated)
				continue;              /* shown where its CL record is */
			if ((e = fn(fs, &r, &rr, ctx)) != 0)
				return e;
		}
	}
	return 0;
}

/* The node id of a record: a directory's own "." record, or the record. */
static int node_of(const struct rec *r, const struct rr *rr, uint64_t *ino)
{
	uint64_t off;
	if (rr->has_cl) {
		if (ckd_mul(&off, (uint64_t)rr->cl, SECTOR))
			return -EUCLEAN;
		*ino = off;
	} else if (r->flags & 0x02) {
		*ino = (uint64_t)r->extent * SECTOR;
	} else {
		*ino = r->off;
	}
	return 0;
}

struct find {
	const char *name;
	size_t len;
	uint64_t ino;
	bool exact, folded;
};

static int find_cb(struct dl_fs *fs, const struct rec *r, const struct rr *rr, void *ctx)
{
	struct find *f = ctx;
	char name[DL_FS_MAX_NAME + 1];
	size_t len;
	if (rec_name(fs, r, rr, name, &len) < 0 || len != f->len)
		return 0;
	if (!memcmp(name, f->name, len)) {
		f->exact = true;
		return node_of(r, rr, &f->ino) < 0 ? -EUCLEAN : 1;
	}
	/* Plain ISO and Joliet names are matched without case, as Linux does. */
	if (!f->folded && !rr->has_name && !strncasecmp(name, f->name, len)) {
		f->folded = true;
		return node_of(r, rr, &f->ino);
	}
	return 0;
}

static int iso_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct find f = { .name = name, .len = len };
	int e = dir_iterate(fs, dir, find_cb, &f);
	if (e < 0)
		return e;
	if (!f.exact && !f.folded)
		return -ENOENT;
	*ino = f.ino;
	return 0;
}

struct list {
	dl_dirent_cb cb;
	void *ctx;
};

static int list_cb(struct dl_fs *fs, const struct rec *r, const struct rr *rr, void *ctx)
{
	struct list *l = ctx;
	char name[DL_FS_MAX_NAME + 1];
	size_t len;
	uint64_t ino;
	if (rec_name(fs, r, rr, name, &len) < 0 || !len || node_of(r, rr, &ino) < 0)
		return 0;
	return l->cb(l->ctx, name, len, ino, rec_type(r, rr));
}

static int iso_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	struct list l = { cb, ctx };
	return dir_iterate(fs, dir, list_cb, &l);
}

/* ---- files -------------------------------------------------------------- */

static int node(struct dl_fs *fs, uint64_t ino, struct rec *r, struct rr *rr)
{
	int e = read_rec(fs, ino, r);
	return e < 0 ? e : rec_rr(fs, r, rr);
}

static int iso_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	struct rec r;
	struct rr rr;
	int e = node(fs, ino, &r, &rr);
	if (e < 0)
		return e;
	st->ino = ino;
	st->type = rec_type(&r, &rr);
	st->size = st->type == DL_FT_LNK ? rr.linklen : r.size;
	st->mode = rr.has_px ? rr.mode : 0;
	return 0;
}

static ssize_t iso_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	struct rec r;
	struct rr rr;
	int e = node(fs, ino, &r, &rr);
	if (e < 0)
		return e;
	if (rr.zf) {
		snprintf(fs->detail, sizeof(fs->detail), "zisofs-compressed files are not supported");
		return -ENOTSUP;
	}
	if (off >= r.size)
		return 0;
	len = (size_t)DL_MIN((uint64_t)len, r.size - off);
	ssize_t n = dl_volume_pread(fs->vol, buf, len, (uint64_t)r.extent * SECTOR + off);
	if (n < 0)
		return -EIO;
	return (size_t)n == len ? n : -EUCLEAN;
}

static int iso_extents(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx)
{
	struct rec r;
	struct rr rr;
	int e = node(fs, ino, &r, &rr);
	if (e < 0)
		return e;
	if (rr.zf)
		return -ENOTSUP;
	return r.size ? cb(ctx, 0, (uint64_t)r.extent * SECTOR, r.size) : 0;
}

static ssize_t iso_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	struct rec r;
	struct rr rr;
	int e = node(fs, ino, &r, &rr);
	if (e < 0)
		return e;
	if (!rr.has_sl)
		return -EINVAL;
	if (rr.link_long || rr.linklen > bufsz)
		return -ENAMETOOLONG;
	memcpy(buf, rr.link, rr.linklen);
	return (ssize_t)rr.linklen;
}

/* ---- mount -------------------------------------------------------------- */

static int iso_mount(struct dl_fs *fs, struct dl_error *err)
{
	uint8_t d[SECTOR];
	uint64_t pvd_root = 0, joliet_root = 0, nbytes = 0;
	for (unsigned i = 0; i < MAX_DESCRIPTORS; i++) {
		if (dl_fs_pread_exact(fs, (16u + i) * (uint64_t)SECTOR, d, SECTOR) < 0 || memcmp(d + 1, "CD001", 5))
			break;
		if (d[0] == 255)
			break;
		if (d[0] == 1 && !pvd_root) {
			if (d[156] != 34 || (d[128] | d[129] << 8) != SECTOR)
				return dl_fail(err, DL_EUNSUPPORTED, "%s: ISO9660 with a block size other than 2048",
					       fs->vol->name), -EUCLEAN;
			pvd_root = (16u + i) * (uint64_t)SECTOR + 156;
			nbytes = (uint64_t)dl_le32(d + 80) * SECTOR;
		} else if (d[0] == 2 && d[156] == 34 && d[88] == '%' && d[89] == '/' &&
			   (d[90] == '@' || d[90] == 'C' || d[90] == 'E') && !joliet_root) {
			joliet_root = (16u + i) * (uint64_t)SECTOR + 156;
		}
	}
	if (!pvd_root)
		return DL_NOT_MINE;
	struct iso *s = dl_calloc(1, sizeof(*s));
	s->nbytes = DL_MIN(nbytes, fs->vol->size);
	fs->priv = s;
	struct rec r;
	int e = read_rec(fs, pvd_root, &r);
	if (e == 0)
		e = read_rec(fs, (uint64_t)r.extent * SECTOR, &r);   /* root's "." */
	if (e < 0) {
		free(s);
		fs->priv = NULL;
		return dl_fail(err, DL_EBADIMAGE, "%s: corrupt ISO9660 root directory", fs->vol->name), e;
	}
	s->root = r.off;
	/* Rock Ridge: an SP entry at the start of the root "." record's SU area. */
	size_t su = 33u + r.namelen + !(r.namelen & 1);
	if (su + 7 <= r.len && !memcmp(r.buf + su, "SP", 2) && r.buf[su + 4] == 0xbe &&
	    r.buf[su + 5] == 0xef) {
		s->mode = ROCKRIDGE;
		s->susp_skip = r.buf[su + 6];
	} else if (joliet_root) {
		struct rec j;
		if (read_rec(fs, joliet_root, &j) == 0 &&
		    read_rec(fs, (uint64_t)j.extent * SECTOR, &j) == 0) {
			s->mode = JOLIET;
			s->root = j.off;
		}
	}
	fs->root = s->root;
	return 0;
}

static void iso_unmount(struct dl_fs *fs)
{
	free(fs->priv);
	fs->priv = NULL;
}

static const char *const iso_types[] = { "iso9660", NULL };

const struct dl_fs_ops dl_fs_iso9660 = {
	.name = "iso9660",
	.types = iso_types,
	.mount = iso_mount,
	.unmount = iso_unmount,
	.lookup = iso_lookup,
	.stat = iso_stat,
	.read = iso_read,
	.readlink = iso_readlink,
	.readdir = iso_readdir,
	.extents = iso_extents,
};
