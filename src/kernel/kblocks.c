/* lzop and legacy-lz4 framing, hand-written around liblzo2's and liblz4's
 * block decoders because neither library reads these containers: liblzo2
 * has no lzop file reader at all (lzop(1) carries its own), and liblz4's
 * frame API (LZ4F) does not accept the legacy frame that Linux's
 * "lz4 -l" writes.  Both parsers are bounded by the block sizes Linux
 * itself accepts (lib/decompress_unlzo.c, lib/decompress_unlz4.c). */
#include "kernel/kdec.h"

#include <lz4.h>
#include <lzo/lzo1x.h>
#include <string.h>
#include <zlib.h>

/* ---- lzop (lzop 1.04's file format) ---- */

#define LZOP_BLOCK_MAX (256u << 10)   /* lzop's block size; Linux refuses larger */
#define F_ADLER32_D 0x00000001u
#define F_ADLER32_C 0x00000002u
#define F_H_EXTRA_FIELD 0x00000040u
#define F_CRC32_D 0x00000100u
#define F_CRC32_C 0x00000200u
#define F_MULTIPART 0x00000400u
#define F_H_FILTER 0x00000800u
#define F_H_CRC32 0x00001000u
#define F_KNOWN 0xfff03fffu           /* flag bits, operating system and charset */
#define LZOP_HEADER_MAX (9 + 7 + 1 + 8 + 8 + 4 + 1 + 255 + 4)

/* Parse the header in place; returns its size, or -1. */
static ssize_t lzop_header(struct kdec *d, uint32_t *flags)
{
	ssize_t a = kdec_peek(d, LZOP_HEADER_MAX);
	if (a < 0)
		return a;
	const uint8_t *h = d->ibuf + d->ir;
	size_t n = (size_t)a, p = 9;
#define NEED(k) do { if (p + (k) > n) return kdec_truncated(d); } while (0)
	NEED(8);
	if (memcmp(h, "\x89LZO\0\r\n\x1a\n", 9))
		return kdec_fail(d, DL_EBADIMAGE, "not an lzop file");
	unsigned version = dl_be16(h + 9), method, needed = 0;
	p = 13;   /* version, library version */
	if (version < 0x0900)
		return kdec_fail(d, DL_EUNSUPPORTED, "lzop format version %#x is too old", version);
	if (version >= 0x0940) {
		needed = dl_be16(h + p);
		p += 2;
	}
	if (needed > 0x1040)
		return kdec_fail(d, DL_EUNSUPPORTED, "needs lzop %#x to extract", needed);
	NEED(2 + 4);
	method = h[p++];
	if (version >= 0x0940)
		p++;   /* level */
	NEED(4);
	*flags = dl_be32(h + p);
	p += 4;
	if (method < 1 || method > 3)   /* LZO1X-1, LZO1X-1(15), LZO1X-999 */
		return kdec_fail(d, DL_EUNSUPPORTED, "lzop method %u is not LZO1X", method);
	if (*flags & ~F_KNOWN)
		return kdec_fail(d, DL_EUNSUPPORTED, "unknown lzop header flags %#x", *flags & ~F_KNOWN);
	if (*flags & (F_H_FILTER | F_MULTIPART | F_H_EXTRA_FIELD))
		return kdec_fail(d, DL_EUNSUPPORTED, "lzop filters, multipart files and extra fields "
				 "are not supported (flags %#x)", *flags);
	p += version >= 0x0940 ? 12 : 8;   /* mode, mtime_low, mtime_high */
	NEED(1);
	p += 1 + h[p];                     /* name */
	NEED(4);
	uint32_t want = dl_be32(h + p);
	uint32_t sum = *flags & F_H_CRC32 ? (uint32_t)crc32(0, h + 9, (uInt)(p - 9))
					  : (uint32_t)adler32(1, h + 9, (uInt)(p - 9));
	if (sum != want)
		return kdec_fail(d, DL_EBADIMAGE, "corrupt lzop header (checksum %08x, expected %08x)",
				 sum, want);
#undef NEED
	return (ssize_t)(p + 4);
}

/* One stored checksum of each kind the flags ask for, checked over p. */
static int lzop_sums(struct kdec *d, uint32_t flags, uint32_t fa, uint32_t fc,
		     const uint32_t *sums, const uint8_t *p, size_t n, const char *what)
{
	int i = 0;
	if (flags & fa && sums[i++] != (uint32_t)adler32(1, p, (uInt)n))
		return kdec_fail(d, DL_EBADIMAGE, "corrupt block (%s Adler-32 mismatch)", what);
	if (flags & fc && sums[i] != (uint32_t)crc32(0, p, (uInt)n))
		return kdec_fail(d, DL_EBADIMAGE, "corrupt block (%s CRC-32 mismatch)", what);
	return 0;
}

static int read_be32s(struct kdec *d, uint32_t *v, unsigned k)
{
	uint8_t b[16];
	ssize_t r = kdec_read(d, b, 4 * k);
	if (r < 0)
		return (int)r;
	if ((size_t)r < 4 * k)
		return kdec_truncated(d);
	for (unsigned i = 0; i < k; i++)
		v[i] = dl_be32(b + 4 * i);
	return 0;
}

int kdec_lzo(struct kdec *d)
{
	uint32_t flags = 0;
	ssize_t hl = lzop_header(d, &flags);
	if (hl < 0)
		return (int)hl;
	kdec_take(d, (size_t)hl);
	if (lzo_init() != LZO_E_OK)
		return kdec_fail(d, DL_EUNSUPPORTED, "liblzo2 does not initialise");
	unsigned nd = !!(flags & F_ADLER32_D) + !!(flags & F_CRC32_D);
	unsigned nc = !!(flags & F_ADLER32_C) + !!(flags & F_CRC32_C);
	uint8_t *in = dl_malloc(LZOP_BLOCK_MAX), *out = dl_malloc(LZOP_BLOCK_MAX);
	int rc;
	for (;;) {
		uint32_t v[6] = { 0 };
		if ((rc = read_be32s(d, v, 1)) < 0)
			break;
		uint32_t dst_len = v[0], src_len;
		if (!dst_len) {   /* end of the file; trailing bytes are not ours */
			rc = 0;
			break;
		}
		if ((rc = read_be32s(d, v, 1)) < 0)
			break;
		src_len = v[0];
		if (dst_len > LZOP_BLOCK_MAX || !src_len || src_len > dst_len) {
			rc = kdec_fail(d, DL_EBADIMAGE, "corrupt block header (%u bytes from %u; "
				       "blocks hold at most %u)", dst_len, src_len, LZOP_BLOCK_MAX);
			break;
		}
		unsigned k = nd + (src_len < dst_len ? nc : 0);
		if (k && (rc = read_be32s(d, v, k)) < 0)
			break;
		ssize_t r = kdec_read(d, in, src_len);
		if (r < 0 || (size_t)r < src_len) {
			rc = r < 0 ? -1 : kdec_truncated(d);
			break;
		}
		const uint8_t *data = in;
		if (src_len < dst_len) {
			if ((rc = lzop_sums(d, flags, F_ADLER32_C, F_CRC32_C, v + nd, in, src_len,
					    "compressed")) < 0)
				break;
			lzo_uint got = dst_len;
			int e = lzo1x_decompress_safe(in, src_len, out, &got, NULL);
			if (e != LZO_E_OK || got != dst_len) {
				rc = kdec_fail(d, DL_EBADIMAGE, "corrupt block (LZO1X error %d, %lu of %u bytes)",
					       e, (unsigned long)got, dst_len);
				break;
			}
			data = out;
		}
		if ((rc = lzop_sums(d, flags, F_ADLER32_D, F_CRC32_D, v, data, dst_len, "data")) < 0 ||
		    (rc = kdec_emit(d, data, dst_len)))
			break;
	}
	free(in);
	free(out);
	return rc;
}

/* ---- legacy lz4 frame: magic, then blocks of a 4-byte little-endian
 * compressed size and LZ4 block data, each decompressing to at most
 * 8 MiB.  There is no end mark: the stream ends with the input, or (in a
 * bzImage payload) with the 4-byte decompressed size Linux appends. ---- */

#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

int kdec_lz4(struct kdec *d)
{
	uint8_t m[4];
	ssize_t r = kdec_read(d, m, 4);
	if (r < 0)
		return (int)r;
	if (r < 4 || dl_le32(m) != LZ4_LEGACY_MAGIC)
		return kdec_fail(d, DL_EBADIMAGE, "not a legacy lz4 frame");
	const uint32_t bound = (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK);
	uint8_t *in = NULL, *out = NULL;
	size_t incap = 0;
	int rc;
	for (;;) {
		ssize_t a = kdec_peek(d, 4);
		if (a < 0) {
			rc = -1;
			break;
		}
		if (a == 0) {
			rc = 0;
			break;
		}
		if (a < 4) {
			rc = kdec_truncated(d);
			break;
		}
		uint32_t size = dl_le32(d->ibuf + d->ir);
		uint64_t left = d->len - d->in - 4;   /* after the size field */
		kdec_take(d, 4);
		if (size == LZ4_LEGACY_MAGIC)     /* concatenated frames */
			continue;
		if (!left) {   /* Linux's size trailer, or a block that is not there */
			rc = size == (uint32_t)d->out ? 0 :
				kdec_fail(d, DL_EBADIMAGE, "truncated, or a wrong size trailer: the input "
					  "ends with %u, and %llu bytes came out", size,
					  (unsigned long long)d->out);
			break;
		}
		if (!size || size > bound) {
			rc = kdec_fail(d, DL_EBADIMAGE, "corrupt block size %u (at most %u)", size, bound);
			break;
		}
		if (size > left) {
			rc = kdec_truncated(d);
			break;
		}
		if (size > incap) {
			free(in);
			in = dl_malloc(incap = size);
		}
		if (!out)
			out = dl_malloc(LZ4_LEGACY_BLOCK);
		if ((r = kdec_read(d, in, size)) < 0 || (size_t)r < size) {
			rc = r < 0 ? -1 : kdec_truncated(d);
			break;
		}
		int got = LZ4_decompress_safe((const char *)in, (char *)out, (int)size, (int)LZ4_LEGACY_BLOCK);
		if (got < 0) {
			rc = kdec_fail(d, DL_EBADIMAGE, "corrupt block of %u bytes", size);
			break;
		}
		if ((rc = kdec_emit(d, out, (size_t)got)))
			break;
	}
	free(in);
	free(out);
	return rc;
}
