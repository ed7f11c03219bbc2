# --kernel/--ramdisk name paths as the running guest sees them: a path on
# the volume that holds it (pygrub's meaning), else through the guest's
# fstab, following symlinks from one filesystem to another (Debian's
# /vmlinuz -> boot/vmlinuz-V with /boot separate), a bounded number of
# times (a loop across the mount ends in "not found").
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg symlink-mounts)
src=$img.files

ok() { # KERNEL RAMDISK: both found on xvda1 (/boot)
	local k=$1 r=$2; shift 2
	dl_run -q -n "$@" "$img"
	expect_rc 0 "$*"
	expect_out "linux (kernel 'xvda1:$k')${r:+(ramdisk 'xvda1:$r')}"
}
ok /vmlinuz-6.1.0-7 /initrd.img-6.1.0-7 --kernel=/vmlinuz-6.1.0-7 --ramdisk=/initrd.img-6.1.0-7
ok /vmlinuz-6.1.0-7 /initrd.img-6.1.0-7 --kernel=/boot/vmlinuz-6.1.0-7 --ramdisk=/boot/initrd.img-6.1.0-7
ok /vmlinuz-6.1.0-7 /initrd.img-6.1.0-7 --kernel=/vmlinuz --ramdisk=/initrd.img
ok /vmlinuz-6.1.0-7 "" --kernel=/kern
# the bytes are the kernel's
extract "$T/k" --kernel=/vmlinuz --ramdisk=/initrd.img "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-7"
expect_cmp "$RFILE" "$src/initrd.img-6.1.0-7"

for bad in /loop /dangling /boot/loop /nothing; do
	dl_run -q -n --kernel=$bad "$img"
	expect_rc 3 "$bad"
	expect_err_grep "kernel $bad not found on any volume"
done
exit 0
