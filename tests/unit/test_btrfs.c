/* Unit tests for src/fs/btrfs.c's compressed reads: a btrfs built in memory
 * here (one chunk mapping logical to physical 1:1, one leaf per tree) whose
 * file /f is many zstd and zlib extents, with an uncompressed one and a
 * hole among them, read in one call with and without the helper thread
 * (src/helper.h), and with an extent broken in either thread's half.  Then
 * plain extents before one of an encoding the reader refuses, streamed
 * from an image file (dl_fs_stream). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fs/fs.h"
#include "map_runs.h"
#include "helper.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define NODESZ 16384u
#define IMG (8u << 20)
#define SB 0x10000u
#define CHUNK_LEAF 0x20000u
#define ROOT_LEAF (CHUNK_LEAF + NODESZ)
#define FS_LEAF (ROOT_LEAF + NODESZ)
#define DATA (FS_LEAF + NODESZ)

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* The name hash of "f" in a directory item: crc32c(~1, "f"), as btrfs
 * computes it (src/fs/btrfs.c's crc32c, tests/fuzz/seeds/mkbtrfs.py's
 * name_hash). */
#define HASH_F 0x188e5b27u

/* A leaf being filled: items in key order, their data from the end. */
struct leaf {
	uint8_t *p;
	uint32_t n, end;
};

static struct leaf leaf_at(uint8_t *img, uint32_t at)
{
	put64(img + at + 48, at);      /* bytenr; level 0 */
	return (struct leaf){ img + at, 0, NODESZ - 101 };
}

static uint8_t *leaf_add(struct leaf *l, uint64_t oid, uint8_t type, uint64_t off, uint32_t size)
{
	uint8_t *it = l->p + 101 + l->n * 25;
	assert_true((l->n + 1) * 25 + size <= l->end);
	l->end -= size;
	put64(it, oid);
	it[8] = type;
	put64(it + 9, off);
	put32(it + 17, l->end);
	put32(it + 21, size);
	put32(l->p + 96, ++l->n);
	return l->p + 101 + l->end;
}

static void inode(struct leaf *l, uint64_t oid, uint32_t mode, uint64_t size)
{
	uint8_t *d = leaf_add(l, oid, 1, 0, 160);
	put64(d + 16, size);
	put32(d + 52, mode);
}

/* Extent kinds: zstd, zlib, uncompressed, a hole (no item), lzo; and
 * uncompressed bytes marked encrypted, of another encoding, of an unknown
 * compression (4), and an item of an unknown extent type (corrupt). */
enum { X_ZSTD, X_ZLIB, X_RAW, X_HOLE, X_LZO, X_CRYPT, X_ENCODING, X_COMP4, X_BADTYPE };

struct shape {
	unsigned n;       /* extents */
	uint32_t ram;     /* bytes each */
	bool noise;       /* random bytes of 6 bits: extents compressed to 3/4 */
	int (*kind)(unsigned i);
};

static int mixed(unsigned i)
{
	return i == 10 ? X_RAW : i == 20 ? X_HOLE : i % 2 ? X_ZLIB : X_ZSTD;
}

static int zstd_only(unsigned i)
{
	(void)i;
	return X_ZSTD;
}

static void fill(const struct shape *s, unsigned i, uint8_t *p)
{
	uint32_t x = 2463534242u + i;
	for (uint32_t j = 0; j < s->ram; j++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		p[j] = s->noise ? (uint8_t)(0x40 | (x & 0x3f)) : (uint8_t)(i * 7 + j / (i + 1) + (j % 97 == 0));
	}
}

/* Compress extent i of s to out (room for cap bytes): its length. */
static size_t pack(const struct shape *s, unsigned i, const uint8_t *plain, uint8_t *out, size_t cap)
{
	int k = s->kind(i);
	if (k == X_ZSTD) {
		size_t r = ZSTD_compress(out, cap, plain, s->ram, 3);
		assert_false(ZSTD_isError(r));
		return r;
	}
	if (k == X_ZLIB) {
		uLongf len = cap;
		assert_int_equal(compress2(out, &len, plain, s->ram, 6), Z_OK);
		return len;
	}
	memcpy(out, plain, s->ram);
	return s->ram;
}

/* The image (IMG bytes) of s, the file's bytes in want, and where each
 * extent's stored bytes start in at[]. */
static uint8_t *build(const struct shape *s, uint8_t *want, uint64_t *at)
{
	uint8_t *img = test_calloc(1, IMG), *sb = img + SB;
	memcpy(sb + 64, "_BHRfS_M", 8);
	put64(sb + 80, ROOT_LEAF);
	put64(sb + 88, CHUNK_LEAF);
	put64(sb + 136, 1);
	put32(sb + 144, 4096);
	put32(sb + 148, NODESZ);
	put64(sb + 201, 1);
	/* system chunk array: one chunk, logical = physical, the whole image */
	uint8_t *c = sb + 811;
	put64(c, 256), c[8] = 228, put64(c + 9, 0);
	put64(c + 17, IMG), put64(c + 17 + 24, 7), put16(c + 17 + 44, 1);
	put64(c + 17 + 48, 1), put64(c + 17 + 56, 0);
	put32(sb + 160, 17 + 48 + 32);
	leaf_at(img, CHUNK_LEAF);
	struct leaf r = leaf_at(img, ROOT_LEAF);
	uint8_t *ri = leaf_add(&r, 5, 132, 0, 239);
	put64(ri + 176, FS_LEAF);
	struct leaf f = leaf_at(img, FS_LEAF);
	uint64_t size = (uint64_t)s->n * s->ram;
	inode(&f, 256, 040755, 0);
	uint8_t *di = leaf_add(&f, 256, 84, HASH_F, 31);
	put64(di, 257), di[8] = 1, put16(di + 27, 1), di[29] = 1, di[30] = 'f';
	inode(&f, 257, 0100644, size);
	uint64_t data = DATA;
	for (unsigned i = 0; i < s->n; i++) {
		uint8_t *w = want + (size_t)i * s->ram;
		int k = s->kind(i);
		at[i] = data;
		if (k == X_HOLE) {
			memset(w, 0, s->ram);
			continue;
		}
		fill(s, i, w);
		size_t len = pack(s, i, w, img + data, IMG - data);
		uint8_t *e = leaf_add(&f, 257, 108, (uint64_t)i * s->ram, 53);
		put64(e + 8, s->ram);
		e[16] = k == X_ZSTD ? 3 : k == X_ZLIB ? 1 : k == X_LZO ? 2 : k == X_COMP4 ? 4 : 0;
		e[17] = k == X_CRYPT;
		put16(e + 18, k == X_ENCODING);
		e[20] = k == X_BADTYPE ? 5 : 1;
		put64(e + 21, data), put64(e + 29, len), put64(e + 37, 0), put64(e + 45, s->ram);
		data = (data + len + 4095) & ~4095ull;
		assert_true(data < IMG);
	}
	return img;
}

static struct dl_volume vol;
static struct dl_extent ext;

/* The btrfs on disk d (its whole IMG bytes, volume "vol") mounted, and
 * /f found in it. */
static struct dl_fs *mount_f(struct dl_disk *d, struct dl_stat *st, struct dl_error *err)
{
	ext = (struct dl_extent){ .off = 0, .len = IMG, .disk = d, .disk_off = 0 };
	vol = (struct dl_volume){ .kind = DL_VOL_DISK, .disk = d, .size = IMG, .ext = &ext, .nextents = 1 };
	strcpy(vol.name, "vol");
	strcpy(vol.fstype, "btrfs");
	struct dl_fs *fs = NULL;
	assert_int_equal(dl_fs_mount(&fs, &vol, err), 0);
	assert_int_equal(dl_fs_resolve_file(fs, "/f", st, err), 0);
	return fs;
}

/* Read all of /f in one call (or, len < file size, from off): the
 * dl_fs_read result, err filled on failure. */
static ssize_t read_f(const uint8_t *img, uint8_t *got, size_t len, uint64_t off, struct dl_error *err)
{
	struct dl_disk *d = dl_disk_from_mem(img, IMG, "b.img");
	struct dl_stat st;
	struct dl_fs *fs = mount_f(d, &st, err);
	ssize_t r = dl_fs_read(fs, &st, "/f", got, len, off, err);
	dl_fs_unmount(fs);
	dl_disk_free(d);
	return r;
}

static const struct shape shapes[] = {
	{ 48, 16384, false, mixed },       /* one batch, both algorithms */
	{ 150, 4096, false, mixed },       /* more extents than a batch holds */
	{ 16, 131072, true, zstd_only },   /* more compressed bytes than a batch holds */
};

/* The same bytes with and without the helper; the helper runs jobs only
 * once started, and only when a read has two or more. */
static void test_same_bytes(void **state)
{
	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && !dl_helper_running())
			assert_int_equal(dl_helper_start(), 0);
		for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
			const struct shape *s = &shapes[k];
			size_t size = (size_t)s->n * s->ram;
			uint8_t *want = test_malloc(size), *got = test_malloc(size);
			uint64_t at[160];
			uint8_t *img = build(s, want, at);
			struct dl_error err = { 0 };
			unsigned long jobs = dl_helper_jobs();
			memset(got, 0xa5, size);
			assert_int_equal(read_f(img, got, size, 0, &err), (ssize_t)size);
			assert_memory_equal(got, want, size);
			if (pass == 0)
				assert_int_equal(dl_helper_jobs(), jobs);
			else
				assert_true(dl_helper_jobs() > jobs);
			/* one whole compressed extent: one job, the helper not woken */
			jobs = dl_helper_jobs();
			memset(got, 0xa5, s->ram);
			assert_int_equal(read_f(img, got, s->ram, 0, &err), (ssize_t)s->ram);
			assert_memory_equal(got, want, s->ram);
			assert_int_equal(dl_helper_jobs(), jobs);
			/* a range starting and ending inside extents */
			size_t off = s->ram / 2 + 3, len = size - s->ram - 5;
			memset(got, 0xa5, size);
			assert_int_equal(read_f(img, got, len, off, &err), (ssize_t)len);
			assert_memory_equal(got, want + off, len);
			test_free(img);
			test_free(want);
			test_free(got);
		}
	}
}

/* A broken extent in either half of the batch (5: the caller's, 40 and
 * 41: the helper's, zstd and zlib) fails the read as corrupt, and is the
 * error reported even though an lzo extent (unsupported) comes later. */
static int lzo_last(unsigned i)
{
	return i == 47 ? X_LZO : mixed(i);
}

static void test_broken_extent(void **state)
{
	(void)state;
	static const struct shape s = { 48, 16384, false, lzo_last };
	size_t size = (size_t)s.n * s.ram;
	uint8_t *want = test_malloc(size), *got = test_malloc(size);
	uint64_t at[48];
	if (!dl_helper_running())
		assert_int_equal(dl_helper_start(), 0);
	for (int bad = -1; bad < 3; bad++) {
		static const unsigned which[] = { 5, 40, 41 };
		uint8_t *img = build(&s, want, at);
		if (bad >= 0)
			memset(img + at[which[bad]], 0xff, 8);
		struct dl_error err = { 0 };
		unsigned long jobs = dl_helper_jobs();
		assert_true(read_f(img, got, size, 0, &err) < 0);
		assert_true(dl_helper_jobs() > jobs);
		if (bad < 0) {
			assert_int_equal(err.code, DL_EUNSUPPORTED);
			assert_non_null(strstr(err.msg, "lzo"));
		} else {
			assert_int_equal(err.code, DL_EBADIMAGE);
			assert_null(strstr(err.msg, "lzo"));
		}
		/* the extents before the broken one read alone */
		if (bad >= 0) {
			size_t len = (size_t)which[bad] * s.ram;
			assert_int_equal(read_f(img, got, len, 0, &err), (ssize_t)len);
			assert_memory_equal(got, want, len);
		}
		test_free(img);
	}
	test_free(want);
	test_free(got);
}

/* ---- streaming ------------------------------------------------------------ */

/* Extents 0-2 plain, 3 (REFUSED_AT) of kind refused, 4 of kind after, 5
 * plain. */
#define REFUSED_AT 3u
static int refused, after;

static int refused_one(unsigned i)
{
	return i == REFUSED_AT ? refused : i == REFUSED_AT + 1 ? after : X_RAW;
}

/* What dl_fs_stream passed on: bytes and copied ranges, in order. */
struct sink {
	const uint8_t *img;
	uint8_t *got;
	size_t n, cap;
	uint64_t copied;
};

static int sink_data(void *ctx, const void *buf, size_t len)
{
	struct sink *k = ctx;
	assert_true(len <= k->cap - k->n);
	memcpy(k->got + k->n, buf, len);
	k->n += len;
	return 0;
}

static int sink_copy(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct sink *k = ctx;
	(void)disk;
	assert_true(off <= IMG && len <= IMG - off && len <= k->cap - k->n);
	memcpy(k->got + k->n, k->img + off, len);
	k->n += len;
	k->copied += len;
	return 0;
}

/* /f of img streamed from an image file (so verbatim extents go as
 * ranges), into k; its map into x (unless NULL); the error of reading it
 * whole into rerr.  dl_fs_stream's result, err filled on failure. */
static int stream_f(const uint8_t *img, struct sink *k, struct runs *x, struct dl_error *rerr,
		    struct dl_error *err)
{
	char path[] = "/tmp/dl-test-btrfs.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(dl_write_full(fd, img, IMG), 0);
	close(fd);
	struct dl_disk *d;
	assert_int_equal(dl_disk_open(&d, path, DL_FMT_RAW, err), 0);
	unlink(path);
	struct dl_stat st;
	struct dl_fs *fs = mount_f(d, &st, err);
	if (x) {
		struct dl_error merr = { 0 };
		assert_int_equal(dl_fs_map(fs, &st, "/f", record, x, &merr), 0);
	}
	uint8_t *all = test_malloc((size_t)st.size);
	(void)dl_fs_read(fs, &st, "/f", all, (size_t)st.size, 0, rerr);
	test_free(all);
	struct dl_fs_stream out = { k, sink_data, sink_copy, NULL };
	int r = dl_fs_stream(fs, &st, "/f", &out, err);
	dl_fs_unmount(fs);
	dl_disk_free(d);
	return r;
}

/* A file whose plain extents come before one of an encoding the reader
 * refuses (encrypted, another encoding, an unknown compression; then a
 * plain or a corrupt item): the stream fails with the error a read of
 * the file gives, naming it, and what it passed on before is the file's
 * own bytes.  The map marks everything from an extent it cannot parse
 * (encrypted, another encoding) on as encoded, so nothing after it (the
 * corrupt item) changes the error; an unknown compression it parses, and
 * the corrupt item after it fails the map before anything is read. */
static void test_stream_refused(void **state)
{
	(void)state;
	static const struct {
		int refused, after;
		const char *msg;
		bool as_read;     /* the error of a whole read */
	} cases[] = {
		{ X_CRYPT, X_RAW, "/f: unsupported filesystem feature in vol", true },
		{ X_ENCODING, X_RAW, "/f: unsupported filesystem feature in vol", true },
		{ X_CRYPT, X_BADTYPE, "/f: unsupported filesystem feature in vol", true },
		{ X_ENCODING, X_BADTYPE, "/f: unsupported filesystem feature in vol", true },
		{ X_COMP4, X_RAW, "/f: unsupported filesystem feature in vol "
				  "(unknown-compressed data is not supported)", true },
		{ X_COMP4, X_BADTYPE, "/f: corrupt filesystem structure in vol", false },
	};
	static const struct shape s = { 6, 16384, false, refused_one };
	size_t size = (size_t)s.n * s.ram;
	uint8_t *want = test_malloc(size);
	struct sink k = { .got = test_malloc(size), .cap = size };
	uint64_t at[6];
	/* all plain: copied from the image, every byte */
	refused = after = X_RAW;
	uint8_t *img = build(&s, want, at);
	struct dl_error err = { 0 }, rerr = { 0 };
	k.img = img;
	assert_int_equal(stream_f(img, &k, NULL, &rerr, &err), 0);
	assert_int_equal(k.n, size);
	assert_int_equal(k.copied, size);
	assert_memory_equal(k.got, want, size);
	test_free(img);
	for (size_t c = 0; c < DL_ARRAY_SIZE(cases); c++) {
		refused = cases[c].refused;
		after = cases[c].after;
		img = build(&s, want, at);
		struct runs x = { .n = 0 };
		dl_error_clear(&err);
		dl_error_clear(&rerr);
		k = (struct sink){ .img = img, .got = k.got, .cap = size };
		/* the map: the plain extents, then encoded to the end (a refused
		 * encoding) or the extent alone (an unknown compression) */
		bool comp4 = refused == X_COMP4;
		assert_true(stream_f(img, &k, comp4 && after == X_BADTYPE ? NULL : &x, &rerr, &err) < 0);
		if (!comp4 || after != X_BADTYPE) {
			uint64_t enc = REFUSED_AT * s.ram, enc_len = comp4 ? s.ram : size - enc;
			assert_int_equal(x.n, comp4 ? 3 : 2);
			assert_int_equal(x.r[0][0], 0);
			assert_int_equal(x.r[0][1], at[0]);
			assert_int_equal(x.r[0][2], enc);
			assert_int_equal(x.r[1][0], enc);
			assert_int_equal(x.r[1][1], DL_ENCODED);
			assert_int_equal(x.r[1][2], enc_len);
		}
		assert_string_equal(err.msg, cases[c].msg);
		if (cases[c].as_read) {
			assert_string_equal(err.msg, rerr.msg);
			assert_int_equal(err.code, rerr.code);
		}
		assert_true(k.n <= REFUSED_AT * s.ram);
		assert_memory_equal(k.got, want, k.n);
		test_free(img);
	}
	test_free(want);
	test_free(k.got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_broken_extent),
		cmocka_unit_test(test_stream_refused),
	};
	return cmocka_run_group_tests_name("btrfs", tests, NULL, NULL);
}
