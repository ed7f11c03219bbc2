/* syslinux/extlinux/isolinux: keywords, APPEND initrd=, INCLUDE, CONFIG,
 * MENU DEFAULT, MENU BEGIN/END, relative paths, mboot.c32; the default
 * followed through CONFIG, whichsys.c32, ifcpu64.c32 and menu.c32 on trees
 * shaped like Arch's archiso and Debian live's isolinux. */
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
	/* ldlinux's do_include() has no depth limit: the loop ends when
	 * files run out and the rest of the configuration still counts; here
	 * it ends at our depth with a warning */
	fake_add(&f, NULL, "/syslinux/a.cfg", "include b.cfg\n");
	fake_add(&f, NULL, "/syslinux/b.cfg", "include a.cfg\n");
	parse("/syslinux/syslinux.cfg", "label first\n linux /1\ninclude a.cfg\nlabel last\n linux /2\ndefault last\n");
	assert_int_equal(cfg.nentries, 2);
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/2");
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
	/* at top level it restarts with the other file; the working directory
	 * stays unless CONFIG names one (execute.c IMAGE_TYPE_CONFIG changes
	 * it only "if we got anything on the command line") */
	parse("/syslinux.cfg", cfg_config_directive_2);
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].id, "r");
	assert_string_equal(cfg.path, "/boot/syslinux/real.cfg");
	assert_string_equal(cfg.entries[0].kernel.path, "/vmlinuz");
	dl_boot_config_free(&cfg);
	parse("/syslinux.cfg", "config /boot/syslinux/real.cfg /boot/syslinux/\n");
	assert_string_equal(cfg.entries[0].kernel.path, "/boot/syslinux/vmlinuz");
}

/* config cfg_mboot:
default xen
label xen
 kernel mboot.c32
 append xen.gz dom0_mem=512M  loglvl=all --- vmlinuz-xen root=/dev/xvda1 ro --- initrd-xen
label two
 kernel /mboot.c32
 append /vmlinuz2 console=hvc0 --- /initrd2
label opts
 COM32 /boot/syslinux/mboot.c32 -solaris -aout /xen.gz a---b
 APPEND --- --- /mod1 x=1 ---  /mod2 ---
label bare
 kernel mboot.c32
 append -
label linux
 kernel /vmlinuz
*/

static void test_mboot(void **st)
{
	(void)st;
	/* mboot.c32 (com32/mboot/mboot.c): the hypervisor with its command
	 * line, then each image after a "---" word a module, in order */
	parse("/boot/extlinux.conf",
	      cfg_mboot);
	const struct dl_boot_entry *e = &cfg.entries[0];
	assert_int_equal(e->kind, DL_ENTRY_MULTIBOOT);
	assert_true(dl_boot_entry_multiboot(e));
	assert_string_equal(e->kernel.path, "/boot/xen.gz");
	assert_string_equal(e->args, "dom0_mem=512M loglvl=all");
	assert_int_equal(e->ninitrds, 0);
	assert_int_equal(e->nmodules, 2);
	assert_string_equal(e->modules[0].path, "/boot/vmlinuz-xen");
	assert_string_equal(e->module_args[0], "root=/dev/xvda1 ro");
	assert_string_equal(e->modules[1].path, "/boot/initrd-xen");
	assert_string_equal(e->module_args[1], "");
	e = &cfg.entries[1];
	assert_int_equal(e->kind, DL_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel.path, "/vmlinuz2");
	assert_string_equal(e->args, "console=hvc0");
	assert_int_equal(e->nmodules, 1);
	assert_string_equal(e->modules[0].path, "/initrd2");
	/* options before the first file skipped; "a---b" is no separator;
	 * the KERNEL line's words come before APPEND's; empty images none */
	e = &cfg.entries[2];
	assert_int_equal(e->kind, DL_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel.path, "/xen.gz");
	assert_string_equal(e->args, "a---b");
	assert_int_equal(e->nmodules, 2);
	assert_string_equal(e->modules[0].path, "/mod1");
	assert_string_equal(e->module_args[0], "x=1");
	assert_string_equal(e->modules[1].path, "/mod2");
	assert_string_equal(e->module_args[1], "");
	/* mboot.c32 with nothing to load: a multiboot entry without a kernel */
	e = &cfg.entries[3];
	assert_int_equal(e->kind, DL_ENTRY_MULTIBOOT);
	assert_null(e->kernel.path);
	assert_false(dl_boot_entry_multiboot(e));
	assert_int_equal(dl_boot_select(&cfg, "bare", &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "multiboot entry without a kernel"));
	/* the default (a multiboot entry) gives way to the Linux entry, as
	 * for GRUB's multiboot entries; chosen by name it is booted */
	assert_int_equal(dl_boot_select(&cfg, NULL, &err), 4);
	assert_int_equal(dl_boot_select(&cfg, "xen", &err), 0);
}

/* config cfg_mboot_only:
default xen
label xen
 kernel mboot.c32 xen.gz dom0_mem=1G
 append --- /boot/vmlinuz root=/dev/xvda1 --- /boot/initrd.img
*/

static void test_mboot_default(void **st)
{
	(void)st;
	/* no Linux entry: the multiboot default is what boots; the KERNEL
	 * line's arguments are the start of mboot.c32's command line */
	parse("/extlinux.conf", cfg_mboot_only);
	int i = dl_boot_select(&cfg, NULL, &err);
	assert_int_equal(i, 0);
	const struct dl_boot_entry *e = &cfg.entries[i];
	assert_int_equal(e->kind, DL_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel.path, "/xen.gz");
	assert_string_equal(e->args, "dom0_mem=1G");
	assert_int_equal(e->nmodules, 2);
	assert_string_equal(e->modules[0].path, "/boot/vmlinuz");
	assert_string_equal(e->module_args[0], "root=/dev/xvda1");
	assert_string_equal(e->modules[1].path, "/boot/initrd.img");
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

/* Arch's archiso ISO (2013-2020 releng layout): isolinux.cfg CONFIGs the
 * real configuration and changes the working directory through APPEND;
 * that one's DEFAULT runs whichsys.c32, whose -iso- branch names a label
 * that CONFIGs again; the menu (UI vesamenu.c32) then selects DEFAULT's
 * label, itself ifcpu64.c32 choosing the 64-bit label.  Followed as
 * ldlinux's load_kernel()/execute.c and com32/modules/{whichsys,ifcpu64}.c
 * do. */

/* config cfg_arch_isolinux:
PATH /arch/boot/syslinux/
DEFAULT loadconfig

LABEL loadconfig
  CONFIG /arch/boot/syslinux/archiso.cfg
  APPEND /arch/
*/

/* config cfg_arch_archiso:
DEFAULT select

LABEL select
COM32 boot/syslinux/whichsys.c32
APPEND -pxe- pxe -sys- sys -iso- sys

LABEL pxe
CONFIG boot/syslinux/archiso_pxe.cfg

LABEL sys
CONFIG boot/syslinux/archiso_sys.cfg
*/

/* config cfg_arch_sys:
INCLUDE boot/syslinux/archiso_head.cfg

DEFAULT select
TIMEOUT 150

LABEL select
COM32 boot/syslinux/ifcpu64.c32
APPEND arch64 -- arch32

INCLUDE boot/syslinux/archiso_sys32.cfg
INCLUDE boot/syslinux/archiso_sys64.cfg
INCLUDE boot/syslinux/archiso_tail.cfg
*/

/* config cfg_arch_head:
SERIAL 0 38400
UI boot/syslinux/vesamenu.c32
MENU TITLE Arch Linux
MENU BACKGROUND boot/syslinux/splash.png
MENU WIDTH 78
*/

/* config cfg_arch_sys64:
LABEL arch64
TEXT HELP
Boot the Arch Linux (x86_64) live medium.
ENDTEXT
MENU LABEL Boot Arch Linux (x86_64)
LINUX boot/x86_64/vmlinuz
INITRD boot/intel_ucode.img,boot/amd_ucode.img,boot/x86_64/archiso.img
APPEND archisobasedir=arch archisolabel=ARCH_201901
*/

/* config cfg_arch_sys32:
LABEL arch32
MENU LABEL Boot Arch Linux (i686)
MENU DEFAULT
LINUX boot/i686/vmlinuz
INITRD boot/intel_ucode.img,boot/i686/archiso.img
APPEND archisobasedir=arch archisolabel=ARCH_201901
*/

/* config cfg_arch_tail:
LABEL existing
MENU LABEL Boot existing OS
COM32 boot/syslinux/chain.c32
APPEND hd0 0

LABEL reboot
MENU LABEL Reboot
COM32 boot/syslinux/reboot.c32
*/

static void add_arch_tree(void)
{
	fake_add(&f, NULL, "/isolinux/isolinux.bin", "x");
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso.cfg", cfg_arch_archiso);
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso_sys.cfg", cfg_arch_sys);
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso_pxe.cfg", "DEFAULT pxe\nLABEL pxe\nLINUX /pxe\n");
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso_head.cfg", cfg_arch_head);
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso_sys64.cfg", cfg_arch_sys64);
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso_sys32.cfg", cfg_arch_sys32);
	fake_add(&f, NULL, "/arch/boot/syslinux/archiso_tail.cfg", cfg_arch_tail);
}

static void test_arch_iso_tree(void **st)
{
	(void)st;
	add_arch_tree();
	parse("/isolinux/isolinux.cfg", cfg_arch_isolinux);
	assert_string_equal(cfg.path, "/arch/boot/syslinux/archiso_sys.cfg");
	/* CONFIG replaced the configuration: only archiso_sys.cfg's labels */
	assert_int_equal(cfg.nentries, 5);
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	/* not arch32 (its MENU DEFAULT loses to DEFAULT under UI), not
	 * "select" (a module), but what ifcpu64.c32 picks on a 64-bit CPU */
	assert_string_equal(e->id, "arch64");
	assert_string_equal(e->kernel.path, "/arch/boot/x86_64/vmlinuz");
	assert_int_equal(e->ninitrds, 3);
	assert_string_equal(e->initrds[2].path, "/arch/boot/x86_64/archiso.img");
	assert_string_equal(e->args, "archisobasedir=arch archisolabel=ARCH_201901");
	assert_int_equal(cfg.timeout, 15);
}

/* whichsys.c32 follows -iso- on an ISOLINUX medium, -sys- on a disk
 * (SYSLINUX/EXTLINUX, ldlinux.sys beside the configuration) */
static void test_whichsys_iso_or_disk(void **st)
{
	(void)st;
	const char *t = "DEFAULT whichsys.c32 -iso- config iso.cfg -pxe- pxe -sys- config sys.cfg\n";
	fake_add(&f, NULL, "/boot/syslinux/iso.cfg", "DEFAULT i\nLABEL i\nLINUX /iso-kernel\n");
	fake_add(&f, NULL, "/boot/syslinux/sys.cfg", "DEFAULT s\nLABEL s\nLINUX /sys-kernel\n");
	fake_add(&f, NULL, "/boot/syslinux/isolinux.bin", "x");
	parse("/boot/syslinux/syslinux.cfg", t);
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/iso-kernel");
	dl_boot_config_free(&cfg);
	fake_add(&f, NULL, "/boot/syslinux/ldlinux.sys", "x");
	parse("/boot/syslinux/syslinux.cfg", t);
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/sys-kernel");
	assert_string_equal(cfg.path, "/boot/syslinux/sys.cfg");
}

/* Debian live (live-build) isolinux tree: the last DEFAULT is
 * vesamenu.c32 without a UI line, so the menu boots its MENU DEFAULT and
 * an earlier "default install" (d-i's gtk.cfg does that) does not count;
 * plain and MENU INCLUDEs, a submenu with includes inside. */

/* config cfg_debian_menu:
menu hshift 0
menu width 82

menu title Boot menu
include stdmenu.cfg
include install.cfg
include live.cfg
menu begin utilities
	menu label ^Utilities
	menu title Utilities
	include utilities.cfg
menu end
menu include advanced.cfg Advanced options
menu clear
*/

/* config cfg_debian_install:
default install
label install
	menu label Start ^installer
	linux /install/gtk/vmlinuz
	initrd /install/gtk/initrd.gz
	append vga=788  --- quiet
*/

/* config cfg_debian_live:
label live-amd64
	menu label ^Live system (amd64)
	menu default
	linux /live/vmlinuz-6.1.0-13-amd64
	initrd /live/initrd.img-6.1.0-13-amd64
	append boot=live components quiet splash

label live-amd64-failsafe
	menu label Live system (amd64 fail-safe mode)
	linux /live/vmlinuz-6.1.0-13-amd64
	initrd /live/initrd.img-6.1.0-13-amd64
	append boot=live components memtest noapic noapm nodma nomce nosmp nosplash vga=788
*/

static void test_debian_live_tree(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/isolinux/isolinux.bin", "x");
	fake_add(&f, NULL, "/isolinux/vesamenu.c32", "x");
	fake_add(&f, NULL, "/isolinux/menu.cfg", cfg_debian_menu);
	fake_add(&f, NULL, "/isolinux/stdmenu.cfg", "menu background splash.png\nmenu color title * #FFFFFFFF *\n");
	fake_add(&f, NULL, "/isolinux/install.cfg", cfg_debian_install);
	fake_add(&f, NULL, "/isolinux/live.cfg", cfg_debian_live);
	fake_add(&f, NULL, "/isolinux/utilities.cfg",
		 "label hdt\n\tmenu label ^Hardware Detection Tool (HDT)\n\tcom32 hdt.c32\n"
		 "label memtest\n\tmenu label ^Memory Diagnostic Tool (memtest86+)\n\tlinux /live/memtest\n");
	fake_add(&f, NULL, "/isolinux/advanced.cfg", "label expert\n\tlinux /install/vmlinuz\n\tappend priority=low\n");
	/* "vesamenu" without .c32: ldlinux adds the extension of the file there */
	parse("/isolinux/isolinux.cfg", "include menu.cfg\ndefault vesamenu\nprompt 0\ntimeout 0\n");
	assert_int_equal(cfg.timeout, -1);   /* TIMEOUT 0: none (the menu waits; we, a second) */
	const struct dl_boot_entry *e = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(e->id, "live-amd64");
	assert_string_equal(e->kernel.path, "/live/vmlinuz-6.1.0-13-amd64");
	assert_string_equal(e->args, "boot=live components quiet splash");
	/* MENU INCLUDE file tag: a submenu titled tag around the file */
	int adv = -1;
	for (size_t i = 0; i < cfg.nentries; i++)
		if (cfg.entries[i].submenu && !strcmp(cfg.entries[i].title, "Advanced options"))
			adv = (int)i;
	assert_true(adv >= 0);
	assert_string_equal(cfg.entries[adv + 1].id, "expert");
	assert_int_equal(cfg.entries[adv + 1].parent, adv);
	for (size_t i = 0; i < cfg.nentries; i++)
		if (!strcmp(cfg.entries[i].id, "hdt"))
			assert_int_equal(cfg.entries[i].kind, DL_ENTRY_OTHER);
}

/* config cfg_ui_and_default:
UI menu.c32
DEFAULT b
LABEL a
 MENU DEFAULT
 LINUX /a
LABEL b
 LINUX /b
*/

/* menu.c32 parse_configs(): with a UI line DEFAULT's label beats MENU
 * DEFAULT; without a menu (ldlinux alone) MENU DEFAULT means nothing;
 * ONTIMEOUT when a prompt times out; a redirect loop falls back to the
 * first entry with a warning. */
static void test_default_rules(void **st)
{
	(void)st;
	parse("/extlinux.conf", cfg_ui_and_default);
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/b");
	dl_boot_config_free(&cfg);
	parse("/extlinux.conf", "DEFAULT b\nLABEL a\n MENU DEFAULT\n LINUX /a\nLABEL b\n LINUX /b\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/b");
	dl_boot_config_free(&cfg);
	parse("/extlinux.conf", "DEFAULT menu.c32\nLABEL a\n LINUX /a\nLABEL b\n MENU DEFAULT\n LINUX /b\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/b");
	dl_boot_config_free(&cfg);
	/* MENU DEFAULT outside a label: the submenu is its parent's default */
	parse("/extlinux.conf", "UI menu.c32\nLABEL a\n LINUX /a\nMENU BEGIN s\n MENU DEFAULT\n"
				"LABEL s1\n LINUX /s1\nLABEL s2\n MENU DEFAULT\n LINUX /s2\nMENU END\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/s2");
	dl_boot_config_free(&cfg);
	const char *t = "PROMPT 1\nTIMEOUT 50\nONTIMEOUT b\nDEFAULT a\nLABEL a\n LINUX /a\nLABEL b\n LINUX /b\n";
	parse("/extlinux.conf", t);
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/b");
	dl_boot_config_free(&cfg);
	parse("/extlinux.conf", "PROMPT 0\nTIMEOUT 50\nONTIMEOUT b\nDEFAULT a\nLABEL a\n LINUX /a\nLABEL b\n LINUX /b\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/a");
	dl_boot_config_free(&cfg);
	/* ifcpu64.c32 directly in DEFAULT */
	parse("/extlinux.conf", "DEFAULT ifcpu64.c32 l64 -- l32pae -- l32\nLABEL l32\n LINUX /32\nLABEL l64\n LINUX /64\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/64");
	dl_boot_config_free(&cfg);
	parse("/extlinux.conf", "DEFAULT a\nLABEL z\n LINUX /z\nLABEL a\n COM32 whichsys.c32\n APPEND -sys- a -iso- a\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/z");
}

/* config cfg_menu_files_top:
DEFAULT vesamenu.c32 boot/menu.cfg ~
TIMEOUT 30
LABEL top
 LINUX /top
*/

/* config cfg_menu_files_menu:
MENU TITLE other
LABEL h
 MENU HIDE
 MENU DEFAULT
 LINUX /hidden
LABEL m1
 LINUX vm1
LABEL m2
 MENU DEFAULT
 LINUX vm2
 APPEND initrd=i2 quiet
*/

/* menu.c32/vesamenu.c32 FILE... (com32/menu/menumain.c main() calls
 * parse_configs(argv + 1), readconfig.c parse_one_config per file, "~"
 * being syslinux_config_file()): the menu is read from those files, paths
 * relative to the working directory; a file that cannot be opened is
 * skipped.  MENU HIDE (record(): the hidden menu) is never the menu's
 * default; MENU GOTO/EXIT/QUIT labels boot nothing; MENU START is the menu
 * opened (and so whose default boots). */
static void test_menu_module_files(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/isolinux/boot/menu.cfg", cfg_menu_files_menu);
	fake_add(&f, NULL, "/isolinux/isolinux.cfg", cfg_menu_files_top);
	parse("/isolinux/isolinux.cfg", cfg_menu_files_top);
	const struct dl_boot_entry *e = &cfg.entries[cfg.def];
	assert_string_equal(e->id, "m2");
	assert_string_equal(e->kernel.path, "/isolinux/vm2");
	assert_string_equal(e->initrds[0].path, "/isolinux/i2");
	assert_string_equal(cfg.path, "/isolinux/boot/menu.cfg");
	/* "~": the current configuration's labels come after */
	assert_int_equal(cfg.nentries, 4);
	assert_string_equal(cfg.entries[3].id, "top");
	dl_boot_config_free(&cfg);
	/* COM32 menu.c32 with APPEND naming the file, a missing one skipped */
	fake_add(&f, NULL, "/isolinux/other.cfg", "LABEL o\n LINUX /o\nLABEL p\n MENU DEFAULT\n LINUX /p\n");
	parse("/isolinux/isolinux.cfg", "DEFAULT m\nLABEL m\n COM32 menu.c32\n APPEND nope.cfg other.cfg\n"
					"LABEL x\n LINUX /x\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/p");
	assert_int_equal(cfg.nentries, 2);
	dl_boot_config_free(&cfg);
	/* none readable: an error naming the configuration */
	struct dl_boot_io io = fake_io(&f);
	const char *t = "UI menu.c32 gone.cfg\nLABEL x\n LINUX /x\n";
	assert_true(dl_boot_parse_as(&dl_syslinux_parser, "/isolinux/isolinux.cfg", t, strlen(t), &io,
				     &cfg, &err) < 0);
	assert_non_null(strstr(err.msg, "menu.c32"));
	/* a UI DEFAULT naming a hidden label: not the menu's default */
	parse("/extlinux.conf", "UI menu.c32\nDEFAULT h\nLABEL h\n MENU HIDE\n LINUX /h\n"
				"LABEL a\n LINUX /a\nLABEL b\n LINUX /b\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/a");
	/* the hidden label is still there for --entry */
	assert_string_equal(cfg.entries[dl_boot_select(&cfg, "h", &err)].kernel.path, "/h");
	dl_boot_config_free(&cfg);
	/* MENU GOTO replaces the label's image: it boots nothing */
	parse("/extlinux.conf", "UI menu.c32\nLABEL g\n MENU DEFAULT\n KERNEL /k\n MENU GOTO sub\n"
				"LABEL a\n LINUX /a\nMENU BEGIN sub\nLABEL s\n LINUX /s\n"
				"LABEL back\n MENU EXIT\nMENU END\n");
	assert_int_equal(cfg.entries[0].kind, DL_ENTRY_OTHER);
	assert_null(cfg.entries[0].kernel.path);
	assert_int_equal(cfg.entries[4].kind, DL_ENTRY_OTHER);
	dl_boot_config_free(&cfg);
	/* MENU START: the submenu opens first; its MENU DEFAULT boots */
	parse("/extlinux.conf", "UI menu.c32\nLABEL a\n LINUX /a\nMENU BEGIN sub\n MENU START\n"
				"LABEL s1\n LINUX /s1\nLABEL s2\n MENU DEFAULT\n LINUX /s2\nMENU END\n");
	assert_string_equal(cfg.entries[cfg.def].kernel.path, "/s2");
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
		cmocka_unit_test_setup_teardown(test_mboot_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_global_append_and_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_debian_extlinux, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arch_iso_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whichsys_iso_or_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian_live_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_menu_module_files, setup, teardown),
	};
	return cmocka_run_group_tests_name("syslinux", tests, NULL, NULL);
}
