/* Kernel image inspection on synthetic kernels: the bzImage header, ELF32/
 * ELF64 Xen notes (PT_NOTE, SHT_NOTE, __xen_guest) and Xen's PV/PVH
 * rules, each of the seven compressions (made here with the libraries'
 * own encoders), streaming across chunk boundaries and passes,
 * truncation, corruption and the caps.
 *
 *   test_kernel               run the tests
 *   test_kernel --seeds DIR   write the fuzz seeds (tests/fuzz/corpus/kernel) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>

#include "kernel/kernel.h"
#include "kernel/kelf.h"

static uint8_t buf[8192];

static void put16(size_t o, uint16_t v) { buf[o] = (uint8_t)v; buf[o + 1] = (uint8_t)(v >> 8); }
static void put32(size_t o, uint32_t v) { put16(o, (uint16_t)v); put16(o + 2, (uint16_t)(v >> 16)); }
static void put64(size_t o, uint64_t v) { put32(o, (uint32_t)v); put32(o + 4, (uint32_t)(v >> 32)); }

/* ---- byte buffers ---- */

struct bytes {
	uint8_t *p;
	size_t n, cap;
};

static void b_add(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void b_zero(struct bytes *b, size_t n)
{
	uint8_t z[256] = { 0 };
	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);
		b_add(b, z, k);
		n -= k;
	}
}

static void b_le(struct bytes *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		b_add(b, &(uint8_t){ (uint8_t)(v >> 8 * i) }, 1);
}

static void b_be32(struct bytes *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	b_add(b, x, 4);
}

static void set_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void b_free(struct bytes *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---- synthetic ELF kernels ---- */

struct note {
	const char *name;
	uint32_t type;
	const void *desc;
	uint32_t descsz;
};

struct elfspec {
	int cls;                 /* 32 or 64 */
	unsigned machine;        /* default x86-64 / i386 */
	uint64_t entry, paddr, vaddr, memsz;
	const struct note *notes;
	size_t nnotes;
	size_t notes_at;         /* file offset of the notes (default 0x1000) */
	size_t size;             /* file size before the section headers (default 0x4000) */
	bool notes_in_section;   /* SHT_NOTE section only (no PT_NOTE) */
	const char *guest;       /* __xen_guest section content */
	size_t guest_at;
	size_t shstrtab_at;      /* 0: right before the section headers */
	bool sections;
};

/* Notes as the Linux kernel lays them out. */
static void b_notes(struct bytes *b, const struct note *n, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		uint32_t nl = (uint32_t)strlen(n[i].name) + 1;
		b_le(b, nl, 4);
		b_le(b, n[i].descsz, 4);
		b_le(b, n[i].type, 4);
		b_add(b, n[i].name, nl);
		b_zero(b, (4 - nl % 4) % 4);
		b_add(b, n[i].desc, n[i].descsz);
		b_zero(b, (4 - n[i].descsz % 4) % 4);
	}
}

static void at_least(struct bytes *b, size_t off)
{
	assert_true(b->n <= off);
	b_zero(b, off - b->n);
}

/* The ELF: header, program headers (PT_LOAD, PT_NOTE), code bytes, the
 * notes, optional __xen_guest and section headers at the end. */
static void build_elf(struct bytes *b, const struct elfspec *s)
{
	bool e64 = s->cls != 32;
	size_t ehs = e64 ? 64 : 52, phs = e64 ? 56 : 32, shs = e64 ? 64 : 40;
	size_t notes_at = s->notes_at ? s->notes_at : 0x1000, size = s->size ? s->size : 0x4000;
	struct bytes nb = { 0 };
	b_notes(&nb, s->notes, s->nnotes);
	bool pt_note = s->nnotes && !s->notes_in_section;
	unsigned phnum = 1 + pt_note;
	memset(b, 0, sizeof(*b));
	b_zero(b, ehs + phnum * phs);
	memcpy(b->p, "\x7f" "ELF", 4);
	b->p[4] = e64 ? 2 : 1;
	b->p[5] = 1;
	b->p[6] = 1;
	set_le(b->p + 16, 2, 2);   /* ET_EXEC */
	set_le(b->p + 18, s->machine ? s->machine : e64 ? 62 : 3, 2);
	set_le(b->p + 20, 1, 4);
	set_le(b->p + 24, s->entry, e64 ? 8 : 4);
	set_le(b->p + (e64 ? 32 : 28), ehs, e64 ? 8 : 4);
	set_le(b->p + (e64 ? 52 : 40), ehs, 2);
	set_le(b->p + (e64 ? 54 : 42), phs, 2);
	set_le(b->p + (e64 ? 56 : 44), phnum, 2);
	uint8_t *ph = b->p + ehs;
	/* PT_LOAD R+X of the whole file */
	set_le(ph, 1, 4);
	if (e64) {
		set_le(ph + 4, 5, 4);
		set_le(ph + 16, s->vaddr, 8);
		set_le(ph + 24, s->paddr, 8);
		set_le(ph + 32, size, 8);
		set_le(ph + 40, s->memsz, 8);
	} else {
		set_le(ph + 8, s->vaddr, 4);
		set_le(ph + 12, s->paddr, 4);
		set_le(ph + 16, size, 4);
		set_le(ph + 20, s->memsz, 4);
		set_le(ph + 24, 5, 4);
	}
	if (pt_note) {
		ph += phs;
		set_le(ph, 4, 4);
		set_le(ph + (e64 ? 8 : 4), notes_at, e64 ? 8 : 4);
		set_le(ph + (e64 ? 32 : 16), nb.n, e64 ? 8 : 4);
	}
	/* "code": a pattern that compresses somewhat */
	for (size_t i = b->n; i < notes_at; i++)
		b_add(b, &(uint8_t){ (uint8_t)(i * 7 ^ i >> 5) }, 1);
	b_add(b, nb.p, nb.n);
	size_t guest_at = 0, glen = 0;
	if (s->guest) {
		glen = strlen(s->guest) + 1;
		guest_at = s->guest_at ? s->guest_at : b->n;
		at_least(b, guest_at);
		b_add(b, s->guest, glen);
	}
	static const char names[] = "\0.text\0.notes\0__xen_guest\0.shstrtab\0";
	size_t shstr_at = s->shstrtab_at;
	if (shstr_at) {
		at_least(b, shstr_at);
		b_add(b, names, sizeof(names));
	}
	for (size_t i = b->n; i < size; i++)
		b_add(b, &(uint8_t){ (uint8_t)(i * 13 + (i >> 9)) }, 1);
	if (!s->sections && !s->guest && !s->notes_in_section) {
		b_free(&nb);
		return;
	}
	if (!shstr_at) {
		shstr_at = b->n;
		b_add(b, names, sizeof(names));
	}
	while (b->n % 8)
		b_zero(b, 1);
	size_t shoff = b->n;
	struct { uint32_t name, type; uint64_t off, size; } sec[5] = {
		{ 0, 0, 0, 0 }, { 1, 1, ehs + phnum * phs, notes_at - ehs - phnum * phs },
		{ 7, 7, notes_at, nb.n }, { s->guest ? 14 : 0, s->guest ? 1 : 0, guest_at, glen },
		{ 26, 3, shstr_at, sizeof(names) },
	};
	for (int i = 0; i < 5; i++) {
		size_t at = b->n;
		b_zero(b, shs);
		set_le(b->p + at, sec[i].name, 4);
		set_le(b->p + at + 4, sec[i].type, 4);
		set_le(b->p + at + (e64 ? 24 : 16), sec[i].off, e64 ? 8 : 4);
		set_le(b->p + at + (e64 ? 32 : 20), sec[i].size, e64 ? 8 : 4);
	}
	set_le(b->p + (e64 ? 40 : 32), shoff, e64 ? 8 : 4);
	set_le(b->p + (e64 ? 58 : 46), shs, 2);
	set_le(b->p + (e64 ? 60 : 48), 5, 2);
	set_le(b->p + (e64 ? 62 : 50), 4, 2);
	b_free(&nb);
}

/* The notes of a Linux 6.x x86-64 kernel built with XEN_PV and XEN_PVH. */
static const uint64_t v_entry = 0xffffffff81002000ull, v_base = 0xffffffff80000000ull,
		      v_zero = 0, v_p2m = 0x8000000000ull;
static const uint32_t v_phys = 0x1000850, v_sup = 0x8801;
#define NOTE_S(t, s) { "Xen", t, s, sizeof(s) }
#define NOTE_N(t, v) { "Xen", t, &(v), sizeof(v) }
static const struct note linux_notes[] = {
	NOTE_S(DL_XEN_ELFNOTE_GUEST_OS, "linux"), NOTE_S(DL_XEN_ELFNOTE_GUEST_VERSION, "2.6"),
	NOTE_S(DL_XEN_ELFNOTE_XEN_VERSION, "xen-3.0"), NOTE_N(DL_XEN_ELFNOTE_VIRT_BASE, v_base),
	NOTE_N(DL_XEN_ELFNOTE_INIT_P2M, v_p2m), NOTE_N(DL_XEN_ELFNOTE_ENTRY, v_entry),
	NOTE_S(DL_XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb"),
	NOTE_N(DL_XEN_ELFNOTE_SUPPORTED_FEATURES, v_sup), NOTE_S(DL_XEN_ELFNOTE_PAE_MODE, "yes"),
	NOTE_S(DL_XEN_ELFNOTE_LOADER, "generic"), NOTE_N(DL_XEN_ELFNOTE_PADDR_OFFSET, v_zero),
	{ "GNU", 3, "0123456789abcdefghij", 20 },
	NOTE_N(DL_XEN_ELFNOTE_PHYS32_ENTRY, v_phys),
};

static const struct elfspec linux64 = {
	.entry = 0x1000000, .paddr = 0x1000000, .vaddr = 0xffffffff81000000ull, .memsz = 0x2000000,
	.notes = linux_notes, .nnotes = DL_ARRAY_SIZE(linux_notes),
};

/* ---- compression with the libraries' encoders ---- */

enum fmt { F_GZIP, F_BZIP2, F_LZMA, F_XZ, F_LZO, F_LZ4, F_ZSTD, F_COUNT };
static const char *const fmt_name[F_COUNT] = { "gzip", "bzip2", "lzma", "xz", "lzo", "lz4", "zstd" };

static void gzip_to(struct bytes *o, const uint8_t *p, size_t n)
{
	z_stream z = { 0 };
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, n);
	uint8_t *t = malloc(cap);
	z.next_in = (uint8_t *)p;
	z.avail_in = (uInt)n;
	z.next_out = t;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	b_add(o, t, z.total_out);
	deflateEnd(&z);
	free(t);
}

static void lzma_to(struct bytes *o, const uint8_t *p, size_t n, bool alone, uint32_t dict)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	assert_false(lzma_lzma_preset(&opt, 1));
	opt.dict_size = dict;
	if (alone) {
		assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	} else {
		lzma_filter f[] = { { LZMA_FILTER_X86, NULL }, { LZMA_FILTER_LZMA2, &opt },
				    { LZMA_VLI_UNKNOWN, NULL } };
		assert_int_equal(lzma_stream_encoder(&s, f, LZMA_CHECK_CRC32), LZMA_OK);
	}
	size_t cap = n + n / 2 + 4096;
	uint8_t *t = malloc(cap);
	s.next_in = p;
	s.avail_in = n;
	s.next_out = t;
	s.avail_out = cap;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	b_add(o, t, s.total_out);
	lzma_end(&s);
	free(t);
}

/* lzop: header, then blocks of at most bs bytes. */
static void lzop_to(struct bytes *o, const uint8_t *p, size_t n, size_t bs, uint32_t flags)
{
	static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
	assert_int_equal(lzo_init(), LZO_E_OK);
	b_add(o, "\x89LZO\0\r\n\x1a\n", 9);
	size_t h = o->n;
	b_add(o, "\x10\x40\x20\x80\x09\x40\x01\x05", 8);   /* version, lib, needed, method, level */
	b_be32(o, flags);
	b_be32(o, 0x81a4);
	b_be32(o, 0);
	b_be32(o, 0);
	b_add(o, "\0", 1);   /* no name */
	b_be32(o, flags & 0x1000 ? (uint32_t)crc32(0, o->p + h, (uInt)(o->n - h))
				 : (uint32_t)adler32(1, o->p + h, (uInt)(o->n - h)));
	uint8_t *t = malloc(bs + bs / 16 + 64 + 3);
	for (size_t off = 0; off < n; off += bs) {
		size_t k = n - off < bs ? n - off : bs;
		lzo_uint cl = 0;
		assert_int_equal(lzo1x_1_compress(p + off, k, t, &cl, wrk), LZO_E_OK);
		bool stored = cl >= k;
		b_be32(o, (uint32_t)k);
		b_be32(o, (uint32_t)(stored ? k : cl));
		if (flags & 1)
			b_be32(o, (uint32_t)adler32(1, p + off, (uInt)k));
		if (flags & 0x100)
			b_be32(o, (uint32_t)crc32(0, p + off, (uInt)k));
		if (!stored && flags & 2)
			b_be32(o, (uint32_t)adler32(1, t, (uInt)cl));
		if (!stored && flags & 0x200)
			b_be32(o, (uint32_t)crc32(0, t, (uInt)cl));
		b_add(o, stored ? p + off : t, stored ? k : cl);
	}
	b_be32(o, 0);
	free(t);
}

static void lz4_to(struct bytes *o, const uint8_t *p, size_t n, size_t bs)
{
	b_add(o, "\x02\x21\x4c\x18", 4);
	uint8_t *t = malloc((size_t)LZ4_compressBound((int)bs));
	for (size_t off = 0; off < n; off += bs) {
		int k = (int)(n - off < bs ? n - off : bs);
		int c = LZ4_compress_default((const char *)p + off, (char *)t, k, LZ4_compressBound(k));
		assert_true(c > 0);
		b_le(o, (uint32_t)c, 4);
		b_add(o, t, (size_t)c);
	}
	free(t);
}

static void compress_to(struct bytes *o, enum fmt f, const uint8_t *p, size_t n)
{
	switch (f) {
	case F_GZIP:
		gzip_to(o, p, n);
		break;
	case F_BZIP2: {
		unsigned cap = (unsigned)(n + n / 50 + 1024);
		char *t = malloc(cap);
		assert_int_equal(BZ2_bzBuffToBuffCompress(t, &cap, (char *)p, (unsigned)n, 9, 0, 0), BZ_OK);
		b_add(o, t, cap);
		free(t);
		break;
	}
	case F_LZMA:
		lzma_to(o, p, n, true, 1u << 20);
		break;
	case F_XZ:
		lzma_to(o, p, n, false, 1u << 20);
		break;
	case F_LZO:
		lzop_to(o, p, n, 256 << 10, 1);
		break;
	case F_LZ4:
		lz4_to(o, p, n, 8 << 20);
		break;
	case F_ZSTD: {
		ZSTD_CCtx *c = ZSTD_createCCtx();
		ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
		size_t cap = ZSTD_compressBound(n);
		uint8_t *t = malloc(cap);
		size_t r = ZSTD_compress2(c, t, cap, p, n);
		assert_false(ZSTD_isError(r));
		b_add(o, t, r);
		free(t);
		ZSTD_freeCCtx(c);
		break;
	}
	default:
		fail();
	}
}

/* A bzImage around a payload, as Linux builds it: one setup sector after
 * the boot sector, the payload at offset 0x100 of the protected-mode code,
 * its decompressed size appended (gzip's own trailer serves for gzip). */
static void build_bzimage(struct bytes *o, const struct bytes *payload, uint64_t size, bool gz,
			  unsigned protocol)
{
	memset(o, 0, sizeof(*o));
	b_zero(o, 1024 + 0x100);
	o->p[0x1f1] = 1;
	memcpy(o->p + 0x202, "HdrS", 4);
	set_le(o->p + 0x206, protocol, 2);
	set_le(o->p + 0x20e, 0x200, 2);
	strcpy((char *)o->p + 0x400, "6.1.0-test (synthetic) #1 SMP");
	set_le(o->p + 0x248, 0x100, 4);
	size_t len = payload->n + (gz ? 0 : 4);
	set_le(o->p + 0x24c, len, 4);
	b_add(o, payload->p, payload->n);
	if (!gz)
		b_le(o, size, 4);
	b_add(o, "decompressor code after the payload", 35);
}

/* ---- running dl_kernel_inspect over memory ---- */

struct mem {
	const uint8_t *p;
	size_t n;
	size_t max_read;         /* 0: any */
};

static ssize_t mem_read(void *ctx, void *b, size_t len, uint64_t off, struct dl_error *err)
{
	struct mem *m = ctx;
	(void)err;
	if (off >= m->n)
		return 0;
	if (len > m->n - off)
		len = m->n - (size_t)off;
	if (m->max_read && len > m->max_read)
		len = m->max_read;
	memcpy(b, m->p + off, len);
	return (ssize_t)len;
}

static int collect(void *ctx, const void *p, size_t n, struct dl_error *err)
{
	(void)err;
	b_add(ctx, p, n);
	return 0;
}

static int inspect_lim(const uint8_t *p, size_t n, const struct dl_kernel_limits *lim,
		       struct bytes *out, struct dl_kernel_report *r, struct dl_error *e)
{
	struct mem m = { p, n, 0 };
	struct dl_kernel_src src = { "k", n, mem_read, &m };
	memset(e, 0, sizeof(*e));
	return dl_kernel_inspect(&src, lim, out ? collect : NULL, out, r, e);
}

static int inspect(const struct bytes *b, struct bytes *out, struct dl_kernel_report *r,
		   struct dl_error *e)
{
	return inspect_lim(b->p, b->n, NULL, out, r, e);
}

#define assert_msg(e, s) do { if (!strstr((e)->msg, s)) fail_msg("'%s' lacks '%s'", (e)->msg, s); } while (0)

/* ---- the tests ---- */

static void test_bzimage(void **state)
{
	(void)state;
	struct dl_kernel_info ki;
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 0x202, "HdrS", 4);
	put16(0x206, 0x20f);
	put16(0x20e, 0x1000);
	strcpy((char *)buf + 0x1200, "6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP\x01");
	assert_true(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_string_equal(ki.format, "bzImage");
	assert_int_equal(ki.protocol, 0x20f);
	assert_string_equal(ki.version, "6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP?");
	/* the version pointer past the buffer: no version, still a bzImage */
	put16(0x20e, 0xff00);
	assert_true(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_string_equal(ki.version, "");
	/* an unterminated version stops at the buffer's end and the field size */
	put16(0x20e, 0x1000);
	memset(buf + 0x1200, 'v', sizeof(buf) - 0x1200);
	assert_true(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_int_equal(strlen(ki.version), sizeof(ki.version) - 1);
}

/* An ELF64 with one PT_NOTE holding a Xen PHYS32_ENTRY note. */
static void test_elf_notes(void **state)
{
	(void)state;
	struct dl_kernel_info ki;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\x7f" "ELF\x02\x01", 6);
	put64(32, 64);          /* e_phoff */
	put16(54, 56);          /* e_phentsize */
	put16(56, 1);           /* e_phnum */
	put32(64, 4);           /* PT_NOTE */
	put64(64 + 8, 512);     /* p_offset */
	put64(64 + 32, 40);     /* p_filesz */
	put32(512, 4);          /* namesz */
	put32(516, 4);          /* descsz */
	put32(520, 6);          /* XEN_ELFNOTE_LOADER */
	memcpy(buf + 524, "Xen", 4);
	put32(532, 4);
	put32(536, 4);
	put32(540, 18);         /* XEN_ELFNOTE_PHYS32_ENTRY */
	memcpy(buf + 544, "Xen", 4);
	assert_true(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_string_equal(ki.format, "ELF64");
	assert_true(ki.xen_notes);
	assert_true(ki.pvh_entry);
	/* notes running past the segment are ignored, not read */
	put32(536, 0x7ffffff0);
	assert_true(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_true(ki.xen_notes);
	assert_false(ki.pvh_entry);
	/* a program header table outside the buffer */
	put64(32, 1ull << 62);
	assert_true(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_false(ki.xen_notes);
}

static void test_other_formats(void **state)
{
	(void)state;
	struct dl_kernel_info ki;
	static const struct { const char *magic; size_t n; const char *name; } t[] = {
		{ "\x1f\x8b\x08", 3, "gzip" }, { "\xfd" "7zXZ\0", 6, "xz" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd" }, { "BZh9", 4, "bzip2" },
		{ "\x89LZO\0\r\n\x1a\n", 9, "lzo" }, { "\x02\x21\x4c\x18", 4, "lz4" },
		{ "\x5d\0\0\x80\0\xff\xff\xff\xff\xff\xff\xff\xff", 13, "lzma" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, t[i].magic, t[i].n);
		assert_true(dl_kernel_probe(buf, 64, &ki));
		assert_string_equal(ki.format, t[i].name);
	}
	memset(buf, 'x', sizeof(buf));
	assert_false(dl_kernel_probe(buf, sizeof(buf), &ki));
	assert_string_equal(ki.format, "unknown");
	assert_false(dl_kernel_probe(buf, 0, &ki));
}

/* The ELF given directly: every note, Xen's verdict, nothing decompressed. */
static void test_elf_direct(void **state)
{
	(void)state;
	struct bytes elf, out = { 0 };
	struct dl_kernel_report r;
	struct dl_error e;
	build_elf(&elf, &linux64);
	assert_int_equal(inspect(&elf, NULL, &r, &e), 0);
	assert_string_equal(r.format, "ELF64");
	assert_string_equal(r.compression, "none");
	assert_true(r.elf);
	assert_int_equal(r.elf_class, 64);
	assert_int_equal(r.elf_machine, 62);
	assert_true(r.xen_pv);
	assert_true(r.xen_pvh);
	assert_string_equal(r.why_not_pv, "");
	assert_string_equal(r.xen.source, "PT_NOTE");
	assert_int_equal(r.xen.count, 12);
	assert_int_equal(r.xen.num[DL_XEN_ELFNOTE_ENTRY], v_entry);
	assert_int_equal(r.xen.num[DL_XEN_ELFNOTE_PHYS32_ENTRY], v_phys);
	assert_string_equal(r.xen.guest_os, "linux");
	assert_string_equal(r.xen.loader, "generic");
	assert_string_equal(r.xen.xen_version, "xen-3.0");
	assert_string_equal(r.xen.features, "!writable_page_tables|pae_pgdir_above_4gb");
	assert_int_equal(r.xen.features_required, 1);
	assert_int_equal(r.xen.features_supported, 0x8801 | 1 | 1 << 4);
	assert_false(r.xen.present & 1u << DL_XEN_ELFNOTE_HYPERCALL_PAGE);
	assert_int_equal(r.passes, 0);
	assert_false(r.complete);
	/* with out: the file itself */
	assert_int_equal(inspect(&elf, &out, &r, &e), 0);
	assert_int_equal(out.n, elf.n);
	assert_memory_equal(out.p, elf.p, elf.n);
	assert_true(r.complete);
	assert_int_equal(r.elf_size, elf.n);
	b_free(&out);
	b_free(&elf);
}

/* Each format, raw and inside a bzImage, with and without out; the
 * inspection alone stops once the notes have gone past. */
static void test_formats(void **state)
{
	(void)state;
	struct elfspec s = linux64;
	s.notes_at = 0x8000;
	s.size = 3 << 20;   /* notes early, then 3 MiB of "code" */
	struct bytes elf;
	build_elf(&elf, &s);
	b_add(&elf, "RELOCS", 6);   /* Linux appends relocations after the ELF */
	for (int f = 0; f < F_COUNT; f++) {
		struct bytes z = { 0 }, bz, out = { 0 };
		struct dl_kernel_report r;
		struct dl_error e;
		compress_to(&z, (enum fmt)f, elf.p, elf.n);
		/* raw */
		if (inspect(&z, &out, &r, &e))
			fail_msg("%s raw: %s", fmt_name[f], e.msg);
		assert_string_equal(r.format, "ELF64");
		assert_string_equal(r.compression, fmt_name[f]);
		assert_true(r.xen_pv && r.xen_pvh);
		assert_true(r.complete);
		assert_int_equal(r.elf_size, elf.n);
		assert_int_equal(out.n, elf.n);
		assert_memory_equal(out.p, elf.p, elf.n);
		out.n = 0;
		/* in a bzImage */
		build_bzimage(&bz, &z, elf.n, f == F_GZIP, 0x20f);
		if (inspect(&bz, &out, &r, &e))
			fail_msg("%s bzImage: %s", fmt_name[f], e.msg);
		assert_string_equal(r.format, "bzImage");
		assert_string_equal(r.compression, fmt_name[f]);
		assert_string_equal(r.version, "6.1.0-test (synthetic) #1 SMP");
		assert_int_equal(r.protocol, 0x20f);
		assert_int_equal(r.payload_offset, 1024 + 0x100);
		assert_int_equal(r.size_declared, elf.n);
		assert_true(r.xen_pv && r.xen_pvh);
		assert_int_equal(out.n, elf.n);
		assert_memory_equal(out.p, elf.p, elf.n);
		/* inspection only: stops early */
		assert_int_equal(inspect(&bz, NULL, &r, &e), 0);
		assert_true(r.xen_pv && r.xen_pvh);
		assert_false(r.complete);
		assert_int_equal(r.passes, 1);
		if (f != F_LZ4 && r.work >= elf.n / 2)   /* one lz4 legacy block holds 8 MiB */
			fail_msg("%s: %llu work units to inspect", fmt_name[f], (unsigned long long)r.work);
		/* the output cap, whatever the format */
		struct dl_kernel_limits lim = { .out_max = 1 << 20 };
		out.n = 0;
		assert_true(inspect_lim(bz.p, bz.n, &lim, &out, &r, &e) < 0);
		char want[96];
		snprintf(want, sizeof(want), "k: bzImage payload: %s: decompresses to more than 1048576 bytes",
			 fmt_name[f]);
		assert_msg(&e, want);
		assert_true(out.n <= 1 << 20);
		b_free(&z);
		b_free(&bz);
		b_free(&out);
	}
	b_free(&elf);
}

/* Truncated streams fail with the format named; so does a bzImage whose
 * payload runs past the file, or whose size trailer lies. */
static void test_truncated(void **state)
{
	(void)state;
	struct bytes elf;
	struct elfspec s = linux64;
	s.size = 256 << 10;
	build_elf(&elf, &s);
	for (int f = 0; f < F_COUNT; f++) {
		struct bytes z = { 0 }, out = { 0 };
		struct dl_kernel_report r;
		struct dl_error e;
		compress_to(&z, (enum fmt)f, elf.p, elf.n);
		size_t cuts[] = { z.n / 2, z.n - 5, z.n - 1 };
		for (size_t i = 0; i < DL_ARRAY_SIZE(cuts); i++) {
			if (f == F_LZ4 && i > 0)
				continue;   /* legacy lz4 has no end mark: a cut block is the tell */
			out.n = 0;
			assert_true(inspect_lim(z.p, cuts[i], NULL, &out, &r, &e) < 0);
			char want[32];
			snprintf(want, sizeof(want), "k: %s: ", fmt_name[f]);
			assert_msg(&e, want);
			if (!strstr(e.msg, "truncated") && !strstr(e.msg, "corrupt"))
				fail_msg("%s cut at %zu: %s", fmt_name[f], cuts[i], e.msg);
			assert_int_equal(e.code, DL_EBADIMAGE);
		}
		/* the size trailer must match (Linux and Xen size their buffer by it) */
		struct bytes bz;
		build_bzimage(&bz, &z, elf.n + 1, false, 0x20f);
		assert_true(inspect(&bz, &out, &r, &e) < 0);
		/* (lz4 has no end mark: a wrong trailer looks like a missing block) */
		assert_msg(&e, f == F_LZ4 ? "k: bzImage payload: lz4: truncated, or a wrong size trailer"
					  : "k: bzImage payload: decompresses to");
		/* the file ends before the payload does */
		assert_true(inspect_lim(bz.p, bz.n - 100, NULL, NULL, &r, &e) < 0);
		assert_msg(&e, "does not fit in the file");
		assert_string_equal(r.format, "bzImage");
		b_free(&bz);
		b_free(&z);
		b_free(&out);
	}
	b_free(&elf);
}

/* A flipped byte in a format with checksums is caught. */
static void test_corrupt(void **state)
{
	(void)state;
	struct bytes elf;
	struct elfspec s = linux64;
	s.size = 256 << 10;
	build_elf(&elf, &s);
	static const enum fmt checked[] = { F_GZIP, F_BZIP2, F_XZ, F_LZO, F_ZSTD };
	for (size_t i = 0; i < DL_ARRAY_SIZE(checked); i++) {
		struct bytes z = { 0 }, out = { 0 };
		struct dl_kernel_report r;
		struct dl_error e;
		compress_to(&z, checked[i], elf.p, elf.n);
		z.p[z.n / 2] ^= 0x55;
		assert_true(inspect(&z, &out, &r, &e) < 0);
		assert_int_equal(e.code, DL_EBADIMAGE);
		assert_msg(&e, fmt_name[checked[i]]);
		assert_true(out.n < elf.n);
		b_free(&z);
		b_free(&out);
	}
	b_free(&elf);
}

/* Output, ratio, work and memory caps. */
static void test_caps(void **state)
{
	(void)state;
	struct dl_kernel_report r;
	struct dl_error e;
	struct bytes elf, z = { 0 }, out = { 0 };
	build_elf(&elf, &linux64);
	b_zero(&elf, 40 << 20);   /* 40 MiB of zeros after the ELF: ratio ~ 1000:1 */
	compress_to(&z, F_ZSTD, elf.p, elf.n);
	/* the ratio cap (64 by default once past 16 MiB) */
	assert_true(inspect(&z, &out, &r, &e) < 0);
	assert_int_equal(e.code, DL_ELIMIT);
	assert_msg(&e, "k: zstd: expands more than 64 times");
	assert_true(out.n <= DL_KERNEL_RATIO_SLACK + 64 * z.n + (64 << 10));
	/* the output cap */
	struct dl_kernel_limits lim = { .out_max = 1 << 20, .ratio_max = 100000 };
	out.n = 0;
	assert_true(inspect_lim(z.p, z.n, &lim, &out, &r, &e) < 0);
	assert_msg(&e, "decompresses to more than 1048576 bytes (the output cap)");
	assert_true(out.n <= 1 << 20);
	/* the work budget */
	lim = (struct dl_kernel_limits){ .ratio_max = 100000, .work_max = 4 << 20 };
	assert_true(inspect_lim(z.p, z.n, &lim, &out, &r, &e) < 0);
	assert_msg(&e, "work budget of 4194304 bytes exhausted");
	/* without out, the same stream stops after the notes: no cap reached */
	assert_int_equal(inspect(&z, NULL, &r, &e), 0);
	assert_true(r.xen_pv);
	b_free(&z);
	/* decoder memory: an 8 MiB xz dictionary against a 4 MiB cap */
	lzma_to(&z, elf.p, 1 << 20, false, 8 << 20);
	lim = (struct dl_kernel_limits){ .mem_max = 4 << 20 };
	assert_true(inspect_lim(z.p, z.n, &lim, NULL, &r, &e) < 0);
	assert_int_equal(e.code, DL_ELIMIT);
	assert_msg(&e, "k: xz: needs 9 MiB of decoder memory, over the cap of 4 MiB");   /* rounded up */
	b_free(&z);
	/* a zstd window over the cap */
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, 24);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
	uint8_t *t = malloc(ZSTD_compressBound(elf.n));
	size_t zn = ZSTD_compress2(c, t, ZSTD_compressBound(elf.n), elf.p, elf.n);
	assert_false(ZSTD_isError(zn));
	ZSTD_freeCCtx(c);
	lim = (struct dl_kernel_limits){ .mem_max = 8 << 20 };
	assert_true(inspect_lim(t, zn, &lim, NULL, &r, &e) < 0);
	assert_msg(&e, "k: zstd: its window needs more than the 8 MiB memory cap");
	lim.mem_max = 16 << 20;
	assert_int_equal(inspect_lim(t, zn, &lim, NULL, &r, &e), 0);
	free(t);
	b_free(&out);
	b_free(&elf);
}

/* Xen's verdicts (libelf + libxenguest), with the reason when refused. */
static void check_verdict(const struct note *n, size_t k, int cls, bool pv, bool pvh,
			  const char *why_pv, const char *why_pvh)
{
	struct elfspec s = linux64;
	struct bytes elf;
	struct dl_kernel_report r;
	struct dl_error e;
	s.notes = n;
	s.nnotes = k;
	if (cls == 32) {
		s.cls = 32;
		s.vaddr = 0xc1000000;
	}
	build_elf(&elf, &s);
	assert_int_equal(inspect(&elf, NULL, &r, &e), 0);
	if (r.xen_pv != pv || r.xen_pvh != pvh)
		fail_msg("pv %d pvh %d: %s / %s", r.xen_pv, r.xen_pvh, r.why_not_pv, r.why_not_pvh);
	if (why_pv && !strstr(r.why_not_pv, why_pv))
		fail_msg("why_not_pv '%s' lacks '%s'", r.why_not_pv, why_pv);
	if (why_pvh && !strstr(r.why_not_pvh, why_pvh))
		fail_msg("why_not_pvh '%s' lacks '%s'", r.why_not_pvh, why_pvh);
	b_free(&elf);
}

static void test_verdicts(void **state)
{
	(void)state;
	struct note n[DL_ARRAY_SIZE(linux_notes)];
	size_t k = DL_ARRAY_SIZE(linux_notes);
	memcpy(n, linux_notes, sizeof(n));
	/* no notes */
	check_verdict(NULL, 0, 64, false, false, "no Xen ELF notes (XEN_ELFNOTE_ENTRY) and no __xen_guest",
		      "no Xen ELF notes");
	/* only other owners' notes */
	check_verdict(n + 11, 1, 64, false, false, "no Xen ELF notes", "no Xen ELF notes");
	/* PVH only: Linux without CONFIG_XEN_PV has no ENTRY note */
	n[5] = n[11];   /* ENTRY replaced by a second GNU note */
	check_verdict(n, k, 64, false, true, "no XEN_ELFNOTE_ENTRY: Linux built without CONFIG_XEN_PV", NULL);
	memcpy(n, linux_notes, sizeof(n));
	n[5].type = 99;   /* an unknown type: still a Xen note, ENTRY gone */
	check_verdict(n, k, 64, false, true, "no XEN_ELFNOTE_ENTRY", NULL);
	memcpy(n, linux_notes, sizeof(n));
	/* PV only */
	check_verdict(n, k - 1, 64, true, false, NULL, "no XEN_ELFNOTE_PHYS32_ENTRY");
	/* another system with the generic loader: Xen takes it (entry from the note) */
	n[0].desc = "NetBSD";
	n[0].descsz = 7;
	check_verdict(n, k, 64, true, true, NULL, NULL);
	n[9].desc = "other";
	n[9].descsz = 6;
	check_verdict(n, k, 64, false, true, "Xen loads only Linux or generic-loader kernels "
		      "(GUEST_OS 'NetBSD', LOADER 'other')", NULL);
	memcpy(n, linux_notes, sizeof(n));
	n[2].desc = "xen-2.0";
	check_verdict(n, k, 64, false, true, "XEN_VERSION is 'xen-2.0', not xen-3.0", NULL);
	memcpy(n, linux_notes, sizeof(n));
	/* required features */
	n[6].desc = "!dom0";
	n[6].descsz = 6;
	check_verdict(n, k, 64, false, false, "requires dom0", "requires dom0");
	n[6].desc = "writable_page_tables|!teleport";
	n[6].descsz = 31;
	check_verdict(n, k, 64, false, false, "FEATURES requires 'teleport', unknown to Xen", NULL);
	memcpy(n, linux_notes, sizeof(n));
	/* entry points outside the loaded image */
	static const uint64_t bad_entry = 0xffffffff90000000ull;
	static const uint32_t bad_phys = 0x200;
	n[5].desc = &bad_entry;
	check_verdict(n, k, 64, false, true, "the entry point 0xffffffff90000000 lies outside the kernel "
		      "image 0xffffffff81000000-0xffffffff83000000", NULL);
	memcpy(n, linux_notes, sizeof(n));
	n[12].desc = &bad_phys;
	n[12].descsz = 4;
	check_verdict(n, k, 64, true, false, NULL, "PHYS32_ENTRY 0x200 lies outside");
	memcpy(n, linux_notes, sizeof(n));
	/* P2M inside the image */
	static const uint64_t bad_p2m = 0xffffffff81800000ull;
	n[4].desc = &bad_p2m;
	check_verdict(n, k, 64, false, true, "INIT_P2M 0xffffffff81800000 lies inside", NULL);
	memcpy(n, linux_notes, sizeof(n));
	/* PADDR_OFFSET without VIRT_BASE */
	n[3].type = 0;
	check_verdict(n, k, 64, false, true, "PADDR_OFFSET is set but VIRT_BASE is not", NULL);
	/* 32-bit: PAE needed for PV */
	static const uint32_t e32 = 0xc1002000, b32 = 0xc0000000, z32 = 0;
	struct note n32[] = {
		NOTE_S(DL_XEN_ELFNOTE_GUEST_OS, "linux"), NOTE_S(DL_XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
		NOTE_N(DL_XEN_ELFNOTE_VIRT_BASE, b32), NOTE_N(DL_XEN_ELFNOTE_PADDR_OFFSET, z32),
		NOTE_N(DL_XEN_ELFNOTE_ENTRY, e32), NOTE_S(DL_XEN_ELFNOTE_PAE_MODE, "yes"),
	};
	check_verdict(n32, DL_ARRAY_SIZE(n32), 32, true, false, NULL, "no XEN_ELFNOTE_PHYS32_ENTRY");
	check_verdict(n32, DL_ARRAY_SIZE(n32) - 1, 32, false, false, "a 32-bit kernel without PAE", NULL);
	n32[5].desc = "bimodal";
	n32[5].descsz = 8;
	check_verdict(n32, DL_ARRAY_SIZE(n32), 32, true, false, NULL, NULL);
}

static void test_not_x86(void **state)
{
	(void)state;
	struct elfspec s = linux64;
	struct bytes elf;
	struct dl_kernel_report r;
	struct dl_error e;
	s.machine = 183;   /* aarch64 */
	build_elf(&elf, &s);
	assert_int_equal(inspect(&elf, NULL, &r, &e), 0);
	assert_false(r.xen_pv || r.xen_pvh);
	assert_string_equal(r.why_not_pv, "not an x86 kernel (ELF machine 183)");
	/* big-endian */
	elf.p[5] = 2;
	assert_int_equal(inspect(&elf, NULL, &r, &e), 0);
	assert_true(r.elf);
	assert_string_equal(r.why_not_pvh, "ELF: a big-endian ELF, not an x86 kernel");
	b_free(&elf);
}

/* SHT_NOTE fallback and the legacy section, from a stream in small chunks
 * (4 KiB lzop blocks): ranges found behind the stream need more passes. */
static void test_sections_and_passes(void **state)
{
	(void)state;
	struct dl_kernel_report r;
	struct dl_error e;
	struct elfspec s = linux64;
	s.notes_in_section = true;   /* no PT_NOTE: Xen falls back to SHT_NOTE sections */
	s.size = 64 << 10;
	struct bytes elf, z = { 0 }, out = { 0 };
	build_elf(&elf, &s);
	lzop_to(&z, elf.p, elf.n, 4096, 1);
	assert_int_equal(inspect(&z, NULL, &r, &e), 0);
	assert_true(r.xen_pv && r.xen_pvh);
	assert_string_equal(r.xen.source, "SHT_NOTE");
	assert_int_equal(r.passes, 2);
	/* with out: one pass writes everything, the second finds the notes */
	assert_int_equal(inspect(&z, &out, &r, &e), 0);
	assert_int_equal(r.passes, 2);
	assert_int_equal(out.n, elf.n);
	assert_true(r.xen_pv);
	b_free(&z);
	b_free(&elf);

	/* legacy: __xen_guest early, the names in the middle, headers at the end */
	s = linux64;
	s.nnotes = 0;
	s.size = 64 << 10;
	s.guest = "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
		  "ELF_PADDR_OFFSET=0x0,VIRT_ENTRY=0xffffffff81000400,HYPERCALL_PAGE=0x1002,"
		  "LOADER=generic,PAE=yes[extended-cr3],A_NAME_LONGER_THAN_THIRTY_ONE_BYTES=1";
	s.guest_at = 0x2000;
	s.shstrtab_at = 0x8000;
	build_elf(&elf, &s);
	lzop_to(&z, elf.p, elf.n, 4096, 1);
	assert_int_equal(inspect(&z, NULL, &r, &e), 0);
	assert_true(r.xen_pv);
	assert_false(r.xen_pvh);
	assert_string_equal(r.why_not_pvh, "no Xen ELF notes (XEN_ELFNOTE_PHYS32_ENTRY)");
	assert_string_equal(r.xen.source, "__xen_guest");
	assert_int_equal(r.passes, 3);
	assert_int_equal(r.xen.num[DL_XEN_ELFNOTE_HYPERCALL_PAGE], 0xffffffff80000000ull + 0x1002000);
	assert_int_equal(r.xen.num[DL_XEN_ELFNOTE_ENTRY], 0xffffffff81000400ull);
	assert_string_equal(r.xen.pae_mode, "yes[extended-cr3]");
	assert_string_equal(r.xen.guest_version, "2.6");
	/* the same ELF read directly: no passes */
	assert_int_equal(inspect(&elf, NULL, &r, &e), 0);
	assert_true(r.xen_pv);
	assert_int_equal(r.passes, 0);
	/* legacy without ELF_PADDR_OFFSET: it defaults to VIRT_BASE (not 0 as
	 * with notes), so the image starts at its physical address, below
	 * VIRT_BASE: Xen refuses it */
	b_free(&elf);
	s.guest = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,LOADER=generic";
	build_elf(&elf, &s);
	assert_int_equal(inspect(&elf, NULL, &r, &e), 0);
	assert_false(r.xen_pv);
	assert_string_equal(r.why_not_pv, "VIRT_BASE 0xffffffff80000000 lies above the kernel image "
			    "0x1000000-0x3000000");
	b_free(&elf);
	b_free(&z);
	b_free(&out);
}

/* The ELF reader gives the same answer whatever the chunking. */
/* header_only (libxl's runs: no guest type, no JSON): a compressed
 * kernel's stream stops after the ELF header; its notes, 2 MiB in, are
 * not reached and nothing is claimed about them.  Without it the same
 * kernel is read up to its notes and judged. */
static void test_header_only(void **state)
{
	(void)state;
	struct elfspec s = linux64;
	s.notes_at = 2 << 20;
	s.size = 3 << 20;
	struct bytes elf, bz;
	build_elf(&elf, &s);
	for (int f = 0; f < F_COUNT; f++) {
		struct bytes z = { 0 };
		struct dl_kernel_report r;
		struct dl_error e;
		compress_to(&z, (enum fmt)f, elf.p, elf.n);
		build_bzimage(&bz, &z, elf.n, f == F_GZIP, 0x20f);
		struct dl_kernel_limits lim = { .header_only = true };
		if (inspect_lim(bz.p, bz.n, &lim, NULL, &r, &e))
			fail_msg("%s: %s", fmt_name[f], e.msg);
		assert_string_equal(r.format, "bzImage");
		assert_string_equal(r.compression, fmt_name[f]);
		assert_true(r.elf);
		assert_int_equal(r.elf_machine, 62);
		assert_int_equal(r.elf_class, 64);
		if (f == F_LZ4) {
			/* Linux's lz4 legacy frames decode 8 MiB blocks: the
			 * notes came with the header, and are judged. */
			assert_false(r.notes_unread);
			assert_true(r.xen_pv);
			b_free(&z);
			b_free(&bz);
			continue;
		}
		if (!r.notes_unread)
			fail_msg("%s: the notes were read (%llu work units, %u passes)", fmt_name[f],
				 (unsigned long long)r.work, r.passes);
		assert_false(r.xen_pv);
		assert_false(r.xen_pvh);
		assert_string_equal(r.why_not_pv, "Xen notes not read");
		assert_int_equal(r.passes, 1);
		if (r.work >= (1u << 20))
			fail_msg("%s: %llu work units before the notes were skipped", fmt_name[f],
				 (unsigned long long)r.work);
		assert_int_equal(inspect_lim(bz.p, bz.n, NULL, NULL, &r, &e), 0);
		assert_false(r.notes_unread);
		assert_true(r.xen_pv);
		assert_true(r.xen_pvh);
		assert_true(r.work > (2u << 20));
		b_free(&z);
		b_free(&bz);
	}
	/* An uncompressed ELF is read where its notes are: judged either way. */
	struct dl_kernel_limits lim = { .header_only = true };
	struct dl_kernel_report r;
	struct dl_error e;
	assert_int_equal(inspect_lim(elf.p, elf.n, &lim, NULL, &r, &e), 0);
	assert_false(r.notes_unread);
	assert_true(r.xen_pv);
	b_free(&elf);
}

static void test_chunks(void **state)
{
	(void)state;
	struct bytes elf;
	struct elfspec s = linux64;
	s.sections = true;
	s.size = 0x3000;
	static const size_t sizes[] = { 1, 3, 7, 64, 4096 };
	for (int cls = 32; cls <= 64; cls += 32) {
		s.cls = cls;
		s.vaddr = cls == 32 ? 0xc1000000 : linux64.vaddr;
		build_elf(&elf, &s);
		for (size_t i = 0; i < DL_ARRAY_SIZE(sizes); i++) {
			struct dl_kernel_report r;
			struct kelf k;
			memset(&r, 0, sizeof(r));
			kelf_init(&k, &r);
			for (size_t off = 0; off < elf.n; off += sizes[i])
				kelf_feed(&k, off, elf.p + off, DL_MIN(sizes[i], elf.n - off));
			assert_false(kelf_wants(&k, 0));   /* nothing was missed */
			kelf_end(&k, elf.n);
			kelf_decide(&k);
			assert_int_equal(r.elf_class, cls);
			assert_int_equal(r.xen.count, 12);
			assert_true(r.xen_pvh);
			kelf_free(&k);
		}
		if (cls == 32)
			b_free(&elf);
	}
	/* an ELF cut inside its notes */
	struct dl_kernel_report r;
	struct dl_error e;
	assert_int_equal(inspect_lim(elf.p, 0x1010, NULL, NULL, &r, &e), 0);
	assert_false(r.xen_pv);
	assert_string_equal(r.why_not_pv, "ELF: truncated: the PT_NOTE segment at offset 0x1000 runs past "
			    "the end (4112 bytes)");
	b_free(&elf);
}

/* Several gzip members, xz streams, zstd frames, lz4 legacy frames: one
 * output; data after the last one is ignored. */
static void test_concatenated(void **state)
{
	(void)state;
	struct bytes elf;
	build_elf(&elf, &linux64);
	size_t half = elf.n / 2;
	static const enum fmt fs[] = { F_GZIP, F_BZIP2, F_XZ, F_ZSTD, F_LZ4 };
	for (size_t i = 0; i < DL_ARRAY_SIZE(fs); i++) {
		struct bytes z = { 0 }, out = { 0 };
		struct dl_kernel_report r;
		struct dl_error e;
		compress_to(&z, fs[i], elf.p, half);
		compress_to(&z, fs[i], elf.p + half, elf.n - half);
		if (fs[i] != F_LZ4)
			b_add(&z, "trailing", 8);
		if (inspect(&z, &out, &r, &e))
			fail_msg("%s: %s", fmt_name[fs[i]], e.msg);
		assert_int_equal(out.n, elf.n);
		assert_memory_equal(out.p, elf.p, elf.n);
		b_free(&z);
		b_free(&out);
	}
	b_free(&elf);
}

/* lzop's options (CRC-32 and compressed-data checksums, stored blocks),
 * and what it refuses. */
static void test_lzop(void **state)
{
	(void)state;
	struct bytes elf, z = { 0 }, out = { 0 };
	struct dl_kernel_report r;
	struct dl_error e;
	build_elf(&elf, &linux64);
	for (size_t i = 0; i < 4096; i++)   /* an incompressible stretch: a stored block */
		elf.p[0x2000 + i] = (uint8_t)(i * 2654435761u >> 13);
	lzop_to(&z, elf.p, elf.n, 4096, 0x1000 | 0x100 | 0x200 | 2 | 1);
	assert_int_equal(inspect(&z, &out, &r, &e), 0);
	assert_int_equal(out.n, elf.n);
	assert_memory_equal(out.p, elf.p, elf.n);
	/* a corrupt header checksum */
	z.p[20] ^= 1;
	assert_true(inspect(&z, NULL, &r, &e) < 0);
	assert_msg(&e, "k: lzo: corrupt lzop header (checksum");
	b_free(&z);
	/* a filter */
	lzop_to(&z, elf.p, elf.n, 4096, 0x800 | 1);
	assert_true(inspect(&z, NULL, &r, &e) < 0);
	assert_int_equal(e.code, DL_EUNSUPPORTED);
	assert_msg(&e, "lzop filters");
	b_free(&z);
	/* a wrong data checksum */
	lzop_to(&z, elf.p, elf.n, 4096, 1);
	z.p[47] ^= 1;   /* the first block's Adler-32: after a 38-byte header, dst_len, src_len */
	assert_true(inspect(&z, NULL, &r, &e) < 0);
	assert_msg(&e, "Adler-32 mismatch");
	b_free(&z);
	/* a block over 256 KiB */
	lzop_to(&z, elf.p, elf.n, 4096, 1);
	z.p[38] = 0x10;   /* the first dst_len: 0x10xxxxxx */
	assert_true(inspect(&z, NULL, &r, &e) < 0);
	assert_msg(&e, "k: lzo: corrupt block header");
	b_free(&z);
	b_free(&out);
	b_free(&elf);
}

/* Legacy lz4: the size trailer ends the stream; a block cut short or of
 * an impossible size is an error. */
static void test_lz4(void **state)
{
	(void)state;
	struct bytes elf, z = { 0 }, out = { 0 };
	struct dl_kernel_report r;
	struct dl_error e;
	build_elf(&elf, &linux64);
	lz4_to(&z, elf.p, elf.n, 1 << 12);
	b_le(&z, elf.n, 4);
	assert_int_equal(inspect(&z, &out, &r, &e), 0);
	assert_int_equal(out.n, elf.n);
	/* four bytes that are not the size: a block announced, not there */
	z.p[z.n - 1] ^= 1;
	assert_int_equal(inspect(&z, NULL, &r, &e), 0);   /* inspection stops early */
	assert_true(inspect(&z, &out, &r, &e) < 0);
	assert_msg(&e, "k: lz4: truncated");
	z.n -= 4;
	b_le(&z, 0x7fffffff, 4);
	b_add(&z, "xxxx", 4);
	assert_true(inspect(&z, &out, &r, &e) < 0);
	assert_msg(&e, "k: lz4: corrupt block size 2147483647");
	b_free(&z);
	b_free(&out);
	b_free(&elf);
}

static void test_not_a_kernel(void **state)
{
	(void)state;
	struct bytes txt = { 0 }, z = { 0 }, out = { 0 };
	struct dl_kernel_report r;
	struct dl_error e;
	for (int i = 0; i < 200; i++)
		b_add(&txt, "not a kernel, just text\n", 24);
	compress_to(&z, F_GZIP, txt.p, txt.n);
	assert_int_equal(inspect(&z, NULL, &r, &e), 0);
	assert_string_equal(r.format, "unknown");
	assert_string_equal(r.compression, "gzip");
	assert_false(r.elf);
	assert_string_equal(r.why_not_pv, "the compressed data is not an ELF kernel");
	assert_true(inspect(&z, &out, &r, &e) < 0);
	assert_msg(&e, "k: the gzip data does not hold an ELF kernel (it starts with 6e 6f 74 20)");
	assert_int_equal(out.n, 0);
	/* plain text */
	assert_int_equal(inspect(&txt, NULL, &r, &e), 0);
	assert_string_equal(r.format, "unknown");
	assert_string_equal(r.compression, "none");
	assert_string_equal(r.why_not_pv, "not a bzImage, an ELF or a compressed ELF kernel");
	assert_true(inspect(&txt, &out, &r, &e) < 0);
	assert_int_equal(e.code, DL_EUNSUPPORTED);
	/* a bzImage too old to have payload fields */
	struct bytes bz;
	build_bzimage(&bz, &z, txt.n, true, 0x207);
	assert_int_equal(inspect(&bz, NULL, &r, &e), 0);
	assert_string_equal(r.format, "bzImage");
	assert_string_equal(r.why_not_pv, "boot protocol 2.07 predates the payload fields (2.08, Linux 2.6.26)");
	assert_true(inspect(&bz, &out, &r, &e) < 0);
	b_free(&bz);
	/* an unknown payload format */
	build_bzimage(&bz, &txt, txt.n, false, 0x20f);
	assert_true(inspect(&bz, NULL, &r, &e) < 0);
	assert_msg(&e, "k: bzImage payload: unknown compression (it starts with 6e 6f 74 20)");
	b_free(&bz);
	b_free(&z);
	b_free(&txt);
	b_free(&out);
}

/* A read callback that returns less than asked before the end of the
 * file breaks its contract: an error, not a silently shorter kernel. */
static void test_short_reads(void **state)
{
	(void)state;
	struct bytes elf, z = { 0 };
	build_elf(&elf, &linux64);
	compress_to(&z, F_XZ, elf.p, elf.n);
	struct mem m = { z.p, z.n, 7 };
	struct dl_kernel_src src = { "k", z.n, mem_read, &m };
	struct dl_kernel_report r;
	struct dl_error e = { 0 };
	assert_true(dl_kernel_inspect(&src, NULL, NULL, NULL, &r, &e) < 0);
	assert_msg(&e, "k: short read at offset 0");
	b_free(&z);
	b_free(&elf);
}

/* ---- fuzz seeds: the harness's mode byte, then the kernel ---- */

static void seed(const char *dir, const char *name, uint8_t mode, const struct bytes *b)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(&mode, 1, 1, f) != 1 || fwrite(b->p, 1, b->n, f) != b->n || fclose(f)) {
		perror(p);
		exit(1);
	}
}

static int write_seeds(const char *dir)
{
	struct elfspec s = linux64;
	s.notes_at = 0x200;
	s.size = 0x600;
	struct bytes elf, z = { 0 }, bz;
	build_elf(&elf, &s);
	seed(dir, "seed-elf64-linux-notes", 1, &elf);
	for (int f = 0; f < F_COUNT; f++) {
		char n[64];
		z.n = 0;
		compress_to(&z, (enum fmt)f, elf.p, elf.n);
		snprintf(n, sizeof(n), "seed-%s-elf64", fmt_name[f]);
		seed(dir, n, 2, &z);
		build_bzimage(&bz, &z, elf.n, f == F_GZIP, 0x20f);
		snprintf(n, sizeof(n), "seed-bzimage-%s", fmt_name[f]);
		seed(dir, n, 1, &bz);
		b_free(&bz);
	}
	b_free(&elf);
	s = linux64;
	s.nnotes = 0;
	s.size = 0x800;
	s.guest = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xc0000000,HYPERCALL_PAGE=0x2,LOADER=generic";
	s.notes_at = 0x100;
	s.guest_at = 0x200;
	s.shstrtab_at = 0x400;
	s.cls = 32;
	build_elf(&elf, &s);
	z.n = 0;
	lzop_to(&z, elf.p, elf.n, 512, 0x1000 | 0x100 | 0x200 | 2 | 1);
	seed(dir, "seed-lzo-small-blocks-legacy32", 2, &z);
	b_free(&z);
	b_free(&elf);
	/* notes only in an SHT_NOTE section (Xen's fallback), directly and in
	 * small lzop blocks (a second pass) */
	s = linux64;
	s.notes_in_section = true;
	s.notes_at = 0x100;
	s.size = 0x600;
	build_elf(&elf, &s);
	seed(dir, "seed-elf64-sht-note", 1, &elf);
	lzop_to(&z, elf.p, elf.n, 256, 1);
	seed(dir, "seed-lzo-sht-note-passes", 2, &z);
	b_free(&z);
	/* an uncompressed ELF as a bzImage payload */
	build_bzimage(&bz, &elf, elf.n, true, 0x20f);
	seed(dir, "seed-bzimage-uncompressed", 1, &bz);
	b_free(&bz);
	/* a bomb: the ELF, then 20 MiB of zeros (the ratio cap) */
	b_zero(&elf, 20 << 20);
	compress_to(&z, F_ZSTD, elf.p, elf.n);
	seed(dir, "seed-zstd-bomb", 2, &z);
	b_free(&z);
	b_free(&elf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--seeds"))
		return write_seeds(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bzimage),
		cmocka_unit_test(test_elf_notes),
		cmocka_unit_test(test_other_formats),
		cmocka_unit_test(test_elf_direct),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_not_x86),
		cmocka_unit_test(test_sections_and_passes),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_lzop),
		cmocka_unit_test(test_lz4),
		cmocka_unit_test(test_not_a_kernel),
		cmocka_unit_test(test_short_reads),
	};
	return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
