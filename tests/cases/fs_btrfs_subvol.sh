# btrfs as openSUSE lays it out: the default subvolume is a snapshot inside
# @, files are zstd- and zlib-compressed (encoded runs in their extent
# maps: bytes are decompressed), and paths cross into other subvolumes.
# The recipe needs a loop mount; without one the test is skipped.
. "$DL_TOP/tests/lib/functions.sh"
[ "$(id -u)" = 0 ] && grep -qw btrfs /proc/filesystems || skip "no root or no btrfs in this kernel"
F=$DL_BUILD/tests/lib/dl_fscat
img=$(mkimg btrfs-subvol)
src=$img.files
"$F" "$img" /boot/vmlinuz-6.1.0-2 > "$T/k" || fail "zstd file in the default subvolume"
expect_cmp "$T/k" "$src/vmlinuz-6.1.0-2"
"$F" "$img" /boot/initrd.img-6.1.0-2 > "$T/r"
expect_cmp "$T/r" "$src/initrd.img-6.1.0-2"
"$F" "$img" /boot/vmlinuz-zlib > "$T/z" || fail "zlib file"
expect_cmp "$T/z" "$src/vmlinuz-zlib"
"$F" --extents "$img" /boot/vmlinuz-6.1.0-2 > "$T/map" || fail "no map of the zstd file"
grep -q "^0 encoded " "$T/map" || fail "zstd file does not start encoded: $(head -3 "$T/map")"
"$F" --excat "$img" /boot/vmlinuz-6.1.0-2 > "$T/ex" || fail "zstd file rebuilt from its map"
expect_cmp "$T/ex" "$src/vmlinuz-6.1.0-2"
# The same through the program, whose parser decodes half of each read's
# whole compressed extents on its helper thread.
extract "$T/x" --kernel=/boot/vmlinuz-6.1.0-2 --ramdisk=/boot/vmlinuz-zlib "$img"
expect_rc 0 "zstd kernel and zlib ramdisk extracted"
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$src/vmlinuz-zlib"
expect_eq "$("$F" --ls "$img" /boot | sort | tr '\n' ' ')" "d grub2 f initrd.img-6.1.0-2 f vmlinuz-6.1.0-2 f vmlinuz-zlib " "snapshot /boot"
exit 0
