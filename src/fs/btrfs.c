/* btrfs backend, read-only, one device (profiles single, DUP, and the
 * first copy of RAID1/RAID1C*), as openSUSE and Fedora guests use it.
 *
 * Hand-written because no library reads btrfs from user space through a
 * caller's reads (btrfs-progs' libbtrfs opens devices itself; GRUB's
 * reader is no library).
 *
 * Reads the default subvolume (or subvolume 5), follows subvolume
 * boundaries, inline and regular extents, zlib and zstd compression (lzo
 * is refused by name), symlinks.  Every logical address goes through the
 * chunk map and every physical range is checked against the volume; tree
 * descent is limited in depth; decompression is capped at btrfs's 128 KiB
 * extent size.
 *
 * Node ids: (subvolume slot << 48) | inode objectid, with the subvolume
 * slot an index into a small table of the trees opened so far. */
#include "fs/fs.h"
#include "helper.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define SB_OFF 0x10000u
#define MAX_LEVEL 8
#define MAX_CHUNKS 4096
#define MAX_TREES 64
#define MAX_VISITS 16384          /* tree nodes read by one walk */
#define MAX_NODESIZE 65536u
#define MAX_RAM (128u << 10)      /* btrfs compressed extents hold at most 128 KiB */
#define FIRST_FREE 256ull         /* root directory objectid of a subvolume */
#define FS_TREE 5ull              /* the top-level subvolume */
#define LAST_FREE (-256ull)       /* highest subvolume id */

enum {
	T_INODE_ITEM = 1, T_DIR_ITEM = 84, T_DIR_INDEX = 96, T_EXTENT_DATA = 108,
	T_ROOT_ITEM = 132, T_CHUNK_ITEM = 228,
};

struct key {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
};

struct chunk {
	uint64_t logical, length, physical;
};

struct btrfs {
	uint32_t nodesize, sectorsize;
	uint64_t devid;
	struct chunk *chunks;
	size_t nchunks, capchunks;
	uint64_t root_tree;
	uint8_t root_level;
	unsigned long visits;     /* nodes read by the current walk */
	unsigned walking;         /* tree_walk nesting */
	struct {
		uint64_t id, bytenr;
		uint8_t level;
	} trees[MAX_TREES];
	size_t ntrees;
	/* Last decompressed regular extent, keyed on everything its bytes
	 * depend on (two extents may share disk bytes with different ram
	 * sizes or algorithms). */
	struct cache_key {
		uint64_t ino, disk, disk_len, ram;
		uint8_t comp;
	} cache_key;
	uint8_t *cache;
	size_t cache_len;
	/* Kept across extents (a 64 MiB file is 512 extents of 128 KiB):
	 * buffers allocated per extent were mmap'ed and unmapped each time. */
	size_t cache_cap;
	uint8_t *in;              /* compressed bytes */
	size_t in_cap;
	/* Decoders: the main thread's, and the helper thread's (src/helper.h)
	 * for half of the whole extents of a large read. */
	struct bdec {
		ZSTD_DCtx *zctx;
		struct libdeflate_decompressor *ld;
		z_stream zs;      /* zlib fallback, reset per extent (zs_ready once set up) */
		bool zs_ready;
	} dec[2];
	uint8_t *jin;             /* compressed bytes of the pending jobs (JOB_IN) */
};


static void get_key(const uint8_t *p, struct key *k)
{
	k->objectid = dl_le64(p);
	k->type = p[8];
	k->offset = dl_le64(p + 9);
}

static int key_cmp(const struct key *a, const struct key *b)
{
	if (a->objectid != b->objectid)
		return a->objectid < b->objectid ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return 0;
}

static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return crc;
}

static int add_chunk(struct btrfs *b, uint64_t logical, const uint8_t *c, size_t avail)
{
	if (avail < 48)
		return -EUCLEAN;
	uint64_t length = dl_le64(c);
	unsigned nstripes = dl_le16(c + 44);
	if (!nstripes || avail < 48 + (size_t)nstripes * 32 || !length)
		return -EUCLEAN;
	for (size_t i = 0; i < b->nchunks; i++)
		if (b->chunks[i].logical == logical)
			return 0;
	if (b->nchunks >= MAX_CHUNKS)
		return -EFBIG;
	/* The first stripe on our device: single, DUP and mirrored profiles
	 * hold the whole chunk there; striped profiles need several devices. */
	uint64_t type = dl_le64(c + 24);
	if (type & ((1ull << 3) | (1ull << 6) | (1ull << 7) | (1ull << 8)))  /* RAID0/10/5/6 */
		return -ENOTSUP;
	for (unsigned i = 0; i < nstripes; i++) {
		const uint8_t *s = c + 48 + i * 32;
		if (dl_le64(s) != b->devid)
			continue;
		struct chunk *ch = dl_array_push(&b->chunks, &b->nchunks, &b->capchunks, sizeof(*ch));
		*ch = (struct chunk){ logical, length, dl_le64(s + 8) };
		return 0;
	}
	return -ENODEV;
}

/* Logical -> physical for len bytes that must stay inside one chunk. */
static int map(struct dl_fs *fs, uint64_t logical, uint64_t len, uint64_t *phys)
{
	struct btrfs *b = fs->priv;
	for (size_t i = 0; i < b->nchunks; i++) {
		const struct chunk *c = &b->chunks[i];
		uint64_t end, pend;
		if (logical < c->logical || logical - c->logical >= c->length)
			continue;
		if (ckd_add(&end, logical - c->logical, len) || end > c->length)
			return -EUCLEAN;
		*phys = c->physical + (logical - c->logical);
		if (ckd_add(&pend, *phys, len) || pend > fs->vol->size)
			return -EUCLEAN;
		return 0;
	}
	return -EUCLEAN;
}

static int read_node(struct dl_fs *fs, uint64_t logical, uint8_t *buf, int level)
{
	struct btrfs *b = fs->priv;
	uint64_t phys;
	int r = map(fs, logical, b->nodesize, &phys);
	if (r < 0)
		return r;
	if ((r = dl_fs_pread_exact(fs, phys, buf, b->nodesize)) < 0)
		return r;
	if (dl_le64(buf + 48) != logical || (level >= 0 && buf[100] != level) || buf[100] > MAX_LEVEL)
		return -EUCLEAN;
	uint32_t n = dl_le32(buf + 96);
	size_t itemsz = buf[100] ? 33 : 25;
	if (101 + (uint64_t)n * itemsz > b->nodesize)
		return -EUCLEAN;
	return 0;
}

/* Visit leaf items of the tree at root with key >= from, in order, until
 * fn returns non-zero.  fn gets the key and the item data (checked to lie
 * inside the leaf). */
typedef int (*item_fn)(struct dl_fs *fs, const struct key *k, const uint8_t *data, uint32_t size,
		       void *ctx);

static int walk_node(struct dl_fs *fs, uint64_t node, int level, const struct key *from, item_fn fn,
		     void *ctx)
{
	struct btrfs *b = fs->priv;
	if (level < 0 || level > MAX_LEVEL)
		return -EUCLEAN;
	/* Levels strictly decrease, so there are no cycles, but hostile nodes
	 * can share children: bound the nodes one walk may visit. */
	if (++b->visits > MAX_VISITS)
		return -EFBIG;
	_cleanup_free_ uint8_t *buf = dl_malloc(b->nodesize);
	int r = read_node(fs, node, buf, level);
	if (r < 0)
		return r;
	uint32_t n = dl_le32(buf + 96);
	struct key k;
	if (level == 0) {
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *it = buf + 101 + i * 25;
			get_key(it, &k);
			if (key_cmp(&k, from) < 0)
				continue;
			uint32_t off = dl_le32(it + 17), size = dl_le32(it + 21);
			if ((uint64_t)off + size > b->nodesize - 101)
				return -EUCLEAN;
			if ((r = fn(fs, &k, buf + 101 + off, size, ctx)) != 0)
				return r;
		}
		return 0;
	}
	/* Start at the last child whose first key is <= from. */
	uint32_t start = 0;
	for (uint32_t i = 0; i < n; i++) {
		get_key(buf + 101 + i * 33, &k);
		if (key_cmp(&k, from) <= 0)
			start = i;
	}
	for (uint32_t i = start; i < n; i++)
		if ((r = walk_node(fs, dl_le64(buf + 101 + i * 33 + 17), level - 1, from, fn, ctx)) != 0)
			return r;
	return 0;
}

static int tree_walk(struct dl_fs *fs, uint64_t node, int level, const struct key *from, item_fn fn,
		     void *ctx)
{
	struct btrfs *b = fs->priv;
	if (!b->walking++)
		b->visits = 0;        /* walks nested in callbacks count against the outer one */
	int r = walk_node(fs, node, level, from, fn, ctx);
	b->walking--;
	return r;
}

/* ---- trees and subvolumes ------------------------------------------------- */

struct find_item {
	struct key want;
	bool exact;          /* stop at the first item with key >= want */
	uint8_t *data;
	uint32_t size;
	struct key got;
};

static int find_cb(struct dl_fs *fs, const struct key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct find_item *f = ctx;
	(void)fs;
	if (k->objectid != f->want.objectid || k->type != f->want.type)
		return 2;
	if (f->exact && k->offset != f->want.offset)
		return 2;
	f->got = *k;
	f->data = dl_malloc(size ? size : 1);
	memcpy(f->data, d, size);
	f->size = size;
	return 1;
}

/* Item (objectid, type) with offset == want.offset (exact) or the first
 * with offset >= want.offset. 0 found (f->data malloc'd), -ENOENT. */
static int find(struct dl_fs *fs, uint64_t root, int level, struct find_item *f)
{
	int r = tree_walk(fs, root, level, &f->want, find_cb, f);
	if (r < 0)
		return r;
	return r == 1 ? 0 : -ENOENT;
}

/* Slot of subvolume id in the tree table, opening it on first use. */
static int tree_slot(struct dl_fs *fs, uint64_t id)
{
	struct btrfs *b = fs->priv;
	for (size_t i = 0; i < b->ntrees; i++)
		if (b->trees[i].id == id)
			return (int)i;
	if (b->ntrees >= MAX_TREES)
		return -EFBIG;
	struct find_item f = { .want = { id, T_ROOT_ITEM, 0 } };
	int r = find(fs, b->root_tree, b->root_level, &f);
	if (r < 0)
		return r == -ENOENT ? -EUCLEAN : r;
	if (f.size < 239) {
		free(f.data);
		return -EUCLEAN;
	}
	b->trees[b->ntrees].id = id;
	b->trees[b->ntrees].bytenr = dl_le64(f.data + 176);
	b->trees[b->ntrees].level = f.data[238];
	free(f.data);
	return (int)b->ntrees++;
}

#define NODE(slot, oid) ((uint64_t)(slot) << 48 | (oid))
#define SLOT(ino) ((size_t)((ino) >> 48))
#define OID(ino) ((ino) & ((1ull << 48) - 1))

static int tree_of(struct dl_fs *fs, uint64_t ino, uint64_t *root, int *level)
{
	struct btrfs *b = fs->priv;
	if (SLOT(ino) >= b->ntrees)
		return -EUCLEAN;
	*root = b->trees[SLOT(ino)].bytenr;
	*level = b->trees[SLOT(ino)].level;
	return 0;
}

static int item(struct dl_fs *fs, uint64_t ino, uint8_t type, uint64_t offset, bool exact,
		struct find_item *f)
{
	uint64_t root;
	int level, r = tree_of(fs, ino, &root, &level);
	if (r < 0)
		return r;
	f->want = (struct key){ OID(ino), type, offset };
	f->exact = exact;
	return find(fs, root, level, f);
}

/* ---- inodes and directories ------------------------------------------------- */

static enum dl_ftype mode_type(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0040000: return DL_FT_DIR;
	case 0100000: return DL_FT_REG;
	case 0120000: return DL_FT_LNK;
	default: return DL_FT_OTHER;
	}
}

static int bt_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	struct find_item f = { 0 };
	int r = item(fs, ino, T_INODE_ITEM, 0, true, &f);
	if (r < 0)
		return r == -ENOENT ? -EUCLEAN : r;
	if (f.size < 160) {
		free(f.data);
		return -EUCLEAN;
	}
	st->ino = ino;
	st->size = dl_le64(f.data + 16);
	st->type = mode_type(dl_le32(f.data + 52));
	st->mode = dl_le32(f.data + 52);
	free(f.data);
	return 0;
}

/* The node a directory entry's location key names: an inode of the same
 * subvolume, or the root directory of another subvolume. */
static int entry_node(struct dl_fs *fs, uint64_t dir, const uint8_t *e, uint64_t *ino)
{
	struct key loc;
	get_key(e, &loc);
	if (loc.type == T_INODE_ITEM) {
		if (loc.objectid >= 1ull << 48)
			return -EUCLEAN;
		*ino = NODE(SLOT(dir), loc.objectid);
		return 0;
	}
	if (loc.type == T_ROOT_ITEM) {
		int slot = tree_slot(fs, loc.objectid);
		if (slot < 0)
			return slot;
		*ino = NODE(slot, FIRST_FREE);
		return 0;
	}
	return -EUCLEAN;
}

static enum dl_ftype dirent_type(uint8_t t)
{
	switch (t) {
	case 1: return DL_FT_REG;
	case 2: return DL_FT_DIR;
	case 7: return DL_FT_LNK;
	default: return DL_FT_OTHER;
	}
}

static int bt_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct find_item f = { 0 };
	uint32_t hash = crc32c(~1u, (const uint8_t *)name, len);
	int r = item(fs, dir, T_DIR_ITEM, hash, true, &f);
	if (r < 0)
		return r;
	/* One item may hold several entries whose names share the hash. */
	for (uint32_t pos = 0; pos + 30 <= f.size;) {
		const uint8_t *e = f.data + pos;
		uint32_t dlen = dl_le16(e + 25), nlen = dl_le16(e + 27);
		if (pos + 30 + (uint64_t)nlen + dlen > f.size) {
			r = -EUCLEAN;
			break;
		}
		if (nlen == len && !memcmp(e + 30, name, len)) {
			r = entry_node(fs, dir, e, ino);
			free(f.data);
			return r;
		}
		pos += 30 + nlen + dlen;
		r = -ENOENT;
	}
	free(f.data);
	return r < 0 ? r : -ENOENT;
}

struct list {
	uint64_t dir;
	dl_dirent_cb cb;
	void *ctx;
};

static int list_cb(struct dl_fs *fs, const struct key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct list *l = ctx;
	if (k->objectid != OID(l->dir) || k->type != T_DIR_INDEX)
		return 2;
	if (size < 30 || 30 + (uint64_t)dl_le16(d + 27) + dl_le16(d + 25) > size)
		return -EUCLEAN;
	uint64_t ino;
	if (entry_node(fs, l->dir, d, &ino) < 0)
		return 0;
	return l->cb(l->ctx, (const char *)d + 30, dl_le16(d + 27), ino, dirent_type(d[29]));
}

static int bt_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	uint64_t root;
	int level, r = tree_of(fs, dir, &root, &level);
	if (r < 0)
		return r;
	struct list l = { dir, cb, ctx };
	struct key from = { OID(dir), T_DIR_INDEX, 0 };
	r = tree_walk(fs, root, level, &from, list_cb, &l);
	return r == 2 ? 0 : r;
}

/* ---- file data ------------------------------------------------------------- */

struct fext {
	uint64_t file_off, len;    /* bytes of the file this item covers */
	uint8_t type, comp;
	uint64_t disk, disk_len, in_off, ram;
	const uint8_t *inline_data;
	size_t inline_len;
};

static int parse_fext(const struct key *k, const uint8_t *d, uint32_t size, struct fext *e)
{
	if (size < 21)
		return -EUCLEAN;
	e->file_off = k->offset;
	e->ram = dl_le64(d + 8);
	e->comp = d[16];
	e->type = d[20];
	if (d[17] || dl_le16(d + 18))
		return -ENOTSUP;          /* encryption / other encodings */
	if (e->type == 0) {
		e->inline_data = d + 21;
		e->inline_len = size - 21;
		e->len = e->ram;
		return 0;
	}
	if (e->type > 2 || size < 53)
		return -EUCLEAN;
	e->disk = dl_le64(d + 21);
	e->disk_len = dl_le64(d + 29);
	e->in_off = dl_le64(d + 37);
	e->len = dl_le64(d + 45);
	return 0;
}

/* x's decoder for comp, made before x is used (by the main thread: the
 * helper's allocations would start a malloc arena of their own).  0 or
 * -ENOMEM; other algorithms are decompress()'s to refuse. */
static int bdec_ready(struct bdec *x, uint8_t comp)
{
	if (comp == 1) {
		if (!x->ld && !(x->ld = libdeflate_alloc_decompressor()))
			return -ENOMEM;
		if (!x->zs_ready) {
			if (inflateInit(&x->zs) != Z_OK)
				return -ENOMEM;
			x->zs_ready = true;
		}
	} else if (comp == 3 && !x->zctx && !(x->zctx = ZSTD_createDCtx())) {
		return -ENOMEM;
	}
	return 0;
}

static void bdec_free(struct bdec *x)
{
	if (x->zctx)
		ZSTD_freeDCtx(x->zctx);
	libdeflate_free_decompressor(x->ld);
	if (x->zs_ready)
		inflateEnd(&x->zs);
}

/* With x (bdec_ready for comp).  0, -ENOMEM, -EUCLEAN or -ENOTSUP.  Logs
 * nothing and touches nothing but x, in and out (the decoders may grow
 * their own buffers): the helper thread runs it too. */
static int decompress(struct bdec *x, uint8_t comp, const uint8_t *in, size_t inlen, uint8_t *out,
		      size_t outlen)
{
	if (comp == 1) {
		/* libdeflate first (a whole-extent decoder, about 1.3x zlib's
		 * speed); zlib for a stream it refuses, which the kernel reads as
		 * far as it goes (the rest of the extent zeros). */
		size_t used, made;
		if (libdeflate_zlib_decompress_ex(x->ld, in, inlen, out, outlen, &used, &made) ==
		    LIBDEFLATE_SUCCESS) {
			memset(out + made, 0, outlen - made);
			return 0;
		}
		z_stream *z = &x->zs;
		if (inflateReset(z) != Z_OK)
			return -ENOMEM;
		z->next_in = (uint8_t *)in;
		z->avail_in = (uInt)inlen;
		z->next_out = out;
		z->avail_out = (uInt)outlen;
		int r = inflate(z, Z_FINISH);
		size_t got = outlen - z->avail_out;
		if (r != Z_STREAM_END && r != Z_OK && r != Z_BUF_ERROR)
			return -EUCLEAN;
		memset(out + got, 0, outlen - got);
		return 0;
	}
	if (comp == 3) {
		ZSTD_DCtx_reset(x->zctx, ZSTD_reset_session_only);
		ZSTD_inBuffer ib = { in, inlen, 0 };
		ZSTD_outBuffer ob = { out, outlen, 0 };
		size_t r = ZSTD_decompressStream(x->zctx, &ob, &ib);
		if (ZSTD_isError(r))
			return -EUCLEAN;
		memset(out + ob.pos, 0, outlen - ob.pos);
		return 0;
	}
	return -ENOTSUP;                  /* lzo (2) and anything newer */
}

/* Is e's whole extent in the cache? */
static bool cached(const struct btrfs *b, uint64_t ino, const struct fext *e)
{
	const struct cache_key *c = &b->cache_key;
	return b->cache_len && e->type && c->ino == ino && c->disk == e->disk && c->disk_len == e->disk_len &&
	       c->ram == e->ram && c->comp == e->comp;
}

/* The decompressed bytes of a compressed extent, *len of them (regular
 * extents cached; inline ones are small and decompressed each time).  With
 * dst (room for all e->ram bytes: a read that wants the whole extent), they
 * are decompressed straight into dst, bypassing the cache: one copy less
 * for every extent of a large file. */
static int extent_bytes(struct dl_fs *fs, uint64_t ino, const struct fext *e, uint8_t *dst,
			const uint8_t **out, size_t *len)
{
	struct btrfs *b = fs->priv;
	struct cache_key key = { ino, e->disk, e->disk_len, e->ram, e->comp };
	if (cached(b, ino, e)) {
		*out = b->cache;
		*len = b->cache_len;
		return 0;
	}
	if (e->ram > MAX_RAM || (e->type && e->disk_len > MAX_RAM))
		return -EUCLEAN;
	size_t inlen = e->type ? (size_t)e->disk_len : e->inline_len;
	if (!b->in || inlen > b->in_cap) {
		free(b->in);
		b->in_cap = inlen ? inlen : 1;
		b->in = dl_malloc(b->in_cap);
	}
	uint8_t *in = b->in;
	if (e->type) {
		uint64_t phys;
		int r = map(fs, e->disk, inlen, &phys);
		if (r < 0 || (r = dl_fs_pread_exact(fs, phys, in, inlen)) < 0)
			return r;
	} else {
		memcpy(in, e->inline_data, inlen);
	}
	uint8_t *buf = dst;
	if (!buf) {
		b->cache_len = 0;
		b->cache_key = (struct cache_key){ 0 };
		if (!b->cache || (size_t)e->ram > b->cache_cap) {
			free(b->cache);
			b->cache_cap = e->ram ? (size_t)e->ram : 1;
			b->cache = dl_malloc(b->cache_cap);
		}
		buf = b->cache;
	}
	int r = bdec_ready(&b->dec[0], e->comp);
	if (r == 0)
		r = decompress(&b->dec[0], e->comp, in, inlen, buf, (size_t)e->ram);
	if (r < 0) {
		if (r == -ENOTSUP)
			snprintf(fs->detail, sizeof(fs->detail), "%s-compressed data is not supported",
				 e->comp == 2 ? "lzo" : "unknown");
		return r;
	}
	if (!dst) {
		b->cache_len = (size_t)e->ram;
		b->cache_key = key;
	}
	*out = buf;
	*len = (size_t)e->ram;
	return 0;
}

/* Whole compressed extents of one read, decompressed after the walk (or
 * when the batch is full): half by this thread, half by the helper when
 * there is one.  Their compressed bytes are read by this thread during the
 * walk: a volume read is no job's (the disk layer below has caches, and a
 * qcow2 image runs the helper itself). */
#define JOBS 64
#define JOB_IN (1u << 20)         /* compressed bytes of the pending jobs */
struct bjob {
	const uint8_t *in;
	uint8_t *dst;
	size_t inlen, ram;
	uint8_t comp;
	int rc;
};
struct reader {
	uint64_t ino, size, pos, end;
	uint8_t *buf;
	int err;
	struct bjob jobs[JOBS];
	size_t njobs, in_used;
};

/* The pending jobs of one run, for dl_helper_split. */
struct bsplit {
	struct btrfs *b;
	struct bjob *j;
};

static int prepare_half(void *ctx, unsigned half, size_t from, size_t to)
{
	struct bsplit *s = ctx;
	for (size_t i = from; i < to; i++) {
		int r = bdec_ready(&s->b->dec[half], s->j[i].comp);
		if (r < 0)
			return r;
		s->j[i].rc = 0;
	}
	return 0;
}

static void run_half(void *ctx, unsigned half, size_t from, size_t to)
{
	struct bsplit *s = ctx;
	for (size_t i = from; i < to; i++) {
		struct bjob *j = &s->j[i];
		j->rc = decompress(&s->b->dec[half], j->comp, j->in, j->inlen, j->dst, j->ram);
		if (j->rc < 0)
			break;
	}
}

/* Run the pending jobs: 0, or the first failure in file order. */
static int run_jobs(struct btrfs *b, struct reader *rd)
{
	size_t n = rd->njobs;
	struct bsplit s = { b, rd->jobs };
	rd->njobs = rd->in_used = 0;
	int r = dl_helper_split(n, prepare_half, run_half, &s);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (s.j[i].rc < 0)
			return s.j[i].rc;
	return 0;
}

/* Queue e, a whole zstd or zlib regular extent not in the cache, to be
 * decompressed into dst; its compressed bytes read now.  0 or -errno. */
static int queue_job(struct dl_fs *fs, struct reader *rd, const struct fext *e, uint8_t *dst)
{
	struct btrfs *b = fs->priv;
	if (e->ram > MAX_RAM || e->disk_len > MAX_RAM)
		return -EUCLEAN;
	size_t inlen = (size_t)e->disk_len;
	int r;
	if ((rd->njobs == JOBS || rd->in_used + inlen > JOB_IN) && (r = run_jobs(b, rd)) < 0)
		return r;
	if (!b->jin)
		b->jin = dl_malloc(JOB_IN);
	uint8_t *in = b->jin + rd->in_used;
	uint64_t phys;
	if ((r = map(fs, e->disk, inlen, &phys)) < 0 || (r = dl_fs_pread_exact(fs, phys, in, inlen)) < 0)
		return r;
	rd->jobs[rd->njobs++] = (struct bjob){ in, dst, inlen, (size_t)e->ram, e->comp, 0 };
	rd->in_used += inlen;
	return 0;
}


/* Copy the bytes of one extent item that fall in [pos, end). */
static int read_cb(struct dl_fs *fs, const struct key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct reader *rd_ = ctx;
	struct fext e;
	if (k->objectid != OID(rd_->ino) || k->type != T_EXTENT_DATA)
		return 2;
	int r = parse_fext(k, d, size, &e);
	if (r < 0)
		return r;
	uint64_t ext_end;
	if (ckd_add(&ext_end, e.file_off, e.len))
		return -EUCLEAN;
	if (ext_end <= rd_->pos)
		return 0;
	if (e.file_off >= rd_->end)
		return 2;
	if (e.file_off > rd_->pos) {        /* hole before this extent */
		memset(rd_->buf, 0, (size_t)(e.file_off - rd_->pos));
		rd_->buf += e.file_off - rd_->pos;
		rd_->pos = e.file_off;
	}
	uint64_t in = rd_->pos - e.file_off;
	size_t n = (size_t)DL_MIN(ext_end, rd_->end) - (size_t)rd_->pos;
	if (e.type == 0 || e.comp) {
		/* Every sum on guest numbers checked: in_off near 2^64 must not
		 * wrap to before the buffer. */
		const uint8_t *src;
		size_t have = e.inline_len;
		uint64_t at, stop;
		/* The whole of a regular extent wanted: decompressed in place. */
		bool whole = e.type && e.in_off == 0 && in == 0 && n == e.ram;
		if (whole && (e.comp == 1 || e.comp == 3) && !cached(fs->priv, rd_->ino, &e)) {
			if ((r = queue_job(fs, rd_, &e, rd_->buf)) < 0)
				return r;
			src = rd_->buf;
			have = n;
		} else if (e.type == 0 && !e.comp) {
			src = e.inline_data;
		} else if ((r = extent_bytes(fs, rd_->ino, &e, whole ? rd_->buf : NULL, &src, &have)) < 0) {
			return r;
		}
		if (ckd_add(&at, e.type ? e.in_off : 0, in) || ckd_add(&stop, at, n) || stop > have)
			return -EUCLEAN;
		if (src != rd_->buf)
			memcpy(rd_->buf, src + at, n);
	} else if (e.type == 2 || e.disk == 0) {
		memset(rd_->buf, 0, n);        /* preallocated or sparse */
	} else {
		uint64_t phys, la;
		if (ckd_add(&la, e.disk, e.in_off) || ckd_add(&la, la, in) || (r = map(fs, la, n, &phys)) < 0 ||
		    (r = dl_fs_pread_exact(fs, phys, rd_->buf, n)) < 0)
			return r < 0 ? r : -EUCLEAN;
	}
	rd_->buf += n;
	rd_->pos += n;
	return rd_->pos >= rd_->end ? 2 : 0;
}

/* The walk of read_cb, then its pending jobs, which come before whatever
 * stopped the walk (fs->detail is then not the walk's). */
static int read_walk(struct dl_fs *fs, uint64_t root, int level, const struct key *from, struct reader *rd)
{
	int r = tree_walk(fs, root, level, from, read_cb, rd);
	int jr = run_jobs(fs->priv, rd);
	if (jr < 0) {
		fs->detail[0] = '\0';
		return jr;
	}
	return r;
}

static ssize_t bt_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	struct dl_stat st;
	int r = bt_stat(fs, ino, &st);
	if (r < 0)
		return r;
	if (off >= st.size)
		return 0;
	len = (size_t)DL_MIN((uint64_t)len, st.size - off);
	uint64_t root;
	int level;
	if ((r = tree_of(fs, ino, &root, &level)) < 0)
		return r;
	struct reader rr = { ino, st.size, off, off + len, buf, 0, .njobs = 0 };
	/* Items are keyed by file offset: start from the one covering off. */
	struct key from = { OID(ino), T_EXTENT_DATA, 0 };
	r = read_walk(fs, root, level, &from, &rr);
	if (r < 0)
		return r;
	if (rr.pos < rr.end)
		memset(rr.buf, 0, (size_t)(rr.end - rr.pos));   /* trailing hole */
	return (ssize_t)len;
}

struct mapper {
	uint64_t ino, size, pos;
	dl_fextent_cb cb;
	void *ctx;
};

static int map_cb(struct dl_fs *fs, const struct key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct mapper *m = ctx;
	struct fext e;
	if (k->objectid != OID(m->ino) || k->type != T_EXTENT_DATA || m->pos >= m->size)
		return 2;
	int r = parse_fext(k, d, size, &e);
	if (r == -ENOTSUP) {
		/* An encoding parse_fext refuses (encryption...): the rest of the
		 * file is bytes for bt_read, which fails on this extent naming
		 * the file.  The map ends here without failing, so a stream has
		 * passed on nothing it should not have, and nothing after this
		 * extent (a corrupt item) decides the error instead. */
		r = m->cb(m->ctx, m->pos, DL_ENCODED, m->size - m->pos);
		m->pos = m->size;
		return r < 0 ? r : 2;
	}
	if (r < 0)
		return r;
	if (e.file_off != m->pos) {
		if (e.file_off < m->pos)
			return -EUCLEAN;
		uint64_t gap = DL_MIN(e.file_off, m->size) - m->pos;
		if ((r = m->cb(m->ctx, m->pos, DL_HOLE, gap)) < 0)
			return r;
		m->pos += gap;
		if (m->pos >= m->size)
			return 2;
	}
	uint64_t n = DL_MIN(e.len, m->size - m->pos), phys, la;
	if (e.type == 0 || e.comp) {
		r = m->cb(m->ctx, m->pos, DL_ENCODED, n);   /* inline, compressed */
	} else if (e.type == 2 || e.disk == 0) {
		r = m->cb(m->ctx, m->pos, DL_HOLE, n);
	} else {
		if (ckd_add(&la, e.disk, e.in_off) || map(fs, la, n, &phys) < 0)
			return -EUCLEAN;
		r = m->cb(m->ctx, m->pos, phys, n);
	}
	m->pos += n;
	return r;
}

static int bt_extents(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx)
{
	struct dl_stat st;
	int r = bt_stat(fs, ino, &st);
	if (r < 0)
		return r;
	uint64_t root;
	int level;
	if ((r = tree_of(fs, ino, &root, &level)) < 0)
		return r;
	struct mapper m = { ino, st.size, 0, cb, ctx };
	struct key from = { OID(ino), T_EXTENT_DATA, 0 };
	r = tree_walk(fs, root, level, &from, map_cb, &m);
	if (r < 0)
		return r;
	if (m.pos < m.size)
		return cb(ctx, m.pos, DL_HOLE, m.size - m.pos);
	return 0;
}

static ssize_t bt_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	struct dl_stat st;
	int r = bt_stat(fs, ino, &st);
	if (r < 0)
		return r;
	if (st.type != DL_FT_LNK)
		return -EINVAL;
	if (!st.size || st.size > DL_FS_MAX_LINK)
		return -EUCLEAN;
	if (st.size > bufsz)
		return -ENAMETOOLONG;
	/* A symlink's target is its (inline) file data. */
	uint64_t root;
	int level;
	if ((r = tree_of(fs, ino, &root, &level)) < 0)
		return r;
	struct reader rr = { ino, st.size, 0, st.size, (uint8_t *)buf, 0, .njobs = 0 };
	struct key from = { OID(ino), T_EXTENT_DATA, 0 };
	r = read_walk(fs, root, level, &from, &rr);
	if (r < 0)
		return r;
	return rr.pos == st.size ? (ssize_t)st.size : -EUCLEAN;
}

/* ---- mount ----------------------------------------------------------------- */

static int chunk_cb(struct dl_fs *fs, const struct key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	(void)ctx;
	if (k->type != T_CHUNK_ITEM)
		return 0;
	int r = add_chunk(fs->priv, k->offset, d, size);
	return r == -ENODEV ? 0 : r;
}

static int mount_fail(struct dl_fs *fs, struct dl_error *err, int code, const char *why)
{
	struct btrfs *b = fs->priv;
	if (b) {
		free(b->chunks);
		free(b);
		fs->priv = NULL;
	}
	dl_fail(err, code, "%s: btrfs: %s", fs->vol->name, why);
	return -EUCLEAN;
}

static int bt_mount(struct dl_fs *fs, struct dl_error *err)
{
	uint8_t sb[4096];
	if (dl_fs_pread_exact(fs, SB_OFF, sb, sizeof(sb)) < 0 || memcmp(sb + 64, "_BHRfS_M", 8))
		return DL_NOT_MINE;
	struct btrfs *b = dl_calloc(1, sizeof(*b));
	fs->priv = b;
	b->sectorsize = dl_le32(sb + 144);
	b->nodesize = dl_le32(sb + 148);
	b->root_tree = dl_le64(sb + 80);
	b->root_level = sb[198];
	b->devid = dl_le64(sb + 201);
	uint64_t chunk_root = dl_le64(sb + 88), incompat = dl_le64(sb + 188);
	uint8_t chunk_level = sb[199];
	uint32_t sysarr = dl_le32(sb + 160);
	if (b->nodesize < 4096 || b->nodesize > MAX_NODESIZE || (b->nodesize & (b->nodesize - 1)) ||
	    b->sectorsize < 4096 || b->sectorsize > b->nodesize || (b->sectorsize & (b->sectorsize - 1)))
		return mount_fail(fs, err, DL_EBADIMAGE, "bad node or sector size");
	if (dl_le64(sb + 136) != 1)
		return mount_fail(fs, err, DL_EUNSUPPORTED, "filesystems on several devices are not supported");
	if (incompat & (1ull << 11))      /* RAID56 */
		return mount_fail(fs, err, DL_EUNSUPPORTED, "RAID5/6 is not supported");
	if (sysarr > 2048)
		return mount_fail(fs, err, DL_EBADIMAGE, "bad system chunk array");
	for (uint32_t pos = 0; pos < sysarr;) {
		struct key k;
		if (pos + 17 + 48 > sysarr)
			return mount_fail(fs, err, DL_EBADIMAGE, "bad system chunk array");
		get_key(sb + 811 + pos, &k);
		const uint8_t *c = sb + 811 + pos + 17;
		size_t clen = 48 + (size_t)dl_le16(c + 44) * 32;
		if (k.type != T_CHUNK_ITEM || pos + 17 + clen > sysarr)
			return mount_fail(fs, err, DL_EBADIMAGE, "bad system chunk array");
		int r = add_chunk(b, k.offset, c, clen);
		if (r == -ENOTSUP)
			return mount_fail(fs, err, DL_EUNSUPPORTED, "striped profiles are not supported");
		if (r < 0 && r != -ENODEV)
			return mount_fail(fs, err, DL_EBADIMAGE, "bad system chunk");
		pos += 17 + (uint32_t)clen;
	}
	struct key all = { 0, 0, 0 };
	int r = tree_walk(fs, chunk_root, chunk_level, &all, chunk_cb, NULL);
	if (r == -ENOTSUP)
		return mount_fail(fs, err, DL_EUNSUPPORTED, "striped profiles are not supported");
	if (r < 0)
		return mount_fail(fs, err, DL_EBADIMAGE, "corrupt chunk tree");
	/* The default subvolume: the "default" entry of the root tree's
	 * directory (objectid 6), else the top level (5). */
	uint64_t subvol = FS_TREE;
	struct find_item f = { .want = { 6, T_DIR_ITEM, crc32c(~1u, (const uint8_t *)"default", 7) },
			       .exact = true };
	if (find(fs, b->root_tree, b->root_level, &f) == 0) {
		if (f.size >= 30 && f.data[8] == T_ROOT_ITEM)
			subvol = dl_le64(f.data);
		free(f.data);
	}
	int slot = tree_slot(fs, subvol);
	if (slot < 0)
		return mount_fail(fs, err, DL_EBADIMAGE, "cannot open the default subvolume");
	fs->root = NODE(slot, FIRST_FREE);
	struct dl_stat st;
	if (bt_stat(fs, fs->root, &st) < 0 || st.type != DL_FT_DIR)
		return mount_fail(fs, err, DL_EBADIMAGE, "bad root directory");
	return 0;
}

/* The root directory of subvolume id (0: the top level); -ENOENT when the
 * filesystem has no such subvolume. */
static int bt_subvolume(struct dl_fs *fs, uint64_t id, uint64_t *ino)
{
	struct btrfs *b = fs->priv;
	if (id == 0)
		id = FS_TREE;
	if (id != FS_TREE && (id < FIRST_FREE || id > LAST_FREE))
		return -ENOENT;
	struct find_item f = { .want = { id, T_ROOT_ITEM, 0 } };
	int r = find(fs, b->root_tree, b->root_level, &f);
	if (r < 0)
		return r;
	free(f.data);
	int slot = tree_slot(fs, id);
	if (slot < 0)
		return slot;
	*ino = NODE(slot, FIRST_FREE);
	return 0;
}

/* A subvolume's root directory is inode FIRST_FREE of its tree; no other
 * directory of a tree has that number. */
static bool bt_is_subvolume(struct dl_fs *fs, uint64_t ino)
{
	(void)fs;
	return OID(ino) == FIRST_FREE;
}

static void bt_unmount(struct dl_fs *fs)
{
	struct btrfs *b = fs->priv;
	if (b) {
		free(b->chunks);
		free(b->cache);
		free(b->in);
		free(b->jin);
		bdec_free(&b->dec[0]);
		bdec_free(&b->dec[1]);
		free(b);
	}
	fs->priv = NULL;
}

static const char *const bt_types[] = { "btrfs", NULL };

const struct dl_fs_ops dl_fs_btrfs = {
	.name = "btrfs",
	.types = bt_types,
	.mount = bt_mount,
	.unmount = bt_unmount,
	.lookup = bt_lookup,
	.stat = bt_stat,
	.read = bt_read,
	.readlink = bt_readlink,
	.readdir = bt_readdir,
	.extents = bt_extents,
	.subvolume = bt_subvolume,
	.is_subvolume = bt_is_subvolume,
};
