/* syslinux/extlinux/isolinux: keywords, APPEND initrd=, INCLUDE, CONFIG,
 * MENU DEFAULT, MENU BEGIN/END, relative paths, mboot.c32. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_FIXTURES
#include "fake_io.h"

static void parse(const char *path, const char *text)
{
	struct dl_boot_io io = fake_io(&f);
	if (dl_boot_parse_as(&dl_syslinux_parser, path, text, strlen(text), &io, &cfg, &err))
		fail_msg("parse failed: %s", err.msg);
}

static void test_keywords_and_initrds(void **st)
{
	(void)st;
	parse("/boot/extlinux/extlinux.conf",
	      "default linux\ntimeout 25\nprompt 1\nsay hello\n"
	      "label other\n  kernel /vmlinuz-old\n  append root=/dev/xvda1\n"
	      "LABEL linux\n  Kernel vmlinuz-new\n  APPEND initrd=/ucode.img,initrd.img root=/dev/xvda1 ro quiet\n"
	      "label sep\n  linux ../vmlinuz-sep\n  initrd a.img,/b.img\n  append -\n");
	assert_int_equal(cfg.nentries, 3);
	assert_int_equal(cfg.timeout, 3);   /* 25 tenths, rounded up */
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(e->id, "linux");
	/* relative names from the config's directory (pygrub: from /) */
	assert_string_equal(e->kernel.path, "/boot/extlinux/vmlinuz-new");
	assert_int_equal(e->ninitrds, 2);
	assert_string_equal(e->initrds[0].path, "/ucode.img");
	assert_string_equal(e->initrds[1].path, "/boot/extlinux/initrd.img");
	assert_string_equal(e->args, "root=/dev/xvda1 ro quiet");
	const struct dl_boot_entry *s = &cfg.entries[2];
	assert_string_equal(s->kernel.path, "/boot/vmlinuz-sep");
	assert_int_equal(s->ninitrds, 2);
	assert_string_equal(s->initrds[0].path, "/boot/extlinux/a.img");
	assert_string_equal(s->args, "");
}

static void test_menu_default_and_labels(void **st)
{
	(void)st;
	parse("/extlinux.conf",
	      "UI menu.c32\nDEFAULT menu.c32\nMENU TITLE Boot\n"
	      "LABEL a\n MENU LABEL ^Alpha entry\n KERNEL /a\n"
	      "LABEL b\n MENU LABEL Beta\n MENU DEFAULT\n TEXT HELP\n  kernel /not-this\n ENDTEXT\n KERNEL /b\n"
	      "LABEL hd\n LOCALBOOT 0\n"
	      "LABEL mem\n KERNEL memtest.c32\n");
	assert_int_equal(cfg.nentries, 4);
	assert_int_equal(cfg.def, 1);
	assert_string_equal(cfg.entries[1].title, "Beta");
	assert_string_equal(cfg.entries[1].kernel.path, "/b");
	assert_string_equal(cfg.entries[0].title, "^Alpha entry");
	assert_int_equal(cfg.entries[2].kind, DL_ENTRY_OTHER);
	assert_int_equal(cfg.entries[3].kind, DL_ENTRY_OTHER);
	assert_int_equal(dl_boot_select(&cfg, "a", &err), 0);
	assert_int_equal(dl_boot_select(&cfg, "Beta", &err), 1);
}

static void test_include_and_submenu(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/isolinux/txt.cfg",
		 "label live\n  menu label ^Live\n  kernel /casper/vmlinuz\n  append  file=/cdrom/preseed/ubuntu.seed boot=casper initrd=/casper/initrd quiet splash ---\n");
	fake_add(&f, NULL, "/isolinux/adv.cfg",
		 "menu begin advanced\n  menu title Advanced options\n"
		 "  label safe\n    kernel /casper/vmlinuz\n    append nomodeset\n"
		 "menu end\n");
	parse("/isolinux/isolinux.cfg",
	      "include txt.cfg\nmenu include adv.cfg\ninclude missing.cfg\ndefault live\n");
	assert_int_equal(cfg.nentries, 3);
	assert_string_equal(cfg.entries[0].id, "live");
	assert_string_equal(cfg.entries[0].args, "file=/cdrom/preseed/ubuntu.seed boot=casper quiet splash ---");
	assert_string_equal(cfg.entries[0].initrds[0].path, "/casper/initrd");
	assert_true(cfg.entries[1].submenu);
	assert_string_equal(cfg.entries[1].title, "Advanced options");
	assert_int_equal(cfg.entries[2].parent, 1);
	assert_int_equal(cfg.entries[2].depth, 1);
	assert_int_equal(cfg.def, 0);
	char p[32];
	assert_string_equal(dl_boot_entry_path(&cfg, 2, p, sizeof(p)), "1>0");
}

static void test_include_loop(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/syslinux/a.cfg", "include b.cfg\n");
	fake_add(&f, NULL, "/syslinux/b.cfg", "include a.cfg\n");
	struct dl_boot_io io = fake_io(&f);
	const char *t = "include a.cfg\n";
	assert_int_equal(dl_boot_parse_as(&dl_syslinux_parser, "/syslinux/syslinux.cfg", t, strlen(t), &io, &cfg, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "/syslinux/b.cfg:1: INCLUDE nested deeper than 10 (a loop?)");
}

static void test_config_directive(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/syslinux/real.cfg", "default r\nlabel r\n kernel vmlinuz\n append ro\n");
	/* inside a label CONFIG is that label's "kernel" (syslinux readconfig.c) */
	parse("/syslinux.cfg", "label chain\n config /boot/syslinux/real.cfg\n");
	assert_int_equal(cfg.nentries, 1);
	assert_int_equal(cfg.entries[0].kind, DL_ENTRY_OTHER);
	dl_boot_config_free(&cfg);
	/* at top level it restarts with the other file */
	parse("/syslinux.cfg", "default stale\nconfig /boot/syslinux/real.cfg\nlabel after\n kernel /x\n");
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].id, "r");
	assert_string_equal(cfg.path, "/boot/syslinux/real.cfg");
	assert_string_equal(cfg.entries[0].kernel.path, "/boot/syslinux/vmlinuz");
}

static void test_mboot(void **st)
{
	(void)st;
	/* pygrub's reading of mboot.c32: the Linux kernel and initrd of a Xen entry */
	parse("/boot/extlinux.conf",
	      "default xen\nlabel xen\n kernel mboot.c32\n append xen.gz dom0_mem=512M --- vmlinuz-xen root=/dev/xvda1 ro --- initrd-xen\n"
	      "label two\n kernel /mboot.c32\n append /vmlinuz2 console=hvc0 --- /initrd2\n");
	const struct dl_boot_entry *e = &cfg.entries[0];
	assert_int_equal(e->kind, DL_ENTRY_LINUX);
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-xen");
	assert_string_equal(e->args, "root=/dev/xvda1 ro");
	assert_string_equal(e->initrds[0].path, "/boot/initrd-xen");
	assert_string_equal(cfg.entries[1].kernel.path, "/vmlinuz2");
	assert_string_equal(cfg.entries[1].args, "console=hvc0");
	assert_string_equal(cfg.entries[1].initrds[0].path, "/initrd2");
}

static void test_default_command_line(void **st)
{
	(void)st;
	parse("/extlinux.conf", "DEFAULT /vmlinuz root=/dev/xvda1\nAPPEND initrd=/initrd.img quiet\n");
	assert_int_equal(cfg.nentries, 1);
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(e->kernel.path, "/vmlinuz");
	assert_string_equal(e->args, "root=/dev/xvda1 quiet");
	assert_string_equal(e->initrds[0].path, "/initrd.img");
}

static void test_global_append_and_quotes(void **st)
{
	(void)st;
	parse("/extlinux.conf", "APPEND console=hvc0\nLABEL a\n KERNEL \"/vmlinuz a\"\nLABEL b\n KERNEL /k\n APPEND own\n");
	assert_string_equal(cfg.entries[0].kernel.path, "/vmlinuz");
	assert_string_equal(cfg.entries[0].args, "a console=hvc0");
	assert_string_equal(cfg.entries[1].args, "own");
	assert_int_equal(cfg.def, 0);
}

static void test_data_debian_extlinux(void **st)
{
	(void)st;
	char *t = data_file("debian-12.extlinux.conf", NULL);
	assert_non_null(t);
	parse("/boot/extlinux/extlinux.conf", t);
	free(t);
	assert_int_equal(cfg.nentries, 2);
	assert_int_equal(cfg.timeout, 5);
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(e->id, "l0");
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-6.1.0-13-amd64");
	assert_string_equal(e->initrds[0].path, "/boot/initrd.img-6.1.0-13-amd64");
	assert_string_equal(e->args, "root=/dev/xvda1 ro console=hvc0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keywords_and_initrds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_menu_default_and_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include_and_submenu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_directive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_global_append_and_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_debian_extlinux, setup, teardown),
	};
	return cmocka_run_group_tests_name("syslinux", tests, NULL, NULL);
}
