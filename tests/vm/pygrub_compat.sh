#!/bin/bash
# Issue 2: side by side with Xen's own pygrub (Debian's xen-utils-4.17,
# unpacked by scripts/fetch-debs.sh, run with Debian's python3 on the host):
# for MBR, GPT with a separate /boot and a whole-disk ext4 image holding a real
# kernel, the default entry and --entry=1, both must hand over the same kernel
# and ramdisk bytes and the same output bytes (paths aside), in the simple,
# simple0 and sxp formats.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/vm/lib/common.sh"
py=/usr/bin/python3.11
[ -x "$py" ] || skip "$py missing (scripts/deps.sh vm installs python3)"
[ -x "$DL" ] || fail "$DL is not built"

pygrub() {
	PYTHONPATH=$ROOT/usr/lib/xen-4.17/lib/python \
	LD_LIBRARY_PATH=$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu \
	XEN_FSIMAGE_FSDIR=$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu/xenfsimage \
		"$py" "$ROOT/usr/lib/xen-4.17/bin/pygrub" "$@"
}

# norm FILE DIR: the output with DIR/boot_kernel.XXX and DIR/boot_ramdisk.XXX
# replaced by KERNEL and RAMDISK.
norm() {
	sed -e "s|$2/*boot_kernel\.[A-Za-z0-9_]*|KERNEL|g" -e "s|$2/*boot_ramdisk\.[A-Za-z0-9_]*|RAMDISK|g" "$1"
}
# file_of FILE KEY: the path of the kernel/ramdisk record in simple output.
file_of() { sed -n "s/^$2 //p" "$1"; }

tok=$$-$RANDOM
n=0
for layout in gpt mbr whole; do
	case $layout in
	gpt) root=/dev/xvda2 ;;
	*) root=/dev/xvda1 ;;
	esac
	img=$T/$layout.img
	vm_guest_image "$layout" "$img" "root=$root ro quiet dltest=e0-$tok" "root=$root ro dltest=e1-$tok"
	for sel in "" "--entry=1"; do
		for fmt in simple simple0 sxp; do
			n=$((n + 1))
			p=$T/p$n d=$T/d$n
			mkdir "$p" "$d"
			pygrub -q $sel --output-format=$fmt --output-directory="$p" "$img" > "$p.out" 2> "$p.err" ||
				{ cat "$p.err"; fail "$layout $sel $fmt: pygrub failed"; }
			dl_run -q $sel --output-format=$fmt --output-directory="$d" "$img"
			expect_rc 0 "$layout $sel $fmt"
			norm "$p.out" "$p" > "$p.norm"
			norm "$T/out" "$d" > "$d.norm"
			cmp -s "$d.norm" "$p.norm" || {
				echo "pygrub:     $(cat -v "$p.norm")"
				echo "domuloader: $(cat -v "$d.norm")"
				fail "$layout $sel $fmt: output differs from pygrub's (paths normalised)"
			}
			if [ $fmt != sxp ]; then
				tr '\0' '\n' < "$T/out" > "$d.lines"
				tr '\0' '\n' < "$p.out" > "$p.lines"
				expect_cmp "$(file_of "$d.lines" kernel)" "$(file_of "$p.lines" kernel)"
				expect_cmp "$(file_of "$d.lines" ramdisk)" "$(file_of "$p.lines" ramdisk)"
				expect_cmp "$(file_of "$d.lines" kernel)" "$VMLINUZ"
				expect_cmp "$(file_of "$d.lines" ramdisk)" "$T/marker-initrd.img"
				want="args root=$root ro quiet dltest=e0-$tok"
				[ -n "$sel" ] && want="args root=$root ro dltest=e1-$tok"
				expect_eq "$(grep '^args ' "$d.lines")" "$want" "$layout $sel args"
			fi
			echo "same: $layout ${sel:-default} $fmt: $(tr '\0\n' '||' < "$d.norm")"
		done
	done
done
echo "note: $n comparisons with pygrub (xen-utils-4.17) agree: gpt, mbr, whole-disk ext4 x default, --entry=1 x simple, simple0, sxp"
