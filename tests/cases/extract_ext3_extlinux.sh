# ext3 on an MBR partition with extlinux.conf: initrd= moves out of APPEND.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext3-extlinux)
extract "$T/o" --output-format=simple "$img"
expect_rc 0
expect_outputs "$T/o" ramdisk
expect_cmp "$KFILE" "$img.files/vmlinuz-3.2.0-4"
expect_cmp "$RFILE" "$img.files/initrd.img-3.2.0-4"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda1 ro console=hvc0

"
exit 0
