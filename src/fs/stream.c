/* Streaming a guest file out: verbatim runs as disk ranges (the consumer
 * copies them from the image itself), everything else as bytes. */
#include "fs/fs.h"

#include <errno.h>

#define CHUNK (1u << 20)

struct stream {
	const struct dl_fs_stream *out;
	struct dl_volume *vol;
	uint64_t pos;             /* file bytes passed on so far */
	int out_r;                /* the consumer's failure, 0 while none */
};

static int consumed(struct stream *s, int r)
{
	if (r < 0)
		s->out_r = r;
	return r;
}

static int stream_range(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct stream *s = ctx;
	return consumed(s, s->out->copy(s->out->ctx, disk, off, len));
}

static int stream_zeros(struct stream *s, uint64_t len)
{
	static const char zeros[65536];
	while (len) {
		size_t n = (size_t)DL_MIN(len, sizeof(zeros));
		int r = consumed(s, s->out->data(s->out->ctx, zeros, n));
		if (r < 0)
			return r;
		len -= n;
	}
	return 0;
}

static int stream_extent(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	struct stream *s = ctx;
	if (file_off != s->pos)
		return -EUCLEAN;
	int r = vol_off == DL_HOLE ? stream_zeros(s, len)
				   : dl_volume_map(s->vol, vol_off, len, stream_range, s);
	if (r == 0)
		s->pos += len;   /* pos stays 0 until something was passed on */
	return r;
}

static int no_run(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	(void)ctx, (void)file_off, (void)vol_off, (void)len;
	return 0;
}

/* Whether the extent map stops with -ENOTSUP after verbatim runs (btrfs:
 * regular extents, then a compressed or inline one, as compress=zstd
 * writes files whose parts do not compress): such a file goes as bytes,
 * decided before any range is passed on. */
static bool partly_verbatim(struct dl_fs *fs, const struct dl_stat *st, const char *path)
{
	struct dl_error e = { 0 };
	return dl_fs_extents(fs, st, path, no_run, NULL, &e) == -ENOTSUP;
}

int dl_fs_stream(struct dl_fs *fs, const struct dl_stat *st, const char *path,
		 const struct dl_fs_stream *out, struct dl_error *err)
{
	const char *vol = fs->vol->name;
	/* Verbatim files go as disk ranges; the map is checked by dl_fs_extents
	 * and every range again by dl_volume_map (and by the consumer).  Disks
	 * whose bytes are not verbatim (qcow2) say so before anything is
	 * passed on (a file starting with a hole would otherwise have sent
	 * zeros already). */
	if (dl_volume_map(fs->vol, 0, 0, stream_range, NULL) != -ENOTSUP &&
	    !partly_verbatim(fs, st, path)) {
		struct stream s = { .out = out, .vol = fs->vol };
		int r = dl_fs_extents(fs, st, path, stream_extent, &s, err);
		if (s.out_r)
			return s.out_r;
		if (r == 0)
			return 0;
		if (r != -ENOTSUP || s.pos)
			return dl_fail(err, DL_EBADIMAGE, "%s: %s: bad extent map", vol, path);
	}
	/* Not stored verbatim (inline, compressed, qcow2): the bytes. */
	_cleanup_free_ char *buf = dl_malloc(CHUNK);
	for (uint64_t off = 0; off < st->size;) {
		size_t n = (size_t)DL_MIN((uint64_t)CHUNK, st->size - off);
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
