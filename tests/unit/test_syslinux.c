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
#include "test_syslinux.configs.h"

static void parse(const char *path, const char *text)
{
	struct dl_boot_io io = fake_io(&f);
	if (dl_boot_parse_as(&dl_syslinux_parser, path, text, strlen(text), &io, &cfg, &err))
		fail_msg("parse failed: %s", err.msg);
}

/* config cfg_keywords_and_initrds:
default linux
timeout 25
prompt 1
say hello
label other
  kernel /vmlinuz-old
  append root=/dev/xvda1
LABEL linux
  Kernel vmlinuz-new
  APPEND initrd=/ucode.img,initrd.img root=/dev/xvda1 ro quiet
label sep
  linux ../vmlinuz-sep
  initrd a.img,/b.img
  append -
*/

static void test_keywords_and_initrds(void **st)
{
	(void)st;
	parse("/boot/extlinux/extlinux.conf",
	      cfg_keywords_and_initrds);
	assert_int_equal(cfg.nentries, 3);
	assert_int_equal(cfg.timeout, 3);   /* 25 tenths, rounded up */
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_MENU);   /* no UI, PROMPT 1: it waits */
	assert_false(cfg.locked);
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

/* config cfg_menu_default_and_labels:
UI menu.c32
DEFAULT menu.c32
MENU TITLE Boot
LABEL a
 MENU LABEL ^Alpha entry
 KERNEL /a
LABEL b
 MENU LABEL Beta
 MENU DEFAULT
 TEXT HELP
  kernel /not-this
 ENDTEXT
 KERNEL /b
LABEL hd
 LOCALBOOT 0
LABEL mem
 KERNEL memtest.c32
*/

static void test_menu_default_and_labels(void **st)
{
	(void)st;
	parse("/extlinux.conf",
	      cfg_menu_default_and_labels);
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

/* config cfg_include_and_submenu:
label live
  menu label ^Live
  kernel /casper/vmlinuz
  append  file=/cdrom/preseed/ubuntu.seed boot=casper initrd=/casper/initrd quiet splash ---
*/

/* config cfg_include_and_submenu_2:
menu begin advanced
  menu title Advanced options
  label safe
    kernel /casper/vmlinuz
    append nomodeset
menu end
*/

/* config cfg_include_and_submenu_3:
include txt.cfg
menu include adv.cfg
include missing.cfg
default live
*/

static void test_include_and_submenu(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/isolinux/txt.cfg",
		 cfg_include_and_submenu);
	fake_add(&f, NULL, "/isolinux/adv.cfg",
		 cfg_include_and_submenu_2);
	parse("/isolinux/isolinux.cfg",
	      cfg_include_and_submenu_3);
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

/* config cfg_config_directive:
default r
label r
 kernel vmlinuz
 append ro
*/

/* config cfg_config_directive_2:
default stale
config /boot/syslinux/real.cfg
label after
 kernel /x
*/

static void test_config_directive(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/syslinux/real.cfg", cfg_config_directive);
	/* inside a label CONFIG is that label's "kernel" (syslinux readconfig.c) */
	parse("/syslinux.cfg", "label chain\n config /boot/syslinux/real.cfg\n");
	assert_int_equal(cfg.nentries, 1);
	assert_int_equal(cfg.entries[0].kind, DL_ENTRY_OTHER);
	dl_boot_config_free(&cfg);
	/* at top level it restarts with the other file */
	parse("/syslinux.cfg", cfg_config_directive_2);
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].id, "r");
	assert_string_equal(cfg.path, "/boot/syslinux/real.cfg");
	assert_string_equal(cfg.entries[0].kernel.path, "/boot/syslinux/vmlinuz");
}

/* config cfg_mboot:
default xen
label xen
 kernel mboot.c32
 append xen.gz dom0_mem=512M --- vmlinuz-xen root=/dev/xvda1 ro --- initrd-xen
label two
 kernel /mboot.c32
 append /vmlinuz2 console=hvc0 --- /initrd2
*/

static void test_mboot(void **st)
{
	(void)st;
	/* pygrub's reading of mboot.c32: the Linux kernel and initrd of a Xen entry */
	parse("/boot/extlinux.conf",
	      cfg_mboot);
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

/* config cfg_global_append_and_quotes:
APPEND console=hvc0
LABEL a
 KERNEL "/vmlinuz a"
LABEL b
 KERNEL /k
 APPEND own
*/

static void test_global_append_and_quotes(void **st)
{
	(void)st;
	parse("/extlinux.conf", cfg_global_append_and_quotes);
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
	dl_boot_config_free(&cfg);
	memset(&cfg, 0, sizeof(cfg));
	/* no menu module and PROMPT 0 (the default): syslinux boots at once,
	 * our hidden style; a menu module shows its menu unless MENU HIDDEN;
	 * MENU MASTER PASSWD locks editing */
	parse("/extlinux.conf", "default l\ntimeout 10\nlabel l\n linux /v\n");
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_HIDDEN);
	dl_boot_config_free(&cfg);
	memset(&cfg, 0, sizeof(cfg));
	parse("/extlinux.conf", "ui menu.c32\nmenu master passwd x\nlabel l\n linux /v\n");
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_MENU);
	assert_true(cfg.locked);
	dl_boot_config_free(&cfg);
	memset(&cfg, 0, sizeof(cfg));
	parse("/extlinux.conf", "default vesamenu.c32\nmenu hidden\nlabel l\n linux /v\n");
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_HIDDEN);
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
