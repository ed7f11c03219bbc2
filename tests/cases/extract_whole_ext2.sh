# A disk that is one ext2 filesystem (no partition table), GRUB legacy menu.lst.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg whole-ext2)
extract "$T/o" "$img"
expect_rc 0
expect_outputs "$T/o" ramdisk
expect_cmp "$KFILE" "$img.files/vmlinuz-2.6.32-5"
expect_cmp "$RFILE" "$img.files/initrd.img-2.6.32-5"
expect_out "linux (kernel '$KFILE')(ramdisk '$RFILE')(args 'root=/dev/xvda ro console=hvc0')"
exit 0
