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

static const char *const names[KC_COUNT] = {
	[KC_NONE] = "none", [KC_GZIP] = "gzip", [KC_BZIP2] = "bzip2", [KC_LZMA] = "lzma",
	[KC_XZ] = "xz", [KC_LZO] = "lzo", [KC_LZ4] = "lz4", [KC_ZSTD] = "zstd",
};

const char *kcomp_name(enum kcomp c)
{
	return c < KC_COUNT ? names[c] : "unknown";
}

/* The magics Linux's scripts/extract-vmlinux and Xen's bzImage loader look
 * for.  lzma has none: its 13-byte header starts with the properties byte
 * (0x5d for every lzma(1) preset) and a dictionary size; we also want the
 * dictionary a multiple of 64 KiB and the declared size unknown (-1) or
 * below 1 TiB, which every lzma(1)/xz --format=lzma output satisfies. */
enum kcomp kcomp_detect(const uint8_t *p, size_t n)
{
	if (n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return KC_GZIP;
	if (n >= 4 && !memcmp(p, "BZh", 3) && p[3] >= '1' && p[3] <= '9')
		return KC_BZIP2;
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return KC_XZ;
	if (n >= 9 && !memcmp(p, "\x89LZO\0\r\n\x1a\n", 9))
		return KC_LZO;
	if (n >= 4 && !memcmp(p, "\x02\x21\x4c\x18", 4))
		return KC_LZ4;
	if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return KC_ZSTD;
	if (n >= 13 && p[0] == 0x5d && p[1] == 0 && p[2] == 0) {
		uint64_t sz = dl_le64(p + 5);
		if (sz == UINT64_MAX || sz < (1ull << 40))
			return KC_LZMA;
	}
	return KC_NONE;
}

int kdec_fail(struct kdec *d, int code, const char *fmt, ...)
{
	char m[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	return dl_fail(d->err, code, "%s: %s: %s at compressed byte %llu", d->what,
		       kcomp_name(d->comp), m, (unsigned long long)d->in);
}

int kdec_truncated(struct kdec *d)
{
	return kdec_fail(d, DL_EBADIMAGE, "truncated (the input ends inside the stream)");
}

static int over_work(struct kdec *d)
{
	if (*d->work <= d->lim->work_max)
		return 0;
	return kdec_fail(d, DL_ELIMIT, "work budget of %llu bytes exhausted",
			 (unsigned long long)d->lim->work_max);
}

ssize_t kdec_peek(struct kdec *d, size_t want)
{
	if (over_work(d) < 0)
		return -1;
	size_t avail = d->iw - d->ir;
	if (avail >= want || d->ipos >= d->len)
		return (ssize_t)avail;
	memmove(d->ibuf, d->ibuf + d->ir, avail);
	d->ir = 0;
	d->iw = avail;
	while (d->iw < want && d->ipos < d->len) {
		size_t n = (size_t)DL_MIN((uint64_t)(KDEC_IBUF - d->iw), d->len - d->ipos);
		ssize_t r = d->src->read(d->src->ctx, d->ibuf + d->iw, n, d->base + d->ipos, d->err);
		if (r <= 0)
			return dl_fail(d->err, DL_EIO, "%s: %s at offset %llu", d->src->name,
				       r ? "read error" : "short read",
				       (unsigned long long)(d->base + d->ipos));
		d->iw += (size_t)r;
		d->ipos += (uint64_t)r;
	}
	return (ssize_t)(d->iw - d->ir);
}

void kdec_take(struct kdec *d, size_t n)
{
	d->ir += n;
	d->in += n;
	*d->work += n;
}

ssize_t kdec_read(struct kdec *d, uint8_t *dst, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t a = kdec_peek(d, 1);
		if (a <= 0)
			return a < 0 ? -1 : (ssize_t)got;
		size_t k = DL_MIN((size_t)a, n - got);
		memcpy(dst + got, d->ibuf + d->ir, k);
		kdec_take(d, k);
		got += k;
	}
	return (ssize_t)got;
}

int kdec_emit(struct kdec *d, const uint8_t *p, size_t n)
{
	if (!n)
		return 0;
	if (n > d->lim->out_max - d->out)
		return kdec_fail(d, DL_ELIMIT, "decompresses to more than %llu bytes (the output cap)",
				 (unsigned long long)d->lim->out_max);
	d->out += n;
	*d->work += n;
	uint64_t allowed;
	if (!ckd_mul(&allowed, (uint64_t)d->lim->ratio_max, d->in) &&
	    !ckd_add(&allowed, allowed, DL_KERNEL_RATIO_SLACK) && d->out > allowed)
		return kdec_fail(d, DL_ELIMIT,
				 "expands more than %u times (%llu bytes from %llu): a decompression bomb?",
				 d->lim->ratio_max, (unsigned long long)d->out, (unsigned long long)d->in);
	if (over_work(d) < 0)
		return -1;
	int r = d->sink(d->sctx, p, n, d->err);
	if (r < 0 && !d->err->code)
		dl_fail(d->err, DL_EOUTPUT, "%s: cannot take the decompressed kernel", d->what);
	return r < 0 ? -1 : r > 0;
}

/* After a decoder call: account, hand on the output, and watch for a
 * decoder that neither consumes nor produces (at the end of the input:
 * the stream is truncated). */
static int step(struct kdec *d, size_t used, const uint8_t *obuf, size_t made, size_t avail,
		int *stall)
{
	kdec_take(d, used);
	int r = kdec_emit(d, obuf, made);
	if (r)
		return r;
	if (used || made) {
		*stall = 0;
		return 0;
	}
	if (!avail)
		return kdec_truncated(d);
	if (++*stall >= KDEC_STALL)
		return kdec_fail(d, DL_EBADIMAGE, "the decoder makes no progress");
	return 0;
}

/* Another member/stream/frame of the same format follows? */
static int more(struct kdec *d, size_t n)
{
	ssize_t a = kdec_peek(d, n);
	if (a < 0)
		return -1;
	return kcomp_detect(d->ibuf + d->ir, (size_t)a) == d->comp;
}

static int dec_gzip(struct kdec *d, uint8_t *obuf)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return kdec_fail(d, DL_ELIMIT, "cannot set up zlib (out of memory)");
	int rc, stall = 0;
	for (;;) {
		ssize_t a = kdec_peek(d, 1);
		if (a < 0) {
			rc = -1;
			break;
		}
		z.next_in = d->ibuf + d->ir;
		z.avail_in = (uInt)a;
		z.next_out = obuf;
		z.avail_out = KDEC_OBUF;
		int r = inflate(&z, Z_NO_FLUSH);
		if (r == Z_DATA_ERROR || r == Z_NEED_DICT || r == Z_MEM_ERROR || r == Z_STREAM_ERROR) {
			rc = kdec_fail(d, r == Z_MEM_ERROR ? DL_ELIMIT : DL_EBADIMAGE, "%s",
				       r == Z_MEM_ERROR ? "out of memory" :
				       r == Z_NEED_DICT ? "corrupt data (needs a preset dictionary)" :
				       z.msg ? z.msg : "corrupt data");
			break;
		}
		if ((rc = step(d, (size_t)a - z.avail_in, obuf, KDEC_OBUF - z.avail_out, (size_t)a, &stall)))
			break;
		if (r == Z_STREAM_END) {
			if ((rc = more(d, 3)) <= 0)
				break;
			inflateReset(&z);
		}
	}
	inflateEnd(&z);
	return rc;
}

static int dec_bzip2(struct kdec *d, uint8_t *obuf)
{
	bz_stream s;
	memset(&s, 0, sizeof(s));
	if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK)
		return kdec_fail(d, DL_ELIMIT, "cannot set up libbz2 (out of memory)");
	int rc, stall = 0;
	for (;;) {
		ssize_t a = kdec_peek(d, 1);
		if (a < 0) {
			rc = -1;
			break;
		}
		s.next_in = (char *)d->ibuf + d->ir;
		s.avail_in = (unsigned)a;
		s.next_out = (char *)obuf;
		s.avail_out = KDEC_OBUF;
		int r = BZ2_bzDecompress(&s);
		if (r != BZ_OK && r != BZ_STREAM_END) {
			rc = kdec_fail(d, r == BZ_MEM_ERROR ? DL_ELIMIT : DL_EBADIMAGE, "%s",
				       r == BZ_MEM_ERROR ? "out of memory" :
				       r == BZ_DATA_ERROR_MAGIC ? "corrupt data (bad block magic)" :
				       r == BZ_DATA_ERROR ? "corrupt data (CRC or structure)" :
				       "libbz2 refused the stream");
			break;
		}
		if ((rc = step(d, (size_t)a - s.avail_in, obuf, KDEC_OBUF - s.avail_out, (size_t)a, &stall)))
			break;
		if (r == BZ_STREAM_END) {
			if ((rc = more(d, 4)) <= 0)
				break;
			BZ2_bzDecompressEnd(&s);
			memset(&s, 0, sizeof(s));
			if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) {
				rc = kdec_fail(d, DL_ELIMIT, "cannot set up libbz2 (out of memory)");
				break;
			}
		}
	}
	BZ2_bzDecompressEnd(&s);
	return rc;
}

static int lzma_init(struct kdec *d, lzma_stream *s)
{
	lzma_ret r = d->comp == KC_XZ ? lzma_stream_decoder(s, d->lim->mem_max, 0)
				      : lzma_alone_decoder(s, d->lim->mem_max);
	if (r != LZMA_OK)
		return kdec_fail(d, DL_ELIMIT, "cannot set up liblzma (out of memory)");
	return 0;
}

static int dec_lzma(struct kdec *d, uint8_t *obuf)
{
	lzma_stream s = LZMA_STREAM_INIT;
	if (lzma_init(d, &s) < 0)
		return -1;
	int rc, stall = 0;
	for (;;) {
		ssize_t a = kdec_peek(d, 1);
		if (a < 0) {
			rc = -1;
			break;
		}
		s.next_in = d->ibuf + d->ir;
		s.avail_in = (size_t)a;
		s.next_out = obuf;
		s.avail_out = KDEC_OBUF;
		lzma_ret r = lzma_code(&s, a ? LZMA_RUN : LZMA_FINISH);
		if (r == LZMA_MEMLIMIT_ERROR) {
			rc = kdec_fail(d, DL_ELIMIT, "needs %llu MiB of decoder memory, over the cap of %llu MiB",
				       (unsigned long long)((lzma_memusage(&s) + (1 << 20) - 1) >> 20),
				       (unsigned long long)(d->lim->mem_max >> 20));
			break;
		}
		if (r != LZMA_OK && r != LZMA_STREAM_END && r != LZMA_BUF_ERROR) {
			rc = kdec_fail(d, r == LZMA_MEM_ERROR ? DL_ELIMIT :
				       r == LZMA_OPTIONS_ERROR ? DL_EUNSUPPORTED : DL_EBADIMAGE, "%s",
				       r == LZMA_MEM_ERROR ? "out of memory" :
				       r == LZMA_FORMAT_ERROR ? "not a valid header" :
				       r == LZMA_OPTIONS_ERROR ? "unsupported options (filter, check or header flags)" :
				       r == LZMA_DATA_ERROR ? "corrupt data" : "liblzma refused the stream");
			break;
		}
		if ((rc = step(d, (size_t)a - s.avail_in, obuf, KDEC_OBUF - s.avail_out, (size_t)a, &stall)))
			break;
		if (r == LZMA_STREAM_END) {
			if (d->comp != KC_XZ || (rc = more(d, 6)) <= 0)
				break;
			lzma_end(&s);
			s = (lzma_stream)LZMA_STREAM_INIT;
			if ((rc = lzma_init(d, &s)) < 0)
				break;
		}
	}
	lzma_end(&s);
	return rc;
}

static int dec_zstd(struct kdec *d, uint8_t *obuf)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	if (!z)
		return kdec_fail(d, DL_ELIMIT, "cannot set up libzstd (out of memory)");
	int wlog = 10;   /* ZSTD_WINDOWLOG_ABSOLUTEMIN */
	while (wlog < 31 && (2ull << wlog) <= d->lim->mem_max)
		wlog++;
	ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, wlog);
	int rc, stall = 0;
	for (;;) {
		ssize_t a = kdec_peek(d, 1);
		if (a < 0) {
			rc = -1;
			break;
		}
		ZSTD_inBuffer in = { d->ibuf + d->ir, (size_t)a, 0 };
		ZSTD_outBuffer out = { obuf, KDEC_OBUF, 0 };
		size_t r = ZSTD_decompressStream(z, &out, &in);
		if (ZSTD_isError(r)) {
			ZSTD_ErrorCode c = ZSTD_getErrorCode(r);
			if (c == ZSTD_error_frameParameter_windowTooLarge)
				rc = kdec_fail(d, DL_ELIMIT, "its window needs more than the %llu MiB memory cap",
					       (unsigned long long)(d->lim->mem_max >> 20));
			else
				rc = kdec_fail(d, c == ZSTD_error_memory_allocation ? DL_ELIMIT : DL_EBADIMAGE,
					       "%s", ZSTD_getErrorName(r));
			break;
		}
		if ((rc = step(d, in.pos, obuf, out.pos, (size_t)a, &stall)))
			break;
		/* 0: a frame is complete and flushed; skippable frames are
		 * handled by the library. */
		if (r == 0 && (rc = more(d, 4)) <= 0)
			break;
	}
	ZSTD_freeDCtx(z);
	return rc;
}

int kdec_run(struct kdec *d)
{
	d->ibuf = dl_malloc(KDEC_IBUF);
	d->ir = d->iw = 0;
	d->ipos = d->in = d->out = 0;
	int rc;
	if (d->comp == KC_LZO) {
		rc = kdec_lzo(d);
	} else if (d->comp == KC_LZ4) {
		rc = kdec_lz4(d);
	} else {
		uint8_t *obuf = dl_malloc(KDEC_OBUF);
		switch (d->comp) {
		case KC_GZIP: rc = dec_gzip(d, obuf); break;
		case KC_BZIP2: rc = dec_bzip2(d, obuf); break;
		case KC_LZMA:
		case KC_XZ: rc = dec_lzma(d, obuf); break;
		case KC_ZSTD: rc = dec_zstd(d, obuf); break;
		default: rc = dl_fail(d->err, DL_EUNSUPPORTED, "%s: no decoder", d->what); break;
		}
		free(obuf);
	}
	free(d->ibuf);
	d->ibuf = NULL;
	return rc;
}
