/* Unified kernel images: the PE section table parser (src/boot/uki.c),
 * checked against what systemd's src/boot/pe.c reads: the sections by
 * name, the first of a name, a multi-profile UKI's default profile
 * (pe_locate_profile_sections), sizes as min(VirtualSize, SizeOfRawData). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/boot.h"

struct sec {
	const char *name;
	uint32_t size, vsize;   /* vsize 0: size */
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

/* A PE32+ image as ukify lays it out: headers, then each section's data
 * at a 512-byte aligned offset, filled with its index. */
static size_t build(uint8_t *img, size_t cap, const struct sec *s, int n)
{
	const uint32_t pe = 0x80, optsz = 240, table = pe + 24 + optsz;
	uint32_t off = (table + 40 * (uint32_t)n + 511) / 512 * 512;
	memset(img, 0, cap);
	img[0] = 'M', img[1] = 'Z';
	put32(img + 0x3c, pe);
	memcpy(img + pe, "PE\0\0", 4);
	put16(img + pe + 4, 0x8664);
	put16(img + pe + 6, (uint16_t)n);
	put16(img + pe + 20, (uint16_t)optsz);
	for (int i = 0; i < n; i++) {
		uint8_t *h = img + table + 40 * i;
		uint32_t raw = (s[i].size + 511) / 512 * 512;
		memcpy(h, s[i].name, strlen(s[i].name));
		put32(h + 8, s[i].vsize ? s[i].vsize : s[i].size);
		put32(h + 16, raw);
		put32(h + 20, off);
		assert_true(off + raw <= cap);
		memset(img + off, 'a' + i, s[i].size);
		off += raw;
	}
	return off;
}

static uint8_t img[1 << 16];

static void test_ukify_layout(void **st)
{
	(void)st;
	struct sec s[] = {{".osrel", 60, 0}, {".cmdline", 19, 0}, {".uname", 5, 0},
			  {".initrd", 3000, 0}, {".linux", 5000, 0}, {".sbat", 10, 0}};
	size_t len = build(img, sizeof(img), s, 6);
	struct dl_uki u;
	struct dl_error err = {0};
	assert_int_equal(dl_uki_parse(img, len, len, &u, &err), 0);
	assert_true(u.s[DL_UKI_LINUX].present);
	assert_int_equal(u.s[DL_UKI_LINUX].size, 5000);
	assert_int_equal(img[u.s[DL_UKI_LINUX].off], 'e');
	assert_int_equal(u.s[DL_UKI_INITRD].size, 3000);
	assert_int_equal(img[u.s[DL_UKI_INITRD].off], 'd');
	assert_int_equal(u.s[DL_UKI_CMDLINE].size, 19);
	assert_int_equal(img[u.s[DL_UKI_CMDLINE].off], 'b');
	assert_true(u.s[DL_UKI_OSREL].present);
	assert_true(u.s[DL_UKI_UNAME].present);
	/* only the headers in the buffer: enough, the sections are offsets */
	assert_int_equal(dl_uki_parse(img, 1024, len, &u, &err), 0);
	assert_string_equal(dl_uki_section_name(DL_UKI_CMDLINE), ".cmdline");
}

static void test_not_a_kernel(void **st)
{
	(void)st;
	struct dl_uki u;
	struct dl_error err = {0};
	/* systemd-boot itself: no .linux */
	struct sec s[] = {{".text", 100, 0}, {".sdmagic", 30, 0}};
	size_t len = build(img, sizeof(img), s, 2);
	assert_int_equal(dl_uki_parse(img, len, len, &u, &err), DL_NOT_MINE);
	/* a bzImage (MZ, then no PE signature where e_lfanew points) */
	memset(img, 0, 4096);
	img[0] = 'M', img[1] = 'Z';
	put32(img + 0x3c, 0x200);
	assert_int_equal(dl_uki_parse(img, 4096, 4096, &u, &err), DL_NOT_MINE);
	put32(img + 0x3c, 0xfffffff0);
	assert_int_equal(dl_uki_parse(img, 4096, 4096, &u, &err), DL_NOT_MINE);
	assert_int_equal(dl_uki_parse((const uint8_t *)"MZ", 2, 2, &u, &err), DL_NOT_MINE);
	assert_int_equal(dl_uki_parse((const uint8_t *)"\x7f" "ELF", 4, 4, &u, &err), DL_NOT_MINE);
}

/* names match whole (".linuxx" is not .linux); the first of a name counts;
 * a multi-profile UKI boots profile 0, whose sections override the
 * common ones before the first .profile */
static void test_names_and_profiles(void **st)
{
	(void)st;
	struct dl_uki u;
	struct dl_error err = {0};
	struct sec a[] = {{".linuxx", 7, 0}, {".linux", 10, 0}, {".linux", 20, 0}};
	size_t len = build(img, sizeof(img), a, 3);
	assert_int_equal(dl_uki_parse(img, len, len, &u, &err), 0);
	assert_int_equal(u.s[DL_UKI_LINUX].size, 10);
	struct sec p[] = {{".linux", 300, 0}, {".cmdline", 5, 0}, {".profile", 11, 0},
			  {".cmdline", 9, 0}, {".profile", 9, 0}, {".cmdline", 6, 0}, {".linux", 10, 0}};
	len = build(img, sizeof(img), p, 7);
	assert_int_equal(dl_uki_parse(img, len, len, &u, &err), 0);
	assert_int_equal(u.s[DL_UKI_LINUX].size, 300);
	assert_int_equal(u.s[DL_UKI_CMDLINE].size, 9);   /* profile 0's */
	/* VirtualSize below the file size: the real size; above: the bytes
	 * the file has (the rest would be zeros in memory) */
	struct sec v[] = {{".linux", 1000, 700}, {".initrd", 100, 4000}};
	len = build(img, sizeof(img), v, 2);
	assert_int_equal(dl_uki_parse(img, len, len, &u, &err), 0);
	assert_int_equal(u.s[DL_UKI_LINUX].size, 700);
	assert_int_equal(u.s[DL_UKI_INITRD].size, 512);
}

static void test_broken(void **st)
{
	(void)st;
	struct dl_uki u;
	struct dl_error err = {0};
	struct sec s[] = {{".linux", 5000, 0}};
	size_t len = build(img, sizeof(img), s, 1);
	/* the file is shorter than the section says */
	assert_int_equal(dl_uki_parse(img, len, len - 200, &u, &err), -EUCLEAN);
	assert_non_null(strstr(err.msg, "section .linux"));
	/* the section table beyond the bytes read */
	memset(&err, 0, sizeof(err));
	assert_true(dl_uki_parse(img, 0x80 + 24 + 240 + 20, len, &u, &err) < 0);
	if (!strstr(err.msg, "section table"))
		fail_msg("%s", err.msg);
	/* more sections than PE allows */
	memset(&err, 0, sizeof(err));
	put16(img + 0x80 + 6, 97);
	assert_true(dl_uki_parse(img, len, len, &u, &err) < 0);
	assert_non_null(strstr(err.msg, "97 sections"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ukify_layout),
		cmocka_unit_test(test_not_a_kernel),
		cmocka_unit_test(test_names_and_profiles),
		cmocka_unit_test(test_broken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
