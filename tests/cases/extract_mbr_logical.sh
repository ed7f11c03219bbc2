# MBR with an extended partition: the configuration and kernel are on the
# last logical partition (xvda6), after a primary and a logical data volume.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg mbr-logical)
extract "$T/o" --output-format=simple "$img"
expect_rc 0
expect_outputs "$T/o" ramdisk
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$img.files/initrd.img-6.1.0-2"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 ro quiet

"
exit 0
