# Fedora/RHEL-style blscfg on a separate /boot: entries from
# /loader/entries, $kernelopts and saved_entry from grub2/grubenv, two
# initrd lines concatenated in order into the one ramdisk; -l lists them.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg boot-layouts bls)
src=$img.files
mid=6a1e0c3f9b2d4e5f8a7b6c5d4e3f2a1b

extract "$T/a" --output-format=simple "$img"
expect_rc 0
expect_outputs "$T/a" ramdisk
expect_cmp "$KFILE" "$src/vmlinuz-5.14.0-70.el9.x86_64"
cat "$src/intel-ucode.img" "$src/initramfs-5.14.0-70.el9.x86_64.img" > "$T/want-ramdisk"
expect_cmp "$RFILE" "$T/want-ramdisk"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10 ro console=hvc0

"
# --entry by BLS id (file name without .conf)
extract "$T/b" --output-format=simple --entry=$mid-5.14.0-162.el9.x86_64 "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/vmlinuz-5.14.0-162.el9.x86_64"

dl_run -q -l "$img"
expect_rc 0
a="root=UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10 ro console=hvc0"
expect_out "# xvda1:/grub2/grub.cfg (grub2, timeout 5s)
# index  path  title
  0      0     Linux (5.14.0-162.el9.x86_64) 9.1
                   kernel: xvda1:/vmlinuz-5.14.0-162.el9.x86_64
                   initrd: xvda1:/intel-ucode.img
                   initrd: xvda1:/initramfs-5.14.0-162.el9.x86_64.img
                   args: $a
* 1      1     Linux (5.14.0-70.el9.x86_64) 9.1
                   kernel: xvda1:/vmlinuz-5.14.0-70.el9.x86_64
                   initrd: xvda1:/intel-ucode.img
                   initrd: xvda1:/initramfs-5.14.0-70.el9.x86_64.img
                   args: $a
"
dl_run -q -l --output-format=json "$img"
expect_rc 0
grep -q '"default":"1"' "$T/out" || fail "json: $(cat "$T/out")"
grep -q "\"id\":\"$mid-5.14.0-70.el9.x86_64\",\"kind\":\"linux\",\"default\":true" "$T/out" || fail "json: $(cat "$T/out")"
exit 0
