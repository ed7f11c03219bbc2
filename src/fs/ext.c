/* ext2/3/4 backend over libext2fs, read-only.
 *
 * The filesystem is opened through our own io_manager, which reads the
 * struct dl_volume with dl_volume_pread(): partitions, --offset, LVs and
 * memory-backed disks all look the same, and no path is ever opened.
 *
 * libext2fs is used for the superblock, group descriptors, inodes,
 * directories (ext2fs_lookup, ext2fs_dir_iterate2), extent trees, indirect
 * blocks and extended attributes.  It is NOT used for path resolution
 * (ext2fs_namei*, ext2fs_follow_link: a heap overflow and an over-read on
 * hostile symlinks in 1.47.0, docs/SECURITY.md, "Library bugs that shaped
 * the code") nor for file data (ext2fs_file_read returns more than i_size
 * for inline data in 1.47.0, fixed by e2fsprogs 10d77615 in 1.47.4, and
 * reads one block per call).
 * File data is mapped here to block runs and read in large pieces straight
 * from the volume, clamped to EXT2_I_SIZE. */
#include "fs/fs.h"

#include <errno.h>
#include <limits.h>
#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>
#include <stdio.h>
#include <string.h>

/* One extent-tree walk or block iteration may visit at most this many
 * leaves or blocks beyond the range it needs (hostile trees can repeat
 * empty or duplicate nodes). */
#define EXT_MAX_STEPS (1u << 22)
#define PAST_END "data past the end of the volume: truncated image?"
#define INLINE_FIXED 60               /* bytes of i_block, EXT4_MIN_INLINE_DATA_SIZE */

struct extfs {
	ext2_filsys fs;
	unsigned bs;                  /* block size */
	uint64_t nblocks;             /* blocks in the filesystem */
};

/* ---- io_manager over dl_volume_pread -------------------------------- */

#define VIO_CACHE 16

struct vio {
	const struct dl_volume *vol;
	unsigned long tick;
	struct {
		unsigned long long blk;
		unsigned long used;   /* 0: empty, else LRU tick */
		char *data;
	} c[VIO_CACHE];
	int cbs;                      /* block size the cache holds */
};

static _Thread_local const struct dl_volume *vio_pending;
static struct struct_io_manager vio_manager;

static void vio_drop_cache(struct vio *v)
{
	for (int i = 0; i < VIO_CACHE; i++) {
		free(v->c[i].data);
		v->c[i].data = NULL;
		v->c[i].used = 0;
	}
}

static errcode_t vio_open(const char *name, int flags, io_channel *channel)
{
	if (flags & IO_FLAG_RW)
		return EXT2_ET_RO_FILSYS;
	if (!vio_pending)
		return EXT2_ET_BAD_DEVICE_NAME;
	io_channel io = calloc(1, sizeof(*io));
	struct vio *v = calloc(1, sizeof(*v));
	char *n = strdup(name ? name : "");
	if (!io || !v || !n) {
		free(io);
		free(v);
		free(n);
		return EXT2_ET_NO_MEMORY;
	}
	v->vol = vio_pending;
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = &vio_manager;
	io->name = n;
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = v;
	*channel = io;
	return 0;
}

static errcode_t vio_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	struct vio *v = io->private_data;
	vio_drop_cache(v);
	free(v);
	free(io->name);
	free(io);
	return 0;
}

static errcode_t vio_set_blksize(io_channel io, int blksize)
{
	if (blksize < 1024 || blksize > 65536)
		return EXT2_ET_INVALID_ARGUMENT;
	io->block_size = blksize;
	return 0;
}

static errcode_t vio_pread(struct vio *v, void *data, size_t size, uint64_t off)
{
	ssize_t r = dl_volume_pread(v->vol, data, size, off);
	if (r < 0)
		return errno ? errno : EIO;
	if ((size_t)r < size) {
		memset((char *)data + r, 0, size - (size_t)r);
		return EXT2_ET_SHORT_READ;
	}
	return 0;
}

static errcode_t vio_read_blk64(io_channel io, unsigned long long block, int count, void *data)
{
	struct vio *v = io->private_data;
	uint64_t size, off;

	if (count < 0)
		size = (uint64_t)-(int64_t)count;
	else if (ckd_mul(&size, (uint64_t)count, (uint64_t)io->block_size))
		return EXT2_ET_INVALID_ARGUMENT;
	if (ckd_mul(&off, (uint64_t)block, (uint64_t)io->block_size) || size > SIZE_MAX)
		return EXT2_ET_INVALID_ARGUMENT;
	if (count != 1)
		return vio_pread(v, data, (size_t)size, off);

	/* Single metadata blocks (inode tables, directories, extent and
	 * indirect blocks) are read again and again: keep a few. */
	if (v->cbs != io->block_size) {
		vio_drop_cache(v);
		v->cbs = io->block_size;
	}
	int victim = 0;
	for (int i = 0; i < VIO_CACHE; i++) {
		if (v->c[i].used && v->c[i].blk == block) {
			v->c[i].used = ++v->tick;
			memcpy(data, v->c[i].data, (size_t)size);
			dl_volume_charge(size);      /* libext2fs scans it again */
			return 0;
		}
		if (v->c[i].used < v->c[victim].used)
			victim = i;
	}
	errcode_t e = vio_pread(v, data, (size_t)size, off);
	if (e)
		return e;
	if (!v->c[victim].data && !(v->c[victim].data = malloc((size_t)size)))
		return 0;
	memcpy(v->c[victim].data, data, (size_t)size);
	v->c[victim].blk = block;
	v->c[victim].used = ++v->tick;
	return 0;
}

static errcode_t vio_read_blk(io_channel io, unsigned long block, int count, void *data)
{
	return vio_read_blk64(io, block, count, data);
}

static errcode_t vio_write_blk(io_channel io, unsigned long block, int count, const void *data)
{
	(void)io, (void)block, (void)count, (void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t vio_write_blk64(io_channel io, unsigned long long block, int count,
				 const void *data)
{
	(void)io, (void)block, (void)count, (void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t vio_write_byte(io_channel io, unsigned long off, int count, const void *data)
{
	(void)io, (void)off, (void)count, (void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t vio_flush(io_channel io)
{
	(void)io;
	return 0;
}

static struct struct_io_manager vio_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "domuloader volume",
	.open = vio_open,
	.close = vio_close,
	.set_blksize = vio_set_blksize,
	.read_blk = vio_read_blk,
	.write_blk = vio_write_blk,
	.flush = vio_flush,
	.write_byte = vio_write_byte,
	.read_blk64 = vio_read_blk64,
	.write_blk64 = vio_write_blk64,
};

/* ---- errors --------------------------------------------------------- */

static const char *ext_msg(errcode_t e)
{
	if (e > 0 && e < 4096)
		return strerror((int)e);
	long i = e - et_ext2_error_table.base;
	if (i >= 0 && i < et_ext2_error_table.n_msgs)
		return et_ext2_error_table.msgs[i];
	return "unknown libext2fs error";
}

/* Map a libext2fs error to -errno and note it in fs->detail. */
static int ext_err(struct dl_fs *fs, errcode_t e)
{
	switch (e) {
	case 0:
		return 0;
	case EXT2_ET_FILE_NOT_FOUND:
		return -ENOENT;
	case EXT2_ET_NO_DIRECTORY:
		return -ENOTDIR;
	case EXT2_ET_NO_MEMORY:
	case ENOMEM:
		return -ENOMEM;
	}
	snprintf(fs->detail, sizeof(fs->detail), "%s", e == EXT2_ET_SHORT_READ ? PAST_END : ext_msg(e));
	if (e == EXT2_ET_UNSUPP_FEATURE || e == EXT2_ET_RO_UNSUPP_FEATURE ||
	    e == EXT2_ET_UNIMPLEMENTED || e == EXT2_ET_EXTERNAL_JOURNAL_NOSUPP)
		return -ENOTSUP;
	if (e > 0 && e < 4096)
		return -(int)e;      /* errno from the volume read */
	return -EUCLEAN;
}

static int corrupt(struct dl_fs *fs, const char *what)
{
	snprintf(fs->detail, sizeof(fs->detail), "%s", what);
	return -EUCLEAN;
}

/* ---- inodes --------------------------------------------------------- */

static int get_inode(struct dl_fs *fs, uint64_t ino, struct ext2_inode *in)
{
	struct extfs *x = fs->priv;
	if (ino == 0 || ino > x->fs->super->s_inodes_count)
		return corrupt(fs, "inode number out of range");
	return ext_err(fs, ext2fs_read_inode(x->fs, (ext2_ino_t)ino, in));
}

static enum dl_ftype mode_type(uint16_t mode)
{
	switch (mode & 0xF000) {
	case 0x8000:
		return DL_FT_REG;
	case 0x4000:
		return DL_FT_DIR;
	case 0xA000:
		return DL_FT_LNK;
	default:
		return DL_FT_OTHER;
	}
}

/* Inline data: the first 60 bytes live in i_block, the rest in the
 * "system.data" attribute.  Read both ourselves, with their real lengths
 * (ext2fs_inline_data_get copies 60 + ea bytes whatever the caller's
 * buffer; docs/SECURITY.md, "Library bugs that shaped the code").  Returns a malloc'd buffer and its length. */
static int inline_get(struct dl_fs *fs, uint64_t ino, const struct ext2_inode *in, char **out,
		      size_t *outlen)
{
	struct extfs *x = fs->priv;
	struct ext2_xattr_handle *h = NULL;
	void *val = NULL;
	size_t vlen = 0;
	errcode_t e;

	e = ext2fs_xattrs_open(x->fs, (ext2_ino_t)ino, &h);
	if (!e)
		e = ext2fs_xattrs_read(h);
	if (!e) {
		e = ext2fs_xattr_get(h, "system.data", &val, &vlen);
		if (e == EXT2_ET_EA_KEY_NOT_FOUND) {
			e = 0;
			val = NULL;
			vlen = 0;
		}
	}
	if (h)
		ext2fs_xattrs_close(&h);
	if (e)
		return ext_err(fs, e);
	if (vlen > x->bs) {
		ext2fs_free_mem(&val);
		return corrupt(fs, "inline data attribute too large");
	}
	char *buf = dl_malloc(INLINE_FIXED + vlen);
	memcpy(buf, in->i_block, INLINE_FIXED);
	if (vlen)
		memcpy(buf + INLINE_FIXED, val, vlen);
	ext2fs_free_mem(&val);
	*out = buf;
	*outlen = INLINE_FIXED + vlen;
	return 0;
}

/* Copy len bytes at off of an inline-data inode whose size is size; the
 * stored data must cover the whole size (what names it in the error). */
static ssize_t inline_copy(struct dl_fs *fs, uint64_t ino, const struct ext2_inode *in, uint64_t size,
			   uint64_t off, void *buf, size_t len, const char *what)
{
	char *data = NULL;
	size_t avail = 0;
	int r = inline_get(fs, ino, in, &data, &avail);
	if (r)
		return r;
	if (size > avail) {
		free(data);
		return corrupt(fs, what);
	}
	memcpy(buf, data + off, len);
	free(data);
	return (ssize_t)len;
}


/* ---- block mapping -------------------------------------------------- */

/* Called for each mapped, initialised run of blocks inside the requested
 * range, in increasing logical order.  Unmapped and unwritten blocks are
 * not reported: they read as zeros. */
typedef int (*run_cb)(void *ctx, uint64_t lblk, uint64_t pblk, uint64_t count);

struct runs {
	struct dl_fs *fs;
	uint64_t first, last;         /* logical block range wanted, inclusive */
	uint64_t next;                /* logical blocks below this were seen */
	uint64_t p_l, p_p, p_n;       /* pending run */
	run_cb cb;
	void *ctx;
	int r;
	unsigned long steps, max_steps;
};

static int runs_flush(struct runs *s)
{
	if (!s->p_n)
		return 0;
	int r = s->cb(s->ctx, s->p_l, s->p_p, s->p_n);
	s->p_n = 0;
	return r;
}

/* Add a mapped run (already checked), clipped to [first, last]. */
static int runs_add(struct runs *s, uint64_t l, uint64_t p, uint64_t n)
{
	struct extfs *x = s->fs->priv;
	uint64_t end;

	if (n == 0)
		return 0;
	if (l < s->next)
		return corrupt(s->fs, "overlapping or unordered block map");
	uint64_t bytes;
	if (ckd_add(&end, p, n) || p < x->fs->super->s_first_data_block || end > x->nblocks ||
	    ckd_mul(&bytes, end, (uint64_t)x->bs))
		return corrupt(s->fs, "block number out of range");
	if (ckd_add(&end, l, n))
		return corrupt(s->fs, "logical block out of range");
	s->next = end;
	if (end <= s->first || l > s->last)
		return 0;
	if (l < s->first) {
		p += s->first - l;
		n -= s->first - l;
		l = s->first;
	}
	if (l + n - 1 > s->last)
		n = s->last - l + 1;
	if (s->p_n && s->p_l + s->p_n == l && s->p_p + s->p_n == p) {
		s->p_n += n;
		return 0;
	}
	int r = runs_flush(s);
	if (r)
		return r;
	s->p_l = l;
	s->p_p = p;
	s->p_n = n;
	return 0;
}

static int map_extents(struct runs *s, ext2_ino_t ino, struct ext2_inode *in)
{
	struct extfs *x = s->fs->priv;
	ext2_extent_handle_t h;
	struct ext2fs_extent ex;
	int r = 0;

	errcode_t e = ext2fs_extent_open2(x->fs, ino, in, &h);
	if (e)
		return ext_err(s->fs, e);
	e = ext2fs_extent_get(h, EXT2_EXTENT_ROOT, &ex);
	while (!e) {
		if (++s->steps > s->max_steps) {
			r = corrupt(s->fs, "extent tree too large");
			break;
		}
		if (ex.e_flags & EXT2_EXTENT_FLAGS_LEAF) {
			if (ex.e_lblk > s->last)
				break;
			if (ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT) {
				/* unwritten: zeros, but it still takes its place */
				uint64_t end;
				if (ex.e_lblk < s->next || ckd_add(&end, ex.e_lblk, (uint64_t)ex.e_len)) {
					r = corrupt(s->fs, "overlapping or unordered block map");
					break;
				}
				s->next = end;
			} else if ((r = runs_add(s, ex.e_lblk, ex.e_pblk, ex.e_len))) {
				break;
			}
		}
		e = ext2fs_extent_get(h, EXT2_EXTENT_NEXT_LEAF, &ex);
	}
	ext2fs_extent_free(h);
	if (r)
		return r;
	if (e && e != EXT2_ET_EXTENT_NO_NEXT && e != EXT2_ET_NO_CURRENT_NODE)
		return ext_err(s->fs, e);
	return runs_flush(s);
}

static int block_cb(ext2_filsys efs, blk64_t *blocknr, e2_blkcnt_t blockcnt, blk64_t ref_blk,
		    int ref_offset, void *priv)
{
	struct runs *s = priv;
	(void)efs, (void)ref_blk, (void)ref_offset;
	if (blockcnt < 0)
		return 0;
	if (++s->steps > s->max_steps) {
		s->r = corrupt(s->fs, "block map too large");
		return BLOCK_ABORT;
	}
	if ((uint64_t)blockcnt > s->last)
		return BLOCK_ABORT;
	int r = runs_add(s, (uint64_t)blockcnt, *blocknr, 1);
	if (r) {
		s->r = r;
		return BLOCK_ABORT;
	}
	return 0;
}

static int map_indirect(struct runs *s, ext2_ino_t ino)
{
	struct extfs *x = s->fs->priv;
	errcode_t e = ext2fs_block_iterate3(x->fs, ino, BLOCK_FLAG_READ_ONLY | BLOCK_FLAG_DATA_ONLY,
					    NULL, block_cb, s);
	if (s->r)
		return s->r;
	if (e)
		return ext_err(s->fs, e);
	return runs_flush(s);
}

/* Map logical blocks [first, last] of a non-inline inode. */
static int map_blocks(struct dl_fs *fs, uint64_t ino, struct ext2_inode *in, uint64_t first,
		      uint64_t last, run_cb cb, void *ctx)
{
	struct runs s = { .fs = fs, .first = first, .last = last, .cb = cb, .ctx = ctx,
			  .max_steps = EXT_MAX_STEPS };
	if (in->i_flags & EXT4_EXTENTS_FL)
		return map_extents(&s, (ext2_ino_t)ino, in);
	return map_indirect(&s, (ext2_ino_t)ino);
}

/* ---- ops ------------------------------------------------------------ */

struct dirmap {
	struct dl_fs *fs;
	uint64_t nblocks;             /* blocks the directory's size covers */
};

static int dir_run(void *ctx, uint64_t lblk, uint64_t pblk, uint64_t count)
{
	struct dirmap *d = ctx;
	(void)pblk;
	if (lblk + count > d->nblocks)
		return corrupt(d->fs, "directory blocks beyond its size");
	return 0;
}

/* libext2fs iterates a directory's whole block map, whatever its size says;
 * a hostile map can make that billions of blocks (the same block again and
 * again).  Before handing a directory to ext2fs_lookup/ext2fs_dir_iterate2,
 * check its map lies within its size, and the size within a cap. */
#define EXT_MAX_DIR (64u << 20)
static int check_dir(struct dl_fs *fs, uint64_t ino)
{
	struct extfs *x = fs->priv;
	struct ext2_inode in;
	int r = get_inode(fs, ino, &in);
	if (r)
		return r;
	if (mode_type(in.i_mode) != DL_FT_DIR)
		return -ENOTDIR;
	if (in.i_flags & EXT4_INLINE_DATA_FL)
		return 0;                        /* bounded by the inode and one attribute */
	uint64_t size = EXT2_I_SIZE(&in);
	if (size > EXT_MAX_DIR)
		return corrupt(fs, "directory too large");
	struct dirmap d = { .fs = fs, .nblocks = (size + x->bs - 1) / x->bs };
	struct runs s = { .fs = fs, .first = 0, .last = UINT32_MAX, .cb = dir_run, .ctx = &d,
			  .max_steps = 1u << 16 };
	if (in.i_flags & EXT4_EXTENTS_FL)
		return map_extents(&s, (ext2_ino_t)ino, &in);
	return map_indirect(&s, (ext2_ino_t)ino);
}

static int ext_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct extfs *x = fs->priv;
	ext2_ino_t r;
	if (len == 0 || len > EXT2_NAME_LEN || dir == 0 || dir > x->fs->super->s_inodes_count)
		return -ENOENT;
	int c = check_dir(fs, dir);
	if (c)
		return c;
	errcode_t e = ext2fs_lookup(x->fs, (ext2_ino_t)dir, name, (int)len, NULL, &r);
	if (e)
		return ext_err(fs, e);
	if (r == 0 || r > x->fs->super->s_inodes_count)
		return corrupt(fs, "directory entry with a bad inode number");
	*ino = r;
	return 0;
}

static int ext_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	struct ext2_inode in;
	int r = get_inode(fs, ino, &in);
	if (r)
		return r;
	st->ino = ino;
	st->size = EXT2_I_SIZE(&in);
	st->type = mode_type(in.i_mode);
	st->mode = in.i_mode;
	return 0;
}

struct rdctx {
	struct dl_fs *fs;
	char *buf;                    /* buf[0] is file byte off */
	uint64_t off, len, cursor;    /* cursor: file bytes filled so far */
	unsigned bs;
};

static int read_run(void *ctx, uint64_t lblk, uint64_t pblk, uint64_t count)
{
	struct rdctx *c = ctx;
	uint64_t rs = DL_MAX(lblk * c->bs, c->off);
	uint64_t re = DL_MIN((lblk + count) * c->bs, c->off + c->len);
	if (rs >= re)
		return 0;
	if (rs > c->cursor)
		memset(c->buf + (c->cursor - c->off), 0, rs - c->cursor);
	uint64_t voff = pblk * c->bs + (rs - lblk * c->bs);
	ssize_t n = dl_volume_pread(c->fs->vol, c->buf + (rs - c->off), re - rs, voff);
	if (n < 0)
		return errno ? -errno : -EIO;
	if ((uint64_t)n != re - rs)
		return corrupt(c->fs, PAST_END);
	c->cursor = re;
	return 0;
}

static bool encrypted(const struct ext2_inode *in)
{
	return in->i_flags & EXT4_ENCRYPT_FL;
}

static ssize_t ext_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	struct extfs *x = fs->priv;
	struct ext2_inode in;
	int r = get_inode(fs, ino, &in);
	if (r)
		return r;
	if (mode_type(in.i_mode) != DL_FT_REG)
		return mode_type(in.i_mode) == DL_FT_DIR ? -EISDIR : -EINVAL;
	if (encrypted(&in)) {
		snprintf(fs->detail, sizeof(fs->detail), "encrypted file");
		return -ENOTSUP;
	}
	uint64_t size = EXT2_I_SIZE(&in);
	if (off >= size || len == 0)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;

	if (in.i_flags & EXT4_INLINE_DATA_FL)
		return inline_copy(fs, ino, &in, size, off, buf, len, "inline data shorter than the file size");

	struct rdctx c = { .fs = fs, .buf = buf, .off = off, .len = len, .cursor = off, .bs = x->bs };
	r = map_blocks(fs, ino, &in, off / x->bs, (off + len - 1) / x->bs, read_run, &c);
	if (r)
		return r;
	if (c.cursor < off + len)
		memset(c.buf + (c.cursor - off), 0, off + len - c.cursor);
	return (ssize_t)len;
}

struct lnkctx {
	struct dl_fs *fs;
	uint64_t pblk;
	bool found;
};

static int link_run(void *ctx, uint64_t lblk, uint64_t pblk, uint64_t count)
{
	struct lnkctx *c = ctx;
	(void)count;
	if (lblk == 0) {
		c->pblk = pblk;
		c->found = true;
	}
	return 0;
}

/* Our own symlink reader, since libext2fs's follow_link overflows on
 * hostile inodes: fast only when 0 < i_size < 60, inline targets within
 * the inline data and i_size, slow targets shorter than a block and at
 * most 4095 bytes. */
static ssize_t ext_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	struct extfs *x = fs->priv;
	struct ext2_inode in;
	int r = get_inode(fs, ino, &in);
	if (r)
		return r;
	if (mode_type(in.i_mode) != DL_FT_LNK)
		return -EINVAL;
	if (encrypted(&in)) {
		snprintf(fs->detail, sizeof(fs->detail), "encrypted symbolic link");
		return -ENOTSUP;
	}
	uint64_t size = EXT2_I_SIZE(&in);
	if (size == 0)
		return corrupt(fs, "empty symbolic link");
	if (size > DL_FS_MAX_LINK || size > bufsz)
		return -ENAMETOOLONG;

	if (in.i_flags & EXT4_INLINE_DATA_FL)
		return inline_copy(fs, ino, &in, size, 0, buf, (size_t)size,
				   "inline symbolic link shorter than its size");
	if (size < sizeof(in.i_block)) {         /* fast symlink: 0 < size < 60 */
		memcpy(buf, in.i_block, (size_t)size);
		return (ssize_t)size;
	}
	if (size >= x->bs)
		return corrupt(fs, "symbolic link larger than a block");
	struct lnkctx c = { .fs = fs };
	r = map_blocks(fs, ino, &in, 0, 0, link_run, &c);
	if (r)
		return r;
	if (!c.found)
		return corrupt(fs, "symbolic link without a data block");
	ssize_t n = dl_volume_pread(fs->vol, buf, (size_t)size, c.pblk * x->bs);
	if (n < 0)
		return errno ? -errno : -EIO;
	if ((uint64_t)n != size)
		return corrupt(fs, PAST_END);
	return (ssize_t)size;
}

struct dirctx {
	dl_dirent_cb cb;
	void *ctx;
	int r;
};

static int dir_cb(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset, int blocksize,
		  char *buf, void *priv)
{
	struct dirctx *c = priv;
	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	int len = ext2fs_dirent_name_len(d);
	if (d->inode == 0 || len == 0)
		return 0;
	if ((len == 1 && d->name[0] == '.') || (len == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	enum dl_ftype t;
	switch (ext2fs_dirent_file_type(d)) {
	case EXT2_FT_REG_FILE:
		t = DL_FT_REG;
		break;
	case EXT2_FT_DIR:
		t = DL_FT_DIR;
		break;
	case EXT2_FT_SYMLINK:
		t = DL_FT_LNK;
		break;
	case EXT2_FT_UNKNOWN:
		t = DL_FT_UNKNOWN;
		break;
	default:
		t = DL_FT_OTHER;
		break;
	}
	int r = c->cb(c->ctx, d->name, (size_t)len, d->inode, t);
	if (r) {
		c->r = r;
		return DIRENT_ABORT;
	}
	return 0;
}

static int ext_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	struct extfs *x = fs->priv;
	struct dirctx c = { .cb = cb, .ctx = ctx };
	if (dir == 0 || dir > x->fs->super->s_inodes_count)
		return corrupt(fs, "inode number out of range");
	int r = check_dir(fs, dir);
	if (r)
		return r;
	errcode_t e = ext2fs_dir_iterate2(x->fs, (ext2_ino_t)dir, 0, NULL, dir_cb, &c);
	if (c.r)
		return c.r;
	return ext_err(fs, e);
}

struct extctx {
	struct dl_fs *fs;
	dl_fextent_cb cb;
	void *ctx;
	uint64_t size, cursor;
	unsigned bs;
};

static int ext_run(void *ctx, uint64_t lblk, uint64_t pblk, uint64_t count)
{
	struct extctx *c = ctx;
	uint64_t rs = lblk * c->bs, re = DL_MIN((lblk + count) * c->bs, c->size);
	int r;
	if (rs >= re)
		return 0;
	if (rs > c->cursor && (r = c->cb(c->ctx, c->cursor, DL_HOLE, rs - c->cursor)))
		return r;
	c->cursor = re;
	return c->cb(c->ctx, rs, pblk * c->bs, re - rs);
}

static int ext_extents(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx)
{
	struct extfs *x = fs->priv;
	struct ext2_inode in;
	int r = get_inode(fs, ino, &in);
	if (r)
		return r;
	if (mode_type(in.i_mode) != DL_FT_REG)
		return mode_type(in.i_mode) == DL_FT_DIR ? -EISDIR : -EINVAL;
	uint64_t size = EXT2_I_SIZE(&in);
	if (size == 0)
		return 0;                       /* nothing to map, inline or not */
	if (encrypted(&in) || (in.i_flags & EXT4_INLINE_DATA_FL))
		return -ENOTSUP;
	struct extctx c = { .fs = fs, .cb = cb, .ctx = ctx, .size = size, .bs = x->bs };
	r = map_blocks(fs, ino, &in, 0, (size - 1) / x->bs, ext_run, &c);
	if (r)
		return r;
	if (c.cursor < size)
		return cb(ctx, c.cursor, DL_HOLE, size - c.cursor);
	return 0;
}


static int ext_mount(struct dl_fs *fs, struct dl_error *err)
{
	const struct dl_volume *vol = fs->vol;
	uint8_t sb[1024];
	ext2_filsys efs = NULL;

	/* Cheap validation first: most volumes are not ext. */
	ssize_t n = dl_volume_pread(vol, sb, sizeof(sb), 1024);
	if (n < 0) {
		dl_fail(err, DL_EIO, "%s: cannot read: %s", vol->name, strerror(errno));
		return -EIO;
	}
	if (n != (ssize_t)sizeof(sb) || sb[0x38] != 0x53 || sb[0x39] != 0xEF)
		return DL_NOT_MINE;
	/* libext2fs allocates the whole group descriptor table from these
	 * fields before it reads anything else: bound it by the volume. */
	uint32_t log_bs = dl_le32(sb + 0x18), first = dl_le32(sb + 0x14), bpg = dl_le32(sb + 0x20);
	uint64_t blocks = dl_le32(sb + 0x04), desc = 32;
	if (dl_le32(sb + 0x60) & EXT4_FEATURE_INCOMPAT_64BIT) {
		blocks |= (uint64_t)dl_le32(sb + 0x150) << 32;
		desc = DL_MAX(desc, (uint64_t)(sb[0xfe] | sb[0xff] << 8));
	}
	const char *bad = NULL;
	if (log_bs > 6)
		bad = "block size";
	else if (bpg == 0 || blocks <= first)
		bad = "block counts";
	else if ((blocks - first + bpg - 1) / bpg * desc > vol->size)
		bad = "more group descriptors than the volume holds";
	if (bad) {
		dl_fail(err, DL_EBADIMAGE, "%s: corrupt ext superblock (%s)", vol->name, bad);
		return -EUCLEAN;
	}

	vio_pending = vol;
	errcode_t e = ext2fs_open2("domuloader", NULL, EXT2_FLAG_64BITS, 0, 0, &vio_manager, &efs);
	vio_pending = NULL;
	if (e) {
		if (efs)
			ext2fs_free(efs);
		if (e == EXT2_ET_BAD_MAGIC)
			return DL_NOT_MINE;
		if (e == EXT2_ET_UNSUPP_FEATURE || e == EXT2_ET_RO_UNSUPP_FEATURE) {
			dl_fail(err, DL_EUNSUPPORTED, "%s: ext filesystem uses features libext2fs cannot read (%s)",
				vol->name, ext_msg(e));
			return -ENOTSUP;
		}
		if (e == EXT2_ET_SHORT_READ) {
			dl_fail(err, DL_EBADIMAGE, "%s: ext filesystem metadata past the end of the volume: truncated image?",
				vol->name);
			return -EUCLEAN;
		}
		dl_fail(err, e > 0 && e < 4096 ? DL_EIO : DL_EBADIMAGE, "%s: cannot open ext filesystem: %s",
			vol->name, ext_msg(e));
		return e > 0 && e < 4096 ? -(int)e : -EUCLEAN;
	}

	/* A filesystem larger than its volume is a truncated image (or a
	 * partition table that disagrees with it); Linux refuses to mount it
	 * ("block count exceeds size of device"), so the guest could not boot
	 * it either.  Refuse it clearly rather than fail later on some read. */
	uint64_t nblocks = ext2fs_blocks_count(efs->super), bytes;
	if (ckd_mul(&bytes, nblocks, (uint64_t)efs->blocksize) || bytes > vol->size) {
		dl_fail(err, DL_EBADIMAGE,
			"%s: ext filesystem (%llu bytes) is larger than its volume (%llu bytes): truncated image?",
			vol->name, (unsigned long long)bytes, (unsigned long long)vol->size);
		ext2fs_free(efs);
		return -EUCLEAN;
	}
	if (ext2fs_has_feature_journal_needs_recovery(efs->super))
		dl_warn("%s: ext journal needs recovery (unclean shutdown?); recent changes may be missing",
			vol->name);

	struct extfs *x = dl_calloc(1, sizeof(*x));
	x->fs = efs;
	x->bs = efs->blocksize;
	x->nblocks = nblocks;
	fs->priv = x;
	fs->root = EXT2_ROOT_INO;
	return 0;
}

static void ext_unmount(struct dl_fs *fs)
{
	struct extfs *x = fs->priv;
	if (!x)
		return;
	ext2fs_free(x->fs);
	free(x);
	fs->priv = NULL;
}

static const char *const ext_types[] = { "ext2", "ext3", "ext4", "ext4dev", NULL };

const struct dl_fs_ops dl_fs_ext = {
	.name = "ext",
	.types = ext_types,
	.mount = ext_mount,
	.unmount = ext_unmount,
	.lookup = ext_lookup,
	.stat = ext_stat,
	.read = ext_read,
	.readlink = ext_readlink,
	.readdir = ext_readdir,
	.extents = ext_extents,
};
