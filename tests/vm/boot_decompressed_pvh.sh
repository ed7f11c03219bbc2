#!/bin/bash
# Issue 14: --decompress writes the ELF vmlinux inside the guest's Debian
# bzImage (the bytes Linux's extract-vmlinux method yields), checked for
# --guest-type=pvh; QEMU boots that ELF through its PVH entry (-kernel
# with an ELF holding XEN_ELFNOTE_PHYS32_ENTRY) with the marker initrd,
# whose /init prints the marker and /proc/cmdline on the serial console.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/vm/lib/common.sh"
. "$DL_TOP/images/kernlib.sh"
vm_need_qemu
[ -x "$DL" ] || fail "$DL is not built"
command -v readelf >/dev/null || skip "readelf missing"

tok=$$-$RANDOM
args0="root=/dev/xvda2 ro dltest=pvh-$tok"
img=$T/guest-gpt.img
vm_guest_image gpt "$img" "$args0" "root=/dev/xvda2 ro dltest=entry1-$tok"
extract_vmlinux "$VMLINUZ" "$T/ref.elf" >/dev/null || fail "the extract-vmlinux method finds no vmlinux"

mkdir "$T/outdir"
dl_run -q --decompress --guest-type=pvh --output-format=json --output-directory="$T/outdir" "$img"
expect_rc 0
[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"
kernel=$(sed -n 's/^  "kernel": "\(.*\)",$/\1/p' "$T/out")
ramdisk=$(sed -n 's/^  "ramdisk": "\(.*\)",$/\1/p' "$T/out")
grep -qF '"kernel_format": "ELF64"' "$T/out" || { cat "$T/out"; fail "kernel_format"; }
grep -qF '"guest_type": "pvh"' "$T/out" || { cat "$T/out"; fail "guest_type"; }
expect_cmp "$kernel" "$T/ref.elf"
# the note QEMU's PVH boot needs (XEN_ELFNOTE_PHYS32_ENTRY = 18)
readelf -n "$kernel" | grep -q "^  Xen .*(0x00000012)" || fail "the decompressed ELF has no PVH entry note"

start=$(date +%s)
vm_boot_kernel "$kernel" "$ramdisk" "$args0" "$T/serial.log" 120 || true
echo "note: QEMU booted the decompressed ELF (PVH) to the marker in $(( $(date +%s) - start )) s"
grep -qxF "$DL_GUEST_MARKER" "$T/serial.log" || { tail -30 "$T/serial.log"; cat "$T/serial.log.qemu"; fail "marker not on the console"; }
got=$(sed -n 's/^guest-cmdline: //p' "$T/serial.log")
expect_eq "$got" "console=ttyS0 $args0" "guest /proc/cmdline"
echo "guest printed: $got"
