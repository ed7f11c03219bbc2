# ext4 root with /boot inside it: config paths start with /boot; entry
# selection by flattened index and by title; --kernel through the /vmlinuz
# symlink; --args appended.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot)
src=$img.files

extract "$T/a" --output-format=simple "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/boot/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$src/boot/initrd.img-6.1.0-2"

# pygrub's flattened index: 0 Debian, 1 "with 6.1.0-2", 2 "with 6.1.0-1".
extract "$T/b" --output-format=simple --entry=2 --args=console=hvc0 "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/boot/vmlinuz-6.1.0-1"
expect_cmp "$RFILE" "$src/boot/initrd.img-6.1.0-1"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 ro single console=hvc0

"

extract "$T/c" --output-format=simple "--entry=Debian GNU/Linux, with Linux 6.1.0-1" "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/boot/vmlinuz-6.1.0-1"

# --kernel skips the configuration; /vmlinuz is a relative symlink.
extract "$T/d" --output-format=simple --kernel=/vmlinuz --ramdisk=/initrd.img "--args=root=/dev/xvda1 x=\"y z\"" "$img"
expect_rc 0
expect_outputs "$T/d" ramdisk
expect_cmp "$KFILE" "$src/boot/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$src/boot/initrd.img-6.1.0-2"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda1 x=\"y z\"

"
# --kernel without --ramdisk: no ramdisk record, no ramdisk file.
extract "$T/e" --output-format=sxp --kernel=/boot/vmlinuz-6.1.0-2 "$img"
expect_rc 0
expect_outputs "$T/e"
expect_out "linux (kernel '$KFILE')"
exit 0
