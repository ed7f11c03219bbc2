#!/bin/bash
# The images of bench/speed.sh's rows, all holding the same /vmlinuz-bench
# and /initrd.img-bench (base64 text: zstd and zlib compress it to about
# 3/4, so the compressed images really hold compressed extents) and a
# grub.cfg booting them: OUT is ext4 on GPT; OUT.files/ holds xfs.img
# (whole-disk XFS), btrfs.img (mkfs.btrfs --rootdir), plain.qcow2,
# zlib.qcow2 and zstd.qcow2 (qemu-img convert of OUT), and, when this host
# can (root, loop devices, btrfs), btrfs-zstd.img (compress-force=zstd,
# loop-mounted) and lvm.img (the ext4 in an LV), plus the two files.
# Usage: speed-rows.sh OUT [KERNEL_KB [INITRD_KB]]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1 kkb=${2:-8192} ikb=${3:-65536}
w=$(mktemp -d); m=$w/mnt
cleanup() { mountpoint -q "$m" 2>/dev/null && umount "$m"; lvm_cleanup; rm -rf "$w"; }
trap cleanup EXIT
F=$out.files
mkdir -p "$w/f/grub" "$m" "$F"
text() { head -c $((($1 << 10) * 3 / 4 + 1024)) /dev/urandom | base64 -w 76 | head -c $(($1 << 10)); }
text "$kkb" > "$w/f/vmlinuz-bench"
text "$ikb" > "$w/f/initrd.img-bench"
cat > "$w/f/grub/grub.cfg" <<CFG
set default=0
menuentry 'bench' {
	linux /vmlinuz-bench root=/dev/xvda2 ro
	initrd /initrd.img-bench
}
CFG
cp "$w/f/vmlinuz-bench" "$w/f/initrd.img-bench" "$F/"
fsmb=$(( (kkb + ikb) * 5 / 4 / 1024 + 40 ))

gpt_of() { # FSIMG OUT: a GPT disk whose partition 1 holds FSIMG
	disk_new "$2" $(( $(stat -c %s "$1") / 1048576 + 2 )) gpt "start=2048, type=L"
	disk_put "$2" 1 "$1"
}
fs_from_dir ext4 "$w/f" "$fsmb" "$w/ext4.fs"
gpt_of "$w/ext4.fs" "$out"
qemu-img convert -O qcow2 "$out" "$F/plain.qcow2"
qemu-img convert -c -O qcow2 "$out" "$F/zlib.qcow2"
qemu-img convert -c -O qcow2 -o compression_type=zstd "$out" "$F/zstd.qcow2"
{
	echo /dev/null; echo "0 0"; echo "d--755 0 0"
	echo "vmlinuz-bench ---644 0 0 $w/f/vmlinuz-bench"
	echo "initrd.img-bench ---644 0 0 $w/f/initrd.img-bench"
	echo "grub d--755 0 0"; echo " grub.cfg ---644 0 0 $w/f/grub/grub.cfg"; echo " \$"; echo "\$"
} > "$w/proto"
# mkfs.xfs wants 300 MB at least: a sparse whole-disk filesystem.
fs_from_dir xfs /dev/null $((fsmb > 300 ? fsmb : 300)) "$F/xfs.img" -p "$w/proto"
truncate -s "${fsmb}M" "$w/btrfs.fs"
mkfs.btrfs -q -f -m single -d single --rootdir "$w/f" "$w/btrfs.fs" >/dev/null 2>&1
gpt_of "$w/btrfs.fs" "$F/btrfs.img"
rm -f "$w/btrfs.fs"
[ "$(id -u)" = 0 ] || exit 0
truncate -s "$((fsmb + 120))M" "$w/zstd.fs"
mkfs.btrfs -q -f "$w/zstd.fs" >/dev/null 2>&1
if mount -o loop,compress-force=zstd "$w/zstd.fs" "$m" 2>/dev/null; then
	cp -r "$w/f/." "$m/"
	umount "$m"
	gpt_of "$w/zstd.fs" "$F/btrfs-zstd.img"
fi
rm -f "$w/zstd.fs"
disk_new "$w/lvm.img" $((fsmb + 12)) dos "start=2048, type=8e"
if lvm_loop l "$w/lvm.img" $((2048 * 512)) $(( (fsmb + 11) << 20 )) 2>/dev/null; then
	{
		lvm_conf
		lvm pvcreate -q "$l"
		lvm vgcreate -q -s 4M benchvg "$l"
		lv_new benchvg root "$((fsmb + 4))M"
		lv_write benchvg root "$w/ext4.fs"
	} 2>/dev/null && mv "$w/lvm.img" "$F/lvm.img"
fi
exit 0
