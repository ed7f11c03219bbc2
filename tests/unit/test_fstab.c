/* /etc/fstab parsing and lookup, domUloader --entry syntax, and the
 * no-config fallback (newest kernel with its matching initrd). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boot/boot.h"
#include "guest/fstab.h"
#include "fake_io.h"

static void vol_is(const struct dl_fstab_entry *e, enum dl_volspec_kind kind, const char *value)
{
	assert_int_equal(e->vol.kind, kind);
	assert_int_equal(e->vol.len, strlen(value));
	assert_memory_equal(e->vol.value, value, e->vol.len);
}

static void test_fstab_parse(void **st)
{
	(void)st;
	const char *t =
		"# /etc/fstab: static file system information.\n"
		"UUID=6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90 /               ext4    errors=remount-ro 0       1\n"
		"LABEL=\"BOOT\" /boot ext2 defaults 0 2\n"
		"PARTUUID=0a1b2c3d-02  /boot/efi  vfat umask=0077 0 1\n"
		"PARTLABEL=home /home//./ xfs\n"
		"/dev/xvda3 none swap sw 0 0\n"
		"UUID=1111 /var btrfs subvol=/@/var,compress=zstd 0 0\n"
		"UUID=1111 /srv\\040data btrfs defaults,subvol=@srv\n"
		"tmpfs /tmp tmpfs defaults\n"
		"lonely\n"
		"\n   # indented comment\n";
	struct dl_fstab fs;
	struct dl_error err = {0};
	assert_int_equal(dl_fstab_parse("/etc/fstab", t, strlen(t), &fs, &err), 0);
	assert_int_equal(fs.n, 8);
	vol_is(&fs.entries[0], DL_VOLSPEC_UUID, "6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90");
	assert_string_equal(fs.entries[0].mountpoint, "/");
	assert_string_equal(fs.entries[0].fstype, "ext4");
	vol_is(&fs.entries[1], DL_VOLSPEC_LABEL, "BOOT");
	vol_is(&fs.entries[2], DL_VOLSPEC_PARTUUID, "0a1b2c3d-02");
	vol_is(&fs.entries[3], DL_VOLSPEC_PARTLABEL, "home");
	assert_string_equal(fs.entries[3].mountpoint, "/home");
	assert_string_equal(fs.entries[3].options, "defaults");
	vol_is(&fs.entries[4], DL_VOLSPEC_NAME, "xvda3");
	assert_string_equal(fs.entries[4].spec, "/dev/xvda3");
	assert_string_equal(fs.entries[5].subvol, "@/var");
	assert_string_equal(fs.entries[6].mountpoint, "/srv data");
	assert_string_equal(fs.entries[6].subvol, "@srv");
	assert_int_equal(fs.entries[7].vol.kind, DL_VOLSPEC_NONE);
	assert_null(fs.entries[0].subvol);
	assert_int_equal(fs.entries[1].line, 3);

	const char *rest;
	const struct dl_fstab_entry *e = dl_fstab_lookup(&fs, "/boot/vmlinuz-6.1", &rest);
	assert_ptr_equal(e, &fs.entries[1]);
	assert_string_equal(rest, "/vmlinuz-6.1");
	e = dl_fstab_lookup(&fs, "/boot", &rest);
	assert_ptr_equal(e, &fs.entries[1]);
	assert_string_equal(rest, "/");
	e = dl_fstab_lookup(&fs, "/bootx/k", &rest);
	assert_ptr_equal(e, &fs.entries[0]);
	assert_string_equal(rest, "/bootx/k");
	e = dl_fstab_lookup(&fs, "/boot/efi/EFI/x", &rest);
	assert_ptr_equal(e, &fs.entries[2]);
	assert_string_equal(rest, "/EFI/x");
	e = dl_fstab_lookup(&fs, "/tmp/x", &rest);   /* tmpfs is not a volume */
	assert_ptr_equal(e, &fs.entries[0]);
	assert_ptr_equal(dl_fstab_find(&fs, "/boot"), &fs.entries[1]);
	assert_null(dl_fstab_find(&fs, "/nothing"));
	dl_fstab_free(&fs);
}

static void test_fstab_caps(void **st)
{
	(void)st;
	struct dl_fstab fs;
	struct dl_error err = {0};
	size_t n = 5000 * 12;
	char *t = malloc(n + 1);
	for (size_t i = 0; i < 5000; i++)
		memcpy(t + i * 12, "/dev/a /m x\n", 12);
	t[n] = '\0';
	assert_int_equal(dl_fstab_parse("fstab", t, n, &fs, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "fstab:4097: more than 4096 entries");
	free(t);
}

static void test_domu_entry(void **st)
{
	(void)st;
	struct dl_domu_entry e;
	struct dl_error err = {0};
	assert_int_equal(dl_domu_entry_parse("xvda2:/vmlinuz-xen,/initrd-xen", &e, &err), 0);
	assert_string_equal(e.dev, "xvda2");
	assert_string_equal(e.kernel, "/vmlinuz-xen");
	assert_string_equal(e.initrd, "/initrd-xen");
	dl_domu_entry_free(&e);
	/* domUloader prepends '/'; an empty initrd means none */
	assert_int_equal(dl_domu_entry_parse("/dev/hda1:vmlinuz,", &e, &err), 0);
	assert_string_equal(e.dev, "hda1");
	assert_string_equal(e.kernel, "/vmlinuz");
	assert_null(e.initrd);
	dl_domu_entry_free(&e);
	/* no device: resolved through fstab and --root by the caller */
	assert_int_equal(dl_domu_entry_parse("/boot/vmlinuz,/boot/initrd", &e, &err), 0);
	assert_null(e.dev);
	assert_string_equal(e.kernel, "/boot/vmlinuz");
	assert_string_equal(e.initrd, "/boot/initrd");
	dl_domu_entry_free(&e);
	assert_int_equal(dl_domu_entry_parse("xvda1:", &e, &err), -EINVAL);
	assert_int_equal(err.code, DL_EUSAGE);
	assert_string_equal(err.msg, "xvda1:: malformed entry, expected [dev:]kernel[,initrd]");
	memset(&err, 0, sizeof(err));
	assert_int_equal(dl_domu_entry_parse("xvda1:/a,/b,/c", &e, &err), -EINVAL);
	assert_true(dl_domu_entry_like("xvda2:/vmlinuz"));
	assert_true(dl_domu_entry_like("/boot/vmlinuz,/boot/initrd"));
	assert_true(dl_domu_entry_like("nvme0n1p2:vmlinuz"));
	assert_false(dl_domu_entry_like("Debian GNU/Linux"));
	assert_false(dl_domu_entry_like("2"));
	assert_false(dl_domu_entry_like("1>2"));
	assert_false(dl_domu_entry_like("Advanced: x"));
	assert_false(dl_domu_entry_like("gnulinux-simple-6c2f"));
}

static void test_fallback_newest_with_matching_initrd(void **st)
{
	(void)st;
	struct fake f = {.self = "hd0,msdos1"};
	fake_add(&f, NULL, "/boot/vmlinuz-6.1.0-9-amd64", "k");
	fake_add(&f, NULL, "/boot/initrd.img-6.1.0-9-amd64", "i");
	fake_add(&f, NULL, "/boot/vmlinuz-6.1.0-13-amd64", "k");
	fake_add(&f, NULL, "/boot/initrd.img-6.1.0-13-amd64", "i");
	fake_add(&f, NULL, "/boot/vmlinuz-5.10.0-2-amd64", "k");
	fake_add(&f, NULL, "/boot/config-6.1.0-13-amd64", "c");
	struct dl_boot_io io = fake_io(&f);
	struct dl_boot_config cfg;
	struct dl_error err = {0};
	assert_int_equal(dl_boot_fallback(&io, &cfg, &err), 0);
	assert_string_equal(cfg.format, "fallback");
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].kernel.path, "/boot/vmlinuz-6.1.0-13-amd64");
	assert_int_equal(cfg.entries[0].ninitrds, 1);
	assert_string_equal(cfg.entries[0].initrds[0].path, "/boot/initrd.img-6.1.0-13-amd64");
	assert_int_equal(dl_boot_select(&cfg, NULL, &err), 0);
	dl_boot_config_free(&cfg);
}

static void test_fallback_never_mismatched(void **st)
{
	(void)st;
	/* a separate /boot (files at its root); the newest kernel has no initrd
	 * of its own: none is used rather than another version's */
	struct fake f = {.self = "hd0,msdos1"};
	fake_add(&f, NULL, "/vmlinuz-5.14.0-70.el9.x86_64", "k");
	fake_add(&f, NULL, "/initramfs-5.14.0-70.el9.x86_64.img", "i");
	fake_add(&f, NULL, "/vmlinuz-5.14.0-162.el9.x86_64", "k");
	fake_add(&f, NULL, "/initramfs-5.14.0-70.el9.x86_64kdump.img", "i");
	struct dl_boot_io io = fake_io(&f);
	struct dl_boot_config cfg;
	struct dl_error err = {0};
	assert_int_equal(dl_boot_fallback(&io, &cfg, &err), 0);
	assert_string_equal(cfg.entries[0].kernel.path, "/vmlinuz-5.14.0-162.el9.x86_64");
	assert_int_equal(cfg.entries[0].ninitrds, 0);
	dl_boot_config_free(&cfg);

	struct fake g = {.self = NULL};
	fake_add(&g, NULL, "/boot/vmlinuz-linux", "k");
	fake_add(&g, NULL, "/boot/initramfs-linux.img", "i");
	fake_add(&g, NULL, "/boot/initramfs-linux-fallback.img", "i");
	io = fake_io(&g);
	assert_int_equal(dl_boot_fallback(&io, &cfg, &err), 0);
	assert_string_equal(cfg.entries[0].initrds[0].path, "/boot/initramfs-linux.img");
	dl_boot_config_free(&cfg);

	struct fake h = {.self = NULL};
	fake_add(&h, NULL, "/vmlinuz", "k");
	fake_add(&h, NULL, "/initrd.img", "i");
	fake_add(&h, NULL, "/etc/passwd", "p");
	io = fake_io(&h);
	assert_int_equal(dl_boot_fallback(&io, &cfg, &err), 0);
	assert_string_equal(cfg.entries[0].kernel.path, "/vmlinuz");
	assert_string_equal(cfg.entries[0].initrds[0].path, "/initrd.img");
	dl_boot_config_free(&cfg);

	struct fake none = {.self = NULL};
	fake_add(&none, NULL, "/etc/passwd", "p");
	io = fake_io(&none);
	assert_int_equal(dl_boot_fallback(&io, &cfg, &err), DL_NOT_MINE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fstab_parse),
		cmocka_unit_test(test_fstab_caps),
		cmocka_unit_test(test_domu_entry),
		cmocka_unit_test(test_fallback_newest_with_matching_initrd),
		cmocka_unit_test(test_fallback_never_mismatched),
	};
	return cmocka_run_group_tests_name("fstab, domU entries, fallback", tests, NULL, NULL);
}
