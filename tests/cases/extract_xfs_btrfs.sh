# End to end on the filesystems pygrub cannot read: the default entry of an
# XFS v5 root and of a btrfs root (one made by mkfs.btrfs --rootdir, one
# openSUSE-like with a snapshot as default subvolume and zstd-compressed
# files, when this host can build it), exact bytes and result.
. "$DL_TOP/tests/lib/functions.sh"
for r in xfs btrfs; do
	img=$(mkimg $r)
	extract "$T/$r" --output-format=simple "$img"
	expect_rc 0 "$r"
	expect_outputs "$T/$r" ramdisk
	expect_cmp "$KFILE" "$img.files/boot/vmlinuz-6.1.0-2"
	expect_cmp "$RFILE" "$img.files/boot/initrd.img-6.1.0-2"
	expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 ro quiet

"
done
[ "$(id -u)" = 0 ] && grep -qw btrfs /proc/filesystems || skip "xfs and btrfs checked; no root or no btrfs here for the snapshot image"
img=$(mkimg btrfs-subvol)
extract "$T/s" --output-format=simple "$img"
expect_rc 0 "btrfs snapshot"
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$img.files/initrd.img-6.1.0-2"
exit 0
