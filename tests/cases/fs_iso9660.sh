# The ISO9660 reader on Rock Ridge, Joliet-only and plain images: names,
# case rules, symlinks inside the image, deep directories, exact bytes and
# the extent map.
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
for kind in rr joliet plain; do
	img=$(mkimg iso "$kind")
	src=$img.files
	# Plain ISO9660 directory names cannot hold a dot: mkisofs writes INSTALL_AMD.
	d=install.amd; [ $kind = plain ] && d=install_amd
	"$F" "$img" /$d/vmlinuz > "$T/k" || fail "$kind: read"
	expect_cmp "$T/k" "$src/install.amd/vmlinuz"
	"$F" --excat "$img" /$d/initrd.gz > "$T/r" || fail "$kind: extents"
	expect_cmp "$T/r" "$src/install.amd/initrd.gz"
	expect_eq "$("$F" "$img" /a/b/c/d/e/f/g/h/i/j/deep.txt)" deep "$kind deep file"
	expect_eq "$("$F" "$img" /isolinux/isolinux.cfg | head -1)" "DEFAULT install" "$kind config"
	expect_eq "$("$F" --ls "$img" /$d | sort | tr '\n' ' ')" "f initrd.gz f vmlinuz " "$kind listing"
done
# Rock Ridge names are exact; plain ISO and Joliet names match without case.
img=$(mkimg iso rr)
"$F" "$img" /mixedcase.txt >/dev/null 2>&1 && fail "rr: case-insensitive match"
expect_eq "$("$F" "$img" /MixedCase.Txt)" Mixed "rr exact name"
expect_eq "$("$F" "$(mkimg iso plain)" /MIXEDCASE.TXT)" Mixed "plain upper"
expect_eq "$("$F" --ls "$(mkimg iso plain)" / | sort | tr '\n' ' ')" "d a d install_amd d isolinux f mixedcase.txt " "plain names lower-cased"
expect_eq "$("$F" "$(mkimg iso joliet)" /mixedcase.txt)" Mixed "joliet folded"
# Symlinks resolve inside the image: relative, absolute, and through "..".
"$F" "$img" /vmlinuz > "$T/k"; expect_cmp "$T/k" "$img.files/install.amd/vmlinuz"
"$F" "$img" /abs-initrd > "$T/r"; expect_cmp "$T/r" "$img.files/install.amd/initrd.gz"
"$F" "$img" /a/b/up/vmlinuz > "$T/k"; expect_cmp "$T/k" "$img.files/install.amd/vmlinuz"
expect_eq "$("$F" --stat "$img" /abs-initrd)" "l 22" "symlink stat"
exit 0
