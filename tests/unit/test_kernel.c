/* Kernel image inspection on synthetic headers: bzImage version string,
 * ELF Xen notes (PVH entry), compressed images, and hostile offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/kernel.h"

static uint8_t buf[8192];

static void put16(size_t o, uint16_t v) { buf[o] = (uint8_t)v; buf[o + 1] = (uint8_t)(v >> 8); }
static void put32(size_t o, uint32_t v) { put16(o, (uint16_t)v); put16(o + 2, (uint16_t)(v >> 16)); }
static void put64(size_t o, uint64_t v) { put32(o, (uint32_t)v); put32(o + 4, (uint32_t)(v >> 32)); }

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bzimage),
		cmocka_unit_test(test_elf_notes),
		cmocka_unit_test(test_other_formats),
	};
	return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
