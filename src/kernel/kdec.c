/* Streaming decompression with the system libraries: zlib (gzip), libbz2,
 * liblzma (lzma "alone" and xz), libzstd; lzop and legacy lz4 framing are
 * in kblocks.c.  Caps: output bytes, output/input ratio, and a work budget
 * (compressed + decompressed bytes over all passes) instead of a clock. */
#include "kernel/kdec.h"

#include <bzlib.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define KDEC_OBUF (64u << 10)
/* Calls in a row that neither consume nor produce before a decoder is
 * declared stuck (the libraries guarantee progress; this is a backstop). */
#define KDEC_STALL 4

/* Another member/stream/frame of the same format follows? */
static int more(struct kdec *d, size_t n)
{
	ssize_t a = kdec_peek(d, n);
	if (a < 0)
		return (int)a;
	return kcomp_detect(d->ibuf + d->ir, (size_t)a) == d->comp;
}

/* One library decoder: set up a state for a member (gzip member, bzip2
 * or xz stream, zstd frame); decode in[0..n) into out[0..KDEC_OBUF)
 * (n == 0: the input has ended) returning 0, END when the member is
 * complete, or -1 with the error reported; free the state. */
enum { END = 1 };
struct codec {
	void *(*init)(struct kdec *d);
	int (*code)(struct kdec *d, void *st, const uint8_t *in, size_t n, uint8_t *out,
		    size_t *used, size_t *made);
	void (*end)(void *st);
	size_t magic;   /* bytes that tell a following member, 0: no members */
};

static void *oom(struct kdec *d, const char *lib)
{
	kdec_fail(d, DL_ELIMIT, "cannot set up %s (out of memory)", lib);
	return NULL;
}

static void *gz_init(struct kdec *d)
{
	z_stream *z = dl_calloc(1, sizeof(*z));
	if (inflateInit2(z, 16 + MAX_WBITS) == Z_OK)
		return z;
	free(z);
	return oom(d, "zlib");
}

static int gz_code(struct kdec *d, void *st, const uint8_t *in, size_t n, uint8_t *out,
		   size_t *used, size_t *made)
{
	z_stream *z = st;
	z->next_in = (uint8_t *)in;
	z->avail_in = (uInt)n;
	z->next_out = out;
	z->avail_out = KDEC_OBUF;
	int r = inflate(z, Z_NO_FLUSH);
	*used = n - z->avail_in;
	*made = KDEC_OBUF - z->avail_out;
	if (r == Z_OK || r == Z_BUF_ERROR || r == Z_STREAM_END)
		return r == Z_STREAM_END ? END : 0;
	return kdec_fail(d, r == Z_MEM_ERROR ? DL_ELIMIT : DL_EBADIMAGE, "%s",
			 r == Z_MEM_ERROR ? "out of memory" :
			 r == Z_NEED_DICT ? "corrupt data (needs a preset dictionary)" :
			 z->msg ? z->msg : "corrupt data");
}

static void gz_end(void *st)
{
	inflateEnd(st);
	free(st);
}

static void *bz_init(struct kdec *d)
{
	bz_stream *s = dl_calloc(1, sizeof(*s));
	if (BZ2_bzDecompressInit(s, 0, 0) == BZ_OK)
		return s;
	free(s);
	return oom(d, "libbz2");
}

static int bz_code(struct kdec *d, void *st, const uint8_t *in, size_t n, uint8_t *out,
		   size_t *used, size_t *made)
{
	bz_stream *s = st;
	s->next_in = (char *)in;
	s->avail_in = (unsigned)n;
	s->next_out = (char *)out;
	s->avail_out = KDEC_OBUF;
	int r = BZ2_bzDecompress(s);
	*used = n - s->avail_in;
	*made = KDEC_OBUF - s->avail_out;
	if (r == BZ_OK || r == BZ_STREAM_END)
		return r == BZ_STREAM_END ? END : 0;
	return kdec_fail(d, r == BZ_MEM_ERROR ? DL_ELIMIT : DL_EBADIMAGE, "%s",
			 r == BZ_MEM_ERROR ? "out of memory" :
			 r == BZ_DATA_ERROR_MAGIC ? "corrupt data (bad block magic)" :
			 r == BZ_DATA_ERROR ? "corrupt data (CRC or structure)" :
			 "libbz2 refused the stream");
}

static void bz_end(void *st)
{
	BZ2_bzDecompressEnd(st);
	free(st);
}

static void *xz_init(struct kdec *d)
{
	lzma_stream *s = dl_malloc(sizeof(*s));
	*s = (lzma_stream)LZMA_STREAM_INIT;
	lzma_ret r = d->comp == KC_XZ ? lzma_stream_decoder(s, d->lim->mem_max, 0)
				      : lzma_alone_decoder(s, d->lim->mem_max);
	if (r == LZMA_OK)
		return s;
	free(s);
	return oom(d, "liblzma");
}

static int xz_code(struct kdec *d, void *st, const uint8_t *in, size_t n, uint8_t *out,
		   size_t *used, size_t *made)
{
	lzma_stream *s = st;
	s->next_in = in;
	s->avail_in = n;
	s->next_out = out;
	s->avail_out = KDEC_OBUF;
	lzma_ret r = lzma_code(s, n ? LZMA_RUN : LZMA_FINISH);
	*used = n - s->avail_in;
	*made = KDEC_OBUF - s->avail_out;
	if (r == LZMA_OK || r == LZMA_BUF_ERROR || r == LZMA_STREAM_END)
		return r == LZMA_STREAM_END ? END : 0;
	if (r == LZMA_MEMLIMIT_ERROR)
		return kdec_fail(d, DL_ELIMIT, "needs %llu MiB of decoder memory, over the cap of %llu MiB",
				 (unsigned long long)((lzma_memusage(s) + (1 << 20) - 1) >> 20),
				 (unsigned long long)(d->lim->mem_max >> 20));
	return kdec_fail(d, r == LZMA_MEM_ERROR ? DL_ELIMIT :
			 r == LZMA_OPTIONS_ERROR ? DL_EUNSUPPORTED : DL_EBADIMAGE, "%s",
			 r == LZMA_MEM_ERROR ? "out of memory" :
			 r == LZMA_FORMAT_ERROR ? "not a valid header" :
			 r == LZMA_OPTIONS_ERROR ? "unsupported options (filter, check or header flags)" :
			 r == LZMA_DATA_ERROR ? "corrupt data" : "liblzma refused the stream");
}

static void xz_end(void *st)
{
	lzma_end(st);
	free(st);
}

static void *zs_init(struct kdec *d)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	if (!z)
		return oom(d, "libzstd");
	int wlog = 10;   /* ZSTD_WINDOWLOG_ABSOLUTEMIN; the largest window under mem_max */
	while (wlog < 31 && (2ull << wlog) <= d->lim->mem_max)
		wlog++;
	ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, wlog);
	return z;
}

static int zs_code(struct kdec *d, void *st, const uint8_t *in, size_t n, uint8_t *out,
		   size_t *used, size_t *made)
{
	ZSTD_inBuffer i = { in, n, 0 };
	ZSTD_outBuffer o = { out, KDEC_OBUF, 0 };
	size_t r = ZSTD_decompressStream(st, &o, &i);
	*used = i.pos;
	*made = o.pos;
	if (!ZSTD_isError(r))
		return r == 0 ? END : 0;   /* 0: the frame is complete and flushed */
	ZSTD_ErrorCode c = ZSTD_getErrorCode(r);
	if (c == ZSTD_error_frameParameter_windowTooLarge)
		return kdec_fail(d, DL_ELIMIT, "its window needs more than the %llu MiB memory cap",
				 (unsigned long long)(d->lim->mem_max >> 20));
	return kdec_fail(d, c == ZSTD_error_memory_allocation ? DL_ELIMIT : DL_EBADIMAGE, "%s",
			 ZSTD_getErrorName(r));
}

static void zs_end(void *st)
{
	ZSTD_freeDCtx(st);
}

static const struct codec codecs[KC_COUNT] = {
	[KC_GZIP] = { gz_init, gz_code, gz_end, 3 },
	[KC_BZIP2] = { bz_init, bz_code, bz_end, 4 },
	[KC_LZMA] = { xz_init, xz_code, xz_end, 0 },
	[KC_XZ] = { xz_init, xz_code, xz_end, 6 },
	[KC_ZSTD] = { zs_init, zs_code, zs_end, 4 },
};

/* The members of a stream, one after the other, through a codec; a
 * decoder that neither consumes nor produces at the end of the input
 * means a truncated stream. */
static int run_codec(struct kdec *d, const struct codec *c)
{
	void *st = c->init(d);
	if (!st)
		return dl_err_errno(d->err);
	uint8_t *obuf = dl_malloc(KDEC_OBUF);
	int rc, stall = 0;
	for (;;) {
		ssize_t a = kdec_peek(d, 1);
		if (a < 0) {
			rc = -1;
			break;
		}
		size_t used = 0, made = 0;
		int r = c->code(d, st, d->ibuf + d->ir, (size_t)a, obuf, &used, &made);
		if (r < 0) {
			rc = -1;
			break;
		}
		kdec_take(d, used);
		if ((rc = kdec_emit(d, obuf, made)))
			break;
		if (r == END) {
			if (!c->magic || (rc = more(d, c->magic)) <= 0)
				break;
			c->end(st);
			if (!(st = c->init(d))) {
				rc = -1;
				break;
			}
		} else if (used || made) {
			stall = 0;
		} else if (!a) {
			rc = kdec_truncated(d);
			break;
		} else if (++stall >= KDEC_STALL) {
			rc = kdec_fail(d, DL_EBADIMAGE, "the decoder makes no progress");
			break;
		}
	}
	if (st)
		c->end(st);
	free(obuf);
	return rc;
}

int kdec_run(struct kdec *d)
{
	d->ibuf = dl_malloc(KDEC_IBUF);
	d->ir = d->iw = 0;
	d->ipos = d->in = d->out = 0;
	int rc;
	if (d->comp == KC_LZO)
		rc = kdec_lzo(d);
	else if (d->comp == KC_LZ4)
		rc = kdec_lz4(d);
	else if (d->comp < KC_COUNT && codecs[d->comp].init)
		rc = run_codec(d, &codecs[d->comp]);
	else
		rc = dl_fail(d->err, DL_EUNSUPPORTED, "%s: no decoder", d->what);
	free(d->ibuf);
	d->ibuf = NULL;
	return rc;
}
