/* The parser registry: dl_boot_find()'s probe order (pygrub's, then the
 * other syslinux homes, then BLS) and the parser of a named file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_FIXTURES
#define FAKE_SELF "hd0,msdos1"
#include "fake_io.h"
#include "test_grub2_find.configs.h"

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

/* BLS entries read after a grub.cfg that runs them but found none itself
 * (its blscfg looks elsewhere): GRUB's timeout applies, not "none";
 * loader.conf's own timeout (systemd-boot) wins when there is one. */
static void test_bls_takes_grub_timeout(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub2/grub.cfg", "set timeout=5\nset blsdir=/nowhere\nblscfg\n");
	fake_add(&f, NULL, "/boot/loader/entries/x-6.1.conf", "title X\nlinux /boot/vmlinuz-6.1\n");
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.format, "bls");
	assert_int_equal(cfg.timeout, 5);
	dl_boot_config_free(&cfg);
	fake_add(&f, NULL, "/boot/loader/loader.conf", "timeout 2\n");
	assert_int_equal(find(), 0);
	assert_string_equal(cfg.format, "bls");
	assert_int_equal(cfg.timeout, 2);
	dl_boot_config_free(&cfg);
	/* without the grub.cfg: no timeout configured */
	f.files[0].path = "/unused";
	f.files[2].path = "/unused2";
	assert_int_equal(find(), 0);
	assert_int_equal(cfg.timeout, -1);
}

static void test_nothing(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	assert_int_equal(find(), DL_NOT_MINE);
}

/* config cfg_parse_error_names_file_and_line:
set a=1
menuentry x {
  linux /k
*/

static void test_parse_error_names_file_and_line(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/grub.cfg", cfg_parse_error_names_file_and_line);
	assert_int_equal(find(), -EBADMSG);
	assert_int_equal(err.code, DL_ESYNTAX);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg:4: syntax error: unexpected end of file, missing '}'");
}

static void test_read_error_after_empty_menu(void **st)
{
	(void)st;
	/* the empty menu kept aside is not handed back with the error */
	fake_add(&f, NULL, "/boot/grub/grub.cfg", "insmod blscfg\n");
	fake_add(&f, NULL, "/boot/grub2/grub.cfg", "menuentry x { linux /k; }\n");
	f.unreadable = "/boot/grub2/grub.cfg";
	assert_int_equal(find(), -EIO);
	assert_string_equal(err.msg, "/boot/grub2/grub.cfg: input/output error");
	assert_null(cfg.path);
	assert_int_equal(cfg.nentries, 0);
}

static void test_parser_for_path(void **st)
{
	(void)st;
	static const struct {
		const char *path;
		const struct dl_boot_parser *want;
	} cases[] = {
		{"/boot/grub/grub.cfg", &dl_grub2_parser},
		{"/etc/custom.cfg", &dl_grub2_parser},
		{"grub.cfg", &dl_grub2_parser},
		{"/boot/grub/menu.lst", &dl_legacy_parser},
		{"/grub/grub.conf", &dl_legacy_parser},
		{"menu.lst", &dl_legacy_parser},
		{"/tmp/my-menu.lst", &dl_grub2_parser},
		{"/boot/extlinux/extlinux.conf", &dl_syslinux_parser},
		{"/isolinux.cfg", &dl_syslinux_parser},
		{"/srv/tftp/pxelinux.cfg", &dl_syslinux_parser},
		{"/tmp/saved-syslinux.cfg", &dl_syslinux_parser},
		{"/boot/extlinux.conf.d/x", &dl_grub2_parser},
		{"/boot/loader/entries/fedora-6.5.conf", &dl_bls_parser},
		{"loader/entries/x.conf", &dl_bls_parser},
		{"/boot/loader/entries.srel", &dl_grub2_parser},
		/* the file name wins over the directory */
		{"/loader/entries/menu.lst", &dl_legacy_parser},
		{"/loader/entries/extlinux.conf", &dl_syslinux_parser},
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++)
		if (dl_boot_parser_for_path(cases[i].path) != cases[i].want)
			fail_msg("%s: %s, expected %s", cases[i].path,
				 dl_boot_parser_for_path(cases[i].path)->name, cases[i].want->name);
}

static void test_parser_named(void **st)
{
	(void)st;
	assert_ptr_equal(dl_boot_parser_named("grub2"), &dl_grub2_parser);
	assert_ptr_equal(dl_boot_parser_named("grub-legacy"), &dl_legacy_parser);
	assert_ptr_equal(dl_boot_parser_named("legacy"), &dl_legacy_parser);
	assert_ptr_equal(dl_boot_parser_named("extlinux"), &dl_syslinux_parser);
	assert_ptr_equal(dl_boot_parser_named("syslinux"), &dl_syslinux_parser);
	assert_ptr_equal(dl_boot_parser_named("isolinux"), &dl_syslinux_parser);
	assert_ptr_equal(dl_boot_parser_named("bls"), &dl_bls_parser);
	assert_null(dl_boot_parser_named("fallback"));
	assert_null(dl_boot_parser_named("GRUB2"));
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_parse("lilo", "/etc/lilo.conf", "", 0, &io, &cfg, &err), -EINVAL);
	assert_int_equal(err.code, DL_EUSAGE);
	assert_string_equal(err.msg, "/etc/lilo.conf: unknown configuration format lilo");
	assert_int_equal(dl_boot_parse("legacy", "/m.lst", "title t\nkernel /k\n", 18, &io, &cfg, &err), 0);
	assert_string_equal(cfg.format, "grub-legacy");
	assert_string_equal(cfg.entries[0].kernel.path, "/k");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_menu_keeps_looking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bls_takes_grub_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_error_names_file_and_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_error_after_empty_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parser_for_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parser_named, setup, teardown),
	};
	return cmocka_run_group_tests_name("boot config discovery", tests, NULL, NULL);
}
