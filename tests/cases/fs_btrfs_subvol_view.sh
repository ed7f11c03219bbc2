# btrfs subvolumes as fstab's subvol= and subvolid= mount them: the
# openSUSE-like image's default subvolume is a snapshot inside @; @ itself
# and the top level are reached by path from the top level or by id, and
# a file copied into the snapshot only is not in @.  Needs a loop mount to
# build the image; skipped without one.
. "$DL_TOP/tests/lib/functions.sh"
[ "$(id -u)" = 0 ] && grep -qw btrfs /proc/filesystems || skip "no root or no btrfs in this kernel"
F=$DL_BUILD/tests/lib/dl_fscat
img=$(mkimg btrfs-subvol)
src=$img.files
"$F" --subvol=@ "$img" /boot/vmlinuz-6.1.0-2 > "$T/k" || fail "subvol=@"
expect_cmp "$T/k" "$src/vmlinuz-6.1.0-2"
"$F" --subvol=/@ --stat "$img" /boot/vmlinuz-zlib 2> "$T/err" && fail "the snapshot's file is in @"
expect_eq "$(cat "$T/err")" "dl_fscat: error: /boot/vmlinuz-zlib: no such file in vol"
"$F" --subvol=@/.snapshots/1/snapshot "$img" /boot/vmlinuz-zlib > "$T/z" || fail "the snapshot by path"
expect_cmp "$T/z" "$src/vmlinuz-zlib"
"$F" --subvolid=5 "$img" /@/.snapshots/1/snapshot/boot/vmlinuz-zlib > "$T/z5" || fail "subvolid=5"
expect_cmp "$T/z5" "$src/vmlinuz-zlib"
expect_eq "$("$F" --subvolid=5 --ls "$img" /)" "d @" "the top level"
"$F" --subvolid=256 "$img" /boot/initrd.img-6.1.0-2 > "$T/r" || fail "subvolid=256 (@)"
expect_cmp "$T/r" "$src/initrd.img-6.1.0-2"
# ".." and absolute paths stop at the subvolume's root.
"$F" --subvol=@ "$img" /../../boot/vmlinuz-6.1.0-2 > "$T/k2" || fail "'..' above the subvolume"
expect_cmp "$T/k2" "$src/vmlinuz-6.1.0-2"
"$F" --subvolid=999 --stat "$img" / 2> "$T/err" && fail "subvolid=999 exists"
expect_eq "$(cat "$T/err")" "dl_fscat: error: vol: no subvolume 999"
"$F" --subvol=@/boot/grub2/grub.cfg --stat "$img" / 2> "$T/err" && fail "a file as a subvolume"
expect_eq "$(cat "$T/err")" "dl_fscat: error: vol: subvolume @/boot/grub2/grub.cfg is not a directory"
exit 0
