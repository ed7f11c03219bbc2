# domUloader's --entry=[dev:]kernel[,initrd] with no use of the boot
# configuration: a device-qualified entry on the separate /boot, and a
# /boot/... entry resolved from --root through the guest's /etc/fstab.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg gpt-sepboot)
src=$img.files

# xvda1 is /boot: paths are relative to that filesystem
extract "$T/a" --output-format=simple --entry=xvda1:/vmlinuz-6.1.0-1,/initrd.img-6.1.0-1 \
	--args="root=/dev/xvda2 ro" "$img"
expect_rc 0
expect_outputs "$T/a" ramdisk
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-1"
expect_cmp "$RFILE" "$src/initrd.img-6.1.0-1"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 ro

"
# domUloader prepends '/'; no initrd after the comma means none
extract "$T/b" --output-format=simple --entry=/dev/xvda1:vmlinuz-6.1.0-2, "$img"
expect_rc 0
expect_outputs "$T/b"
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-2"

# no device: /boot/... from the root volume, /boot mounted from xvda1 (fstab)
extract "$T/c" --output-format=simple --root=/dev/xvda2 \
	--entry=/boot/vmlinuz-6.1.0-2,/boot/initrd.img-6.1.0-2 "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$src/initrd.img-6.1.0-2"

# errors: no such partition, no such file; nothing left behind
mkdir -p "$T/d"
dl_run -q --output-directory="$T/d" --entry=xvda9:/vmlinuz "$img"
expect_clean_failure "$T/d" "missing partition"
grep -q "partition xvda9 does not exist" "$T/err" || fail "message: $(cat "$T/err")"
dl_run -q --output-directory="$T/d" --entry=xvda1:/vmlinuz-9,/initrd "$img"
expect_clean_failure "$T/d" "missing kernel"
exit 0
