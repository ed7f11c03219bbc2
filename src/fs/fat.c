/* FAT12/16/32 backend (EFI system partitions holding grub.cfg or BLS
 * entries), read-only, with long names; hand-written because Debian ships
 * no library that reads FAT (mtools and dosfstools are programs).
 * Names match without case, as on Windows and Linux vfat.  Cluster chains are bounded by the cluster count
 * and the file size, so a loop in the FAT ends in -EUCLEAN.
 *
 * Node ids: FAT_ROOT for the root directory, otherwise the byte offset in
 * the volume of the file's short directory entry. */
#include "fs/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define FAT_ROOT 1
#define MAX_DIR_BYTES (8u << 20)
#define END_OF_CHAIN 0x0ffffff8u

struct fat {
	int bits;                 /* 12, 16, 32 */
	uint32_t secsz, clsz;     /* bytes per sector, per cluster */
	uint64_t fat_off;         /* first FAT */
	uint64_t fat_bytes;
	uint64_t root_off;        /* FAT12/16 fixed root directory */
	uint32_t root_bytes;
	uint32_t root_cluster;    /* FAT32 */
	uint64_t data_off;        /* cluster 2 */
	uint32_t nclusters;       /* data clusters; valid numbers are 2..nclusters+1 */
	/* one cached FAT sector */
	uint64_t cache_off;
	uint8_t cache[4096];
	bool cached;
	/* sequential read cursor */
	uint64_t cur_ino;
	uint32_t cur_index, cur_cluster;
};

struct ent {
	uint32_t cluster, size;
	uint8_t attr;
};


static bool valid_cluster(const struct fat *f, uint32_t c)
{
	return c >= 2 && c - 2 < f->nclusters;
}

/* Next cluster in the chain; END_OF_CHAIN at the end; -EUCLEAN if bad. */
static int64_t fat_next(struct dl_fs *fs, uint32_t c)
{
	struct fat *f = fs->priv;
	uint64_t byte = f->bits == 12 ? (uint64_t)c + c / 2 : (uint64_t)c * (unsigned)(f->bits / 8);
	if (byte + (f->bits == 32 ? 4 : 2) > f->fat_bytes)
		return -EUCLEAN;
	uint8_t b[4];
	for (int i = 0; i < (f->bits == 32 ? 4 : 2); i++) {
		uint64_t o = f->fat_off + byte + (uint64_t)i;
		uint64_t so = o - o % f->secsz;
		if (!f->cached || f->cache_off != so) {
			if (dl_fs_pread_exact(fs, so, f->cache, f->secsz) < 0)
				return -EIO;
			f->cache_off = so;
			f->cached = true;
		}
		b[i] = f->cache[o - so];
	}
	uint32_t v;
	if (f->bits == 12) {
		v = dl_le16(b);
		v = (c & 1) ? v >> 4 : v & 0xfff;
		if (v >= 0xff8)
			return END_OF_CHAIN;
	} else if (f->bits == 16) {
		v = dl_le16(b);
		if (v >= 0xfff8)
			return END_OF_CHAIN;
	} else {
		v = dl_le32(b) & 0x0fffffff;
		if (v >= 0x0ffffff8)
			return END_OF_CHAIN;
	}
	return valid_cluster(f, v) ? (int64_t)v : -EUCLEAN;
}

static uint64_t cluster_off(const struct fat *f, uint32_t c)
{
	return f->data_off + (uint64_t)(c - 2) * f->clsz;
}

/* ---- entries ------------------------------------------------------------ */

static int ent_at(struct dl_fs *fs, uint64_t ino, struct ent *e)
{
	struct fat *f = fs->priv;
	if (ino == FAT_ROOT) {
		e->attr = 0x10;
		e->size = 0;
		e->cluster = f->bits == 32 ? f->root_cluster : 0;
		return 0;
	}
	uint8_t d[32];
	int r = dl_fs_pread_exact(fs, ino, d, sizeof(d));
	if (r < 0)
		return r;
	e->attr = d[11];
	e->size = dl_le32(d + 28);
	e->cluster = (f->bits == 32 ? (uint32_t)dl_le16(d + 20) << 16 : 0) | dl_le16(d + 26);
	if (e->cluster && !valid_cluster(f, e->cluster))
		return -EUCLEAN;
	return 0;
}

/* Call fn(off, 32-byte entry, ctx) for each raw entry of a directory. */
typedef int (*raw_fn)(void *ctx, uint64_t off, const uint8_t *d);

static int dir_raw(struct dl_fs *fs, const struct ent *dir, raw_fn fn, void *ctx)
{
	struct fat *f = fs->priv;
	uint8_t buf[512];
	uint64_t total = 0;
	int r;
	if (!(dir->attr & 0x10))
		return -ENOTDIR;
	if (!dir->cluster) {          /* FAT12/16 fixed root */
		if (f->bits == 32)
			return -EUCLEAN;
		for (uint32_t o = 0; o < f->root_bytes; o += sizeof(buf)) {
			if ((r = dl_fs_pread_exact(fs, f->root_off + o, buf, sizeof(buf))) < 0)
				return r;
			for (unsigned i = 0; i < sizeof(buf); i += 32)
				if ((r = fn(ctx, f->root_off + o + i, buf + i)) != 0)
					return r;
		}
		return 0;
	}
	for (int64_t c = dir->cluster; c != END_OF_CHAIN;) {
		if (c < 0)
			return (int)c;
		if ((total += f->clsz) > MAX_DIR_BYTES)
			return -EFBIG;
		uint64_t base = cluster_off(f, (uint32_t)c);
		for (uint32_t o = 0; o < f->clsz; o += sizeof(buf)) {
			if ((r = dl_fs_pread_exact(fs, base + o, buf, sizeof(buf))) < 0)
				return r;
			for (unsigned i = 0; i < sizeof(buf); i += 32)
				if ((r = fn(ctx, base + o + i, buf + i)) != 0)
					return r;
		}
		c = fat_next(fs, (uint32_t)c);
	}
	return 0;
}

/* Assembles long names, then reports each visible entry with its name. */
typedef int (*ent_fn)(void *ctx, const char *name, size_t len, uint64_t off, const uint8_t *d);

struct walk {
	ent_fn fn;
	void *ctx;
	uint16_t lfn[20 * 13];
	int lfn_next;             /* sequence number expected next, 0 none */
	uint8_t lfn_sum;
	int lfn_count;
};

static uint8_t short_sum(const uint8_t *d)
{
	uint8_t s = 0;
	for (int i = 0; i < 11; i++)
		s = (uint8_t)(((s & 1) << 7) + (s >> 1) + d[i]);
	return s;
}

static size_t utf8(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | c >> 12);
	o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[2] = (char)(0x80 | (c & 0x3f));
	return 3;
}

static int walk_raw(void *ctx, uint64_t off, const uint8_t *d)
{
	struct walk *w = ctx;
	char name[DL_FS_MAX_NAME * 3 + 1];
	size_t n = 0;
	if (d[0] == 0)
		return 2;                     /* end of directory */
	if (d[0] == 0xe5) {
		w->lfn_next = 0;
		return 0;
	}
	if ((d[11] & 0x3f) == 0x0f) {         /* long-name piece */
		int seq = d[0] & 0x1f;
		if (seq < 1 || seq > 20) {
			w->lfn_next = 0;
			return 0;
		}
		if (d[0] & 0x40) {
			w->lfn_count = seq;
			w->lfn_sum = d[13];
			memset(w->lfn, 0xff, sizeof(w->lfn));
		} else if (seq != w->lfn_next || d[13] != w->lfn_sum) {
			w->lfn_next = 0;
			return 0;
		}
		static const int pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
		for (int i = 0; i < 13; i++)
			w->lfn[(seq - 1) * 13 + i] = dl_le16(d + pos[i]);
		w->lfn_next = seq - 1;
		return 0;
	}
	if (d[11] & 0x08) {                   /* volume label */
		w->lfn_next = 0;
		return 0;
	}
	if (w->lfn_count && w->lfn_next == 0 && short_sum(d) == w->lfn_sum) {
		for (int i = 0; i < w->lfn_count * 13; i++) {
			uint32_t c = w->lfn[i];
			if (c == 0 || c == 0xffff)
				break;
			if (c >= 0xd800 && c < 0xe000)
				c = '_';               /* lone surrogate halves: not names we need */
			n += utf8(c, name + n);
		}
	}
	w->lfn_count = 0;
	w->lfn_next = 0;
	if (!n) {                             /* 8.3 name with the NT case bits */
		int base = 8, ext = 3;
		while (base && d[base - 1] == ' ')
			base--;
		while (ext && d[8 + ext - 1] == ' ')
			ext--;
		for (int i = 0; i < base; i++) {
			uint8_t c = (i == 0 && d[0] == 0x05) ? 0xe5 : d[i];
			name[n++] = (char)((d[12] & 0x08) && c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		if (ext)
			name[n++] = '.';
		for (int i = 0; i < ext; i++) {
			uint8_t c = d[8 + i];
			name[n++] = (char)((d[12] & 0x10) && c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
	}
	if ((n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (n == 0 || n > DL_FS_MAX_NAME)
		return 0;
	return w->fn(w->ctx, name, n, off, d);
}

static int dir_walk(struct dl_fs *fs, uint64_t dir, ent_fn fn, void *ctx)
{
	struct ent e;
	struct walk w = { .fn = fn, .ctx = ctx };
	int r = ent_at(fs, dir, &e);
	if (r < 0)
		return r;
	r = dir_raw(fs, &e, walk_raw, &w);
	return r == 2 ? 0 : r;
}

static bool name_eq(const char *a, size_t al, const char *b, size_t bl)
{
	if (al != bl)
		return false;
	for (size_t i = 0; i < al; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

struct find {
	const char *name;
	size_t len;
	uint64_t ino;
};

static int find_cb(void *ctx, const char *name, size_t len, uint64_t off, const uint8_t *d)
{
	struct find *f = ctx;
	(void)d;
	if (!name_eq(name, len, f->name, f->len))
		return 0;
	f->ino = off;
	return 1;
}

static int fat_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct find f = { name, len, 0 };
	int r = dir_walk(fs, dir, find_cb, &f);
	if (r < 0)
		return r;
	if (r != 1)
		return -ENOENT;
	*ino = f.ino;
	return 0;
}

struct list {
	dl_dirent_cb cb;
	void *ctx;
};

static int list_cb(void *ctx, const char *name, size_t len, uint64_t off, const uint8_t *d)
{
	struct list *l = ctx;
	return l->cb(l->ctx, name, len, off, (d[11] & 0x10) ? DL_FT_DIR : DL_FT_REG);
}

static int fat_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	struct list l = { cb, ctx };
	return dir_walk(fs, dir, list_cb, &l);
}

static int fat_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	struct ent e;
	int r = ent_at(fs, ino, &e);
	if (r < 0)
		return r;
	st->ino = ino;
	st->type = (e.attr & 0x10) ? DL_FT_DIR : DL_FT_REG;
	st->size = (e.attr & 0x10) ? 0 : e.size;
	st->mode = 0;
	return 0;
}

/* Cluster number index (0-based) of file ino, using the sequential cursor. */
static int64_t seek_cluster(struct dl_fs *fs, uint64_t ino, const struct ent *e, uint32_t index)
{
	struct fat *f = fs->priv;
	uint32_t i = 0;
	int64_t c = e->cluster;
	if (f->cur_ino == ino && f->cur_cluster && f->cur_index <= index) {
		i = f->cur_index;
		c = f->cur_cluster;
	}
	for (; i < index; i++) {
		c = fat_next(fs, (uint32_t)c);
		if (c < 0 || c == END_OF_CHAIN)
			return -EUCLEAN;   /* chain shorter than the size */
	}
	f->cur_ino = ino;
	f->cur_index = index;
	f->cur_cluster = (uint32_t)c;
	return c;
}

static ssize_t fat_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	struct fat *f = fs->priv;
	struct ent e;
	int r = ent_at(fs, ino, &e);
	if (r < 0)
		return r;
	if (e.attr & 0x10)
		return -EISDIR;
	if (off >= e.size)
		return 0;
	len = (size_t)DL_MIN((uint64_t)len, e.size - off);
	if (!e.cluster)
		return -EUCLEAN;
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		int64_t c = seek_cluster(fs, ino, &e, (uint32_t)(pos / f->clsz));
		if (c < 0)
			return (ssize_t)c;
		uint32_t in = (uint32_t)(pos % f->clsz);
		size_t n = DL_MIN(len - done, (size_t)(f->clsz - in));
		if ((r = dl_fs_pread_exact(fs, cluster_off(f, (uint32_t)c) + in, (char *)buf + done, n)) < 0)
			return r;
		done += n;
	}
	return (ssize_t)done;
}

static int fat_extents(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx)
{
	struct fat *f = fs->priv;
	struct ent e;
	int r = ent_at(fs, ino, &e);
	if (r < 0)
		return r;
	if (e.attr & 0x10)
		return -EISDIR;
	if (!e.size)
		return 0;
	if (!e.cluster)
		return -EUCLEAN;
	uint64_t done = 0, run_file = 0, run_vol = 0, run_len = 0;
	int64_t c = e.cluster;
	while (done < e.size) {
		if (c < 0 || c == END_OF_CHAIN)
			return -EUCLEAN;
		uint64_t n = DL_MIN((uint64_t)f->clsz, e.size - done);
		uint64_t vo = cluster_off(f, (uint32_t)c);
		if (run_len && run_vol + run_len == vo) {
			run_len += n;
		} else {
			if (run_len && (r = cb(ctx, run_file, run_vol, run_len)) < 0)
				return r;
			run_file = done;
			run_vol = vo;
			run_len = n;
		}
		done += n;
		if (done < e.size)
			c = fat_next(fs, (uint32_t)c);
	}
	return cb(ctx, run_file, run_vol, run_len);
}

static ssize_t fat_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	(void)fs, (void)ino, (void)buf, (void)bufsz;
	return -EINVAL;
}

static int fat_mount(struct dl_fs *fs, struct dl_error *err)
{
	uint8_t b[512];
	if (dl_fs_pread_exact(fs, 0, b, sizeof(b)) < 0 || b[510] != 0x55 || b[511] != 0xaa)
		return DL_NOT_MINE;
	uint32_t secsz = dl_le16(b + 11), spc = b[13], reserved = dl_le16(b + 14), nfats = b[16];
	uint32_t root_ents = dl_le16(b + 17), total = dl_le16(b + 19), fatsz = dl_le16(b + 22);
	if (!total)
		total = dl_le32(b + 32);
	if (!fatsz)
		fatsz = dl_le32(b + 36);
	if ((secsz != 512 && secsz != 1024 && secsz != 2048 && secsz != 4096) || !spc ||
	    (spc & (spc - 1)) || spc > 128 || !reserved || !nfats || nfats > 4 || !fatsz || !total ||
	    (b[0] != 0xeb && b[0] != 0xe9))
		return DL_NOT_MINE;
	uint64_t root_bytes = (uint64_t)root_ents * 32, root_secs = (root_bytes + secsz - 1) / secsz;
	uint64_t meta = reserved + (uint64_t)nfats * fatsz + root_secs;
	/* The metadata must be inside the volume; clusters past a truncated
	 * end fail when read. */
	if (meta >= total || meta * secsz > fs->vol->size)
		return dl_fail(err, DL_EBADIMAGE, "%s: FAT geometry does not fit the volume", fs->vol->name),
		       -EUCLEAN;
	struct fat *f = dl_calloc(1, sizeof(*f));
	f->secsz = secsz;
	f->clsz = secsz * spc;
	f->nclusters = (uint32_t)((total - meta) / spc);
	/* As Linux: a zero 16-bit FAT size means FAT32; else the cluster count. */
	f->bits = !dl_le16(b + 22) ? 32 : f->nclusters < 4085 ? 12 : 16;
	f->fat_off = (uint64_t)reserved * secsz;
	f->fat_bytes = (uint64_t)fatsz * secsz;
	f->root_off = f->fat_off + (uint64_t)nfats * f->fat_bytes;
	f->root_bytes = (uint32_t)root_bytes;
	f->data_off = f->root_off + root_secs * secsz;
	if (f->bits == 32) {
		f->root_cluster = dl_le32(b + 44);
		if (root_ents || !valid_cluster(f, f->root_cluster)) {
			free(f);
			return dl_fail(err, DL_EBADIMAGE, "%s: bad FAT32 root directory", fs->vol->name),
			       -EUCLEAN;
		}
	} else if (!root_ents) {
		free(f);
		return dl_fail(err, DL_EBADIMAGE, "%s: FAT without a root directory", fs->vol->name), -EUCLEAN;
	}
	/* The FAT must hold an entry for every cluster. */
	if ((uint64_t)(f->nclusters + 2) * (unsigned)f->bits / 8 > f->fat_bytes) {
		free(f);
		return dl_fail(err, DL_EBADIMAGE, "%s: FAT too small for its clusters", fs->vol->name), -EUCLEAN;
	}
	fs->priv = f;
	fs->root = FAT_ROOT;
	return 0;
}

static void fat_unmount(struct dl_fs *fs)
{
	free(fs->priv);
	fs->priv = NULL;
}

static const char *const fat_types[] = { "vfat", "msdos", NULL };

const struct dl_fs_ops dl_fs_fat = {
	.name = "vfat",
	.types = fat_types,
	.mount = fat_mount,
	.unmount = fat_unmount,
	.lookup = fat_lookup,
	.stat = fat_stat,
	.read = fat_read,
	.readlink = fat_readlink,
	.readdir = fat_readdir,
	.extents = fat_extents,
};
