/* Boot Loader Specification Type #1: entry keys, UAPI version order, the
 * spec's sort order, boot counting, stand-alone BLS discovery with grubenv
 * $kernelopts/saved_entry and loader.conf defaults. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boot/internal.h"
#define FAKE_FIXTURES
#include "fake_io.h"
#include "test_bls.configs.h"

static void test_entry_keys(void **st)
{
	(void)st;
	const char *text = "# comment\n  title   Fedora Linux (6.5) 38  \nversion 6.5.12-200.fc38.x86_64\n"
			   "machine-id 0123456789abcdef0123456789abcdef\nsort-key fedora\n"
			   "linux /vmlinuz-6.5\ninitrd /intel-ucode.img\ninitrd /initramfs-6.5.img\n"
			   "options root=/dev/xvda2 ro\noptions quiet\n\toptions console=hvc0\n"
			   "devicetree /dtb\nunknown-key x\n";
	struct dl_bls_entry e;
	assert_int_equal(dl_bls_parse_entry("abc-6.5.conf", text, strlen(text), &e, &err), 0);
	assert_string_equal(e.id, "abc-6.5");
	assert_string_equal(e.title, "Fedora Linux (6.5) 38");
	assert_string_equal(e.version, "6.5.12-200.fc38.x86_64");
	assert_string_equal(e.machine_id, "0123456789abcdef0123456789abcdef");
	assert_string_equal(e.sort_key, "fedora");
	assert_string_equal(e.linux, "/vmlinuz-6.5");
	assert_int_equal(e.ninitrds, 2);
	assert_string_equal(e.initrds[1], "/initramfs-6.5.img");
	assert_string_equal(e.options, "root=/dev/xvda2 ro quiet console=hvc0");
	dl_bls_entry_free(&e);

	/* dl_boot_parse "bls" on one entry file */
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_parse_as(&dl_bls_parser, "/loader/entries/abc-6.5.conf", text, strlen(text), &io, &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].id, "abc-6.5");
	assert_int_equal(cfg.entries[0].ninitrds, 2);
	assert_string_equal(cfg.entries[0].initrds[0].path, "/intel-ucode.img");
	assert_string_equal(cfg.entries[0].args, "root=/dev/xvda2 ro quiet console=hvc0");
}

static void test_boot_counting(void **st)
{
	(void)st;
	struct dl_bls_entry e;
	assert_int_equal(dl_bls_parse_entry("x-6.1+3-1.conf", "linux /k\n", 9, &e, &err), 0);
	assert_string_equal(e.id, "x-6.1");
	assert_int_equal(e.tries_left, 3);
	assert_int_equal(e.tries_done, 1);
	assert_false(e.bad);
	dl_bls_entry_free(&e);
	assert_int_equal(dl_bls_parse_entry("x-6.1+0.conf", "linux /k\n", 9, &e, &err), 0);
	assert_string_equal(e.id, "x-6.1");
	assert_true(e.bad);
	dl_bls_entry_free(&e);
	assert_int_equal(dl_bls_parse_entry("a+b.conf", "linux /k\n", 9, &e, &err), 0);
	assert_string_equal(e.id, "a+b");
	dl_bls_entry_free(&e);
}

static void test_vercmp(void **st)
{
	(void)st;
	/* examples from the UAPI version format specification */
	assert_true(dl_vercmp("11", "9") > 0);
	assert_true(dl_vercmp("1.10", "1.9") > 0);
	assert_true(dl_vercmp("1~rc1", "1") < 0);
	assert_true(dl_vercmp("1", "1.0") < 0);
	assert_true(dl_vercmp("1.0", "1.0a") < 0);
	assert_true(dl_vercmp("1-2", "1.0") < 0);
	assert_true(dl_vercmp("1^1", "1") > 0);
	assert_true(dl_vercmp("1^1", "1.1") < 0);
	assert_true(dl_vercmp("007", "7") == 0);
	assert_true(dl_vercmp("a", "B") > 0);
	assert_true(dl_vercmp("6.10.3-100.fc38", "6.5.12-200.fc38") > 0);
	assert_true(dl_vercmp("5.14.0-70.13.1.el9_0", "5.14.0-70.el9") > 0);
	assert_true(dl_vercmp("", "1") < 0);
	assert_int_equal(dl_vercmp("abc", "abc"), 0);
}

static void add_entry(const char *dev, const char *name, const char *text)
{
	static char paths[32][256];
	static int np;
	char *p = paths[np++ % 32];
	snprintf(p, 256, "/loader/entries/%s", name);
	fake_add(&f, dev, p, text);
}

/* config cfg_sort_order:
title key z
sort-key zz
version 1
linux /c
*/

/* config cfg_sort_order_2:
title key a v2
sort-key aa
version 2
linux /d
*/

/* config cfg_sort_order_3:
title key a v10
sort-key aa
version 10
linux /e
*/

/* config cfg_sort_order_4:
title key a mid
sort-key aa
machine-id 00
version 1
linux /f
*/

/* config cfg_sort_order_5:
title bad
sort-key aa
linux /g
*/

/* config cfg_sort_order_6:
title arm
linux /arm
architecture aa64
*/

static void test_sort_order(void **st)
{
	(void)st;
	f.self = "hd0,gpt1";
	add_entry(NULL, "a-6.1.conf", "title no-key 6.1\nlinux /a\n");
	add_entry(NULL, "a-6.10.conf", "title no-key 6.10\nlinux /b\n");
	add_entry(NULL, "z-1.conf", cfg_sort_order);
	add_entry(NULL, "y-2.conf", cfg_sort_order_2);
	add_entry(NULL, "y-10.conf", cfg_sort_order_3);
	add_entry(NULL, "m-1.conf", cfg_sort_order_4);
	add_entry(NULL, "bad-9+0.conf", cfg_sort_order_5);
	add_entry(NULL, "noklinux.conf", "title efi only\nefi /x.efi\n");
	add_entry(NULL, "arm.conf", cfg_sort_order_6);
	add_entry(NULL, "notconf.txt", "linux /x\n");
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_string_equal(cfg.format, "bls");
	assert_string_equal(cfg.path, "/loader/entries");
	const char *want[] = {"key a v10", "key a v2", "key a mid", "key z", "no-key 6.10", "no-key 6.1", "bad"};
	assert_int_equal(cfg.nentries, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(cfg.entries[i].title, want[i]);
	assert_int_equal(cfg.def, 0);
}

/* config cfg_standalone_grubenv:
title RHEL 9 (5.14.0-70)
version 5.14.0-70.el9.x86_64
linux /boot/vmlinuz-5.14.0-70.el9.x86_64
initrd /boot/initramfs-5.14.0-70.el9.x86_64.img $tuned_initrd
options $kernelopts ${extra}
*/

/* config cfg_standalone_grubenv_2:
title RHEL 9 (5.14.0-162)
version 5.14.0-162.el9.x86_64
linux /boot/vmlinuz-5.14.0-162.el9.x86_64
initrd /boot/initramfs-5.14.0-162.el9.x86_64.img
options $kernelopts
*/

static void test_standalone_grubenv(void **st)
{
	(void)st;
	/* no grub.cfg: BLS entries on / with /boot/grub2/grubenv */
	f.self = "hd0,msdos1";
	fake_add(&f, NULL, "/boot/loader/entries/m-5.14.0-70.el9.x86_64.conf",
		 cfg_standalone_grubenv);
	fake_add(&f, NULL, "/boot/loader/entries/m-5.14.0-162.el9.x86_64.conf",
		 cfg_standalone_grubenv_2);
	fake_add(&f, NULL, "/boot/grub2/grubenv",
		 "# GRUB Environment Block\nkernelopts=root=/dev/xvda2 ro  console=hvc0\n"
		 "saved_entry=m-5.14.0-70.el9.x86_64\ntuned_initrd=/boot/tuned.img\nextra=x=1\n####");
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_string_equal(cfg.path, "/boot/loader/entries");
	assert_string_equal(cfg.entries[0].id, "m-5.14.0-162.el9.x86_64");
	int s = dl_boot_select(&cfg, NULL, &err);
	assert_int_equal(s, 1);
	const struct dl_boot_entry *e = &cfg.entries[s];
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-5.14.0-70.el9.x86_64");
	assert_int_equal(e->ninitrds, 2);
	assert_string_equal(e->initrds[1].path, "/boot/tuned.img");
	assert_string_equal(e->args, "root=/dev/xvda2 ro console=hvc0 x=1");
	assert_string_equal(cfg.default_spec, "m-5.14.0-70.el9.x86_64");
	/* --entry by BLS id and title */
	assert_int_equal(dl_boot_select(&cfg, "m-5.14.0-162.el9.x86_64", &err), 0);
	assert_int_equal(dl_boot_select(&cfg, "RHEL 9 (5.14.0-70)", &err), 1);
}

static void test_loader_conf_default(void **st)
{
	(void)st;
	f.self = "hd0,gpt1";
	fake_add(&f, NULL, "/loader/loader.conf", "timeout 4\ndefault debian-*\n");
	fake_add(&f, NULL, "/loader/entries/arch-6.6.conf", "title Arch\nlinux /vmlinuz-linux\n");
	fake_add(&f, NULL, "/loader/entries/debian-6.1.conf", "title Debian\nlinux /vmlinuz-6.1\n");
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_string_equal(cfg.entries[0].title, "Debian");   /* "debian-6.1" > "arch-6.6" */
	assert_int_equal(cfg.def, 0);
	assert_int_equal(cfg.timeout, 4);
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_MENU);
	dl_boot_config_free(&cfg);
	f.files[0].data = "default arch-6.6.conf\ntimeout 0\n";
	f.files[0].len = strlen(f.files[0].data);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_string_equal(cfg.entries[dl_boot_select(&cfg, NULL, &err)].title, "Arch");
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_HIDDEN);   /* sd-boot: 0 hides the menu */
}

static int one_home(void *ctx, char ***dirs, size_t *n)
{
	(void)ctx;
	*dirs = dl_calloc(1, sizeof(**dirs));
	(*dirs)[0] = dl_strdup("/@");
	*n = 1;
	return 0;
}

/* systemd-boot (src/boot/efi/boot.c config_entry_add_type1, "check
 * existence") adds no entry whose linux file it cannot open, before it
 * picks the default; loader.conf is the one beside the entries, here in a
 * btrfs subvolume's /boot that the guest view offers as a home. */
static void test_sdboot_missing_linux_and_home(void **st)
{
	(void)st;
	f.self = "hd0,gpt2";
	fake_add(&f, NULL, "/@/boot/loader/loader.conf", "timeout 3\ndefault b-*\n");
	fake_add(&f, NULL, "/@/boot/loader/entries/a-1.conf", "title A\nlinux /vmlinuz-a\n");
	fake_add(&f, NULL, "/@/boot/loader/entries/b-1.conf", "title B\nlinux /vmlinuz-b\n");
	fake_add(&f, NULL, "/@/boot/loader/entries/c-1.conf", "title C\nlinux vmlinuz-c\n");
	fake_add(&f, NULL, "/@/boot/vmlinuz-a", "kernel a");
	fake_add(&f, NULL, "/@/boot/vmlinuz-c", "kernel c");
	struct dl_boot_io io = fake_io(&f);
	io.homes = one_home;
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_string_equal(cfg.path, "/@/boot/loader/entries");
	assert_int_equal(cfg.nentries, 2);   /* b-1 has no kernel */
	assert_string_equal(cfg.entries[0].title, "C");
	assert_string_equal(cfg.entries[1].title, "A");
	assert_int_equal(cfg.timeout, 3);
	/* "b-*" matches nothing left: the first entry, as sd-boot does */
	assert_string_equal(cfg.default_spec, "b-*");
	assert_int_equal(cfg.def, 0);
	dl_boot_config_free(&cfg);
	/* "@saved" with no LoaderEntryLastBooted visible: the first entry */
	f.files[0].data = "default @saved\n";
	f.files[0].len = strlen(f.files[0].data);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_int_equal(cfg.def, 0);
	assert_int_equal(cfg.timeout, -1);
	dl_boot_config_free(&cfg);
	/* every kernel missing: the entries stay, locating names the file */
	f.files[4].path = "/@/boot/gone-a";
	f.files[5].path = "/@/boot/gone-c";
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 3);
}

static void test_blscfg_blsdir(void **st)
{
	(void)st;
	f.self = "hd0,gpt2";
	fake_add(&f, NULL, "/custom/e1.conf", "title from blsdir\nlinux /k\n");
	fake_add(&f, NULL, "/loader/entries/e2.conf", "title default dir\nlinux /k\n");
	assert_int_equal(parse_grub(&f, "set blsdir=/custom\nblscfg\n", &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].title, "from blsdir");
	dl_boot_config_free(&cfg);
	/* blscfg inside a submenu puts the entries there */
	assert_int_equal(parse_grub(&f, "submenu S { blscfg; }\n", &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 2);
	assert_int_equal(cfg.entries[1].parent, 0);
	assert_string_equal(cfg.entries[1].title, "default dir");
}

/* rpm's rpmvercmp as GRUB's blscfg carries it (grub-core/commands/blscfg.c
 * vercmp): separators only split, '~' first, '+' after, digits beat letters */
static void test_rpmvercmp(void **st)
{
	(void)st;
	assert_int_equal(dl_rpmvercmp("1.10", "1.9"), 1);
	assert_int_equal(dl_rpmvercmp("1.9", "1.10"), -1);
	assert_int_equal(dl_rpmvercmp("1~rc1", "1"), -1);
	assert_int_equal(dl_rpmvercmp("1", "1+git"), -1);
	assert_int_equal(dl_rpmvercmp("1+git", "1"), 1);
	assert_int_equal(dl_rpmvercmp("1.0", "1_0"), 0);    /* UAPI: '.' > '_'-less */
	assert_int_equal(dl_rpmvercmp("010", "10"), 0);
	assert_int_equal(dl_rpmvercmp("1a", "1.1"), -1);    /* numeric newer than alpha */
	assert_int_equal(dl_rpmvercmp("1.0", "1"), 1);
	assert_int_equal(dl_rpmvercmp("B", "a"), -1);       /* ASCII, unlike UAPI's case rule */
	/* NVR split of file names: name, then version, then release */
	assert_int_equal(dl_bls_grub_cmp("m-5.14.0-162.el9.x86_64", "m-5.14.0-70.el9.x86_64"), 1);
	assert_int_equal(dl_bls_grub_cmp("a-9.0-1", "b-1.0-1"), -1);   /* name first */
	assert_int_equal(dl_bls_grub_cmp("ostree-2-fedora-coreos", "ostree-1-fedora-coreos"), 1);
	assert_int_equal(dl_bls_grub_cmp("x-0-rescue", "x-4.18.0-348.el8"), -1);
	assert_int_equal(dl_bls_grub_cmp("single", "single"), 0);
}

/* config cfg_grub_order_ostree1:
title Fedora CoreOS 39.1 (ostree:1)
sort-key ostree
version 9
linux /ostree/fedora-coreos-1/vmlinuz
options root=UUID=x ostree=/ostree/boot.1/fedora-coreos/1
*/

/* config cfg_grub_order_ostree2:
title Fedora CoreOS 39.2 (ostree:0)
sort-key ostree
version 1
linux /ostree/fedora-coreos-2/vmlinuz
options root=UUID=x ostree=/ostree/boot.1/fedora-coreos/0
*/

/* GRUB's blscfg orders by the file name only (bls_cmp -> split_cmp on
 * name-version-release, newest first; bls_add_entry inserts and drops an
 * entry comparing equal to one already read): the "version" and
 * "machine-id" keys, which disagree with the names here, do not count. */
static void test_blscfg_grub_order(void **st)
{
	(void)st;
	f.self = "hd0,gpt3";
	/* ostree: the current deployment has the higher serial in its name but
	 * here the lower version key (sd-boot would take ostree-1) */
	add_entry(NULL, "ostree-1-fedora-coreos.conf", cfg_grub_order_ostree1);
	add_entry(NULL, "ostree-2-fedora-coreos.conf", cfg_grub_order_ostree2);
	assert_int_equal(parse_grub(&f, "blscfg\n", &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 2);
	assert_string_equal(cfg.entries[0].id, "ostree-2-fedora-coreos");
	assert_string_equal(cfg.entries[dl_boot_select(&cfg, NULL, &err)].kernel.path,
			    "/ostree/fedora-coreos-2/vmlinuz");
	dl_boot_config_free(&cfg);
	memset(&f, 0, sizeof(f));

	/* two machine-ids (a reinstalled RHEL): the name part is the
	 * machine-id, compared first, so the newer kernel of the older
	 * machine-id loses; sort-key, machine-id and version keys say the
	 * opposite (sd-boot: 284, 362, 70) */
	f.self = "hd0,msdos1";
	add_entry(NULL, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-5.14.0-70.el9.x86_64.conf",
		  "title old install\nsort-key rhel\nmachine-id ffffffffffffffffffffffffffffffff\n"
		  "version 5.14.0-70.el9.x86_64\nlinux /vmlinuz-70\n");
	add_entry(NULL, "aaaaaaaabbbbccccddddeeeeffff0000-5.14.0-362.el9.x86_64.conf",
		  "title new install\nsort-key rhel\nmachine-id 00000000000000000000000000000000\n"
		  "version 5.14.0-362.el9.x86_64\nlinux /vmlinuz-362\n");
	add_entry(NULL, "aaaaaaaabbbbccccddddeeeeffff0000-5.14.0-284.el9.x86_64.conf",
		  "title new install older kernel\nsort-key rhel\n"
		  "machine-id 00000000000000000000000000000000\nversion 9.9\nlinux /vmlinuz-284\n");
	/* sorts equal to the 362 entry ("_" and "." only separate): dropped */
	add_entry(NULL, "aaaaaaaabbbbccccddddeeeeffff0000-5.14.0-362_el9_x86_64.conf",
		  "title duplicate\nlinux /dup\n");
	/* no linux key: no menu entry */
	add_entry(NULL, "zzzz-1-1.conf", "title efi\nefi /x.efi\n");
	assert_int_equal(parse_grub(&f, "blscfg\n", &cfg, &err), 0);
	const char *want[] = {"old install", "new install", "new install older kernel"};
	assert_int_equal(cfg.nentries, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(cfg.entries[i].title, want[i]);
}

/* GRUB's blscfg read_entry()/bls_get_val(): the first line of a key wins
 * (options too), a line with nothing after its key ends the file, the id
 * is the file name without .conf with its boot counter kept, and
 * $default_kernelopts stands in for options that expand to nothing. */
static void test_blscfg_grub_keys(void **st)
{
	(void)st;
	f.self = "hd0,gpt2";
	add_entry(NULL, "e-6.1-1+3-0.conf",
		  "title first\ntitle second\nlinux /k1\noptions a=1\noptions b=2\n"
		  "initrd /i1\n\ninitrd /after-blank\n");
	add_entry(NULL, "e-6.0-1.conf", "version 6.0\nlinux /k0\noptions $unset_var\n");
	assert_int_equal(parse_grub(&f, "set default_kernelopts=\"root=/dev/xvda1 ro\"\nblscfg\n",
				    &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 2);
	const struct dl_boot_entry *e = &cfg.entries[0];
	assert_string_equal(e->id, "e-6.1-1+3-0");
	assert_string_equal(e->title, "first");
	assert_string_equal(e->args, "a=1");
	assert_int_equal(e->ninitrds, 1);
	assert_string_equal(e->initrds[0].path, "/i1");
	assert_string_equal(cfg.entries[1].args, "root=/dev/xvda1 ro");
	assert_string_equal(cfg.entries[1].title, "/k0");   /* no title: the linux path */
	dl_boot_config_free(&cfg);
	/* systemd-boot reads the same file differently (last title, all options) */
	struct dl_bls_entry b;
	const char *t = "title first\ntitle second\nlinux /k1\noptions a=1\noptions b=2\n\ninitrd /x\n";
	assert_int_equal(dl_bls_parse_entry("e-6.1-1+3-0.conf", t, strlen(t), &b, &err), 0);
	assert_string_equal(b.id, "e-6.1-1");
	assert_string_equal(b.title, "second");
	assert_string_equal(b.options, "a=1 b=2");
	assert_int_equal(b.ninitrds, 1);
	dl_bls_entry_free(&b);
}

/* systemd-boot (loader.conf present): src/boot/efi/boot.c
 * boot_entry_compare(): no-tries-left last, entries with a sort-key first
 * by sort-key, machine-id, version (newest first), then the rest by id
 * (file name with .conf, newest first); no $var expansion; default glob
 * matched case-insensitively. */
static void test_sdboot_order(void **st)
{
	(void)st;
	f.self = "hd0,gpt1";
	fake_add(&f, NULL, "/loader/loader.conf", "default OTHER-*\n");
	fake_add(&f, NULL, "/boot/grub2/grubenv", "# GRUB Environment Block\nkernelopts=x\n####");
	add_entry(NULL, "a-machine2-old.conf",
		  "title m2 6.1\nsort-key fedora\nmachine-id 2222\nversion 6.1\nlinux /k\n");
	add_entry(NULL, "z-machine1.conf",
		  "title m1 6.1\nsort-key fedora\nmachine-id 1111\nversion 6.1\nlinux /k\n");
	add_entry(NULL, "b-machine2-new.conf",
		  "title m2 6.10\nsort-key fedora\nmachine-id 2222\nversion 6.10\nlinux /k\n");
	add_entry(NULL, "aaa.conf", "title arch\nsort-key arch\nversion 1\nlinux /k\n");
	add_entry(NULL, "other-9.conf", "title other 9\nlinux /k\noptions $kernelopts\n");
	add_entry(NULL, "other-10.conf", "title other 10\nlinux /k\n");
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	const char *want[] = {"arch", "m1 6.1", "m2 6.10", "m2 6.1", "other 10", "other 9"};
	assert_int_equal(cfg.nentries, 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(cfg.entries[i].title, want[i]);
	assert_int_equal(cfg.def, 4);
	assert_string_equal(cfg.entries[5].args, "$kernelopts");
}

/* systemd-boot, checked against src/boot/boot.c: ids are file names with
 * .conf in lower case (boot_entry_add_type1), so "default arch" matches
 * nothing and the first entry boots (config_find_entry,
 * config_select_default_entry); "@saved" is an EFI variable: the first
 * entry; a .CONF suffix counts, an auto-* file never does
 * (valid_type1_filename); timeout menu-force waits (we never wait
 * forever: unset), menu-hidden/menu-disabled boot at once
 * (config_timeout_sec_from_string); the last line of a key wins. */
static void test_sdboot_loader_conf_rules(void **st)
{
	(void)st;
	f.self = "hd0,gpt1";
	fake_add(&f, NULL, "/loader/loader.conf", "default arch\ntimeout menu-force\n");
	add_entry(NULL, "zz.conf", "title zz\nlinux /zz\n");
	add_entry(NULL, "arch.conf", "title arch\nlinux /arch\n");
	add_entry(NULL, "auto-windows.conf", "title auto\nlinux /auto\n");
	add_entry(NULL, "Upper.CONF", "title upper\nlinux /upper\n");
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 3);
	const char *want[] = {"zz", "upper", "arch"};
	for (int i = 0; i < 3; i++)
		assert_string_equal(cfg.entries[i].title, want[i]);
	assert_int_equal(cfg.def, 0);
	assert_int_equal(cfg.timeout, -1);
	assert_int_equal(cfg.timeout_style, DL_TIMEOUT_MENU);
	struct {
		const char *conf, *title;
		int timeout;
		enum dl_timeout_style style;
	} cases[] = {
		{"default arch.conf\ntimeout 7\n", "arch", 7, DL_TIMEOUT_MENU},
		{"default ARCH.*\ntimeout menu-hidden\n", "arch", 0, DL_TIMEOUT_HIDDEN},
		{"default upper.conf\ntimeout menu-disabled\n", "upper", 0, DL_TIMEOUT_HIDDEN},
		{"default @saved\ntimeout 0\n", "zz", 0, DL_TIMEOUT_HIDDEN},
		{"default zz.conf\ndefault arch.conf\ntimeout 3\ntimeout bogus\n", "arch", 3, DL_TIMEOUT_MENU},
	};
	for (size_t k = 0; k < DL_ARRAY_SIZE(cases); k++) {
		dl_boot_config_free(&cfg);
		f.files[0].data = cases[k].conf;
		f.files[0].len = strlen(cases[k].conf);
		assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
		if (strcmp(cfg.entries[dl_boot_select(&cfg, NULL, &err)].title, cases[k].title))
			fail_msg("%s: got %s", cases[k].conf, cfg.entries[cfg.def].title);
		assert_int_equal(cfg.timeout, cases[k].timeout);
		assert_int_equal(cfg.timeout_style, cases[k].style);
	}
}

/* RHEL 8's blscfg (rhboot grub2 rhel-8.0.0 ... rhel-8-main: bls_cmp with
 * use_version, find_entry): when every entry has a version key the kernel
 * version decides first (split_cmp without a name), then the file name;
 * two machine-ids of a reinstall do not group as in RHEL 9's
 * bls_add_entry.  A version key missing in one entry: file names only,
 * equal ones kept. */
static void test_blscfg_el8_order(void **st)
{
	(void)st;
	f.self = "hd0,msdos1";
	add_entry(NULL, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-4.18.0-80.el8.x86_64.conf",
		  "title old install\nversion 4.18.0-80.el8.x86_64\nlinux /vmlinuz-80\n");
	add_entry(NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-4.18.0-305.el8.x86_64.conf",
		  "title new install\nversion 4.18.0-305.el8.x86_64\nlinux /vmlinuz-305\n");
	add_entry(NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-0-rescue.conf",
		  "title rescue\nversion 4.18.0-305.el8.x86_64\nlinux /vmlinuz-0-rescue\n");
	add_entry(NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-4.18.0-240.el8.x86_64.conf",
		  "title new install older kernel\nversion 4.18.0-240.el8.x86_64\nlinux /vmlinuz-240\n");
	assert_int_equal(parse_grub(&f, "blscfg\n", &cfg, &err), 0);
	const char *want[] = {"new install", "rescue", "new install older kernel", "old install"};
	assert_int_equal(cfg.nentries, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(cfg.entries[i].title, want[i]);
	assert_string_equal(cfg.entries[dl_boot_select(&cfg, NULL, &err)].title, "new install");
	dl_boot_config_free(&cfg);
	/* one entry without a version key: by file name, machine-id first */
	add_entry(NULL, "cccccccccccccccccccccccccccccccc-4.18.0-1.el8.x86_64.conf",
		  "title no version\nlinux /vmlinuz-1\n");
	assert_int_equal(parse_grub(&f, "blscfg\n", &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 5);
	assert_string_equal(cfg.entries[0].title, "no version");
	assert_string_equal(cfg.entries[1].title, "old install");
	assert_string_equal(cfg.entries[2].title, "new install");
}

/* systemd-boot's type #2 entries (boot.c config_load_type2_entries): each
 * EFI/Linux/NAME.efi is an entry whose id is its file name in lower case,
 * sorted with the type #1 entries (boot_entry_compare: no sort key here,
 * so by id, newest first); "default" globs match those ids; a type #1
 * entry's "uki" key names an image as "linux" does; an ESP with only
 * images is found through EFI/Linux. */
static void test_sdboot_ukis(void **st)
{
	(void)st;
	f.self = "hd0,gpt1";
	fake_add(&f, NULL, "/loader/loader.conf", "default *6.1.0-2*.efi\n");
	add_entry(NULL, "type1.conf", "title type one\nuki /EFI/Linux/other.efi\noptions quiet\n");
	fake_add(&f, NULL, "/EFI/Linux/debian-6.1.0-1.efi", "MZ");
	fake_add(&f, NULL, "/EFI/Linux/Debian-6.1.0-2.EFI", "MZ");
	fake_add(&f, NULL, "/EFI/Linux/other.efi", "MZ");
	fake_add(&f, NULL, "/EFI/Linux/notes.txt", "x");
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_int_equal(cfg.nentries, 4);
	const char *want[] = {"type1.conf", "other.efi", "debian-6.1.0-2.efi", "debian-6.1.0-1.efi"};
	for (int i = 0; i < 4; i++) {
		const char *id = cfg.entries[i].id;
		char buf[64];
		snprintf(buf, sizeof(buf), "%s%s", id, strstr(id, ".efi") ? "" : ".conf");
		if (strcmp(buf, want[i]))
			fail_msg("entry %d is %s, want %s", i, buf, want[i]);
	}
	const struct dl_boot_entry *d = &cfg.entries[dl_boot_select(&cfg, NULL, &err)];
	assert_string_equal(d->kernel.path, "/EFI/Linux/Debian-6.1.0-2.EFI");
	assert_string_equal(d->title, "Debian-6.1.0-2");
	assert_string_equal(d->args, "");
	assert_string_equal(cfg.entries[0].kernel.path, "/EFI/Linux/other.efi");
	assert_string_equal(cfg.entries[0].args, "quiet");
	dl_boot_config_free(&cfg);
	/* only images: found through EFI/Linux, loader.conf still read */
	memset(&f, 0, sizeof(f));
	f.self = "hd0,gpt1";
	fake_add(&f, NULL, "/loader/loader.conf", "default arch-linux-lts.efi\ntimeout 2\n");
	fake_add(&f, NULL, "/EFI/Linux/arch-linux.efi", "MZ");
	fake_add(&f, NULL, "/EFI/Linux/arch-linux-lts.efi", "MZ");
	io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), 0);
	assert_string_equal(cfg.path, "/EFI/Linux");
	assert_int_equal(cfg.nentries, 2);
	assert_string_equal(cfg.entries[dl_boot_select(&cfg, NULL, &err)].kernel.path,
			    "/EFI/Linux/arch-linux-lts.efi");
	assert_int_equal(cfg.timeout, 2);
}

static void test_entry_line_cap(void **st)
{
	(void)st;
	size_t n = (64u << 10) + 10;
	char *t = malloc(n + 1);
	memcpy(t, "options ", 8);
	memset(t + 8, 'x', n - 8);
	t[n] = '\0';
	struct dl_bls_entry e;
	assert_int_equal(dl_bls_parse_entry("big.conf", t, n, &e, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "big.conf:1: line longer than 65536 bytes");
	free(t);
}

static void test_directory_total_cap(void **st)
{
	(void)st;
	/* 17 entries of 1 MiB (each under the file cap): 16 MiB in total at most */
	static char paths[17][64];
	size_t n = 1u << 20;
	char *big = malloc(n + 1);
	memset(big, '#', n);
	memcpy(big, "linux /k\n", 9);
	big[n] = '\0';
	for (int i = 0; i < 17; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/loader/entries/e%02d.conf", i);
		fake_add(&f, NULL, paths[i], big);
	}
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_find(&io, &cfg, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "/loader/entries: entries larger than 16 MiB in total");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_counting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vercmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standalone_grubenv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loader_conf_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdboot_loader_conf_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blscfg_el8_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdboot_ukis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdboot_missing_linux_and_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blscfg_blsdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpmvercmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blscfg_grub_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blscfg_grub_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdboot_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_line_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_total_cap, setup, teardown),
	};
	return cmocka_run_group_tests_name("bls", tests, NULL, NULL);
}
