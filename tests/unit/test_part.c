/* Unit tests for src/part: partition tables, LVM, qcow2, names, listing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "part/part_int.h"
#include "helper.h"

#include <errno.h>
#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

#define MiB (1024 * 1024)

/* A failure: a negative errno, the one of the class err was filled with. */
#define assert_failed(call, errp) do { \
		int r_ = (call); \
		assert_true(r_ < 0); \
		assert_int_equal(r_, -dl_code_errno((errp)->code)); \
	} while (0)

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void be32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (24 - 8 * i)); }
static void be64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (56 - 8 * i)); }

static void mbr_entry(uint8_t *sec, int i, uint8_t boot, uint8_t type, uint32_t start, uint32_t n)
{
	uint8_t *p = sec + 446 + 16 * i;
	p[0] = boot;
	p[4] = type;
	put32(p + 8, start);
	put32(p + 12, n);
	sec[510] = 0x55;
	sec[511] = 0xaa;
}

static struct dl_disk *mem(uint8_t *buf, size_t len)
{
	return dl_disk_from_mem(buf, len, "mem.img");
}

/* MBR: primary 1, extended 2 with three logical partitions (5, 6, 7). */
static uint8_t *mbr_image(size_t *len)
{
	*len = 16 * MiB;
	uint8_t *b = calloc(1, *len);
	put32(b + 440, 0x12345678);
	mbr_entry(b, 0, 0x80, 0x83, 2048, 2048);
	mbr_entry(b, 1, 0, 0x05, 4096, 8192);
	/* EBRs at 4096, 6144, 8192 (relative links 2048, 4096). */
	uint32_t ebr[3] = { 4096, 6144, 8192 };
	for (int i = 0; i < 3; i++) {
		uint8_t *s = b + (size_t)ebr[i] * 512;
		mbr_entry(s, 0, 0, i == 1 ? 0x82 : 0x83, 100, 1000 + (uint32_t)i);
		if (i < 2)
			mbr_entry(s, 1, 0, 0x05, ebr[i + 1] - 4096, 2048);
	}
	return b;
}

static void test_mbr_logical(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = mbr_image(&len);
	struct dl_disk *d = mem(b, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_string_equal(t.scheme, "dos");
	assert_int_equal(t.n, 4);
	int no[4] = { 1, 5, 6, 7 };
	uint64_t start[4] = { 2048, 4196, 6244, 8292 }, size[4] = { 2048, 1000, 1001, 1002 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(t.e[i].partno, no[i]);
		assert_int_equal(t.e[i].start, start[i] * 512);
		assert_int_equal(t.e[i].size, size[i] * 512);
	}
	assert_string_equal(t.e[0].uuid, "12345678-01");
	assert_string_equal(t.e[3].uuid, "12345678-07");
	assert_string_equal(t.e[2].type, "0x82");
	assert_true(t.e[0].bootable);
	assert_string_equal(t.note, "");
	dl_ptable_free(&t);
	dl_disk_free(d);
	free(b);
}

static void test_ebr_loop_and_backward(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = mbr_image(&len);
	/* Last EBR links back to the second: a loop. */
	mbr_entry(b + 8192 * 512, 1, 0, 0x05, 2048, 2048);
	struct dl_disk *d = mem(b, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_int_equal(t.n, 4);
	assert_string_equal(t.note, "extended partition chain loops at sector 8192 (link to sector 6144); "
			    "later logical partitions ignored");
	dl_ptable_free(&t);
	/* Second EBR links back to a sector that is no EBR: backward link. */
	mbr_entry(b + 6144 * 512, 1, 0, 0x05, 1, 2048);
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.note, "extended partition chain links backwards at sector 6144 (link to sector 4097); "
			    "later logical partitions ignored");
	dl_ptable_free(&t);
	dl_disk_free(d);
	free(b);
}

static void test_ebr_chain_cap(void **state)
{
	(void)state;
	size_t len = 8 * MiB;
	uint8_t *b = calloc(1, len);
	mbr_entry(b, 0, 0, 0x0f, 64, 16000);
	for (uint32_t i = 0; i < 200; i++) {
		uint8_t *s = b + (size_t)(64 + i * 64) * 512;
		mbr_entry(s, 0, 0, 0x83, 1, 8);
		mbr_entry(s, 1, 0, 0x05, (i + 1) * 64, 64);
	}
	struct dl_disk *d = mem(b, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_int_equal(t.n, DL_MAX_LOGICAL);
	assert_int_equal(t.e[t.n - 1].partno, 4 + DL_MAX_LOGICAL);
	assert_non_null(strstr(t.note, "longer than 128"));
	dl_ptable_free(&t);
	dl_disk_free(d);
	free(b);
}

static void test_mbr_outside(void **state)
{
	(void)state;
	size_t len = 1 * MiB;
	uint8_t *b = calloc(1, len);
	mbr_entry(b, 0, 0, 0x83, 2048, 100); /* starts at the end */
	struct dl_disk *d = mem(b, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_int_equal(err.code, DL_EBADIMAGE);
	assert_string_equal(err.msg, "mem.img: dos partition 1 (sectors 2048-2147 of 512 bytes) lies outside "
			    "the disk (1048576 bytes)");
	dl_ptable_free(&t);
	/* A logical partition reaching past its extended partition: accepted
	 * (as Linux does) while inside the disk, refused past the disk. */
	memset(b, 0, len);
	mbr_entry(b, 1, 0, 0x05, 64, 100);
	mbr_entry(b + 64 * 512, 0, 0, 0x83, 2, 200);
	dl_error_clear(&err);
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.e[0].partno, 5);
	assert_int_equal(t.e[0].start, 66 * 512);
	dl_ptable_free(&t);
	mbr_entry(b + 64 * 512, 0, 0, 0x83, 2, 5000);
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_string_equal(err.msg, "mem.img: dos partition 5 (sectors 66-5065 of 512 bytes) lies outside "
			    "the disk (1048576 bytes)");
	dl_ptable_free(&t);
	/* Boot flags other than 0/0x80: not an MBR; a FAT boot sector neither. */
	memset(b, 0, len);
	mbr_entry(b, 0, 0x12, 0x83, 2048, 100000);
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_string_equal(t.scheme, "");
	dl_ptable_free(&t);
	memset(b, 0, len);
	memcpy(b + 0x52, "FAT32   ", 8);
	mbr_entry(b, 0, 0, 0x83, 2048, 100000);
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_string_equal(t.scheme, "");
	dl_ptable_free(&t);
	dl_disk_free(d);
	free(b);
}

/* A GPT image with sector size ss: entries at LBA 2, nent entries of esz
 * bytes, partitions given as (first, last) pairs. */
static void gpt_write(uint8_t *b, size_t len, unsigned ss, uint32_t nent, uint32_t esz, const uint64_t (*parts)[2],
		      int np, bool pmbr)
{
	uint64_t nsec = len / ss;
	uint64_t asec = ((uint64_t)nent * esz + ss - 1) / ss;
	if (pmbr)
		mbr_entry(b, 0, 0, 0xee, 1, (uint32_t)DL_MIN(nsec - 1, 0xffffffffu));
	uint8_t *arr = calloc(1, (size_t)nent * esz);
	for (int i = 0; i < np; i++) {
		uint8_t *e = arr + (size_t)i * esz;
		memset(e, 0x11, 16);
		for (int k = 0; k < 16; k++)
			e[16 + k] = (uint8_t)(0xa0 + i + k);
		put64(e + 32, parts[i][0]);
		put64(e + 40, parts[i][1]);
		const char *nm = i == 0 ? "boot" : "root\xe2";
		for (int k = 0; nm[k]; k++)
			put16(e + 56 + 2 * k, (uint8_t)nm[k]);
	}
	put16(arr + 56 + 8, 0x00e9); /* partition 1 name "boot" + U+00E9 */
	uint32_t acrc = dl_crc32(arr, (size_t)nent * esz);
	for (int copy = 0; copy < 2; copy++) {
		uint64_t my = copy ? nsec - 1 : 1, alt = copy ? 1 : nsec - 1;
		uint64_t elba = copy ? nsec - 1 - asec : 2;
		uint8_t *h = b + my * ss;
		memcpy(h, "EFI PART", 8);
		put32(h + 8, 0x10000);
		put32(h + 12, 92);
		put64(h + 24, my);
		put64(h + 32, alt);
		put64(h + 40, 2 + asec);
		put64(h + 48, nsec - 2 - asec);
		put64(h + 72, elba);
		put32(h + 80, nent);
		put32(h + 84, esz);
		put32(h + 88, acrc);
		put32(h + 16, 0);
		put32(h + 16, dl_crc32(h, 92));
		memcpy(b + elba * ss, arr, (size_t)nent * esz);
	}
	free(arr);
}

static void test_gpt(void **state)
{
	(void)state;
	size_t len = 4 * MiB;
	uint8_t *b = calloc(1, len);
	const uint64_t parts[2][2] = { { 34, 1000 }, { 2048, 4095 } };
	gpt_write(b, len, 512, 128, 128, parts, 2, true);
	mbr_entry(b, 1, 0x80, 0x83, 2048, 2048); /* hybrid MBR: the GPT wins */
	struct dl_disk *d = mem(b, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_string_equal(t.scheme, "gpt");
	assert_int_equal(t.sector, 512);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.e[0].partno, 1);
	assert_int_equal(t.e[0].start, 34 * 512);
	assert_int_equal(t.e[0].size, 967 * 512);
	assert_int_equal(t.e[1].start, 2048 * 512);
	assert_int_equal(t.e[1].size, 2048 * 512);
	assert_string_equal(t.e[0].type, "11111111-1111-1111-1111-111111111111");
	assert_string_equal(t.e[0].uuid, "a3a2a1a0-a5a4-a7a6-a8a9-aaabacadaeaf");
	assert_string_equal(t.e[0].name, "boot\xc3\xa9");
	assert_string_equal(t.e[1].name, "root\xc3\xa2");
	assert_string_equal(t.note, "");
	dl_ptable_free(&t);

	/* Corrupt primary header CRC: the backup is used, with a note. */
	b[512 + 40] ^= 1;
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_string_equal(t.scheme, "gpt");
	assert_int_equal(t.n, 2);
	assert_string_equal(t.note, "primary GPT header has a bad checksum; using the backup at LBA 8191");
	dl_ptable_free(&t);
	/* Primary wiped entirely (no signature): still found through the PMBR. */
	memset(b + 512, 0, 512);
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.note, "primary GPT header has no signature; using the backup at LBA 8191");
	dl_ptable_free(&t);
	/* Both gone: protective MBR without GPT is an error. */
	memset(b + len - 512, 0, 512);
	mbr_entry(b, 1, 0, 0, 0, 0);
	assert_int_equal(dl_ptable_read(d, &t, &err), -EUCLEAN);
	assert_string_equal(err.msg, "mem.img: protective MBR but no valid GPT header");
	dl_ptable_free(&t);

	/* Entry array corrupt in the primary: backup. */
	memset(b, 0, len);
	gpt_write(b, len, 512, 128, 128, parts, 2, true);
	b[2 * 512 + 40] ^= 0xff;
	dl_error_clear(&err);
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_int_equal(t.e[0].start, 34 * 512);
	assert_string_equal(t.note, "primary GPT header entry array has a bad checksum; using the backup at LBA 8191");
	dl_ptable_free(&t);
	dl_disk_free(d);
	free(b);
}

static void test_gpt_rejects(void **state)
{
	(void)state;
	size_t len = 4 * MiB;
	uint8_t *b = calloc(1, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	struct dl_disk *d = mem(b, len);
	const uint64_t parts[1][2] = { { 40, 100 } };
	/* Entry size 64 (the libfdisk 2.38 over-read), valid CRCs everywhere. */
	gpt_write(b, len, 512, 128, 64, parts, 1, true);
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_string_equal(err.msg, "mem.img: GPT is corrupt (primary header has a bad entry size, no valid backup)");
	dl_ptable_free(&t);
	/* Entry size not a multiple of 8. */
	memset(b, 0, len);
	gpt_write(b, len, 512, 16, 132, parts, 1, true);
	dl_error_clear(&err);
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_non_null(strstr(err.msg, "bad entry size"));
	dl_ptable_free(&t);
	/* Too many entries. */
	memset(b, 0, len);
	gpt_write(b, 64 * MiB > len ? len : len, 512, 4104, 128, parts, 1, true);
	dl_error_clear(&err);
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_non_null(strstr(err.msg, "too many entries"));
	dl_ptable_free(&t);
	/* A partition past the end of the disk. */
	memset(b, 0, len);
	const uint64_t past[1][2] = { { 40, 9000 } };
	gpt_write(b, len, 512, 128, 128, past, 1, true);
	dl_error_clear(&err);
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_string_equal(err.msg, "mem.img: gpt partition 1 (sectors 40-9000 of 512 bytes) lies outside the disk "
			    "(4194304 bytes)");
	dl_ptable_free(&t);
	/* last < first. */
	memset(b, 0, len);
	const uint64_t rev[1][2] = { { 400, 100 } };
	gpt_write(b, len, 512, 128, 128, rev, 1, true);
	dl_error_clear(&err);
	assert_failed(dl_ptable_read(d, &t, &err), &err);
	assert_string_equal(err.msg, "mem.img: gpt partition 1 ends (LBA 100) before it starts (LBA 400)");
	dl_ptable_free(&t);
	dl_disk_free(d);
	free(b);
}

static void test_gpt_4k(void **state)
{
	(void)state;
	size_t len = 8 * MiB;
	uint8_t *b = calloc(1, len);
	const uint64_t parts[1][2] = { { 256, 511 } };
	gpt_write(b, len, 4096, 128, 128, parts, 1, true);
	struct dl_disk *d = mem(b, len);
	struct dl_ptable t;
	struct dl_error err = { 0 };
	assert_int_equal(dl_ptable_read(d, &t, &err), 0);
	assert_string_equal(t.scheme, "gpt");
	assert_int_equal(t.sector, 4096);
	assert_int_equal(t.e[0].start, 256 * 4096);
	assert_int_equal(t.e[0].size, 256 * 4096);
	dl_ptable_free(&t);
	/* Through the set: volume named xvda1, disk sector size updated. */
	struct dl_disk_set set = { 0 };
	dl_diskset_add(&set, d);
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_int_equal(set.nvols, 1);
	assert_string_equal(set.vols[0].name, "xvda1");
	assert_string_equal(set.vols[0].grub, "hd0,gpt1");
	assert_int_equal(d->sector, 4096);
	dl_diskset_free(&set);
	free(b);
}

/* LVM's calc_crc, bit by bit. */
static uint32_t lvm_crc_ref(uint32_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0xedb88320u : 0);
	}
	return crc;
}

static void test_lvm_crc(void **state)
{
	(void)state;
	uint8_t buf[1000];
	for (int i = 0; i < 1000; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(dl_lvm_crc(DL_LVM_INITIAL_CRC, buf, sizeof(buf)),
			 lvm_crc_ref(DL_LVM_INITIAL_CRC, buf, sizeof(buf)));
	assert_int_equal(dl_lvm_crc(DL_LVM_INITIAL_CRC, buf, 0), DL_LVM_INITIAL_CRC);
	/* Chaining equals one pass. */
	assert_int_equal(dl_lvm_crc(dl_lvm_crc(DL_LVM_INITIAL_CRC, buf, 300), buf + 300, 700),
			 lvm_crc_ref(DL_LVM_INITIAL_CRC, buf, sizeof(buf)));
}

static const char *meta_fmt =
	"# Generated by LVM2\n"
	"%s {\n"
	"id = \"abcdef-ghij-klmn-opqr-stuv-wxyz-012345\"\n"
	"seqno = %d\n"
	"format = \"lvm2\"\n"
	"status = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n"
	"extent_size = 2048\t# 1 Megabytes\n"
	"physical_volumes {\n"
	"pv0 {\n id = \"AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAA0\"\n device = \"/dev/xvda2\"\n"
	" dev_size = 8192\n pe_start = 2048\n pe_count = 3\n}\n"
	"pv1 {\n id = \"AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAA1\"\n pe_start = 2048\n pe_count = 3\n %s}\n"
	"}\n"
	"logical_volumes {\n"
	"root {\n id = \"x\"\n status = [\"READ\", \"WRITE\", \"VISIBLE\"]\n flags = []\n"
	" creation_time = 1700000000\n segment_count = 2\n"
	" segment2 {\n start_extent = 1\n extent_count = 1\n type = \"striped\"\n stripe_count = 1\n"
	"  stripes = [\n\"pv1\", 2\n]\n }\n"
	" segment1 {\n start_extent = 0\n extent_count = 1\n type = \"striped\"\n stripe_count = 1\n"
	"  stripes = [\"pv0\", 0]\n }\n"
	"}\n"
	"my-data {\n id = \"y\"\n status = [\"READ\", \"VISIBLE\"]\n segment_count = 1\n"
	" segment1 {\n start_extent = 0\n extent_count = 4\n type = \"striped\"\n stripe_count = 2\n"
	"  stripe_size = 128\n stripes = [\"pv0\", 1, \"pv1\", 0]\n }\n"
	"}\n"
	"hidden {\n id = \"z\"\n status = [\"READ\"]\n segment_count = 1\n"
	" segment1 {\n start_extent = 0\n extent_count = 1\n type = \"striped\"\n stripes = [\"pv0\", 2]\n }\n}\n"
	"thin {\n id = \"t\"\n status = [\"READ\", \"VISIBLE\"]\n segment_count = 1\n"
	" segment1 {\n start_extent = 0\n extent_count = 8\n type = \"thin\"\n thin_pool = \"pool\"\n }\n}\n"
	"}\n"
	"}\n"
	"contents = \"Text Format Volume Group\"\nversion = 1\ndescription = \"a \\\"quoted\\\" string\"\n"
	"creation_time = 1700000000\t# Tue Nov 14\n";

static char *meta(const char *vg, int seqno, const char *pv1extra)
{
	return dl_asprintf(meta_fmt, vg, seqno, pv1extra);
}

static void test_lvm_meta(void **state)
{
	(void)state;
	char *m = meta("vg-1", 7, "");
	struct dl_lvm_vg *vg;
	struct dl_error err = { 0 };
	assert_int_equal(dl_lvm_vg_parse(m, strlen(m), &vg, &err), 0);
	assert_string_equal(vg->name, "vg-1");
	assert_string_equal(vg->uuid, "abcdefghijklmnopqrstuvwxyz012345");
	assert_int_equal(vg->seqno, 7);
	assert_int_equal(vg->extent_size, 2048);
	assert_int_equal(vg->npv, 2);
	assert_string_equal(vg->pv[1].uuid, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1");
	assert_int_equal(vg->nlv, 4);
	const struct dl_lvm_lv *root = &vg->lv[0];
	assert_string_equal(root->name, "root");
	assert_true(root->visible);
	assert_int_equal(root->nseg, 2);
	assert_int_equal(root->extents, 2);
	assert_int_equal(root->seg[0].start, 0); /* sorted */
	assert_int_equal(root->seg[1].area[0].pv, 1);
	assert_int_equal(root->seg[1].area[0].pe, 2);
	assert_int_equal(vg->lv[1].seg[0].stripes, 2);
	assert_int_equal(vg->lv[1].seg[0].stripe_size, 128);
	assert_false(vg->lv[2].visible);
	assert_string_equal(vg->lv[3].note, "unsupported: LVM thin volume (segment type thin)");
	assert_int_equal(vg->lv[3].extents, 8);
	dl_lvm_vg_free(vg);
	free(m);
}

static void test_lvm_meta_errors(void **state)
{
	(void)state;
	static const struct { const char *text, *msg; } bad[] = {
		{ "vg {\n id = \"abc\n", "LVM metadata line 2: unterminated string" },
		{ "vg {\n a = 99999999999999999999\n}", "LVM metadata line 2: number out of range" },
		{ "vg {\n a = [1, 2\n}", "LVM metadata line 3: ',' or ']' expected in array" },
		{ "vg {\n a = 1\n", "LVM metadata line 3: unterminated section" },
		{ "}", "LVM metadata line 1: unbalanced '}'" },
		{ "vg { = 1 }", "LVM metadata line 1: name expected" },
		{ "a = 1\n", "LVM metadata: no valid volume group" },
		{ "vg { id = \"abcdef-ghij-klmn-opqr-stuv-wxyz-012345\" seqno = 1 }",
		  "volume group vg: bad LVM metadata header" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(bad); i++) {
		struct dl_lvm_vg *vg = NULL;
		struct dl_error err = { 0 };
		assert_failed(dl_lvm_vg_parse(bad[i].text, strlen(bad[i].text), &vg, &err), &err);
		assert_string_equal(err.msg, bad[i].msg);
	}
	/* Nesting cap. */
	char deep[200] = "";
	for (int i = 0; i < 20; i++)
		strcat(deep, "a{");
	for (int i = 0; i < 20; i++)
		strcat(deep, "}");
	struct dl_lvm_node *root = NULL;
	struct dl_error err = { 0 };
	assert_failed(dl_lvm_parse(deep, strlen(deep), &root, &err), &err);
	assert_string_equal(err.msg, "LVM metadata nested deeper than 16");
	/* A stripe area beyond the PV's extents. */
	char *m = meta("vg", 1, "");
	char *p = strstr(m, "\"pv1\", 2");
	p[7] = '3';
	struct dl_lvm_vg *vg = NULL;
	dl_error_clear(&err);
	assert_failed(dl_lvm_vg_parse(m, strlen(m), &vg, &err), &err);
	assert_string_equal(err.msg, "/dev/vg/root: LVM metadata: segment2 lies outside physical volume pv1");
	free(m);
}

/* A PV in memory: label at sector 1, one mda at 4096 (size 64 KiB), data
 * from pe_start (2048 sectors = 1 MiB).  Metadata text at mda+512 (or
 * wrapped around the end of the circular buffer when wrap). */
static void pv_write(uint8_t *b, size_t len, const char *uuid32, const char *text, bool wrap)
{
	uint8_t *l = b + 512;
	memcpy(l, "LABELONE", 8);
	put64(l + 8, 1);
	put32(l + 20, 32);
	memcpy(l + 24, "LVM2 001", 8);
	uint8_t *h = l + 32;
	memcpy(h, uuid32, 32);
	put64(h + 32, len);
	put64(h + 40, 1 * MiB); /* data area */
	put64(h + 48, 0);
	put64(h + 56, 0);
	put64(h + 64, 0);
	put64(h + 72, 4096); /* mda */
	put64(h + 80, 65536);
	put32(l + 16, dl_lvm_crc(DL_LVM_INITIAL_CRC, l + 20, 512 - 20));
	uint8_t *m = b + 4096;
	size_t tl = strlen(text) + 1;
	uint64_t off = wrap ? 65536 - 100 : 512;
	memcpy(m + 4, " LVM2 x[5A%r0N*>", 16);
	put32(m + 20, 1);
	put64(m + 24, 4096);
	put64(m + 32, 65536);
	put64(m + 40, off);
	put64(m + 48, tl);
	put32(m + 56, dl_lvm_crc(DL_LVM_INITIAL_CRC, text, tl));
	put32(m, dl_lvm_crc(DL_LVM_INITIAL_CRC, m + 4, 512 - 4));
	if (wrap) {
		memcpy(m + off, text, 100);
		memcpy(m + 512, text + 100, tl - 100);
	} else {
		memcpy(m + off, text, tl);
	}
}

static void fill(uint8_t *p, size_t n, uint8_t tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(tag + i / 512);
}

static void test_lvm_set(void **state)
{
	(void)state;
	/* Disk 0: MBR with the PV pv0 on partition 2; disk 1: whole-disk pv1. */
	size_t l0 = 8 * MiB, l1 = 5 * MiB;
	uint8_t *b0 = calloc(1, l0), *b1 = calloc(1, l1);
	mbr_entry(b0, 1, 0, 0x8e, 2048, 8192);
	uint8_t *p0 = b0 + 1 * MiB;
	char *m = meta("vg-1", 7, "");
	char *old = meta("vg-1", 6, "");
	memcpy(strstr(old, "my-data {"), "ol-data {", 9); /* the stale copy names another LV */
	pv_write(p0, 4 * MiB, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0", old, false);
	pv_write(b1, l1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1", m, true);
	/* Extents: pv0 data at 1 MiB + 1 MiB; pv1 data at 1 MiB. */
	uint8_t *pv0d = p0 + 1 * MiB, *pv1d = b1 + 1 * MiB;
	fill(pv0d, 3 * MiB, 10);
	fill(pv1d, 3 * MiB, 100);
	struct dl_disk_set set = { 0 };
	struct dl_error err = { 0 };
	dl_diskset_add(&set, mem(b0, l0));
	dl_diskset_add(&set, mem(b1, l1));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	/* xvda2 (PV), xvdb (PV), /dev/vg-1/root, /dev/vg-1/my-data, /dev/vg-1/thin */
	assert_int_equal(set.nvols, 5);
	assert_string_equal(set.vols[0].name, "xvda2");
	assert_true(set.vols[0].skip);
	assert_string_equal(set.vols[0].note, "LVM physical volume of volume group vg-1");
	assert_string_equal(set.vols[1].name, "xvdb");
	/* The newest copy (seqno 7, on the second disk) wins over seqno 6. */
	assert_null(dl_diskset_find_name(&set, "/dev/vg-1/ol-data"));
	struct dl_volume *root = dl_diskset_find_name(&set, "/dev/mapper/vg--1-root");
	assert_non_null(root);
	assert_ptr_equal(root, dl_diskset_find_name(&set, "/dev/vg-1/root"));
	assert_ptr_equal(root, dl_diskset_find_name(&set, "(lvm/vg--1-root)"));
	assert_null(dl_diskset_find_name(&set, "/dev/mapper/vg-1-root"));
	assert_string_equal(root->grub, "lvm/vg--1-root");
	assert_int_equal(root->size, 2 * MiB);
	/* root: extent 0 on pv0 PE 0, extent 1 on pv1 PE 2. */
	uint8_t *buf = malloc(2 * MiB);
	assert_int_equal(dl_volume_pread(root, buf, 2 * MiB, 0), 2 * MiB);
	assert_memory_equal(buf, pv0d, 1 * MiB);
	assert_memory_equal(buf + MiB, pv1d + 2 * MiB, 1 * MiB);
	/* my-data: 4 extents striped over pv0 PE 1-2 and pv1 PE 0-1, 64 KiB chunks. */
	struct dl_volume *data = dl_diskset_find_name(&set, "/dev/vg-1/my-data");
	assert_non_null(data);
	assert_int_equal(data->size, 4 * MiB);
	uint8_t *big = malloc(4 * MiB);
	assert_int_equal(dl_volume_pread(data, big, 4 * MiB, 0), 4 * MiB);
	for (size_t k = 0; k < 64; k++) {
		const uint8_t *src = (k % 2 ? pv1d : pv0d + MiB) + (k / 2) * 65536;
		assert_memory_equal(big + k * 65536, src, 65536);
	}
	/* An unaligned read across a chunk boundary. */
	assert_int_equal(dl_volume_pread(data, buf, 1000, 65536 - 500), 1000);
	assert_memory_equal(buf, pv0d + MiB + 65536 - 500, 500);
	assert_memory_equal(buf + 500, pv1d, 500);
	struct dl_volume *thin = dl_diskset_find_name(&set, "/dev/vg-1/thin");
	assert_true(thin->skip);
	assert_string_equal(thin->note, "unsupported: LVM thin volume (segment type thin)");
	assert_int_equal(thin->size, 8 * MiB);
	/* dl_volume_map refuses memory disks. */
	assert_int_equal(dl_volume_map(root, 0, 10, NULL, NULL), -ENOTSUP);
	free(buf);
	free(big);
	dl_diskset_free(&set);

	/* Without the second disk: root and my-data are incomplete. */
	dl_diskset_add(&set, mem(b0, l0));
	pv_write(p0, 4 * MiB, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0", m, false);
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	root = dl_diskset_find_name(&set, "/dev/vg-1/root");
	assert_true(root->skip);
	assert_string_equal(root->note, "incomplete: physical volume pv1 (AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1) is missing");
	dl_diskset_free(&set);

	/* A bad metadata checksum: the copy is ignored (no VG). */
	b0[1 * MiB + 4096 + 512 + 10] ^= 1;
	dl_diskset_add(&set, mem(b0, l0));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_int_equal(set.nvols, 1);
	assert_string_equal(set.vols[0].note, "LVM physical volume (no volume group found)");
	dl_diskset_free(&set);
	free(m);
	free(old);
	free(b0);
	free(b1);
}

/* A qcow2 v3 header with 512-byte clusters (L1 at cluster 1 pointing to
 * an L2 table at cluster 2) of len bytes for vclusters virtual clusters;
 * compression 1: zstd. */
static uint8_t *qcow2_header(size_t len, unsigned vclusters, int compression)
{
	uint8_t *b = calloc(1, len);
	be32(b, 0x514649fb);
	be32(b + 4, 3);
	be32(b + 20, 9);
	be64(b + 24, vclusters * 512ull);
	be32(b + 36, 1);
	be64(b + 40, 512);
	be32(b + 100, 112);
	if (compression) {
		be64(b + 72, 8);
		b[104] = (uint8_t)compression;
	}
	be64(b + 512, 1024); /* L1[0] -> L2 at 1024 */
	return b;
}

/* plain (one 512-byte cluster) compressed at byte coff of b as qemu writes
 * it (raw deflate, or zstd), and virtual cluster c's L2 entry pointing
 * there; the byte after it. */
static uint64_t qcow2_put_compressed(uint8_t *b, unsigned c, uint64_t coff, const uint8_t *plain,
				     int compression)
{
	uint8_t comp[800];
	size_t clen;
	if (compression == 1) {
		clen = ZSTD_compress(comp, sizeof(comp), plain, 512, 3);
	} else {
		z_stream s = { 0 };
		deflateInit2(&s, 9, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY);
		s.next_in = (uint8_t *)plain;
		s.avail_in = 512;
		s.next_out = comp;
		s.avail_out = sizeof(comp);
		deflate(&s, Z_FINISH);
		clen = sizeof(comp) - s.avail_out;
		deflateEnd(&s);
	}
	memcpy(b + coff, comp, clen);
	uint64_t nsec = (coff + clen - 1) / 512 - coff / 512; /* additional sectors */
	be64(b + 1024 + c * 8, (1ull << 62) | (nsec << 61) | coff);
	return coff + clen;
}

/* Data clusters from 3; virtual size 64 clusters: cluster 0 plain "A"s,
 * 5 a zero cluster, 7 compressed "B"s at byte 4 * 512 + 3. */
static uint8_t *qcow2_image(size_t *len, int compression)
{
	*len = 64 * 512;
	uint8_t *b = qcow2_header(*len, 64, compression);
	uint8_t *l2 = b + 1024;
	be64(l2 + 0 * 8, 3 * 512 | (1ull << 63)); /* cluster 0: host cluster 3 */
	be64(l2 + 5 * 8, 1);                      /* cluster 5: zero flag */
	memset(b + 3 * 512, 'A', 512);
	uint8_t plain[512];
	memset(plain, 'B', 512);
	qcow2_put_compressed(b, 7, 4 * 512 + 3, plain, compression);
	return b;
}

static void test_qcow2(void **state)
{
	(void)state;
	for (int c = 0; c < 2; c++) {
		size_t len;
		uint8_t *b = qcow2_image(&len, c);
		struct dl_disk *d;
		struct dl_error err = { 0 };
		assert_int_equal(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), 0);
		assert_int_equal(d->size, 64 * 512);
		int *slots[2];
		assert_int_equal(dl_disk_fd_slots(d, slots, 2), 0); /* memory: no fd */
		assert_int_equal(d->format, DL_FMT_QCOW2);
		uint8_t buf[4096], want[4096];
		assert_int_equal(dl_disk_pread(d, buf, 4096, 0), 4096);
		memset(want, 0, sizeof(want));
		memset(want, 'A', 512);
		memset(want + 7 * 512, 'B', 512);
		assert_memory_equal(buf, want, 4096);
		/* Across the end of the disk: short. */
		assert_int_equal(dl_disk_pread(d, buf, 1024, 63 * 512), 512);
		dl_disk_free(d);
		/* An L2 entry pointing past the file: EIO on read. */
		be64(b + 1024 + 2 * 8, 1000 * 512);
		assert_int_equal(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), 0);
		errno = 0;
		assert_int_equal(dl_disk_pread(d, buf, 512, 2 * 512), -1);
		assert_int_equal(errno, EIO);
		/* Unaligned data cluster. */
		be64(b + 1024 + 2 * 8, 3 * 512 + 1);
		assert_int_equal(dl_disk_pread(d, buf, 512, 2 * 512), -1);
		dl_disk_free(d);
		free(b);
	}
}

/* Deflate clusters as qemu reads them: a stream that fills the cluster
 * without ending there is accepted (libdeflate refuses it: the zlib
 * fallback reads it), whole-cluster and partial reads agree, and a broken
 * stream is EIO. */
static void test_qcow2_deflate_edges(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = qcow2_image(&len, 0);
	uint8_t plain[700], comp[800];
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)('a' + i % 23);
	z_stream s = { 0 };
	deflateInit2(&s, 9, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY);
	s.next_in = plain;
	s.avail_in = sizeof(plain);
	s.next_out = comp;
	s.avail_out = sizeof(comp);
	deflate(&s, Z_FINISH);
	size_t clen = sizeof(comp) - s.avail_out;
	deflateEnd(&s);
	uint64_t coff = 4 * 512 + 3;
	memcpy(b + coff, comp, clen);
	uint64_t nsec = (coff + clen - 1) / 512 - coff / 512;
	be64(b + 1024 + 7 * 8, (1ull << 62) | (nsec << 61) | coff);
	struct dl_disk *d;
	struct dl_error err = { 0 };
	assert_int_equal(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), 0);
	uint8_t whole[512], part[100];
	assert_int_equal(dl_disk_pread(d, whole, 512, 7 * 512), 512);
	assert_memory_equal(whole, plain, 512);
	assert_int_equal(dl_disk_pread(d, part, 100, 7 * 512 + 400), 100);
	assert_memory_equal(part, plain + 400, 100);
	dl_disk_free(d);
	/* A corrupt stream: both read paths fail with EIO. */
	memset(b + coff, 0xff, 64);
	assert_int_equal(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), 0);
	errno = 0;
	assert_int_equal(dl_disk_pread(d, whole, 512, 7 * 512), -1);
	assert_int_equal(errno, EIO);
	errno = 0;
	assert_int_equal(dl_disk_pread(d, part, 100, 7 * 512 + 400), -1);
	assert_int_equal(errno, EIO);
	dl_disk_free(d);
	free(b);
}

/* 48 compressed clusters (512 bytes, each its own pattern) read in one
 * call: half decompressed by the helper thread once it runs (src/helper.h),
 * the same bytes as without it (one cluster read alone stays in the
 * caller); a corrupt cluster in the helper's half is EIO, as in the
 * caller's. */
static uint8_t *qcow2_all_compressed(size_t *len, int compression)
{
	*len = 96 * 512;
	uint8_t *b = qcow2_header(*len, 48, compression);
	uint64_t at = 3 * 512;
	for (unsigned c = 0; c < 48; c++) {
		uint8_t plain[512];
		for (int i = 0; i < 512; i++)
			plain[i] = (uint8_t)(c * 7 + i / (c + 1));
		at = qcow2_put_compressed(b, c, at, plain, compression);
	}
	assert_true(at < *len);
	return b;
}

static void test_qcow2_helper(void **state)
{
	(void)state;
	uint8_t want[48 * 512], got[48 * 512];
	for (int k = 0; k < 48; k++)
		for (int i = 0; i < 512; i++)
			want[k * 512 + i] = (uint8_t)(k * 7 + i / (k + 1));
	/* without the helper, then with it (it runs for the rest of the process) */
	unsigned long jobs = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && !dl_helper_running())
			assert_int_equal(dl_helper_start(), 0);
		jobs = dl_helper_jobs();
		for (int c = 0; c < 2; c++) {
			size_t len;
			uint8_t *b = qcow2_all_compressed(&len, c);
			struct dl_disk *d;
			struct dl_error err = { 0 };
			assert_int_equal(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), 0);
			memset(got, 0, sizeof(got));
			assert_int_equal(dl_disk_pread(d, got, sizeof(got), 0), (ssize_t)sizeof(got));
			assert_memory_equal(got, want, sizeof(got));
			/* one whole cluster: one job, not worth waking the helper */
			unsigned long before = dl_helper_jobs();
			memset(got, 0, 512);
			assert_int_equal(dl_disk_pread(d, got, 512, 3 * 512), 512);
			assert_memory_equal(got, want + 3 * 512, 512);
			assert_int_equal(dl_helper_jobs(), before);
			dl_disk_free(d);
			/* cluster 40 (in the helper's half of a 48-cluster read) broken */
			uint64_t e = dl_be64(b + 1024 + 40 * 8);
			memset(b + (e & ((1ull << 61) - 1)), 0xff, 8);
			assert_int_equal(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), 0);
			errno = 0;
			assert_int_equal(dl_disk_pread(d, got, sizeof(got), 0), -1);
			assert_int_equal(errno, EIO);
			dl_disk_free(d);
			free(b);
		}
		/* the helper took half of each read, and only once started */
		if (pass == 0)
			assert_int_equal(dl_helper_jobs(), jobs);
		else
			assert_int_equal(dl_helper_jobs(), jobs + 4);
	}
	assert_true(dl_helper_running());
}

static void test_qcow2_rejects(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = qcow2_image(&len, 0);
	struct dl_disk *d = NULL;
	struct dl_error err = { 0 };
	/* A backing file is refused. */
	be64(b + 8, 3000);
	be32(b + 16, 9);
	memcpy(b + 3000, "/etc/shad", 9);
	assert_failed(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), &err);
	assert_int_equal(err.code, DL_EUNSUPPORTED);
	assert_string_equal(err.msg, "q.qcow2: qcow2 image has a backing file (/etc/shad); refused: the image names "
			    "a host file (allow it with --allow-backing-file)");
	be64(b + 8, 0);
	be32(b + 16, 0);
	static const struct { size_t off; uint32_t v; const char *msg; } bad[] = {
		{ 32, 1, "q.qcow2: encrypted qcow2 images are not supported" },
		{ 20, 30, "q.qcow2: qcow2: cluster size out of range" },
		{ 4, 4, "q.qcow2: qcow2 version 4 is not supported" },
		{ 36, 0, "q.qcow2: qcow2: L1 table too small for the virtual size" },
		{ 0, 0x514649fa, "q.qcow2: not a qcow2 image (format qcow2 was given)" },
		{ 76, 0x20, "q.qcow2: qcow2 image uses unknown incompatible features" },
		{ 76, 0x10, "q.qcow2: qcow2 extended L2 entries are not supported" },
		{ 76, 0x02, "q.qcow2: qcow2 image is marked corrupt" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(bad); i++) {
		uint8_t save[4];
		memcpy(save, b + bad[i].off, 4);
		be32(b + bad[i].off, bad[i].v);
		dl_error_clear(&err);
		assert_failed(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), &err);
		assert_string_equal(err.msg, bad[i].msg);
		memcpy(b + bad[i].off, save, 4);
	}
	/* A huge L1 table is capped. */
	be32(b + 36, 0x10000000);
	dl_error_clear(&err);
	assert_failed(dl_disk_qcow2_from_mem(&d, b, len, "q.qcow2", &err), &err);
	assert_string_equal(err.msg, "q.qcow2: qcow2 L1 table larger than 33554432 bytes");
	free(b);
}

/* Every spelling of a volume name parses to one kind and one value. */
static void test_volspec(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum dl_volspec_kind kind;
		const char *value;
	} cases[] = {
		{ "UUID=1234-ABCD", DL_VOLSPEC_UUID, "1234-ABCD" },
		{ "uuid=\"1234-ABCD\"", DL_VOLSPEC_UUID, "1234-ABCD" },
		{ "LABEL='my root'", DL_VOLSPEC_LABEL, "my root" },
		{ "LABEL=\"half", DL_VOLSPEC_LABEL, "\"half" },
		{ "PARTUUID=0a1b2c3d-02", DL_VOLSPEC_PARTUUID, "0a1b2c3d-02" },
		{ "PARTLABEL=EFI system", DL_VOLSPEC_PARTLABEL, "EFI system" },
		{ "/dev/disk/by-uuid/1234-ABCD", DL_VOLSPEC_UUID, "1234-ABCD" },
		{ "/dev/disk/by-label/root", DL_VOLSPEC_LABEL, "root" },
		{ "/dev/disk/by-partuuid/0a1b2c3d-02", DL_VOLSPEC_PARTUUID, "0a1b2c3d-02" },
		{ "/dev/disk/by-partlabel/boot", DL_VOLSPEC_PARTLABEL, "boot" },
		{ "/dev/disk/by-id/ata-x", DL_VOLSPEC_NAME, "disk/by-id/ata-x" },
		{ "/dev/xvda2", DL_VOLSPEC_NAME, "xvda2" },
		{ "xvda2", DL_VOLSPEC_NAME, "xvda2" },
		{ "/dev/vg/lv", DL_VOLSPEC_NAME, "vg/lv" },
		{ "hda1", DL_VOLSPEC_NAME, "hda1" },
		{ "/dev/mapper/vg--x-lv", DL_VOLSPEC_MAPPER, "vg--x-lv" },
		{ "mapper/vg-lv", DL_VOLSPEC_MAPPER, "vg-lv" },
		{ "hd0", DL_VOLSPEC_GRUB, "hd0" },
		{ "hd0,msdos1", DL_VOLSPEC_GRUB, "hd0,msdos1" },
		{ "(hd1,gpt2)", DL_VOLSPEC_GRUB, "hd1,gpt2" },
		{ "lvm/vg-root", DL_VOLSPEC_GRUB, "lvm/vg-root" },
		{ "UUIDX=1", DL_VOLSPEC_NAME, "UUIDX=1" },
		{ "", DL_VOLSPEC_NONE, "" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++) {
		struct dl_volspec sp;
		dl_volspec_parse(cases[i].in, &sp);
		assert_int_equal(sp.kind, cases[i].kind);
		assert_int_equal(sp.len, strlen(cases[i].value));
		assert_memory_equal(sp.value, cases[i].value, sp.len);
	}
	assert_string_equal(dl_volspec_tag(DL_VOLSPEC_PARTLABEL), "PARTLABEL");
	assert_null(dl_volspec_tag(DL_VOLSPEC_GRUB));
}

static void test_names_and_find(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = mbr_image(&len);
	struct dl_disk_set set = { 0 };
	struct dl_error err = { 0 };
	struct dl_disk *d0 = mem(b, len), *d1 = mem(b, len), *d2 = mem(b, len);
	d1->vdev = dl_strdup("nvme0n1");
	d2->vdev = dl_strdup("hda");
	dl_diskset_add(&set, d0);
	dl_diskset_add(&set, d1);
	dl_diskset_add(&set, d2);
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_int_equal(set.nvols, 12);
	assert_string_equal(set.vols[1].name, "xvda5");
	assert_string_equal(set.vols[1].grub, "hd0,msdos5");
	assert_string_equal(set.vols[4].name, "nvme0n1p1");
	assert_string_equal(set.vols[11].name, "hda7");
	assert_string_equal(set.vols[11].grub, "hd2,msdos7");
	assert_ptr_equal(dl_diskset_find_name(&set, "/dev/xvda6"), &set.vols[2]);
	assert_ptr_equal(dl_diskset_find_name(&set, "xvda6"), &set.vols[2]);
	assert_ptr_equal(dl_diskset_find_name(&set, "hd1,msdos5"), &set.vols[5]);
	assert_ptr_equal(dl_diskset_find_name(&set, "(hd1,msdos5)"), &set.vols[5]);
	assert_ptr_equal(dl_diskset_find_name(&set, "hd2,7"), &set.vols[11]);
	assert_ptr_equal(dl_diskset_find_name(&set, "PARTUUID=12345678-05"), &set.vols[1]);
	assert_ptr_equal(dl_diskset_find_name(&set, "/dev/nvme0n1p6"), &set.vols[6]);
	assert_null(dl_diskset_find_name(&set, "xvda2"));
	/* hda is a disk of its own here: exact names win over aliases. */
	assert_ptr_equal(dl_diskset_find_name(&set, "/dev/hda5"), &set.vols[9]);
	assert_ptr_equal(dl_diskset_find_name(&set, "/dev/sda5"), &set.vols[1]);
	assert_ptr_equal(dl_diskset_find_name(&set, "sda7"), &set.vols[3]);
	assert_null(dl_diskset_find_name(&set, "sdc7"));
	assert_null(dl_diskset_find_name(&set, "sda2"));
	assert_ptr_equal(dl_diskset_find_name(&set, "/dev/disk/by-partuuid/12345678-06"), &set.vols[2]);
	assert_null(dl_diskset_find_name(&set, "hd3,msdos1"));
	assert_null(dl_diskset_find_name(&set, "UUID=nothing"));
	snprintf(set.vols[3].label, sizeof(set.vols[3].label), "my \"boot\"\n");
	snprintf(set.vols[3].uuid, sizeof(set.vols[3].uuid), "ABCD-1234");
	assert_ptr_equal(dl_diskset_find_name(&set, "UUID=abcd-1234"), &set.vols[3]);
	assert_ptr_equal(dl_diskset_find_name(&set, "/dev/disk/by-uuid/ABCD-1234"), &set.vols[3]);
	assert_ptr_equal(dl_diskset_find_name(&set, "LABEL=my \"boot\"\n"), &set.vols[3]);
	/* A spec made by hand (GRUB's search --label) needs no NUL at len. */
	struct dl_volspec sp = { DL_VOLSPEC_PARTUUID, "12345678-06xyz", 11 };
	assert_ptr_equal(dl_diskset_find(&set, &sp), &set.vols[2]);
	sp = (struct dl_volspec){ DL_VOLSPEC_MAPPER, "vg-lv", 5 };
	assert_null(dl_diskset_find(&set, &sp));
	sp = (struct dl_volspec){ DL_VOLSPEC_NAME, "sda7x", 4 };
	assert_ptr_equal(dl_diskset_find(&set, &sp), &set.vols[3]);
	char *j = dl_diskset_listing(&set, true);
	assert_non_null(strstr(j, "\"label\":\"my \\\"boot\\\"\\n\""));
	assert_non_null(strstr(j, "{\"kind\":\"partition\",\"name\":\"xvda7\",\"grub\":\"hd0,msdos7\",\"disk\":0,"
				  "\"partno\":7,\"scheme\":\"dos\",\"size\":513024,\"offset\":4245504,"));
	free(j);
	char *t = dl_diskset_listing(&set, false);
	assert_non_null(strstr(t, "  xvda7  hd0,msdos7  501.0 KiB  -  UUID=\"ABCD-1234\"  LABEL=\"my \"boot\"?\"  "
				  "PARTUUID=\"12345678-07\"\n"));
	assert_non_null(strstr(t, "disk nvme0n1 (mem.img)  hd1  16.0 MiB  raw  dos\n"));
	free(t);
	dl_diskset_free(&set);
	free(b);
}

static void test_offset_and_whole(void **state)
{
	(void)state;
	size_t len = 1 * MiB;
	uint8_t *b = calloc(1, len);
	struct dl_disk_set set = { 0 };
	struct dl_error err = { 0 };
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_int_equal(set.nvols, 1);
	assert_int_equal(set.vols[0].kind, DL_VOL_DISK);
	assert_string_equal(set.vols[0].name, "xvda");
	assert_string_equal(set.vols[0].grub, "hd0");
	dl_diskset_free(&set);
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, 4096, &err), 0);
	assert_int_equal(set.vols[0].size, len - 4096);
	assert_int_equal(set.vols[0].ext[0].disk_off, 4096);
	dl_diskset_free(&set);
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, len, &err), -EINVAL);
	assert_string_equal(err.msg, "mem.img: offset 1048576 is past the end of the disk");
	dl_diskset_free(&set);
	free(b);
}

static void test_lvm_unsupported(void **state)
{
	(void)state;
	static const char text[] =
		"vg { id = \"abcdef-ghij-klmn-opqr-stuv-wxyz-012345\" seqno = 2 extent_size = 8\n"
		"physical_volumes { pv0 { id = \"AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAA0\" pe_start = 8 pe_count = 100 } }\n"
		"logical_volumes {\n"
		"lv { status = [\"VISIBLE\"] segment_count = 1 segment1 { start_extent = 0 extent_count = 4\n"
		"  type = \"striped\" stripe_count = 1 stripes = [\"pv0\", 0] } }\n"
		"snap { status = [\"VISIBLE\"] segment_count = 1 segment1 { start_extent = 0 extent_count = 2\n"
		"  type = \"striped\" stripe_count = 1 stripes = [\"pv0\", 4] } }\n"
		"snapshot0 { status = [] segment_count = 1 segment1 { start_extent = 0 extent_count = 4\n"
		"  type = \"snapshot\" chunk_size = 8 origin = \"lv\" cow_store = \"snap\" } }\n"
		"r1 { status = [\"VISIBLE\"] segment_count = 1 segment1 { start_extent = 0 extent_count = 4\n"
		"  type = \"raid1\" device_count = 2 raids = [\"r1_rmeta_0\", \"r1_rimage_0\"] } }\n"
		"m { status = [\"VISIBLE\"] segment_count = 1 segment1 { start_extent = 0 extent_count = 4\n"
		"  type = \"mirror\" mirror_count = 2 mirrors = [\"m_mimage_0\", 0] } }\n"
		"c { status = [\"VISIBLE\"] segment_count = 1 segment1 { start_extent = 0 extent_count = 4\n"
		"  type = \"cache\" cache_pool = \"cpool\" origin = \"c_corig\" } }\n"
		"} }\n";
	struct dl_lvm_vg *vg;
	struct dl_error err = { 0 };
	assert_int_equal(dl_lvm_vg_parse(text, strlen(text), &vg, &err), 0);
	assert_int_equal(vg->nlv, 6);
	assert_string_equal(vg->lv[0].note, "");
	assert_string_equal(vg->lv[1].note, "unsupported: LVM snapshot (of lv)");
	assert_false(vg->lv[2].visible);
	assert_string_equal(vg->lv[3].note, "unsupported: LVM RAID volume (segment type raid1)");
	assert_string_equal(vg->lv[4].note, "unsupported: LVM mirrored volume (segment type mirror)");
	assert_string_equal(vg->lv[5].note, "unsupported: LVM cached volume (segment type cache)");
	dl_lvm_vg_free(vg);
}

static void test_sniff(void **state)
{
	(void)state;
	size_t len = 256 * 1024;
	uint8_t *b = calloc(1, len);
	uint8_t *sb = b + 1024;
	put16(sb + 56, 0xef53);
	put32(sb + 92, 0x4);     /* has_journal */
	put32(sb + 96, 0x2c2);   /* filetype, extents, flex_bg, 64bit */
	for (int i = 0; i < 16; i++)
		sb[104 + i] = (uint8_t)(0x10 + i);
	memcpy(sb + 120, "rootfs", 6);
	struct dl_disk_set set = { 0 };
	struct dl_error err = { 0 };
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_string_equal(set.vols[0].fstype, "ext4");
	assert_string_equal(set.vols[0].uuid, "10111213-1415-1617-1819-1a1b1c1d1e1f");
	assert_string_equal(set.vols[0].label, "rootfs");
	assert_false(set.vols[0].skip);
	dl_diskset_free(&set);
	/* ext3: journal, no ext4 features. */
	put32(sb + 96, 0x2);
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_string_equal(set.vols[0].fstype, "ext3");
	dl_diskset_free(&set);
	/* LUKS: skipped with a note. */
	memset(b, 0, len);
	memcpy(b, "LUKS\xba\xbe\x00\x02", 8);
	memcpy(b + 168, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", 36);
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_string_equal(set.vols[0].fstype, "crypto_LUKS");
	assert_string_equal(set.vols[0].uuid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
	assert_true(set.vols[0].skip);
	assert_string_equal(set.vols[0].note, "encrypted (LUKS); skipped");
	dl_diskset_free(&set);
	/* md 1.0 superblock near the end: a RAID member. */
	memset(b, 0, len);
	put32(b + ((len - 8192) & ~4095ul), 0xa92b4efc);
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_string_equal(set.vols[0].fstype, "linux_raid_member");
	assert_string_equal(set.vols[0].note, "Linux md RAID member; skipped");
	dl_diskset_free(&set);
	/* swap */
	memset(b, 0, len);
	memcpy(b + 4086, "SWAPSPACE2", 10);
	memcpy(b + 1024 + 28, "sw", 2);
	dl_diskset_add(&set, mem(b, len));
	assert_int_equal(dl_diskset_scan(&set, UINT64_MAX, &err), 0);
	assert_string_equal(set.vols[0].fstype, "swap");
	assert_string_equal(set.vols[0].label, "sw");
	assert_true(set.vols[0].skip);
	dl_diskset_free(&set);
	free(b);
}

static void test_many_disks(void **state)
{
	(void)state;
	uint8_t b[1024] = { 0 };
	struct dl_disk_set set = { 0 };
	for (int i = 0; i < 30; i++)
		dl_diskset_add(&set, dl_disk_from_mem(b, sizeof(b), "m"));
	assert_string_equal(set.disks[25]->vdev, "xvdz");
	assert_string_equal(set.disks[26]->vdev, "xvdaa");
	assert_string_equal(set.disks[29]->vdev, "xvdad");
	dl_diskset_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbr_logical),
		cmocka_unit_test(test_ebr_loop_and_backward),
		cmocka_unit_test(test_ebr_chain_cap),
		cmocka_unit_test(test_mbr_outside),
		cmocka_unit_test(test_gpt),
		cmocka_unit_test(test_gpt_rejects),
		cmocka_unit_test(test_gpt_4k),
		cmocka_unit_test(test_lvm_crc),
		cmocka_unit_test(test_lvm_meta),
		cmocka_unit_test(test_lvm_meta_errors),
		cmocka_unit_test(test_lvm_unsupported),
		cmocka_unit_test(test_many_disks),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_lvm_set),
		cmocka_unit_test(test_qcow2),
		cmocka_unit_test(test_qcow2_deflate_edges),
		cmocka_unit_test(test_qcow2_helper),
		cmocka_unit_test(test_qcow2_rejects),
		cmocka_unit_test(test_volspec),
		cmocka_unit_test(test_names_and_find),
		cmocka_unit_test(test_offset_and_whole),
	};
	dl_log_set(NULL, NULL, 0);
	return cmocka_run_group_tests_name("part", tests, NULL, NULL);
}
