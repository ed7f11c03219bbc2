/* The input and output side of a decompression, shared by the library
 * codecs (kdec.c) and the hand-parsed containers (kblocks.c): format
 * names and magics, buffered reads of the compressed bytes, emission of
 * decompressed bytes under the output, ratio and work caps, errors. */
#include "kernel/kdec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
		return dl_err_errno(d->err);
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
		return dl_err_errno(d->err);
	int r = d->sink(d->sctx, p, n, d->err);
	if (r < 0 && !d->err->code)
		dl_fail(d->err, DL_EOUTPUT, "%s: cannot take the decompressed kernel", d->what);
	return r < 0 ? dl_err_errno(d->err) : r > 0;
}
