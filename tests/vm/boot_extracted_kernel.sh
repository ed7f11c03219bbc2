#!/bin/bash
# Issue 2: a real Debian kernel and a marker initrd inside a GPT guest image
# (separate /boot); domuloader extracts them and QEMU boots the extracted files
# with the args from grub.cfg; the guest's own /init prints the marker and its
# /proc/cmdline on the serial console.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/vm/lib/common.sh"
vm_need_qemu
[ -x "$DL" ] || fail "$DL is not built"

tok=$$-$RANDOM
args0="root=/dev/xvda2 ro dltest=entry0-$tok"
img=$T/guest-gpt.img
vm_guest_image gpt "$img" "$args0" "root=/dev/xvda2 ro dltest=entry1-$tok"

mkdir "$T/outdir"
dl_run -q --output-format=simple --output-directory="$T/outdir" "$img"
expect_rc 0
kernel=$(sed -n 's/^kernel //p' "$T/out")
ramdisk=$(sed -n 's/^ramdisk //p' "$T/out")
args=$(sed -n 's/^args //p' "$T/out")
expect_eq "$args" "$args0" "args"
[ -f "$kernel" ] || fail "kernel file [$kernel] missing"
[ -f "$ramdisk" ] || fail "ramdisk file [$ramdisk] missing"
expect_cmp "$kernel" "$VMLINUZ"
expect_cmp "$ramdisk" "$T/marker-initrd.img"
# The JSON result says what the kernel is: Debian's bzImage and its version.
dl_run -q -n --output-format=json "$img"
expect_rc 0
grep -qF '"kernel_format": "bzImage"' "$T/out" || { cat "$T/out"; fail "kernel_format"; }
grep -qF "\"kernel_version\": \"$KVER " "$T/out" || { cat "$T/out"; fail "kernel_version (want $KVER ...)"; }

start=$(date +%s)
vm_boot_kernel "$kernel" "$ramdisk" "$args" "$T/serial.log" 90 || true
echo "note: QEMU booted the extracted kernel to the marker in $(( $(date +%s) - start )) s"
grep -qxF "$DL_GUEST_MARKER" "$T/serial.log" || { tail -30 "$T/serial.log"; fail "marker not on the console"; }
got=$(sed -n 's/^guest-cmdline: //p' "$T/serial.log")
expect_eq "$got" "console=ttyS0 $args0" "guest /proc/cmdline"
echo "guest printed: $got"
