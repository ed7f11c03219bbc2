# --mount resolves guest paths with openat2(RESOLVE_IN_ROOT |
# RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV): a guest symlink
# /boot/vmlinuz -> /../../../etc/shadow reads the guest's /etc/shadow,
# never dom0's, and a link through /proc/self/root finds nothing; the same
# as the default mode.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/mount.sh"
need_kmount
command -v mke2fs >/dev/null || skip "no mke2fs"
g=$T/guest
mkdir -p "$g/boot" "$g/etc"
printf 'GUEST SHADOW, not dom0 %s\n' "$$" > "$g/etc/shadow"
ln -s /../../../etc/shadow "$g/boot/vmlinuz"
ln -s ../../../../../../proc/self/root/etc/passwd "$g/boot/vmlinuz-proc"
ln -s /proc/self/root/etc/passwd "$g/boot/initrd.img"
img=$T/guest.img
mke2fs -q -F -t ext4 -d "$g" "$img" 8M >/dev/null 2>&1 || fail "mke2fs"
for mode in "" --mount; do
	rm -rf "$T/o"
	extract "$T/o" $mode --kernel=/boot/vmlinuz --args=x "$img"
	expect_rc 0 "${mode:-default}: the symlink to /../../../etc/shadow"
	expect_cmp "$KFILE" "$g/etc/shadow"
	dl_run -n -q $mode --kernel=/boot/vmlinuz-proc "$img"
	expect_rc 3 "${mode:-default}: a link through /proc/self/root"
	expect_err_grep "/boot/vmlinuz-proc not found"
	dl_run -n -q $mode --kernel=/boot/vmlinuz --ramdisk=/boot/initrd.img "$img"
	expect_rc 3 "${mode:-default}: an absolute link to /proc/self/root"
	expect_err_grep "initrd.img"
done
expect_clean "$img"
exit 0
