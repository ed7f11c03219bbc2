# The XFS reader on v5 (CRC, today's mkfs default, which pygrub cannot read)
# and v4 images built with mkfs.xfs -p: short-form, block and leaf/node
# directories, inline and remote symlinks, exact bytes and extent maps.
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
for v in v5 v4; do
	img=$(mkimg xfs "$v")
	src=$img.files/boot
	"$F" "$img" /vmlinuz > "$T/k" || fail "$v: read through symlink"
	expect_cmp "$T/k" "$src/vmlinuz-6.1.0-2"
	"$F" "$img" /abs > "$T/r" || fail "$v: absolute symlink"
	expect_cmp "$T/r" "$src/initrd.img-6.1.0-2"
	"$F" --excat "$img" /boot/big > "$T/b" || fail "$v: extent map"
	expect_cmp "$T/b" "$src/big"
	"$F" "$img" /boot/grub/grub.cfg > "$T/c"
	expect_cmp "$T/c" "$src/grub/grub.cfg"
	expect_eq "$("$F" --ls "$img" /boot/many | wc -l)" 300 "$v: entries of a leaf/node directory"
	expect_eq "$("$F" "$img" /boot/many/file-with-a-longish-name-299 | wc -c)" 250 "$v: file in a big directory"
	"$F" "$img" /boot/many/file-with-a-longish-name-301 >/dev/null 2>&1 && fail "$v: found a missing name"
	expect_eq "$("$F" --ls "$img" / | sort | tr '\n' ' ')" "d boot l abs $([ $v = v4 ] && echo 'l longlink ')l vmlinuz " "$v: root listing"
done
# A 419-byte symlink target lives in a remote block (v4 image).
"$F" "$(mkimg xfs v4)" /longlink > "$T/c" || fail "v4: remote symlink"
expect_cmp "$T/c" "$(mkimg xfs v4).files/boot/grub/grub.cfg"
exit 0
