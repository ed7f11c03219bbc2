/* qcow2 images (versions 2 and 3), read-only.
 *
 * Hand-written because qemu's block layer is no library and the one qcow2
 * library Debian ships (libyal's libqcow, experimental) does its own file
 * I/O, while the sandboxed parser has only its inherited descriptors and
 * every table entry must be checked before use.
 *
 * Only opened when the format is stated; the format is never guessed from the
 * image's bytes.  Refcounts, snapshots and the dirty bit are ignored (we only
 * read).  L1/L2 entries are validated as they are used: offsets must be
 * cluster aligned, reserved bits clear and the cluster inside the file.  A
 * backing file is a host path chosen by whoever wrote the image, so it is
 * refused unless the caller allows it (CVE-2008-2004 class). */
#include "part/part_int.h"
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <libgen.h>
#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

#define QCOW2_MAGIC 0x514649fbu
#define QCOW2_OFFSET_MASK 0x00fffffffffffe00ull
#define QCOW2_COMPRESSED (1ull << 62)
#define QCOW2_COPIED (1ull << 63)
#define QCOW2_L2_RESERVED 0x3f000000000001feull
#define QCOW2_L1_RESERVED 0x7f000000000001ffull
#define L2_CACHE 16

enum { INCOMPAT_DIRTY = 1, INCOMPAT_CORRUPT = 2, INCOMPAT_DATA_FILE = 4,
       INCOMPAT_COMPRESSION = 8, INCOMPAT_EXTL2 = 16 };

struct l2_slot {
	uint64_t off;     /* host offset of the table, 0 if empty */
	uint64_t used;
	uint64_t *tbl;
};

/* What decompressing a cluster needs: the main thread's, and the helper
 * thread's (src/helper.h) for the other half of a large read. */
struct qdec {
	uint8_t *cbuf;          /* compressed bytes (cluster_size + 512) */
	struct libdeflate_decompressor *ld;
	ZSTD_DCtx *zctx;
	z_stream zs;            /* zlib state, reset per cluster (zs_ready once set up) */
	bool zs_ready;
};

struct qcow2 {
	unsigned cluster_bits;
	uint64_t cluster_size;
	unsigned l2_bits;
	uint64_t l1_size;
	uint64_t *l1;
	int compression;        /* 0 zlib, 1 zstd */
	struct dl_disk *backing;
	struct l2_slot l2[L2_CACHE];
	uint64_t tick;
	struct qdec dec[2];
	uint8_t *dbuf;          /* last decompressed cluster */
	uint64_t dbuf_host;     /* its L2 entry, 0 if none */
	bool warned;
};

static int qfail(struct dl_disk *d, struct dl_error *err, const char *fmt, const char *a)
{
	return dl_fail(err, DL_EBADIMAGE, "%s: qcow2: %s%s", dl_disk_name(d), fmt, a ? a : "");
}

struct dl_disk *dl_qcow2_backing(const struct dl_disk *d)
{
	const struct qcow2 *q = d->format == DL_FMT_QCOW2 ? d->fmt : NULL;
	return q ? q->backing : NULL;
}

void dl_qcow2_free(struct dl_disk *d)
{
	struct qcow2 *q = d->fmt;
	if (!q)
		return;
	for (int i = 0; i < L2_CACHE; i++)
		free(q->l2[i].tbl);
	free(q->l1);
	free(q->dbuf);
	for (int i = 0; i < 2; i++) {
		struct qdec *x = &q->dec[i];
		free(x->cbuf);
		if (x->zctx)
			ZSTD_freeDCtx(x->zctx);
		libdeflate_free_decompressor(x->ld);
		if (x->zs_ready)
			inflateEnd(&x->zs);
	}
	dl_disk_free(q->backing);
	free(q);
	d->fmt = NULL;
}

static int file_read_exact(struct dl_disk *d, void *buf, size_t len, uint64_t off)
{
	ssize_t r = dl_disk_file_pread(d, buf, len, off);
	if (r < 0)
		return -1;
	if ((size_t)r != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Whether path p (resolved) lies under directory dir (resolved). */
static bool path_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(p, dir, n) && (p[n] == '/' || (n && dir[n - 1] == '/'));
}

/* Where the backing file the image names may be read from: a relative name
 * without ".." resolved in the image's directory and staying there after
 * symlinks, or anything under the directory the user named
 * (--allow-backing-file=DIR).  *path: the resolved path. */
static int backing_path(struct dl_disk *d, const char *name, const struct dl_disk_opts *o, char **path,
			struct dl_error *err)
{
	for (const char *c = name; c; c = strchr(c, '/')) {
		c += *c == '/';
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
			return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 backing file %s: refused: \"..\" in the name",
				       dl_disk_name(d), name);
	}
	if (name[0] == '/' && !o->backing_dir)
		return dl_fail(err, DL_EUNSUPPORTED,
			       "%s: qcow2 backing file %s: refused: an absolute name (allow a directory with "
			       "--allow-backing-file=DIR)", dl_disk_name(d), name);
	_cleanup_free_ char *dir = dl_strdup(d->path);
	_cleanup_free_ char *imgdir = realpath(dirname(dir), NULL);
	_cleanup_free_ char *joined = name[0] == '/' || !imgdir ? dl_strdup(name) : dl_asprintf("%s/%s", imgdir, name);
	_cleanup_free_ char *real = realpath(joined, NULL);
	if (!real)
		return dl_fail(err, DL_EIO, "%s: backing file %s: %s", dl_disk_name(d), joined, strerror(errno));
	_cleanup_free_ char *udir = o->backing_dir ? realpath(o->backing_dir, NULL) : NULL;
	if (!(name[0] != '/' && imgdir && path_under(real, imgdir)) && !(udir && path_under(real, udir)))
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 backing file %s: refused: it resolves to %s, outside %s%s%s",
			       dl_disk_name(d), name, real, imgdir ? imgdir : "the image's directory",
			       udir ? " and " : "", udir ? udir : "");
	*path = real;
	real = NULL;
	return 0;
}

static int open_backing(struct dl_disk *d, const char *name, const char *fmt,
			const struct dl_disk_opts *o, bool by_path, int depth, struct dl_error *err)
{
	struct qcow2 *q = d->fmt;
	enum dl_disk_format bf;

	if (!fmt)
		return dl_fail(err, DL_EUNSUPPORTED,
			       "%s: qcow2 backing file %s has no stated format (the format is never guessed)",
			       dl_disk_name(d), name);
	if (!strcmp(fmt, "raw"))
		bf = DL_FMT_RAW;
	else if (!strcmp(fmt, "qcow2"))
		bf = DL_FMT_QCOW2;
	else
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 backing file %s has unsupported format %s",
			       dl_disk_name(d), name, fmt);
	if (!by_path || d->mem || !d->path)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 backing file %s cannot be opened from a descriptor",
			       dl_disk_name(d), name);
	if (depth + 1 >= DL_QCOW2_MAX_BACKING)
		return dl_fail(err, DL_ELIMIT, "%s: qcow2 backing chain deeper than %d", dl_disk_name(d),
			       DL_QCOW2_MAX_BACKING);
	_cleanup_free_ char *path = NULL;
	int r = backing_path(d, name, o, &path, err);
	if (r < 0)
		return r;
	int fd = dl_disk_open_path(path, false, err);
	if (fd < 0)
		return fd;
	struct dl_disk_opts bo = *o;
	bo.format = DL_FMT_RAW;
	bo.vdev = NULL;
	struct dl_disk *b;
	if (dl_disk_from_fd_opts(&b, fd, path, &bo, err) < 0) {
		close(fd);
		return -1;
	}
	if (bf == DL_FMT_QCOW2 && dl_qcow2_open(b, o, true, depth + 1, err) < 0) {
		dl_disk_free(b);
		return -1;
	}
	q->backing = b;
	return 0;
}

/* The header fields domuloader uses (big-endian on disk). */
struct header {
	uint32_t version, cluster_bits, crypt, l1_size, bf_size, hlen;
	uint64_t bf_off, vsize, l1_off, incompat;
	int compression;          /* 0 zlib, 1 zstd */
};

/* Read and check the header: version, features, cluster size. */
static int read_header(struct dl_disk *d, struct header *hd, struct dl_error *err)
{
	uint8_t h[112] = { 0 };
	ssize_t r = dl_disk_file_pread(d, h, sizeof(h), 0);
	if (r < 0)
		return dl_fail(err, DL_EIO, "%s: %s", dl_disk_name(d), strerror(errno));
	if (r < 72 || dl_be32(h) != QCOW2_MAGIC)
		return dl_fail(err, DL_EBADIMAGE, "%s: not a qcow2 image (format qcow2 was given)", dl_disk_name(d));
	*hd = (struct header){
		.version = dl_be32(h + 4), .bf_off = dl_be64(h + 8), .bf_size = dl_be32(h + 16),
		.cluster_bits = dl_be32(h + 20), .vsize = dl_be64(h + 24), .crypt = dl_be32(h + 32),
		.l1_size = dl_be32(h + 36), .l1_off = dl_be64(h + 40), .hlen = 72,
	};
	if (hd->version != 2 && hd->version != 3) {
		char v[16];
		snprintf(v, sizeof(v), "%u", hd->version);
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 version %s is not supported", dl_disk_name(d), v);
	}
	if (hd->version == 3) {
		if (r < 104)
			return qfail(d, err, "truncated header", NULL);
		hd->incompat = dl_be64(h + 72);
		hd->hlen = dl_be32(h + 100);
		if (hd->hlen < 104 || hd->hlen % 8 || hd->hlen > 4096)
			return qfail(d, err, "bad header length", NULL);
		if (hd->incompat & INCOMPAT_COMPRESSION) {
			if (hd->hlen < 105 || r < 105)
				return qfail(d, err, "compression type missing from header", NULL);
			hd->compression = h[104];
		}
	}
	if (hd->cluster_bits < 9 || hd->cluster_bits > 21)
		return qfail(d, err, "cluster size out of range", NULL);
	if (hd->crypt)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: encrypted qcow2 images are not supported", dl_disk_name(d));
	if (hd->incompat & INCOMPAT_CORRUPT)
		return dl_fail(err, DL_EBADIMAGE, "%s: qcow2 image is marked corrupt", dl_disk_name(d));
	if (hd->incompat & INCOMPAT_DATA_FILE)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 images with an external data file are not supported",
			       dl_disk_name(d));
	if (hd->incompat & INCOMPAT_EXTL2)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 extended L2 entries are not supported", dl_disk_name(d));
	if (hd->incompat & ~(uint64_t)(INCOMPAT_DIRTY | INCOMPAT_COMPRESSION))
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 image uses unknown incompatible features",
			       dl_disk_name(d));
	if (hd->compression != 0 && hd->compression != 1)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: qcow2 compression type %d is not supported",
			       dl_disk_name(d), hd->compression);
	return 0;
}

/* The L1 table covers the virtual size, is capped and lies in the image. */
static int check_l1(struct dl_disk *d, const struct header *hd, struct dl_error *err)
{
	unsigned cbits = hd->cluster_bits, shift = cbits + cbits - 3;
	/* L1 entries needed to cover vsize: ceil(vsize / (csize << l2_bits)). */
	uint64_t need = (hd->vsize >> shift) + ((hd->vsize & ((1ull << shift) - 1)) != 0);
	uint64_t l1_end;
	if (hd->vsize > (1ull << 56))
		return qfail(d, err, "virtual size too large", NULL);
	if (hd->l1_size < need)
		return qfail(d, err, "L1 table too small for the virtual size", NULL);
	if ((uint64_t)hd->l1_size * 8 > DL_QCOW2_MAX_L1)
		return dl_fail(err, DL_ELIMIT, "%s: qcow2 L1 table larger than %u bytes", dl_disk_name(d),
			       DL_QCOW2_MAX_L1);
	if (hd->l1_size && (hd->l1_off % (1ull << cbits) ||
			    ckd_add(&l1_end, hd->l1_off, (uint64_t)hd->l1_size * 8) || l1_end > d->file_size))
		return qfail(d, err, "L1 table lies outside the image", NULL);
	return 0;
}

/* Header extensions: only the backing file format matters (*fmt, or NULL). */
static int backing_format(struct dl_disk *d, const struct header *hd, char **fmt,
			  struct dl_error *err)
{
	uint64_t pos = hd->hlen, ext_end = DL_MIN(1ull << hd->cluster_bits, d->file_size);
	for (int n = 0; n < 64 && pos + 8 <= ext_end; n++) {
		uint8_t eh[8];
		if (file_read_exact(d, eh, 8, pos) < 0)
			break;
		uint32_t type = dl_be32(eh), len = dl_be32(eh + 4);
		if (type == 0)
			break;
		uint64_t data = pos + 8;
		if (len > ext_end - data)
			return qfail(d, err, "header extension runs past the first cluster", NULL);
		if (type == 0xe2792acau && len > 0 && len < 64) {
			char f[64] = { 0 };
			if (file_read_exact(d, f, len, data) < 0)
				return qfail(d, err, "cannot read the backing format", NULL);
			free(*fmt);
			*fmt = dl_strndup(f, strnlen(f, len));
		}
		pos = data + ((len + 7ull) & ~7ull);
	}
	return 0;
}

/* The backing file the header names, refused unless allowed. */
static int backing_file(struct dl_disk *d, const struct header *hd, const struct dl_disk_opts *o,
			bool by_path, int depth, struct dl_error *err)
{
	_cleanup_free_ char *bfmt = NULL;
	int r = backing_format(d, hd, &bfmt, err);
	if (r < 0 || !hd->bf_off)
		return r;
	char name[1024];
	uint64_t bend;
	if (hd->bf_size == 0 || hd->bf_size > 1023 || ckd_add(&bend, hd->bf_off, hd->bf_size) ||
	    bend > d->file_size || file_read_exact(d, name, hd->bf_size, hd->bf_off) < 0)
		return qfail(d, err, "bad backing file name", NULL);
	name[hd->bf_size] = '\0';
	for (uint32_t i = 0; i < hd->bf_size; i++)
		if (!name[i] || name[i] == '\n')
			return qfail(d, err, "bad backing file name", NULL);
	if (!o->allow_backing)
		return dl_fail(err, DL_EUNSUPPORTED,
			       "%s: qcow2 image has a backing file (%s); refused: the image names a host file "
			       "(allow it with --allow-backing-file)", dl_disk_name(d), name);
	return open_backing(d, name, bfmt, o, by_path, depth, err);
}

int dl_qcow2_open(struct dl_disk *d, const struct dl_disk_opts *o, bool by_path, int depth,
		  struct dl_error *err)
{
	struct header hd;
	int r = read_header(d, &hd, err);
	if (r < 0 || (r = check_l1(d, &hd, err)) < 0)
		return r;
	uint64_t csize = 1ull << hd.cluster_bits;
	struct qcow2 *q = dl_calloc(1, sizeof(*q));
	d->fmt = q;   /* freed with d from here on */
	d->format = DL_FMT_QCOW2;
	q->cluster_bits = hd.cluster_bits;
	q->cluster_size = csize;
	q->l2_bits = hd.cluster_bits - 3;
	q->l1_size = hd.l1_size;
	q->compression = hd.compression;
	q->l1 = dl_calloc(hd.l1_size ? hd.l1_size : 1, 8);
	if (hd.l1_size && file_read_exact(d, q->l1, (size_t)hd.l1_size * 8, hd.l1_off) < 0)
		return dl_fail(err, DL_EIO, "%s: cannot read the qcow2 L1 table: %s", dl_disk_name(d),
			       strerror(errno));
	for (uint64_t i = 0; i < hd.l1_size; i++)
		q->l1[i] = dl_be64((const uint8_t *)&q->l1[i]);
	r = backing_file(d, &hd, o, by_path, depth, err);
	if (r < 0)
		return r;
	q->dbuf = dl_malloc(csize);
	d->size = hd.vsize;
	return 0;
}

static void corrupt(struct dl_disk *d, const char *what, uint64_t voff)
{
	struct qcow2 *q = d->fmt;
	if (!q->warned)
		dl_warn("%s: qcow2: %s (virtual offset %llu)", dl_disk_name(d), what, (unsigned long long)voff);
	q->warned = true;
	errno = EIO;
}

static const uint64_t *get_l2(struct dl_disk *d, uint64_t l2_off, uint64_t voff)
{
	struct qcow2 *q = d->fmt;
	struct l2_slot *victim = &q->l2[0];
	for (int i = 0; i < L2_CACHE; i++) {
		if (q->l2[i].off == l2_off && q->l2[i].tbl) {
			q->l2[i].used = ++q->tick;
			return q->l2[i].tbl;
		}
		if (q->l2[i].used < victim->used)
			victim = &q->l2[i];
	}
	uint64_t end;
	if (ckd_add(&end, l2_off, q->cluster_size) || end > d->file_size) {
		corrupt(d, "L2 table lies outside the image", voff);
		return NULL;
	}
	if (!victim->tbl)
		victim->tbl = dl_malloc(q->cluster_size);
	victim->off = 0;
	if (file_read_exact(d, victim->tbl, q->cluster_size, l2_off) < 0) {
		corrupt(d, "cannot read an L2 table", voff);
		return NULL;
	}
	uint64_t n = q->cluster_size / 8;
	for (uint64_t i = 0; i < n; i++)
		victim->tbl[i] = dl_be64((const uint8_t *)&victim->tbl[i]);
	victim->off = l2_off;
	victim->used = ++q->tick;
	return victim->tbl;
}

/* x's buffers and decoders, made before x is used (by the caller's thread:
 * the helper's allocations would start a malloc arena of their own).
 * 0 or -ENOMEM. */
static int qdec_ready(struct qcow2 *q, struct qdec *x)
{
	if (!x->cbuf)
		x->cbuf = dl_malloc(q->cluster_size + 512);
	if (q->compression == 0) {
		if (!x->ld && !(x->ld = libdeflate_alloc_decompressor()))
			return -ENOMEM;
		if (!x->zs_ready) {
			if (inflateInit2(&x->zs, -12) != Z_OK)
				return -ENOMEM;
			x->zs_ready = true;
		}
	} else if (!x->zctx && !(x->zctx = ZSTD_createDCtx())) {
		return -ENOMEM;
	}
	return 0;
}

/* Inflate one raw-deflate cluster of clen bytes (sector padding after the
 * stream allowed) into out: libdeflate (a whole-buffer decoder, about 1.3x
 * zlib's speed), and zlib for what it refuses, since qemu also accepts a
 * stream that fills the cluster without ending there.  0, -ENOMEM, or
 * -EUCLEAN for a bad stream. */
static int inflate_cluster(const struct qcow2 *q, struct qdec *x, size_t clen, uint8_t *out)
{
	size_t in_used, out_len;
	if (libdeflate_deflate_decompress_ex(x->ld, x->cbuf, clen, out, (size_t)q->cluster_size,
					     &in_used, &out_len) == LIBDEFLATE_SUCCESS)
		return out_len == q->cluster_size ? 0 : -EUCLEAN;
	z_stream *zs = &x->zs;
	if (inflateReset(zs) != Z_OK)
		return -ENOMEM;
	zs->next_in = x->cbuf;
	zs->avail_in = (uInt)clen;
	zs->next_out = out;
	zs->avail_out = (uInt)q->cluster_size;
	int zr = inflate(zs, Z_FINISH);
	return (zr == Z_STREAM_END || zr == Z_BUF_ERROR) && zs->avail_out == 0 ? 0 : -EUCLEAN;
}

/* The compressed cluster of L2 entry into out (cluster_size bytes) with x
 * (qdec_ready): 0, or -1 with *why saying what is corrupt (for corrupt())
 * or NULL and errno set.  Logs nothing: the helper thread runs it too. */
static int unpack(struct dl_disk *d, struct qdec *x, uint64_t entry, uint8_t *out, const char **why)
{
	const struct qcow2 *q = d->fmt;
	unsigned b = 62 - (q->cluster_bits - 8);
	uint64_t coff = entry & ((1ull << b) - 1);
	uint64_t nsec = ((entry >> b) & ((1ull << (q->cluster_bits - 8)) - 1)) + 1;
	uint64_t clen = nsec * 512 - (coff & 511);
	*why = NULL;
	if (coff >= d->file_size) {
		*why = "compressed cluster lies outside the image";
		return -1;
	}
	clen = DL_MIN(clen, d->file_size - coff);
	clen = DL_MIN(clen, q->cluster_size + 512);
	if (file_read_exact(d, x->cbuf, (size_t)clen, coff) < 0) {
		*why = "cannot read a compressed cluster";
		return -1;
	}
	if (q->compression == 0) {
		int r = inflate_cluster(q, x, (size_t)clen, out);
		if (r == -ENOMEM)
			errno = ENOMEM;
		else if (r < 0)
			*why = "bad zlib-compressed cluster";
		return r < 0 ? -1 : 0;
	}
	ZSTD_DCtx_reset(x->zctx, ZSTD_reset_session_only);
	ZSTD_inBuffer in = { x->cbuf, (size_t)clen, 0 };
	ZSTD_outBuffer ob = { out, (size_t)q->cluster_size, 0 };
	while (ob.pos < ob.size) {
		size_t zr = ZSTD_decompressStream(x->zctx, &ob, &in);
		if (ZSTD_isError(zr) || (in.pos == in.size && ob.pos < ob.size) || zr == 0)
			break;
	}
	if (ob.pos != ob.size) {
		*why = "bad zstd-compressed cluster";
		return -1;
	}
	return 0;
}

/* The compressed cluster of L2 entry into out, in this thread: q->dbuf,
 * which then caches it, or the caller's buffer when a read covers the whole
 * cluster (one copy less for every cluster of a large file). */
static int decompress(struct dl_disk *d, uint64_t entry, uint64_t voff, uint8_t *out)
{
	struct qcow2 *q = d->fmt;
	if (out == q->dbuf && q->dbuf_host == entry)
		return 0;
	if (out == q->dbuf)
		q->dbuf_host = 0;
	const char *why;
	if (qdec_ready(q, &q->dec[0]) < 0) {
		errno = ENOMEM;
		return -1;
	}
	if (unpack(d, &q->dec[0], entry, out, &why) < 0) {
		if (why)
			corrupt(d, why, voff);
		return -1;
	}
	if (out == q->dbuf)
		q->dbuf_host = entry;
	return 0;
}

/* Whole compressed clusters of one read, decompressed after the others:
 * half by this thread, half by the helper when there is one. */
#define QJOBS 64
struct qjob {
	uint64_t entry, pos;
	uint8_t *dst;
	const char *why;
	int rc, err;
};
/* The jobs of one run, for dl_helper_split. */
struct qsplit {
	struct dl_disk *d;
	struct qjob *j;
};

static int prepare_half(void *ctx, unsigned half, size_t from, size_t to)
{
	struct qsplit *s = ctx;
	struct qcow2 *q = s->d->fmt;
	for (size_t i = from; i < to; i++)
		s->j[i].rc = 0;
	return qdec_ready(q, &q->dec[half]);
}

static void run_half(void *ctx, unsigned half, size_t from, size_t to)
{
	struct qsplit *s = ctx;
	struct qcow2 *q = s->d->fmt;
	for (size_t i = from; i < to; i++) {
		struct qjob *j = &s->j[i];
		j->rc = unpack(s->d, &q->dec[half], j->entry, j->dst, &j->why);
		j->err = errno;
		if (j->rc < 0)
			break;
	}
}

/* 0, or -1 with the first failure in the read's order reported. */
static int run_jobs(struct dl_disk *d, struct qjob *j, size_t n)
{
	struct qsplit s = { d, j };
	if (dl_helper_split(n, prepare_half, run_half, &s) < 0) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (j[i].rc == 0)
			continue;
		if (j[i].why)
			corrupt(d, j[i].why, j[i].pos);
		else
			errno = j[i].err;
		return -1;
	}
	return 0;
}

/* The L2 entry of the cluster holding virtual byte pos (0: unallocated);
 * -1 with errno on a corrupt table. */
static int cluster_entry(struct dl_disk *d, uint64_t pos, uint64_t *entry)
{
	struct qcow2 *q = d->fmt;
	uint64_t vcl = pos >> q->cluster_bits;
	uint64_t l1i = vcl >> q->l2_bits;
	*entry = 0;
	if (l1i >= q->l1_size)
		return 0;
	uint64_t l1e = q->l1[l1i];
	if (l1e & QCOW2_L1_RESERVED) {
		corrupt(d, "reserved bits set in an L1 entry", pos);
		return -1;
	}
	uint64_t l2_off = l1e & QCOW2_OFFSET_MASK;
	if (!l2_off)
		return 0;
	if (l2_off & (q->cluster_size - 1)) {
		corrupt(d, "unaligned L2 table", pos);
		return -1;
	}
	const uint64_t *l2 = get_l2(d, l2_off, pos);
	if (!l2)
		return -1;
	*entry = l2[vcl & ((1ull << q->l2_bits) - 1)];
	if (!(*entry & QCOW2_COMPRESSED) && (*entry & QCOW2_L2_RESERVED)) {
		corrupt(d, "reserved bits set in an L2 entry", pos);
		return -1;
	}
	return 0;
}

/* The host offset of a data cluster's entry, checked: aligned, and bytes
 * [in, in + n) of the cluster inside the file.  0 when entry is no plain
 * data cluster (compressed, zero, unallocated); -1 with errno when it lies
 * outside the image. */
static int64_t data_cluster(struct dl_disk *d, uint64_t entry, uint64_t pos, uint64_t in, uint64_t n)
{
	struct qcow2 *q = d->fmt;
	if ((entry & QCOW2_COMPRESSED) || (entry & 1) || !(entry & QCOW2_OFFSET_MASK))
		return 0;
	uint64_t host = entry & QCOW2_OFFSET_MASK, end;
	if (host & (q->cluster_size - 1) || ckd_add(&end, host, q->cluster_size) || host + in + n > d->file_size) {
		corrupt(d, "data cluster lies outside the image", pos);
		return -1;
	}
	return (int64_t)host;
}

ssize_t dl_qcow2_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off)
{
	struct qcow2 *q = d->fmt;
	struct qjob jobs[QJOBS];
	size_t njobs = 0, done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		uint64_t in = pos & (q->cluster_size - 1);
		size_t n = (size_t)DL_MIN((uint64_t)(len - done), q->cluster_size - in);
		uint8_t *dst = (uint8_t *)buf + done;
		uint64_t entry;
		int64_t host;
		if (cluster_entry(d, pos, &entry) < 0 || (host = data_cluster(d, entry, pos, in, n)) < 0)
			return -1;
		if (entry & QCOW2_COMPRESSED) {
			if (n == q->cluster_size) {
				jobs[njobs++] = (struct qjob){ .entry = entry & ~QCOW2_COPIED, .pos = pos, .dst = dst };
				if (njobs == QJOBS && run_jobs(d, jobs, njobs) < 0)
					return -1;
				njobs %= QJOBS;
			} else {
				if (decompress(d, entry & ~QCOW2_COPIED, pos, q->dbuf) < 0)
					return -1;
				memcpy(dst, q->dbuf + in, n);
			}
		} else if (entry & 1) {
			memset(dst, 0, n); /* v3 zero cluster */
		} else if (host > 0) {
			if (file_read_exact(d, dst, n, (uint64_t)host + in) < 0) {
				corrupt(d, "cannot read a data cluster", pos);
				return -1;
			}
		} else if (q->backing) {
			ssize_t r = dl_disk_pread(q->backing, dst, n, pos);
			if (r < 0)
				return -1;
			memset(dst + r, 0, n - (size_t)r);
		} else {
			memset(dst, 0, n);
		}
		done += n;
	}
	if (run_jobs(d, jobs, njobs) < 0)
		return -1;
	return (ssize_t)done;
}

int dl_qcow2_map(struct dl_disk *d, uint64_t off, uint64_t len, uint64_t vol_off, dl_range_cb cb, void *ctx)
{
	struct qcow2 *q = d->fmt;
	while (len) {
		uint64_t in = off & (q->cluster_size - 1);
		uint64_t n = DL_MIN(len, q->cluster_size - in), entry;
		int64_t host;
		if (cluster_entry(d, off, &entry) < 0 || (host = data_cluster(d, entry, off, in, n)) < 0)
			return -EIO;
		int r = host > 0 ? cb(ctx, d, (uint64_t)host + in, n) : cb(ctx, NULL, vol_off, n);
		if (r < 0)
			return r;
		off += n;
		vol_off += n;
		len -= n;
	}
	return 0;
}
