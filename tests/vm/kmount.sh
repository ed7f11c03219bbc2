#!/bin/bash
# Issue 12: --mount inside a VM whose kernel has device-mapper, loop and
# the filesystem modules.  Image files (loop devices under the maps) and
# disks given as block devices (mapped directly, never looped):
#   ext4 GPT with a separate /boot, XFS, btrfs, FAT, ISO9660: the same
#   result and bytes as the default mode;
#   squashfs and f2fs, which only the kernel reads here: the staged bytes;
#   an LVM root LV (linear), an LV striped over two partitions, a VG over
#   two disks: the same as the default mode;
#   a guest symlink /boot/vmlinuz -> /../../../etc/shadow reads the guest's;
#   after each run, and after a run killed with SIGKILL then
#   --cleanup-stale: nothing of domuloader in dmsetup ls, losetup -a,
#   /proc/mounts or /run.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/vm/lib/common.sh"
vm_need_qemu
[ -x "$DL" ] || fail "$DL is not built"
need() { command -v "$1" >/dev/null || skip "$1 missing (scripts/deps.sh)"; }
need dmsetup; need mksquashfs; need mkfs.f2fs; need mke2fs
[ "$(id -u)" = 0 ] || skip "the LVM recipes need root"
PRELOAD=$DL_BUILD/tests/lib/preload_mountstop.so
[ -f "$PRELOAD" ] || fail "$PRELOAD not built"

files=() disks=()
# as_file NAME IMG: copied into the VM as /test/NAME.img (looped there)
as_file() { cp "$2" "$T/$1.img"; files+=(--file "$T/$1.img"); }
# as_disk IMG: attached as the next virtio disk
as_disk() { disks+=(--disk "$1"); }
gpt=$(mkimg gpt-sepboot); as_file gpt "$gpt"
fat=$(mkimg fat); as_file fat "$fat"
iso=$(mkimg iso); as_file iso "$iso"
sq=$(mkimg kmount-only squashfs); as_file squashfs "$sq"
cp "$sq.files/vmlinuz-6.1.0-2" "$T/sq-kernel"; files+=(--file "$T/sq-kernel")
striped=$(mkimg lvm-striped); as_file striped "$striped"
two=$(mkimg lvm-twodisks); as_file two "$two"; as_file two2 "$two.files/disk2.img"
xfs=$(mkimg xfs); as_disk "$xfs"                  # /dev/vda
btrfs=$(mkimg btrfs); as_disk "$btrfs"            # /dev/vdb
f2=$(mkimg kmount-only f2fs); as_disk "$f2"       # /dev/vdc
cp "$f2.files/vmlinuz-6.1.0-2" "$T/f2-kernel"; files+=(--file "$T/f2-kernel")
lvl=$(mkimg lvm-bootinroot); as_disk "$lvl"       # /dev/vdd
# the symlink guest
g=$T/sym
mkdir -p "$g/boot" "$g/etc"
echo "guest shadow $$" > "$g/etc/shadow"
ln -s /../../../etc/shadow "$g/boot/vmlinuz"
mke2fs -q -F -t ext4 -d "$g" "$T/sym.img" 8M >/dev/null 2>&1 || fail mke2fs
files+=(--file "$T/sym.img")
cp "$DL" "$T/domuloader"
files+=(--file "$T/domuloader" --file "$(command -v dmsetup)" --file "$PRELOAD")

cat > "$T/script.sh" <<'EOS'
DL=/test/domuloader
bad=0
no() { echo "FAIL: $*"; bad=1; }
clean() { # WHAT: nothing of domuloader left anywhere
	dmsetup ls 2>/dev/null | grep domuloader && no "$1: map left"
	[ -z "$(losetup -a 2>/dev/null)" ] || no "$1: loop left: $(losetup -a)"
	grep domuloader /proc/mounts && no "$1: mount left"
	ls /run /tmp | grep domuloader && no "$1: directory left"
}
out() { sed "s#$1/##; s#boot_kernel\.[^ ]*#K#; s#boot_ramdisk\.[^ ]*#R#" "$1.out"; }
same() { # NAME ARGS...: --mount gives what the default mode gives
	n=$1; shift
	rm -rf /tmp/d /tmp/m; mkdir /tmp/d /tmp/m
	$DL -q --output-format=simple --output-directory=/tmp/d "$@" >/tmp/d.out 2>/tmp/d.err || { no "$n: default: $(cat /tmp/d.err)"; return; }
	$DL -q --mount --output-format=simple --output-directory=/tmp/m "$@" >/tmp/m.out 2>/tmp/m.err || { no "$n: --mount: $(cat /tmp/m.err)"; clean "$n"; return; }
	[ -s /tmp/m.err ] && no "$n: --mount said: $(cat /tmp/m.err)"
	[ "$(out /tmp/d)" = "$(out /tmp/m)" ] || no "$n: result $(out /tmp/m) != $(out /tmp/d)"
	cmp /tmp/d/boot_kernel.* /tmp/m/boot_kernel.* || no "$n: kernel differs"
	if ls /tmp/d/boot_ramdisk.* >/dev/null 2>&1; then cmp /tmp/d/boot_ramdisk.* /tmp/m/boot_ramdisk.* || no "$n: ramdisk differs"; fi
	clean "$n"
	echo "same: $n $(out /tmp/m | tr '\n' '|')"
}
only() { # NAME EXPECTED_KERNEL ARGS...: only --mount reads it
	n=$1 k=$2; shift 2
	rm -rf /tmp/m; mkdir /tmp/m
	$DL -q --output-format=simple --output-directory=/tmp/d "$@" >/dev/null 2>&1 && no "$n: the default mode read it"
	$DL -q --mount --output-format=simple --output-directory=/tmp/m "$@" >/tmp/m.out 2>/tmp/m.err || { no "$n: --mount: $(cat /tmp/m.err)"; clean "$n"; return; }
	cmp /tmp/m/boot_kernel.* "$k" || no "$n: kernel differs"
	clean "$n"
	echo "mount only: $n $(out /tmp/m | tr '\n' '|')"
}
same "ext4 gpt /boot" gpt.img
same "ext4 gpt --entry=1" --entry=1 gpt.img
same "fat" fat.img
same "iso9660" iso.img
same "xfs (block device)" /dev/vda
same "btrfs (block device)" /dev/vdb
same "lvm linear root LV (block device)" /dev/vdd
same "lvm striped over two partitions" striped.img
same "lvm VG over two disks" two.img two2.img
only "squashfs" sq-kernel squashfs.img
only "f2fs (block device)" f2-kernel /dev/vdc
rm -rf /tmp/m; mkdir /tmp/m
$DL -q --mount --kernel=/boot/vmlinuz --args=x --output-directory=/tmp/m sym.img >/dev/null 2>/tmp/m.err || no "symlink: $(cat /tmp/m.err)"
grep -q "^guest shadow" /tmp/m/boot_kernel.* || no "symlink: not the guest's /etc/shadow"
clean symlink
echo "symlink: $(cat /tmp/m/boot_kernel.*)"
$DL -v -n -q --mount striped.img 2>/tmp/v.err >/dev/null || no "-v striped"
grep -q "mapped /dev/mapper/domuloader-[0-9]*-stripevg-data" /tmp/v.err || no "-v: no map named: $(cat /tmp/v.err)"
grep -q "attached /dev/loop" /tmp/v.err || no "-v: no loop"
clean "-v"
# SIGKILL while it holds a map over two loop devices, then --cleanup-stale
DL_TEST_MOUNTSTOP=1 LD_PRELOAD=/test/preload_mountstop.so $DL -q -n --mount striped.img >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 300 ] && [ "$(cut -d' ' -f3 /proc/$pid/stat 2>/dev/null)" != T ]; do sleep 0.1; i=$((i + 1)); done
dmsetup ls | grep -q "domuloader-$pid-" || no "sigkill: no map while stopped: $(dmsetup ls)"
kill -KILL $pid
wait $pid 2>/dev/null
dmsetup ls | grep -q "domuloader-$pid-" || no "sigkill: the map went by itself (nothing to clean?)"
$DL --cleanup-stale -v 2>/tmp/c.err || no "--cleanup-stale: $(cat /tmp/c.err)"
grep -q "removed map domuloader-$pid-stripevg-data" /tmp/c.err || no "--cleanup-stale said: $(cat /tmp/c.err)"
sleep 1
clean "sigkill + --cleanup-stale"
echo "sigkill: $(tr '\n' '|' < /tmp/c.err)"
exit $((bad ? 1 : 42))
EOS
rc=0
# crc32c and crc32 first: libcrc32c (xfs, btrfs) and ext4 and f2fs ask for
# them when they load or mount, and there is no modprobe to find them.
bash "$VMLIB/run-in-vm.sh" --script "$T/script.sh" "${files[@]}" "${disks[@]}" --mem 1536 \
	--module crc32c_generic --module crc32_generic --module loop --module dm-mod --module ext4 --module xfs --module btrfs --module vfat \
	--module nls_cp437 --module nls_ascii --module nls_utf8 --module isofs --module squashfs \
	--module f2fs \
	--append loglevel=1 --timeout 600 > "$T/vm.out" 2> "$T/vm.err" || rc=$?
cat "$T/vm.out"
grep "insmod" "$T/vm.out" "$T/vm.err" >&2
[ "$rc" = 42 ] || { tail -30 "$T/vm.err"; fail "VM script status $rc, expected 42"; }
grep -q "^sigkill: " "$T/vm.out" || fail "the VM script did not get to the end"
exit 0
