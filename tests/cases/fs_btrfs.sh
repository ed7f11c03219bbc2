# The btrfs reader on an image made by mkfs.btrfs --rootdir: symlinks
# (relative, absolute), inline and regular extents, a big directory,
# exact bytes and the extent map.
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
img=$(mkimg btrfs)
src=$img.files
"$F" "$img" /vmlinuz > "$T/k" || fail "read through symlink"
expect_cmp "$T/k" "$src/boot/vmlinuz-6.1.0-2"
"$F" --excat "$img" /abs > "$T/r" || fail "extent map through absolute symlink"
expect_cmp "$T/r" "$src/boot/initrd.img-6.1.0-2"
"$F" "$img" /boot/grub2/grub.cfg > "$T/c"
expect_cmp "$T/c" "$src/boot/grub2/grub.cfg"
expect_eq "$("$F" "$img" /tiny)" tiny "inline file"
expect_eq "$("$F" --ls "$img" /many | wc -l)" 400 "directory entries"
expect_eq "$("$F" "$img" /many/file-399)" 399 "file in a big directory"
expect_eq "$("$F" --ls "$img" / | sort | tr '\n' ' ')" "d boot d many f tiny l abs l vmlinuz " "root listing"
"$F" "$img" /many/file-401 >/dev/null 2>&1 && fail "found a missing name"
exit 0
