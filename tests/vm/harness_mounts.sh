#!/bin/bash
# The VM harness itself (tests/vm/lib/run-in-vm.sh), as the kernel-mount
# tests will use it: a vfat disk attached as /dev/vda and an ISO9660 image
# copied in and attached to a loop device are mounted by the real kernel;
# dm-mod gives /dev/mapper/control; the file contents, the script's output
# and its exit status come back to the host.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/vm/lib/common.sh"
vm_need_qemu
command -v mkfs.vfat >/dev/null && command -v mcopy >/dev/null && command -v xorriso >/dev/null ||
	skip "dosfstools, mtools or xorriso missing (scripts/deps.sh)"

tok=$$-$RANDOM
echo "fat $tok" > "$T/fat.txt"
truncate -s 8M "$T/fat.img"
mkfs.vfat -n DLTEST "$T/fat.img" >/dev/null || fail "mkfs.vfat"
mcopy -i "$T/fat.img" "$T/fat.txt" ::/HELLO.TXT || fail "mcopy"
mkdir "$T/iso"
echo "iso $tok" > "$T/iso/hello.txt"
xorriso -as mkisofs -quiet -R -o "$T/test.iso" "$T/iso" 2>/dev/null || fail "xorriso"
cat > "$T/script.sh" <<'EOS'
mkdir -p /mnt/fat /mnt/iso
mount -t vfat -o ro /dev/vda /mnt/fat || exit 1
echo "vfat: $(cat /mnt/fat/HELLO.TXT)"
loop=$(losetup -f)
losetup -r "$loop" /test/test.iso || exit 2
mount -t iso9660 -o ro "$loop" /mnt/iso || exit 3
echo "iso9660: $(cat /mnt/iso/hello.txt)"
[ -c /dev/mapper/control ] && echo "dm: control"
umount /mnt/fat /mnt/iso
losetup -d "$loop"
exit 42
EOS
rc=0
bash "$VMLIB/run-in-vm.sh" --script "$T/script.sh" --disk "$T/fat.img" --file "$T/test.iso" \
	--module loop --module dm-mod --module vfat --module nls_cp437 --module nls_ascii \
	--module isofs --timeout 120 > "$T/vm.out" 2> "$T/vm.err" || rc=$?
cat "$T/vm.out"
[ "$rc" = 42 ] || { cat "$T/vm.err"; fail "VM script status $rc, expected 42"; }
expect_eq "$(cat "$T/vm.out")" "vfat: fat $tok
iso9660: iso $tok
dm: control" "VM output"
