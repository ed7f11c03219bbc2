/* The image format hint of an error: each format qemu-img writes is named
 * by its magic, a raw disk (MBR, GPT, a filesystem) by none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "part/part.h"

static uint8_t head[512], tail[512];

static const char *sniff(const void *magic, size_t off, size_t len)
{
	memset(head, 0, sizeof(head));
	memset(tail, 0, sizeof(tail));
	memcpy(head + off, magic, len);
	return dl_image_format_sniff(head, sizeof(head), tail, sizeof(tail));
}

static void expect(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_non_null(got), assert_string_equal(got, want);
}

static void test_magics(void **st)
{
	(void)st;
	expect(sniff("KDMV\1\0\0\0", 0, 8), "VMDK");
	expect(sniff("COWD", 0, 4), "VMDK");
	expect(sniff("# Disk DescriptorFile\nversion=1\n", 0, 32), "VMDK descriptor");
	expect(sniff("conectix\0\0\0\2", 0, 12), "dynamic VHD");
	expect(sniff("vhdxfile", 0, 8), "VHDX");
	expect(sniff("QED\0\1\0\0\0", 0, 8), "QED");
	expect(sniff("WithoutFreeSpace", 0, 16), "Parallels");
	expect(sniff("WithouFreSpacExt", 0, 16), "Parallels");
	expect(sniff("\x7f\x10\xda\xbe\1\0\1\0", 64, 8), "VDI");
	expect(sniff("QFI\xfb\0\0\0\1", 0, 8), "qcow");
	expect(sniff("QFI\xfb\0\0\0\2", 0, 8), "qcow2");
	expect(sniff("QFI\xfb\0\0\0\3", 0, 8), "qcow2");
	/* a raw disk: an MBR, "QED" without its NUL, a VDI magic at the wrong offset */
	memset(head, 0, sizeof(head));
	head[510] = 0x55, head[511] = 0xaa;
	expect(dl_image_format_sniff(head, sizeof(head), tail, sizeof(tail)), NULL);
	expect(sniff("QEDX", 0, 4), NULL);
	expect(sniff("\x7f\x10\xda\xbe", 0, 4), NULL);
	/* short reads: nothing past what was read */
	expect(dl_image_format_sniff((const uint8_t *)"KDM", 3, tail, 0), NULL);
	expect(dl_image_format_sniff(head, 0, tail, 0), NULL);
}

static void test_fixed_vhd(void **st)
{
	(void)st;
	memset(head, 0, sizeof(head));
	memset(tail, 0, sizeof(tail));
	memcpy(tail, "conectix", 8);   /* the last 512 bytes are the footer */
	expect(dl_image_format_sniff(head, sizeof(head), tail, sizeof(tail)), "fixed VHD");
	memset(tail, 0, sizeof(tail));
	memcpy(tail + 1, "conectix", 8);   /* Virtual PC 2004's 511-byte footer */
	expect(dl_image_format_sniff(head, sizeof(head), tail, sizeof(tail)), "fixed VHD");
	memset(tail, 0, sizeof(tail));
	memcpy(tail + 100, "conectix", 8);   /* not where a footer is */
	expect(dl_image_format_sniff(head, sizeof(head), tail, sizeof(tail)), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magics),
		cmocka_unit_test(test_fixed_vhd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
