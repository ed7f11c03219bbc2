/* Streaming a guest file out: verbatim runs as disk ranges (the consumer
 * copies them from the image itself), everything else as bytes: a file's
 * compressed extents (read through the filesystem), a volume's ranges that
 * are not verbatim on a disk (qcow2 compressed clusters), holes.
 *
 * The map is gathered in batches of pieces, adjacent pieces merged (one
 * range for a file whose extents, qcow2 clusters or LVM extents follow each
 * other on the disk), and before a batch is passed on the kernel is told
 * what will be read (POSIX_FADV_WILLNEED, in order), so a cold image is read
 * at the disk's sequential speed rather than one range at a time. */
#include "fs/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#define CHUNK (1u << 20)
#define BATCH 256

enum piece_kind { P_RANGE, P_BYTES, P_FILE, P_ZERO };
struct piece {
	enum piece_kind kind;
	struct dl_disk *disk;     /* P_RANGE */
	uint64_t off;             /* disk offset (P_RANGE), volume offset (P_BYTES), file offset (P_FILE) */
	uint64_t len;
};

struct stream {
	const struct dl_fs_stream *out;
	struct dl_fs *fs;
	const struct dl_stat *st;
	const char *path;
	struct dl_volume *vol;
	uint64_t pos;             /* file bytes mapped so far */
	struct piece p[BATCH];
	size_t n;
	uint8_t *buf;             /* CHUNK bytes for P_BYTES/P_FILE, allocated when needed */
	int out_r;                /* the consumer's failure, 0 while none */
	struct dl_error *err;
};

static int consumed(struct stream *s, int r)
{
	if (r < 0 && !s->out_r)
		s->out_r = r;
	return r;
}

/* Where to read the next at most *n bytes to pass on: the consumer's
 * buffer when it offers one (no copy in data()), else ours (*own, CHUNK
 * bytes, allocated when first needed); *n is lowered to what fits. */
static uint8_t *out_buffer(const struct dl_fs_stream *out, uint8_t **own, size_t *n)
{
	size_t room = *n;
	uint8_t *b = out->buffer ? out->buffer(out->ctx, &room) : NULL;
	if (b && room) {
		*n = DL_MIN(*n, room);
		return b;
	}
	if (!*own)
		*own = dl_malloc(CHUNK);
	*n = DL_MIN(*n, (size_t)CHUNK);
	return *own;
}

static int send_zeros(struct stream *s, uint64_t len)
{
	while (len) {
		size_t n = (size_t)DL_MIN(len, (uint64_t)CHUNK);
		uint8_t *buf = out_buffer(s->out, &s->buf, &n);
		memset(buf, 0, n);
		int r = consumed(s, s->out->data(s->out->ctx, buf, n));
		if (r < 0)
			return r;
		len -= n;
	}
	return 0;
}

/* A volume's bytes (P_BYTES) or the file's own (P_FILE: not stored
 * verbatim, read through the filesystem). */
static int send_bytes(struct stream *s, enum piece_kind kind, uint64_t off, uint64_t len)
{
	while (len) {
		size_t n = (size_t)DL_MIN(len, (uint64_t)CHUNK);
		uint8_t *buf = out_buffer(s->out, &s->buf, &n);
		ssize_t got = kind == P_FILE ? dl_fs_read(s->fs, s->st, s->path, buf, n, off, s->err)
					     : dl_volume_pread(s->vol, buf, n, off);
		if (got < 0)
			return kind == P_FILE ? (int)got
				: dl_fail(s->err, DL_EIO, "%s: %s", s->vol->name, strerror(errno));
		if ((size_t)got != n)
			return kind == P_FILE
				? dl_fail(s->err, DL_EBADIMAGE, "%s: %s: file shorter than its size", s->vol->name, s->path)
				: dl_fail(s->err, DL_EBADIMAGE, "%s: extent past the end of the volume", s->vol->name);
		int r = consumed(s, s->out->data(s->out->ctx, buf, n));
		if (r < 0)
			return r;
		off += n;
		len -= n;
	}
	return 0;
}

/* Pass the batch on: read-ahead for every range first, then in order. */
static int flush(struct stream *s)
{
	const struct dl_disk *normal = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct piece *p = &s->p[i];
		if (p->kind != P_RANGE || p->disk->fd < 0)
			continue;
		/* libblkid marked the image's open file POSIX_FADV_RANDOM when it
		 * probed it (the parent's copy shares that open file): without
		 * read-ahead a cold copy ran at 2/3 of cat's speed.  Once per
		 * disk of the batch, not per range. */
		if (p->disk != normal)
			(void)posix_fadvise(p->disk->fd, 0, 0, POSIX_FADV_NORMAL);
		normal = p->disk;
		(void)posix_fadvise(p->disk->fd, (off_t)p->off, (off_t)p->len, POSIX_FADV_WILLNEED);
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct piece *p = &s->p[i];
		int r = p->kind == P_RANGE ? consumed(s, s->out->copy(s->out->ctx, p->disk, p->off, p->len))
			: p->kind == P_ZERO ? send_zeros(s, p->len)
					    : send_bytes(s, p->kind, p->off, p->len);
		if (r < 0)
			return r;
	}
	s->n = 0;
	return 0;
}

static int add(struct stream *s, enum piece_kind kind, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct piece *last = s->n ? &s->p[s->n - 1] : NULL;
	uint64_t sum;
	if (last && last->kind == kind && last->disk == disk && !ckd_add(&sum, last->len, len) &&
	    (kind == P_ZERO || last->off + last->len == off)) {
		last->len = sum;
		return 0;
	}
	if (s->n == BATCH) {
		int r = flush(s);
		if (r < 0)
			return r;
	}
	s->p[s->n++] = (struct piece){ kind, disk, off, len };
	return 0;
}

static int stream_range(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct stream *s = ctx;
	return disk ? add(s, P_RANGE, disk, off, len) : add(s, P_BYTES, NULL, off, len);
}

static int stream_extent(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	struct stream *s = ctx;
	if (file_off != s->pos)
		return -EUCLEAN;
	int r = vol_off == DL_HOLE ? add(s, P_ZERO, NULL, 0, len)
		: vol_off == DL_ENCODED ? add(s, P_FILE, NULL, file_off, len)
					: dl_volume_map(s->vol, vol_off, len, stream_range, s);
	if (r == 0)
		s->pos += len;
	return r;
}

/* By the extent map: 0, a negative errno with err set or the consumer's,
 * or 1 (err untouched, nothing passed on) when the file has no map and is
 * to go as its bytes.  A map does not fail for an encoding: bytes the
 * backend cannot map verbatim are DL_ENCODED runs, read (or refused,
 * naming the file) by dl_fs_read when their turn comes. */
static int stream_mapped(struct dl_fs *fs, const struct dl_stat *st, const char *path,
			 const struct dl_fs_stream *out, struct dl_error *err)
{
	struct dl_error e = { 0 };
	struct stream *s = dl_calloc(1, sizeof(*s));
	*s = (struct stream){ .out = out, .fs = fs, .st = st, .path = path, .vol = fs->vol, .err = &e };
	int r = dl_fs_map(fs, st, path, stream_extent, s, &e);
	if (r == 0 && !s->out_r && !e.code)
		r = flush(s);
	if (s->out_r)
		r = s->out_r;
	else if (e.code && r < 0)
		*err = e;
	else if (r == -ENOTSUP)
		r = 1;
	else if (r < 0)
		r = dl_fail(err, DL_EBADIMAGE, "%s: %s: bad extent map", fs->vol->name, path);
	free(s->buf);
	free(s);
	return r;
}

int dl_fs_stream(struct dl_fs *fs, const struct dl_stat *st, const char *path,
		 const struct dl_fs_stream *out, struct dl_error *err)
{
	const char *vol = fs->vol->name;
	/* Verbatim files go as disk ranges; the map is checked by dl_fs_map
	 * and every range again by dl_volume_map (and by the consumer).  Disks
	 * without a file to copy from say so before anything is passed on. */
	if (dl_volume_map(fs->vol, 0, 0, stream_range, NULL) != -ENOTSUP) {
		int r = stream_mapped(fs, st, path, out, err);
		if (r <= 0)
			return r;
	}
	/* Not stored verbatim (inline, compressed): the bytes. */
	_cleanup_free_ uint8_t *own = NULL;
	for (uint64_t off = 0; off < st->size;) {
		size_t n = (size_t)DL_MIN((uint64_t)CHUNK, st->size - off);
		uint8_t *buf = out_buffer(out, &own, &n);
		ssize_t got = dl_fs_read(fs, st, path, buf, n, off, err);
		if (got < 0)
			return (int)got;
		if (got == 0)
			return dl_fail(err, DL_EBADIMAGE, "%s: %s: file shorter than its size", vol, path);
		int r = out->data(out->ctx, buf, (size_t)got);
		if (r < 0)
			return r;
		off += (uint64_t)got;
	}
	return 0;
}
