# A disk in another image format than raw or qcow2 is never guessed, but
# the error says what it is and how to convert it: VMDK (sparse and a
# descriptor), dynamic VHD, VHDX, VDI, QED, Parallels, qcow v1; a fixed VHD
# is raw data with a footer and boots as raw.
. "$DL_TOP/tests/lib/functions.sh"
command -v qemu-img >/dev/null || skip "no qemu-img (scripts/deps.sh test)"
img=$(mkimg gpt-sepboot)

# hint FORMAT [QEMU-OPTIONS] WANT: the image converted, the hint in the one error line
hint() {
	local fmt=$1 opts=$2 want=$3 f=$T/guest.$1
	qemu-img convert -q -O "$fmt" ${opts:+-o "$opts"} "$img" "$f" || fail "qemu-img convert -O $fmt"
	dl_run -q -n "$f"
	expect_rc 3 "$fmt"
	[ "$(wc -l < "$T/err")" = 1 ] || { cat "$T/err" >&2; fail "$fmt: not one line"; }
	expect_err_grep "; $f is $want"
	rm -f "$f"
}
convert="which domuloader does not read: convert it with qemu-img convert -O raw (or -O qcow2 and say --format=qcow2)"
hint vmdk "" "a VMDK image, $convert"
hint vmdk subformat=streamOptimized "a VMDK image, $convert"
hint vpc "" "a dynamic VHD image, $convert"
hint vhdx "" "a VHDX image, $convert"
hint vdi "" "a VDI image, $convert"
hint qed "" "a QED image, $convert"
hint parallels "" "a Parallels image, $convert"
hint qcow "" "a qcow (version 1) image, $convert"
hint vmdk subformat=monolithicFlat "a VMDK descriptor: give the raw extent file it names"
# the qcow2 hint (an image is never opened as qcow2 unless told)
qemu-img convert -q -O qcow2 "$img" "$T/g.qcow2"
dl_run -q -n "$T/g.qcow2"
expect_rc 3
expect_err_grep "$T/g.qcow2 starts like a qcow2 image: if it is one, say --format=qcow2"

# A fixed VHD: raw sectors then the footer; it boots as raw, no hint.
qemu-img convert -q -O vpc -o subformat=fixed "$img" "$T/fixed.vhd"
[ "$(tail -c 512 "$T/fixed.vhd" | head -c 8)" = conectix ] || fail "no VHD footer at the end"
dl_run -q -n "$T/fixed.vhd"
expect_rc 0 "fixed VHD"
expect_out "linux (kernel 'xvda1:/vmlinuz-6.1.0-2')(ramdisk 'xvda1:/initrd.img-6.1.0-2')(args 'root=/dev/xvda2 ro quiet')"
# and named when it fails anyway (its partitions wiped)
dd if=/dev/zero of="$T/fixed.vhd" bs=1M count=40 conv=notrunc status=none
dl_run -q -n "$T/fixed.vhd"
expect_rc 3 "empty fixed VHD"
expect_err_grep "$T/fixed.vhd is a fixed VHD image (raw data and a footer), which was read as raw"
# A raw image gets no hint.
dd if=/dev/zero of="$T/zero.img" bs=1M count=8 status=none
dl_run -q -n "$T/zero.img"
expect_rc 3
if grep -q " is a \| starts like " "$T/err"; then fail "a hint for a raw image: $(cat "$T/err")"; fi
exit 0
