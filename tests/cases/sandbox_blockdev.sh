# A block device (as dom0 passes /dev/vg/guest): the sandboxed child reads
# it through the inherited fd; its block-device ioctls are answered ENOTTY.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
[ "$(id -u)" = 0 ] || skip "needs root for a loop device"
img=$(mkimg kernel-only 5.10-blk)
need_extraction "$img" /boot/vmlinuz-5.10-blk
loop=$(losetup -f --show -r "$img" 2>/dev/null) || skip "no loop devices"
trap 'losetup -d "$loop"' EXIT
[ -b "$loop" ] || fail "$loop is not a block device"
mkdir "$T/o"
dl_run -q --output-format=simple --output-directory="$T/o" --kernel=/boot/vmlinuz-5.10-blk \
	--ramdisk=/boot/initrd.img-5.10-blk "$loop"
expect_rc 0
expect_cmp "$(sed -n 's/^kernel //p' "$T/out")" "$img.files/vmlinuz-5.10-blk"
expect_cmp "$(sed -n 's/^ramdisk //p' "$T/out")" "$img.files/initrd.img-5.10-blk"
exit 0
