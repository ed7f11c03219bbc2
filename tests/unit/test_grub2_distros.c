/* Real-world configurations (tests/boot/data/): grub-mkconfig output of
 * several distributions, pygrub's six examples, Fedora/RHEL blscfg with
 * grubenv, SUSE btrfs with its snapshot wrappers.  For pygrub's examples
 * the expected choice is pygrub's where pygrub is right, and GRUB's where
 * pygrub has a documented bug (said at the assertion). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_io.h"

static struct dl_boot_config cfg;
static struct dl_error err;
static struct fake f;
static char *bufs[64];
static int nbufs;

static int setup(void **st)
{
	(void)st;
	memset(&cfg, 0, sizeof(cfg));
	memset(&err, 0, sizeof(err));
	memset(&f, 0, sizeof(f));
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	dl_boot_config_free(&cfg);
	while (nbufs)
		free(bufs[--nbufs]);
	return 0;
}

static const char *data(const char *name)
{
	char *b = data_file(name, NULL);
	if (!b)
		fail_msg("missing tests/boot/data/%s (run from the source tree)", name);
	bufs[nbufs++] = b;
	return b;
}

/* text as the configuration file cfgpath, parsed as its name says */
static void parse_file(const char *cfgpath, const char *text)
{
	struct dl_boot_io io = fake_io(&f);
	const struct dl_boot_parser *p = dl_boot_parser_for_path(cfgpath);
	if (dl_boot_parse_as(p, cfgpath, text, strlen(text), &io, &cfg, &err) != 0)
		fail_msg("parse failed: %s", err.msg);
}

static size_t leaves(void)
{
	size_t n = 0;
	for (size_t i = 0; i < cfg.nentries; i++)
		n += !cfg.entries[i].submenu;
	return n;
}

static const struct dl_boot_entry *chosen(void)
{
	int i = dl_boot_select(&cfg, NULL, &err);
	if (i < 0)
		fail_msg("select: %s", err.msg);
	return &cfg.entries[i];
}

static void test_debian12_advanced_default(void **st)
{
	(void)st;
	f.self = "hd0,gpt2";
	f.searches[0] = (struct fake_search){"fs-uuid", "6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90", "hd0,gpt2"};
	f.nsearches = 1;
	parse_file("/boot/grub/grub.cfg", data("debian-12.grub2"));
	assert_int_equal(cfg.nentries, 6);
	assert_true(cfg.entries[1].submenu);
	assert_string_equal(cfg.entries[1].title, "Advanced options for Debian GNU/Linux");
	/* set default="1>2": the third entry of the submenu (pygrub: entry 0) */
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->title, "Debian GNU/Linux, with Linux 6.1.0-9-amd64");
	assert_string_equal(e->id, "gnulinux-6.1.0-9-amd64-advanced-6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90");
	assert_null(e->kernel.dev);
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-6.1.0-9-amd64");
	assert_string_equal(e->initrds[0].path, "/boot/initrd.img-6.1.0-9-amd64");
	assert_string_equal(e->args, "root=UUID=6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90 ro console=hvc0 quiet");
	assert_int_equal(cfg.timeout, 5);
	assert_int_equal(dl_boot_flat_index(&cfg, (int)(e - cfg.entries)), 3);
}

static void test_debian12_next_entry(void **st)
{
	(void)st;
	f.self = "hd0,gpt2";
	fake_add(&f, NULL, "/boot/grub/grubenv",
		 "# GRUB Environment Block\nnext_entry=gnulinux-simple-6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90\n###");
	parse_file("/boot/grub/grub.cfg", data("debian-12.grub2"));
	assert_string_equal(chosen()->title, "Debian GNU/Linux");
}

static void test_pygrub_debian_wheezy(void **st)
{
	(void)st;
	f.self = "hd0,msdos1";
	parse_file("/boot/grub/grub.cfg", data("debian-wheezy-hvm.grub2"));
	/* pygrub: 2 entries, default 0, timeout 5 */
	assert_int_equal(leaves(), 2);
	assert_int_equal(cfg.def, 0);
	assert_int_equal(cfg.timeout, 5);
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-3.2.0-4-amd64");
	assert_string_equal(e->initrds[0].path, "/boot/initrd.img-3.2.0-4-amd64");
	assert_string_equal(e->args, "root=UUID=8e4f5c2a-1b3d-4e6f-9a0b-1c2d3e4f5a6b ro quiet");
	assert_string_equal(cfg.entries[1].args, "root=UUID=8e4f5c2a-1b3d-4e6f-9a0b-1c2d3e4f5a6b ro single");
}

static void test_pygrub_fedora16_xen(void **st)
{
	(void)st;
	f.self = "hd0,msdos1";
	parse_file("/boot/grub2/grub.cfg", data("fedora-16-with-xen.grub2"));
	/* pygrub: 4 entries, the 2 Xen entries have kernel None; here they are
	 * multiboot entries with their modules, not bootable as a PV kernel */
	assert_int_equal(leaves(), 4);
	assert_int_equal(cfg.entries[2].kind, DL_ENTRY_MULTIBOOT);
	assert_string_equal(cfg.entries[2].kernel.path, "/xen.gz");
	assert_int_equal(cfg.entries[2].nmodules, 2);
	assert_string_equal(cfg.entries[2].modules[1].path, "/initramfs-3.1.0-7.fc16.x86_64.img");
	assert_int_equal(cfg.entries[3].kind, DL_ENTRY_MULTIBOOT);
	/* default="${saved_entry}" with no grubenv: pygrub warns and uses 0, GRUB too */
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->title, "Fedora Linux, with Linux 3.1.0-7.fc16.x86_64");
	assert_string_equal(e->kernel.path, "/vmlinuz-3.1.0-7.fc16.x86_64");
	assert_int_equal(cfg.timeout, 5);
}

static void test_pygrub_fedora19(void **st)
{
	(void)st;
	f.self = "hd0,msdos1";
	/* with a grubenv saved_entry naming the rescue entry's title: pygrub
	 * ignores grubenv (documented limitation) and boots entry 0 */
	fake_add(&f, NULL, "/grub2/grubenv",
		 "# GRUB Environment Block\nsaved_entry=Fedora, with Linux 0-rescue-6e1c4c2a9b7d4f0e8a3b5c6d7e8f9a0b\n#");
	parse_file("/grub2/grub.cfg", data("fedora-19.grub2"));
	assert_int_equal(leaves(), 2);
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->kernel.path, "/vmlinuz-0-rescue-6e1c4c2a9b7d4f0e8a3b5c6d7e8f9a0b");
	assert_string_equal(cfg.entries[0].initrds[0].path, "/initramfs-3.9.5-301.fc19.x86_64.img");
}

static void test_pygrub_rhel7_linux16(void **st)
{
	(void)st;
	f.self = "hd0,msdos1";
	parse_file("/grub2/grub.cfg", data("rhel-7-beta.grub2"));
	assert_int_equal(leaves(), 2);
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->kernel.path, "/vmlinuz-3.10.0-54.0.1.el7.x86_64");
	assert_string_equal(e->initrds[0].path, "/initramfs-3.10.0-54.0.1.el7.x86_64.img");
	assert_string_equal(e->id, "gnulinux-3.10.0-54.0.1.el7.x86_64-advanced-d23b8b49-4cfe-4900-8ef1-ec80bc633163");
	assert_string_equal(e->args, "root=/dev/mapper/rhel-root ro rd.lvm.lv=rhel/swap vconsole.keymap=uk "
				     "crashkernel=auto rd.lvm.lv=rhel/root vconsole.font=latarcyrheb-sun16 LANG=en_GB.UTF-8");
}

static void test_pygrub_ubuntu1404(void **st)
{
	(void)st;
	f.self = "hd0,msdos1";
	parse_file("/boot/grub/grub.cfg", data("ubuntu-14.04-lts.grub2"));
	/* pygrub: 5 entries (submenu flattened), entry 3 (memtest) has no kernel */
	assert_int_equal(leaves(), 5);
	int m = dl_boot_select(&cfg, "3", &err);
	assert_int_equal(m, -EOPNOTSUPP);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: entry 'Memory test (memtest86+)' has no Linux kernel");
	/* $vt_handoff is set by the gfxmode function called in the entry
	 * (pygrub passes "$vt_handoff" literally) */
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->title, "Ubuntu");
	assert_string_equal(e->args, "root=UUID=7b1e2d3c-4a5b-6c7d-8e9f-0a1b2c3d4e5f ro quiet splash vt.handoff=7");
	memset(&err, 0, sizeof(err));
	int r = dl_boot_select(&cfg, "2", &err);
	assert_string_equal(cfg.entries[r].title, "Ubuntu, with Linux 3.13.0-24-generic (recovery mode)");
	assert_string_equal(cfg.entries[r].args, "root=UUID=7b1e2d3c-4a5b-6c7d-8e9f-0a1b2c3d4e5f ro recovery nomodeset");
	assert_int_equal(cfg.timeout, 0);
}

static void test_pygrub_alpine(void **st)
{
	(void)st;
	parse_file("/boot/extlinux.conf", data("alpine-linux-2.3.2.extlinux"));
	/* pygrub: 1 entry grsec, initrd from APPEND; pygrub opens the
	 * relative kernel from / (ExtLinuxConf.py keeps "vmlinuz" as it is and
	 * pygrub opens it on the volume), syslinux from the config's directory */
	assert_int_equal(leaves(), 1);
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->id, "grsec");
	assert_string_equal(e->title, "Linux 3.0.10-grsec");
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-3.0.10-grsec");
	assert_string_equal(e->initrds[0].path, "/boot/initramfs-3.0.10-grsec");
	assert_string_equal(e->args, "root=UUID=a97ffe64-430f-4fd3-830e-4736d9a27af0 modules=sd-mod,usb-storage,ext4 quiet");
	assert_int_equal(cfg.timeout, 3);
	assert_int_equal(dl_boot_select(&cfg, "grsec", &err), 0);
}

static void add_tree(const char *dir, const char *dev, const char *const *names, const char *const *paths)
{
	for (int i = 0; names[i]; i++) {
		char n[256];
		snprintf(n, sizeof(n), "%s/%s", dir, names[i]);
		fake_add(&f, dev, paths[i], data(n));
	}
}

static void test_rhel8_blscfg(void **st)
{
	(void)st;
	/* separate xfs /boot on hd0,msdos1, grub.cfg in /grub2 there */
	f.self = "hd0,msdos1";
	f.searches[0] = (struct fake_search){"fs-uuid", "2f7c3a1e-8d4b-4e6f-9a0c-1b2d3e4f5a6c", "hd0,msdos1"};
	f.nsearches = 1;
	const char *names[] = {"grubenv", "loader/entries/3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-4.18.0-348.el8.x86_64.conf",
			       "loader/entries/3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-4.18.0-372.9.1.el8.x86_64.conf",
			       "loader/entries/3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-0-rescue.conf", NULL};
	const char *paths[] = {"/grub2/grubenv", "/loader/entries/3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-4.18.0-348.el8.x86_64.conf",
			       "/loader/entries/3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-4.18.0-372.9.1.el8.x86_64.conf",
			       "/loader/entries/3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-0-rescue.conf", NULL};
	add_tree("rhel-8", NULL, names, paths);
	parse_file("/grub2/grub.cfg", data("rhel-8/grub.cfg"));
	/* pygrub: zero entries (no BLS) */
	assert_int_equal(cfg.nentries, 3);
	/* newest first (UAPI version order), rescue ("0-...") last */
	assert_string_equal(cfg.entries[0].id, "3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-4.18.0-372.9.1.el8.x86_64");
	assert_string_equal(cfg.entries[1].id, "3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-4.18.0-348.el8.x86_64");
	assert_string_equal(cfg.entries[2].id, "3d6b2a7f1c8e4b5d9a0f1e2d3c4b5a69-0-rescue");
	/* saved_entry from grubenv picks the older kernel */
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->title, "Red Hat Enterprise Linux (4.18.0-348.el8.x86_64) 8.5 (Ootpa)");
	assert_null(e->kernel.dev);
	assert_string_equal(e->kernel.path, "/vmlinuz-4.18.0-348.el8.x86_64");
	assert_int_equal(e->ninitrds, 1);   /* $tuned_initrd is empty */
	assert_string_equal(e->initrds[0].path, "/initramfs-4.18.0-348.el8.x86_64.img");
	/* $kernelopts from grubenv, $tuned_params from the script */
	assert_string_equal(e->args, "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap "
				     "rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap console=hvc0 isolcpus=1");
	assert_string_equal(cfg.entries[2].args, "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap "
						 "rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap console=hvc0");
}

static void test_fedora38_blscfg_separate_boot(void **st)
{
	(void)st;
	/* grub.cfg and entries on /boot (hd0,gpt2), root on btrfs hd0,gpt3 */
	f.self = "hd0,gpt2";
	f.searches[0] = (struct fake_search){"fs-uuid", "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011", "hd0,gpt3"};
	f.searches[1] = (struct fake_search){"fs-uuid", "a1b2c3d4-e5f6-4789-8abc-def012345678", "hd0,gpt2"};
	f.nsearches = 2;
	const char *names[] = {"grubenv", "loader/entries/d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.2.9-300.fc38.x86_64.conf",
			       "loader/entries/d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.5.12-200.fc38.x86_64.conf",
			       "loader/entries/d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.10.3-100.fc38.x86_64.conf", NULL};
	const char *paths[] = {"/grub2/grubenv", "/loader/entries/d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.2.9-300.fc38.x86_64.conf",
			       "/loader/entries/d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.5.12-200.fc38.x86_64.conf",
			       "/loader/entries/d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.10.3-100.fc38.x86_64.conf", NULL};
	add_tree("fedora-38", NULL, names, paths);
	parse_file("/grub2/grub.cfg", data("fedora-38/grub.cfg"));
	assert_int_equal(cfg.nentries, 3);
	/* 6.10 > 6.5 > 6.2 (a string sort would put 6.10 last) */
	assert_string_equal(cfg.entries[0].title, "Fedora Linux (6.10.3-100.fc38.x86_64) 38 (Cloud Edition)");
	assert_string_equal(cfg.entries[2].title, "Fedora Linux (6.2.9-300.fc38.x86_64) 38 (Cloud Edition)");
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->id, "d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5-6.5.12-200.fc38.x86_64");
	/* files come from $boot (our volume), not from $root (the btrfs) */
	assert_null(e->kernel.dev);
	assert_string_equal(e->kernel.path, "/vmlinuz-6.5.12-200.fc38.x86_64");
	assert_string_equal(e->args, "root=UUID=0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011 ro rootflags=subvol=root "
				     "no_timer_check net.ifnames=0 console=tty1 console=ttyS0,115200n8");
}

static void test_sles15_btrfs_snapshots(void **st)
{
	(void)st;
	f.self = "hd0,gpt2";
	f.searches[0] = (struct fake_search){"fs-uuid", "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d", "hd0,gpt2"};
	f.nsearches = 1;
	const char *names[] = {"grubenv", "snapshots/grub-snapshot.cfg", "snapshots/42.cfg", "snapshots/41.cfg", NULL};
	const char *paths[] = {"/boot/grub2/grubenv", "/.snapshots/grub-snapshot.cfg",
			       "/.snapshots/42/grub-snapshot.cfg", "/.snapshots/41/grub-snapshot.cfg", NULL};
	add_tree("sles-15-sp4", NULL, names, paths);
	fake_add(&f, NULL, "/.snapshots/42/snapshot/boot/grub2/grub.cfg", "# snapshot 42\n");
	parse_file("/boot/grub2/grub.cfg", data("sles-15-sp4/grub.cfg"));
	/* SLES 15-SP4 | Advanced > 2 | snapshot submenu (if-wrapped) > 1 */
	assert_int_equal(cfg.nentries, 6);
	assert_true(cfg.entries[4].submenu);
	assert_string_equal(cfg.entries[4].title, "Start bootloader from a read-only snapshot");
	assert_int_equal(cfg.entries[5].parent, 4);
	assert_string_equal(cfg.entries[5].title, "SLES15-SP4 (5.14.21-150400.24.46,2023-03-02T10:12,post,zypp(zypper))");
	assert_int_equal(cfg.entries[5].kind, DL_ENTRY_OTHER);   /* configfile of a snapshot */
	/* saved_entry="SLES 15-SP4" (a title) from ${config_directory}/grubenv */
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->title, "SLES 15-SP4");
	assert_int_equal(e - cfg.entries, 0);
	/* ${extra_cmdline} is unset outside snapshots */
	assert_string_equal(e->args, "root=UUID=4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d splash=silent "
				     "resume=/dev/disk/by-uuid/9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a mitigations=auto quiet console=hvc0");
	assert_string_equal(e->initrds[0].path, "/boot/initrd-5.14.21-150400.24.46-default");
	assert_int_equal(cfg.timeout, 8);
}

static void test_nixos_device_variable(void **st)
{
	(void)st;
	/* kernels named ($drive1)/nix/store/... after search --set=drive1 */
	f.self = "hd0,msdos1";
	f.searches[0] = (struct fake_search){"fs-uuid", "9f1c2b3a-4d5e-6f70-8192-a3b4c5d6e7f8", "hd0,msdos2"};
	f.nsearches = 1;
	parse_file("/boot/grub/grub.cfg", data("nixos-23.11.grub2"));
	assert_int_equal(cfg.nentries, 4);
	assert_true(cfg.entries[1].submenu);
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->title, "NixOS - Default");
	assert_string_equal(e->kernel.dev, "hd0,msdos2");
	assert_string_equal(e->kernel.path, "/nix/store/5q0lbz3kyq2lh8a9lr8ykyhs3r1v1k8r-linux-6.1.69/bzImage");
	assert_string_equal(e->initrds[0].dev, "hd0,msdos2");
	assert_string_equal(e->args, "init=/nix/store/xmd8x8mbm5m5xq5cf4cy5vdhcd3qwd0j-nixos-system-xen-23.11.2217.d02d818f22c7/init console=hvc0 loglevel=4");
	/* --entry=2 (pygrub's flattened index): configuration 11 */
	int r = dl_boot_select(&cfg, "2", &err);
	assert_string_equal(cfg.entries[r].kernel.path, "/nix/store/a2z9w4dpx6sjn0pz7r8gk5i8y2r2v8q1-linux-6.1.68/bzImage");
}

static void test_ubuntu2204_cloud_initrdless(void **st)
{
	(void)st;
	/* GRUB_FORCE_PARTUUID: the first boot is initrdless (the else branch);
	 * pygrub applies both branches and keeps the initrd of the first */
	f.self = "hd0,gpt1";
	f.searches[0] = (struct fake_search){"fs-uuid", "1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809", "hd0,gpt1"};
	f.nsearches = 1;
	parse_file("/boot/grub/grub.cfg", data("ubuntu-22.04-cloud.grub2"));
	const struct dl_boot_entry *e = chosen();
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-5.15.0-91-generic");
	assert_int_equal(e->ninitrds, 0);
	assert_string_equal(e->args, "root=PARTUUID=0f8e7d6c-5b4a-4938-8271-605f4e3d2c1b ro console=tty1 console=ttyS0 panic=-1");
	dl_boot_config_free(&cfg);
	/* after a failed initrdless boot the guest's grubenv says initrdfail=1 */
	fake_add(&f, NULL, "/boot/grub/grubenv", "# GRUB Environment Block\ninitrdfail=1\n####");
	parse_file("/boot/grub/grub.cfg", data("ubuntu-22.04-cloud.grub2"));
	e = chosen();
	assert_int_equal(e->ninitrds, 1);
	assert_string_equal(e->initrds[0].path, "/boot/initrd.img-5.15.0-91-generic");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_debian12_advanced_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian12_next_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pygrub_debian_wheezy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pygrub_fedora16_xen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pygrub_fedora19, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pygrub_rhel7_linux16, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pygrub_ubuntu1404, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pygrub_alpine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rhel8_blscfg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fedora38_blscfg_separate_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sles15_btrfs_snapshots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nixos_device_variable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ubuntu2204_cloud_initrdless, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub2 distributions", tests, NULL, NULL);
}
