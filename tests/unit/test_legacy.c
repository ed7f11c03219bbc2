/* GRUB legacy menu.lst/grub.conf: globals, entries, devices, defaults. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_FIXTURES
#define FAKE_SELF "hd0,1"
#include "fake_io.h"
#include "test_legacy.configs.h"

static void parse(const char *text)
{
	struct dl_boot_io io = fake_io(&f);
	if (dl_boot_parse_as(&dl_legacy_parser, "/boot/grub/menu.lst", text, strlen(text), &io, &cfg, &err))
		fail_msg("parse failed: %s", err.msg);
}

static void test_basic(void **st)
{
	(void)st;
	parse("default=1\ntimeout=5\nsplashimage=(hd0,0)/grub/splash.xpm.gz\nhiddenmenu\n"
	      "title First\n\troot (hd0,0)\n\tkernel /vmlinuz-1 ro root=/dev/xvda2\n\tinitrd /initrd-1.img\n"
	      "title  Second one  \n\troot (hd0,1)\n\tkernel --no-mem-option /vmlinuz-2 ro  quiet\n"
	      "\tinitrd (hd1,0)/initrd-2.img\n\tsavedefault\n");
	assert_int_equal(cfg.nentries, 2);
	assert_string_equal(cfg.format, "grub-legacy");
	assert_int_equal(cfg.def, 1);
	assert_int_equal(cfg.timeout, 5);
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_HIDDEN);   /* hiddenmenu */
	assert_false(cfg.locked);
	const struct dl_boot_entry *a = &cfg.entries[0], *b = &cfg.entries[1];
	assert_string_equal(a->title, "First");
	assert_string_equal(a->kernel.path, "/vmlinuz-1");
	/* legacy (hd0,0) is GRUB 2's hd0,1: our own volume here */
	assert_null(a->kernel.dev);
	assert_string_equal(a->kernel.path, "/vmlinuz-1");
	assert_string_equal(a->root, "hd0,1");
	assert_string_equal(a->args, "ro root=/dev/xvda2");
	assert_string_equal(b->title, "Second one");
	assert_string_equal(b->kernel.dev, "hd0,2");
	assert_string_equal(b->args, "ro  quiet");
	assert_string_equal(b->initrds[0].dev, "hd1,1");
	assert_int_equal(dl_boot_select(&cfg, NULL, &err), 1);
	assert_int_equal(dl_boot_select(&cfg, "First", &err), 0);
}

static void test_data_centos6(void **st)
{
	(void)st;
	char *t = data_file("centos-6.grub.conf", NULL);
	assert_non_null(t);
	parse(t);
	free(t);
	assert_int_equal(cfg.nentries, 2);
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(e->title, "CentOS (2.6.32-754.el6.x86_64)");
	assert_string_equal(e->kernel.path, "/vmlinuz-2.6.32-754.el6.x86_64");
	assert_string_equal(e->initrds[0].path, "/initramfs-2.6.32-754.el6.x86_64.img");
	assert_non_null(strstr(e->args, "root=/dev/mapper/VolGroup-lv_root rd_NO_LUKS"));
}

static void test_data_sles11_xen(void **st)
{
	(void)st;
	f.self = "hd0,2";
	char *t = data_file("sles-11-sp4-xen.menu.lst", NULL);
	assert_non_null(t);
	parse(t);
	free(t);
	assert_int_equal(cfg.nentries, 3);
	const struct dl_boot_entry *x = &cfg.entries[1];
	assert_int_equal(x->kind, DL_ENTRY_MULTIBOOT);
	assert_string_equal(x->kernel.path, "/boot/xen.gz");
	assert_int_equal(x->nmodules, 2);
	assert_string_equal(x->modules[0].path, "/boot/vmlinuz-3.0.101-63-xen");
	assert_string_equal(x->modules[1].path, "/boot/initrd-3.0.101-63-xen");
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-3.0.101-63-xen");
	assert_null(e->kernel.dev);
}

/* config cfg_default_saved_and_fallback:
2
#
#
*/

/* config cfg_default_saved_and_fallback_2:
default saved
fallback 0
title a
kernel /a
title b
chainloader +1
title c
rootnoverify (hd0,0)
chainloader +1
*/

static void test_default_saved_and_fallback(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/default", cfg_default_saved_and_fallback);
	parse(cfg_default_saved_and_fallback_2);
	assert_int_equal(cfg.def, 2);
	assert_int_equal(cfg.fallback, 0);
	assert_int_equal(cfg.entries[2].kind, DL_ENTRY_OTHER);
	/* entry 2 is not bootable: fall back to 0 */
	assert_int_equal(dl_boot_select(&cfg, NULL, &err), 0);
}

/* config cfg_fallback_list:
default 0
fallback 2 9 1 2 x 0
title a
kernel /a
title b
kernel /b
title c
kernel /c
*/

/* "fallback NUM...": fallback_func (GRUB 0.97 stage2/builtins.c) reads
 * numbers until one is not, repeats dropped; entries that do not exist
 * are never booted. */
static void test_fallback_list(void **st)
{
	(void)st;
	parse(cfg_fallback_list);
	assert_int_equal(cfg.nfallbacks, 2);
	assert_int_equal(cfg.fallbacks[0], 2);
	assert_int_equal(cfg.fallbacks[1], 1);
	assert_int_equal(cfg.fallback, 2);
	assert_int_equal(dl_boot_next_fallback(&cfg, (int[]){0, 2}, 2), 1);
}

/* config cfg_default_out_of_range:
default 7
title only
kernel (hd0,4)/k a=b
*/

static void test_default_out_of_range(void **st)
{
	(void)st;
	parse(cfg_default_out_of_range);
	assert_int_equal(cfg.def, 0);
	assert_string_equal(cfg.entries[0].kernel.dev, "hd0,5");
}

static void test_line_cap(void **st)
{
	(void)st;
	char *t = malloc(5000);
	memset(t, 'x', 4999);
	t[4999] = '\0';
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_parse_as(&dl_legacy_parser, "/grub/menu.lst", t, 4999, &io, &cfg, &err), -E2BIG);
	assert_string_equal(err.msg, "/grub/menu.lst:1: line longer than 4096 bytes");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_centos6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_sles11_xen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_saved_and_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_cap, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub legacy", tests, NULL, NULL);
}
