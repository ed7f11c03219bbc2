/* XFS backend, read-only, superblock versions 4 and 5 (CRC), the format
 * mkfs.xfs has written by default since 2014 and pygrub cannot read.
 *
 * Hand-written because xfsprogs installs no library for reading XFS and
 * libyal's libfsxfs is experimental and does its own file I/O.
 *
 * Supported: inodes in extent and B-tree format (data forks), short-form,
 * block, leaf and node directories (entries are found by scanning the data
 * blocks, the hash indexes are not needed), inline and remote symlinks,
 * ftype, sparse inodes, big timestamps, large extent counters.  Unknown
 * incompatible features are refused.  Every block number is checked
 * against the filesystem size; B-tree descent is limited in depth; extent
 * lists are capped.  CRCs are not verified (a corrupt block can only yield
 * wrong bytes, never an out-of-bounds access).
 *
 * Node ids are XFS inode numbers. */
#include "fs/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define XFS_MAX_EXTENTS 65536
#define XFS_MAX_LEVELS 8
#define XFS_MAX_DIR_BYTES (32u << 20)
#define DIR2_LEAF_OFFSET (32ull << 30)   /* byte offset where dir leaf blocks start */

/* v5 incompat features we can read */
#define INCOMPAT_FTYPE (1u << 0)
#define INCOMPAT_SPINODES (1u << 1)
#define INCOMPAT_META_UUID (1u << 2)
#define INCOMPAT_BIGTIME (1u << 3)
#define INCOMPAT_NEEDSREPAIR (1u << 4)
#define INCOMPAT_NREXT64 (1u << 5)
#define INCOMPAT_KNOWN (INCOMPAT_FTYPE | INCOMPAT_SPINODES | INCOMPAT_META_UUID | \
			INCOMPAT_BIGTIME | INCOMPAT_NREXT64)

struct xfs {
	uint32_t bsize, agblocks, agcount, dirbsize;
	uint8_t blocklog, agblklog, inopblog, inodelog;
	uint16_t isize;
	uint64_t dblocks;
	bool v5, ftype;
	uint64_t rootino;
};

struct extent {
	uint64_t off, block, len;   /* logical block, fs byte address / bsize, blocks */
	bool unwritten;
};

struct inode {
	uint64_t ino;
	uint16_t mode;
	uint8_t format;
	uint64_t size;
	uint8_t *fork;            /* data fork bytes inside buf */
	size_t forklen;
	uint64_t nextents;
	uint8_t buf[4096];
};


/* Byte address of an fsblock number (agno:agbno), or -EUCLEAN. */
static int fsb_addr(const struct xfs *x, uint64_t fsb, uint64_t *addr)
{
	uint64_t agno = fsb >> x->agblklog, agbno = fsb & ((1ull << x->agblklog) - 1);
	uint64_t blk;
	if (agno >= x->agcount || agbno >= x->agblocks)
		return -EUCLEAN;
	blk = agno * x->agblocks + agbno;
	if (blk >= x->dblocks)
		return -EUCLEAN;
	*addr = blk << x->blocklog;
	return 0;
}

static int read_inode(struct dl_fs *fs, uint64_t ino, struct inode *in)
{
	struct xfs *x = fs->priv;
	unsigned ishift = x->agblklog + x->inopblog;
	uint64_t agno = ino >> ishift;
	uint64_t agbno = (ino >> x->inopblog) & ((1ull << x->agblklog) - 1);
	uint64_t idx = ino & ((1ull << x->inopblog) - 1), addr;
	if (ishift >= 64 || agno >= x->agcount || agbno >= x->agblocks)
		return -EUCLEAN;
	if (fsb_addr(x, agno << x->agblklog | agbno, &addr) < 0)
		return -EUCLEAN;
	addr += idx * x->isize;
	int r = dl_fs_pread_exact(fs, addr, in->buf, x->isize);
	if (r < 0)
		return r;
	const uint8_t *b = in->buf;
	if (b[0] != 'I' || b[1] != 'N')
		return -EUCLEAN;
	uint8_t ver = b[4];
	if (ver < 1 || ver > 3 || (ver == 3) != x->v5)
		return -EUCLEAN;
	in->ino = ino;
	in->mode = dl_be16(b + 2);
	in->format = b[5];
	in->size = dl_be64(b + 56);
	size_t core = ver == 3 ? 176 : 100;
	if (ver == 3 && dl_be64(b + 152) != ino)
		return -EUCLEAN;          /* di_ino must match: catches misplaced inodes */
	size_t forkoff = (size_t)b[82] * 8;
	in->forklen = forkoff ? forkoff : x->isize - core;
	if (core + in->forklen > x->isize)
		return -EUCLEAN;
	in->fork = in->buf + core;
	bool nrext64 = ver == 3 && (dl_be64(b + 120) & (1ull << 4));
	in->nextents = nrext64 ? dl_be64(b + 24) : dl_be32(b + 76);
	if (in->size > (1ull << 62))
		return -EUCLEAN;
	return 0;
}

static enum dl_ftype mode_type(uint16_t mode)
{
	switch (mode & 0170000) {
	case 0040000: return DL_FT_DIR;
	case 0100000: return DL_FT_REG;
	case 0120000: return DL_FT_LNK;
	default: return DL_FT_OTHER;
	}
}

/* ---- extent maps --------------------------------------------------------- */

struct extlist {
	struct extent *v;
	size_t n, cap;
};

static int add_rec(struct xfs *x, struct extlist *l, const uint8_t *r)
{
	uint64_t l0 = dl_be64(r), l1 = dl_be64(r + 8);
	struct extent e = {
		.unwritten = l0 >> 63,
		.off = (l0 & ((1ull << 63) - 1)) >> 9,
		.len = l1 & 0x1fffff,
	};
	uint64_t fsb = (l0 & 0x1ff) << 43 | l1 >> 21, addr, last;
	if (!e.len)
		return -EUCLEAN;
	if (fsb_addr(x, fsb, &addr) < 0 || fsb_addr(x, fsb + e.len - 1, &last) < 0 ||
	    last != addr + ((e.len - 1) << x->blocklog))
		return -EUCLEAN;          /* extents never cross an AG */
	e.block = addr >> x->blocklog;
	if (l->n && e.off < l->v[l->n - 1].off + l->v[l->n - 1].len)
		return -EUCLEAN;          /* out of order or overlapping */
	if (l->n >= XFS_MAX_EXTENTS)
		return -EFBIG;
	struct extent *slot = dl_array_push(&l->v, &l->n, &l->cap, sizeof(*slot));
	*slot = e;
	return 0;
}

/* *budget bounds the blocks one walk reads: levels strictly decrease, but
 * hostile nodes may share children (and empty leaves add no extents). */
static int btree_walk(struct dl_fs *fs, struct extlist *l, uint64_t fsb, int level, unsigned *budget)
{
	struct xfs *x = fs->priv;
	uint64_t addr;
	if (level > XFS_MAX_LEVELS || fsb_addr(x, fsb, &addr) < 0)
		return -EUCLEAN;
	if (!(*budget)--)
		return -EFBIG;
	_cleanup_free_ uint8_t *b = dl_malloc(x->bsize);
	int r = dl_fs_pread_exact(fs, addr, b, x->bsize);
	if (r < 0)
		return r;
	if (memcmp(b, x->v5 ? "BMA3" : "BMAP", 4))
		return -EUCLEAN;
	size_t hdr = x->v5 ? 72 : 24;
	unsigned lev = dl_be16(b + 4), n = dl_be16(b + 6);
	if ((int)lev != level)
		return -EUCLEAN;
	if (lev == 0) {
		if (hdr + (size_t)n * 16 > x->bsize)
			return -EUCLEAN;
		for (unsigned i = 0; i < n; i++)
			if ((r = add_rec(x, l, b + hdr + i * 16)) < 0)
				return r;
		return 0;
	}
	size_t maxrecs = (x->bsize - hdr) / 16;
	if (n > maxrecs)
		return -EUCLEAN;
	for (unsigned i = 0; i < n; i++)
		if ((r = btree_walk(fs, l, dl_be64(b + hdr + maxrecs * 8 + i * 8), level - 1, budget)) < 0)
			return r;
	return 0;
}

static int extents_of(struct dl_fs *fs, const struct inode *in, struct extlist *l)
{
	struct xfs *x = fs->priv;
	if (in->format == 2) {                 /* extents */
		if (in->nextents > in->forklen / 16)
			return -EUCLEAN;
		for (uint64_t i = 0; i < in->nextents; i++) {
			int r = add_rec(x, l, in->fork + i * 16);
			if (r < 0)
				return r;
		}
		return 0;
	}
	if (in->format == 3) {                 /* B-tree root in the inode */
		if (in->forklen < 4)
			return -EUCLEAN;
		unsigned level = dl_be16(in->fork), n = dl_be16(in->fork + 2);
		size_t maxrecs = (in->forklen - 4) / 16;
		if (level == 0 || level > XFS_MAX_LEVELS || n > maxrecs)
			return -EUCLEAN;
		unsigned budget = XFS_MAX_EXTENTS;
		for (unsigned i = 0; i < n; i++) {
			int r = btree_walk(fs, l, dl_be64(in->fork + 4 + maxrecs * 8 + i * 8), (int)level - 1,
					   &budget);
			if (r < 0)
				return r;
		}
		return 0;
	}
	return -EUCLEAN;
}

/* Map a logical block to a physical one; false for holes/unwritten. */
static bool map_block(const struct extlist *l, uint64_t lblk, uint64_t *pblk)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct extent *e = &l->v[mid];
		if (lblk < e->off)
			hi = mid;
		else if (lblk >= e->off + e->len)
			lo = mid + 1;
		else {
			if (e->unwritten)
				return false;
			*pblk = e->block + (lblk - e->off);
			return true;
		}
	}
	return false;
}

/* Read inode ino and check that it has type want (else wrong_type). */
static int typed_inode(struct dl_fs *fs, uint64_t ino, enum dl_ftype want, int wrong_type,
		       struct inode *in)
{
	int r = read_inode(fs, ino, in);
	if (r < 0)
		return r;
	return mode_type(in->mode) == want ? 0 : wrong_type;
}

/* The extent list of a non-inline inode; nothing to free on error. */
static int load_extents(struct dl_fs *fs, const struct inode *in, struct extlist *l)
{
	int r = extents_of(fs, in, l);
	if (r < 0) {
		free(l->v);
		l->v = NULL;
	}
	return r;
}

/* ---- directories ----------------------------------------------------------- */

/* fn(ctx, name, len, ino, type): 0 go on, >0 stop, <0 error. */
typedef int (*dent_fn)(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t);

static enum dl_ftype ftype_of(uint8_t t)
{
	switch (t) {
	case 1: return DL_FT_REG;
	case 2: return DL_FT_DIR;
	case 7: return DL_FT_LNK;
	case 0: return DL_FT_UNKNOWN;
	default: return DL_FT_OTHER;
	}
}

static int dir_sf(struct dl_fs *fs, const struct inode *in, dent_fn fn, void *ctx)
{
	struct xfs *x = fs->priv;
	const uint8_t *p = in->fork, *end = in->fork + DL_MIN(in->forklen, (size_t)in->size);
	if (end - p < 2)
		return -EUCLEAN;
	unsigned count = p[0];
	size_t isz = p[1] ? 8 : 4;
	p += 2 + isz;                          /* header: count, i8count, parent */
	for (unsigned i = 0; i < count; i++) {
		if (end - p < 3)
			return -EUCLEAN;
		size_t nl = p[0];
		size_t need = 3 + nl + (x->ftype ? 1 : 0) + isz;
		if (!nl || (size_t)(end - p) < need)
			return -EUCLEAN;
		const uint8_t *q = p + 3 + nl;
		enum dl_ftype t = x->ftype ? ftype_of(*q++) : DL_FT_UNKNOWN;
		uint64_t ino = isz == 8 ? dl_be64(q) & ((1ull << 56) - 1) : dl_be32(q);
		int r = fn(ctx, (const char *)p + 3, nl, ino, t);
		if (r)
			return r;
		p += need;
	}
	return 0;
}

static int dir_block_entries(struct dl_fs *fs, const uint8_t *b, size_t bsz, dent_fn fn, void *ctx)
{
	struct xfs *x = fs->priv;
	size_t hdr = x->v5 ? 64 : 16, end = bsz;
	bool block = !memcmp(b, x->v5 ? "XDB3" : "XD2B", 4);
	if (!block && memcmp(b, x->v5 ? "XDD3" : "XD2D", 4))
		return -EUCLEAN;
	if (block) {                           /* leaf entries and tail at the end */
		uint32_t count = dl_be32(b + bsz - 8);
		if ((uint64_t)count * 8 + 8 > bsz - hdr)
			return -EUCLEAN;
		end = bsz - 8 - (size_t)count * 8;
	}
	for (size_t pos = hdr; pos + 8 <= end;) {
		const uint8_t *e = b + pos;
		if (dl_be16(e) == 0xffff) {           /* unused space */
			size_t len = dl_be16(e + 2);
			if (len < 8 || (len & 7) || pos + len > end)
				return -EUCLEAN;
			pos += len;
			continue;
		}
		size_t nl = e[8];
		size_t len = (8 + 1 + nl + (x->ftype ? 1 : 0) + 2 + 7) & ~(size_t)7;
		if (!nl || pos + len > end)
			return -EUCLEAN;
		enum dl_ftype t = x->ftype ? ftype_of(e[9 + nl]) : DL_FT_UNKNOWN;
		int r = fn(ctx, (const char *)e + 9, nl, dl_be64(e), t);
		if (r)
			return r;
		pos += len;
	}
	return 0;
}

static int dir_iterate(struct dl_fs *fs, uint64_t ino, dent_fn fn, void *ctx)
{
	struct xfs *x = fs->priv;
	struct inode in;
	int r = typed_inode(fs, ino, DL_FT_DIR, -ENOTDIR, &in);
	if (r < 0)
		return r;
	if (in.format == 1)
		return dir_sf(fs, &in, fn, ctx);
	struct extlist l = { 0 };
	if ((r = load_extents(fs, &in, &l)) < 0)
		return r;
	uint32_t fsb_per_dirblk = x->dirbsize >> x->blocklog;
	uint64_t leaf_lblk = DIR2_LEAF_OFFSET >> x->blocklog, total = 0;
	_cleanup_free_ uint8_t *b = dl_malloc(x->dirbsize);
	for (size_t i = 0; i < l.n && r == 0; i++) {
		struct extent *e = &l.v[i];
		/* Directory blocks start on dirblock boundaries. */
		uint64_t first = (e->off + fsb_per_dirblk - 1) / fsb_per_dirblk * fsb_per_dirblk;
		for (uint64_t lb = first; lb < e->off + e->len && lb < leaf_lblk && r == 0;
		     lb += fsb_per_dirblk) {
			if ((total += x->dirbsize) > XFS_MAX_DIR_BYTES) {
				r = -EFBIG;
				break;
			}
			for (uint32_t k = 0; k < fsb_per_dirblk && r == 0; k++) {
				uint64_t pb;
				if (!map_block(&l, lb + k, &pb))
					r = -EUCLEAN;
				else
					r = dl_fs_pread_exact(fs, pb << x->blocklog, b + ((size_t)k << x->blocklog), x->bsize);
			}
			if (r == 0)
				r = dir_block_entries(fs, b, x->dirbsize, fn, ctx);
		}
	}
	free(l.v);
	return r;
}

static int xfs_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st);

struct find {
	const char *name;
	size_t len;
	uint64_t ino;
};

static int find_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct find *f = ctx;
	(void)t;
	if (len != f->len || memcmp(name, f->name, len))
		return 0;
	f->ino = ino;
	return 1;
}

static int xfs_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct find f = { name, len, 0 };
	int r = dir_iterate(fs, dir, find_cb, &f);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	*ino = f.ino;
	return 0;
}

struct list {
	dl_dirent_cb cb;
	void *ctx;
};

static int list_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct list *l = ctx;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	return l->cb(l->ctx, name, len, ino, t);
}

/* Without ftype (v4), entry types come from the inodes. */
struct typed {
	struct dl_fs *fs;
	struct list *l;
};

static int typed_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct typed *ty = ctx;
	struct dl_stat st;
	if (t == DL_FT_UNKNOWN && xfs_stat(ty->fs, ino, &st) == 0)
		t = st.type;
	return list_cb(ty->l, name, len, ino, t);
}

static int xfs_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	struct list l = { cb, ctx };
	struct typed ty = { fs, &l };
	return dir_iterate(fs, dir, typed_cb, &ty);
}

/* ---- files --------------------------------------------------------------- */

static int xfs_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	struct inode in;
	int r = read_inode(fs, ino, &in);
	if (r < 0)
		return r;
	st->ino = ino;
	st->type = mode_type(in.mode);
	st->mode = in.mode;
	st->size = in.size;
	return 0;
}

static ssize_t xfs_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	struct xfs *x = fs->priv;
	struct inode in;
	int r = typed_inode(fs, ino, DL_FT_REG, -EINVAL, &in);
	if (r < 0)
		return r;
	if (off >= in.size)
		return 0;
	len = (size_t)DL_MIN((uint64_t)len, in.size - off);
	if (in.format == 1) {                  /* inline data (not written by Linux, but valid) */
		if (in.size > in.forklen)
			return -EUCLEAN;
		memcpy(buf, in.fork + off, len);
		return (ssize_t)len;
	}
	struct extlist l = { 0 };
	if ((r = load_extents(fs, &in, &l)) < 0)
		return r;
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done, lblk = pos >> x->blocklog, pblk;
		size_t in_blk = (size_t)(pos & (x->bsize - 1));
		size_t n = DL_MIN(len - done, (size_t)x->bsize - in_blk);
		if (!map_block(&l, lblk, &pblk))
			memset((char *)buf + done, 0, n);
		else if ((r = dl_fs_pread_exact(fs, (pblk << x->blocklog) + in_blk, (char *)buf + done, n)) < 0)
			break;
		done += n;
	}
	free(l.v);
	return r < 0 ? r : (ssize_t)done;
}

static int xfs_extents(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx)
{
	struct xfs *x = fs->priv;
	struct inode in;
	int r = typed_inode(fs, ino, DL_FT_REG, -EINVAL, &in);
	if (r < 0)
		return r;
	if (in.format == 1)
		return -ENOTSUP;
	struct extlist l = { 0 };
	if ((r = load_extents(fs, &in, &l)) < 0)
		return r;
	uint64_t pos = 0;
	for (size_t i = 0; i < l.n && pos < in.size && r == 0; i++) {
		struct extent *e = &l.v[i];
		uint64_t start = e->off << x->blocklog;
		if (start >= in.size)
			break;
		if (start > pos)
			r = cb(ctx, pos, DL_HOLE, start - pos);
		uint64_t n = DL_MIN(e->len << x->blocklog, in.size - start);
		if (r == 0)
			r = cb(ctx, start, e->unwritten ? DL_HOLE : e->block << x->blocklog, n);
		pos = start + n;
	}
	if (r == 0 && pos < in.size)
		r = cb(ctx, pos, DL_HOLE, in.size - pos);
	free(l.v);
	return r;
}

static ssize_t xfs_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	struct xfs *x = fs->priv;
	struct inode in;
	int r = typed_inode(fs, ino, DL_FT_LNK, -EINVAL, &in);
	if (r < 0)
		return r;
	if (in.size == 0 || in.size > DL_FS_MAX_LINK)
		return -EUCLEAN;
	if (in.size > bufsz)
		return -ENAMETOOLONG;
	size_t len = (size_t)in.size;
	if (in.format == 1) {
		if (len > in.forklen)
			return -EUCLEAN;
		memcpy(buf, in.fork, len);
		return (ssize_t)len;
	}
	struct extlist l = { 0 };
	if ((r = load_extents(fs, &in, &l)) < 0)
		return r;
	/* Remote symlink blocks; v5 blocks carry a 56-byte header each. */
	size_t hdr = x->v5 ? 56 : 0, done = 0;
	_cleanup_free_ uint8_t *b = dl_malloc(x->bsize);
	for (uint64_t lb = 0; done < len; lb++) {
		uint64_t pb;
		if (lb > 8 || !map_block(&l, lb, &pb) || (r = dl_fs_pread_exact(fs, pb << x->blocklog, b, x->bsize)) < 0) {
			r = r < 0 ? r : -EUCLEAN;
			break;
		}
		if (x->v5 && memcmp(b, "XSLM", 4)) {
			r = -EUCLEAN;
			break;
		}
		size_t n = DL_MIN(len - done, (size_t)x->bsize - hdr);
		memcpy(buf + done, b + hdr, n);
		done += n;
	}
	free(l.v);
	return r < 0 ? r : (ssize_t)len;
}

/* ---- mount ----------------------------------------------------------------- */

static int xfs_mount(struct dl_fs *fs, struct dl_error *err)
{
	uint8_t sb[512];
	if (dl_fs_pread_exact(fs, 0, sb, sizeof(sb)) < 0 || memcmp(sb, "XFSB", 4))
		return DL_NOT_MINE;
	struct xfs x = {
		.bsize = dl_be32(sb + 4),
		.dblocks = dl_be64(sb + 8),
		.rootino = dl_be64(sb + 56),
		.agblocks = dl_be32(sb + 84),
		.agcount = dl_be32(sb + 88),
		.isize = dl_be16(sb + 104),
		.blocklog = sb[120],
		.inodelog = sb[122],
		.inopblog = sb[123],
		.agblklog = sb[124],
	};
	unsigned version = dl_be16(sb + 100) & 0xf;
	x.v5 = version == 5;
	const char *why = NULL;
	if (version != 4 && version != 5)
		why = "unknown superblock version";
	else if (x.blocklog < 9 || x.blocklog > 16 || x.bsize != 1u << x.blocklog)
		why = "bad block size";
	else if (x.inodelog < 8 || x.inodelog > 11 || x.isize != 1u << x.inodelog ||
		 x.isize > x.bsize || x.inopblog != x.blocklog - x.inodelog)
		why = "bad inode size";
	else if (!x.agcount || !x.agblocks || x.agblklog > 31 || x.agblocks > 1u << x.agblklog ||
		 (x.agblklog && x.agblocks <= 1u << (x.agblklog - 1)))
		why = "bad allocation group geometry";
	else if (x.dblocks > (uint64_t)x.agcount * x.agblocks || x.dblocks < x.agblocks)
		why = "bad block count";
	else if (sb[192] > 8)
		why = "bad directory block size";
	if (!why && x.v5) {
		uint32_t incompat = dl_be32(sb + 216);
		if (incompat & ~INCOMPAT_KNOWN)
			why = incompat & INCOMPAT_NEEDSREPAIR ? "filesystem needs repair"
							      : "unsupported incompatible features";
		x.ftype = incompat & INCOMPAT_FTYPE;
	} else if (!why) {
		x.ftype = (dl_be16(sb + 100) & 0x8000) && (dl_be32(sb + 200) & 0x200);
	}
	if (why)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: XFS: %s", fs->vol->name, why), -EUCLEAN;
	x.dirbsize = x.bsize << sb[192];
	if (x.dirbsize > 65536)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: XFS: directory blocks over 64 KiB", fs->vol->name),
		       -EUCLEAN;
	struct xfs *p = dl_malloc(sizeof(*p));
	*p = x;
	fs->priv = p;
	fs->root = x.rootino;
	struct dl_stat st;
	if (xfs_stat(fs, x.rootino, &st) < 0 || st.type != DL_FT_DIR) {
		free(p);
		fs->priv = NULL;
		return dl_fail(err, DL_EBADIMAGE, "%s: XFS: bad root inode", fs->vol->name), -EUCLEAN;
	}
	return 0;
}

static void xfs_unmount(struct dl_fs *fs)
{
	free(fs->priv);
	fs->priv = NULL;
}

static const char *const xfs_types[] = { "xfs", NULL };

const struct dl_fs_ops dl_fs_xfs = {
	.name = "xfs",
	.types = xfs_types,
	.mount = xfs_mount,
	.unmount = xfs_unmount,
	.lookup = xfs_lookup,
	.stat = xfs_stat,
	.read = xfs_read,
	.readlink = xfs_readlink,
	.readdir = xfs_readdir,
	.extents = xfs_extents,
};
