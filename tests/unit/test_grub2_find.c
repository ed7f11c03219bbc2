/* dl_boot_find: pygrub's probe order (pygrub.md §3.1) plus BLS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_FIXTURES
#define FAKE_SELF "hd0,msdos1"
#include "fake_io.h"

static int find(void)
{
	struct dl_boot_io io = fake_io(&f);
	return dl_boot_find(&io, &cfg, &err);
}

static void test_order(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/grub/menu.lst", "title legacy\nkernel /l\n");
	fake_add(&f, NULL, "/extlinux.conf", "label ext\nkernel /e\n");
	fake_add(&f, NULL, "/grub2/grub.cfg", "menuentry g2 { linux /g2; }\n");
	fake_add(&f, NULL, "/boot/grub2/grub.cfg", "menuentry bootg2 { linux /b; }\n");
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.path, "/boot/grub2/grub.cfg");
	assert_string_equal(cfg.format, "grub2");
	dl_boot_config_free(&cfg);
	f.files[3].path = "/unused";
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.path, "/grub2/grub.cfg");
	dl_boot_config_free(&cfg);
	f.files[2].path = "/unused2";
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.path, "/extlinux.conf");
	assert_string_equal(cfg.format, "extlinux");
	dl_boot_config_free(&cfg);
	f.files[1].path = "/unused3";
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.path, "/grub/menu.lst");
	assert_string_equal(cfg.format, "grub-legacy");
}

static void test_empty_menu_keeps_looking(void **st)
{
	(void)st;
	/* a grub.cfg with only blscfg and no entries, then BLS on /boot */
	fake_add(&f, NULL, "/boot/grub2/grub.cfg", "insmod blscfg\n");
	fake_add(&f, NULL, "/boot/loader/entries/x-6.1.conf", "title X\nlinux /boot/vmlinuz-6.1\n");
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.format, "bls");
	assert_string_equal(cfg.entries[0].kernel.path, "/boot/vmlinuz-6.1");
	dl_boot_config_free(&cfg);
	/* nothing better: the empty menu is returned */
	f.files[1].path = "/elsewhere/x.conf";
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.path, "/boot/grub2/grub.cfg");
	assert_int_equal(cfg.nentries, 0);
}

static void test_nothing(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	assert_int_equal(find(), DL_NOT_MINE);
}

static void test_parse_error_names_file_and_line(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/grub.cfg", "set a=1\nmenuentry x {\n  linux /k\n");
	assert_int_equal(find(), -1);
	assert_int_equal(err.code, DL_ESYNTAX);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg:4: syntax error: unexpected end of file, missing '}'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_menu_keeps_looking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_error_names_file_and_line, setup, teardown),
	};
	return cmocka_run_group_tests_name("boot config discovery", tests, NULL, NULL);
}
