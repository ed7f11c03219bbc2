#!/bin/bash
# Compact DLSB seeds (tests/fuzz/seeds/dlsb.py) for fuzz_btrfs, fuzz_xfs and
# fuzz_extwalk: hand-built btrfs (mkbtrfs.py; one also for fuzz_extwalk)
# and small mkfs.xfs / mke2fs images whose file data is mostly one byte a
# block, so a seed is the metadata (a few KiB) and libFuzzer mutates
# structure, not padding.
# Shapes: XFS short-form, block, leaf and node directories and a file of
# many extents (a B+tree fork); ext4 extent trees of depth 0, 1 and 2,
# inline data, ext2 indirect blocks.
# Usage: tests/fuzz/seeds/mkfsseeds.sh [CORPUSDIR]   (default tests/fuzz/corpus)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../corpus}
export PATH=$PATH:/sbin:/usr/sbin E2FSPROGS_FAKE_TIME=1700000000
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
enc() { python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import dlsb; open(sys.argv[3], "wb").write(dlsb.encode(open(sys.argv[2], "rb").read()))' "$here" "$1" "$2"; }
# A file of N blocks of BS bytes, one non-zero byte each, every other block a hole.
frag() { python3 -c 'import sys; n, bs = int(sys.argv[2]), int(sys.argv[3]); f = open(sys.argv[1], "wb")
for i in range(n): f.seek(2 * i * bs); f.write(b"%c" % (65 + i % 26))
f.truncate(2 * n * bs)' "$@"; }

mkdir -p "$out/btrfs" "$out/xfs" "$out/extwalk"
python3 "$here/mkbtrfs.py" "$out/btrfs"
# fuzz_extwalk mounts whatever the image is: a btrfs whose /vmlinuz is
# compressed extents then plain ones, for its check that the extent map
# (encoded runs read through read()) rebuilds the file.
cp "$out/btrfs/seed-hb-flat" "$out/extwalk/seed-btrfs-hb-flat"

# ---- XFS (paths of fuzz_xfs.c)
x=$w/x; mkdir -p "$x"
echo "menuentry x { linux /vmlinuz }" > "$x/cfg"; seq 1 300 > "$x/big"; echo k > "$x/k"; : > "$x/e"
frag "$x/frag" 40 4096
proto() { # NFILES
	echo /dev/null; echo "0 0"; echo "d--755 0 0"
	echo "boot d--755 0 0"
	echo " grub d--755 0 0"; echo "  grub.cfg ---644 0 0 $x/cfg"; echo " \$"
	echo " big ---644 0 0 $x/frag"; echo " vmlinuz-1 ---644 0 0 $x/k"
	echo " many d--755 0 0"
	for i in $(seq 1 "$1"); do echo "  f-$i-with-a-longer-name ---644 0 0 $x/e"; done
	echo " \$"; echo "\$"
	echo "vmlinuz l--777 0 0 boot/vmlinuz-1"; echo "abs l--777 0 0 /boot/grub/grub.cfg"
	echo "\$"
}
export TEST_DIR=/tmp TEST_DEV=/dev/null QA_CHECK_FS=1
# 1 KiB blocks: leaf and node directories with a few dozen names
for v in "v5-short 3 4096" "v5-block 20 4096" "v5-leaf 40 1024" "v4-node 250 1024"; do
	set -- $v
	proto "$2" > "$x/proto"
	rm -f "$x/img" "$x/log"; truncate -s 16M "$x/img"; truncate -s 10M "$x/log"
	case $1 in
	v5*) mkfs.xfs -q -f -b size="$3" -d agcount=1 -l logdev="$x/log" -p "$x/proto" "$x/img" ;;
	v4*) mkfs.xfs -q -f -b size="$3" -m crc=0,finobt=0 -n ftype=0 -d agcount=1 -l logdev="$x/log" -p "$x/proto" "$x/img" 2>/dev/null ;;
	esac
	enc "$x/img" "$out/xfs/seed-$1"
done

# ---- ext (paths of fuzz_extwalk.c)
s=$w/e; mkdir -p "$s/boot/grub" "$s/etc"
printf 'menuentry "D" {\n linux /vmlinuz\n initrd /boot/initrd\n}\n' >"$s/boot/grub/grub.cfg"
printf 'INITRD' >"$s/boot/initrd"; printf 'y\n' >"$s/boot/y"; printf 'g:x:0:0::/:/bin/sh\n' >"$s/etc/passwd"
ln -s boot/vmlinuz-1 "$s/vmlinuz"; ln -s /etc/passwd "$s/boot/vmlinuz"; ln -s boot/y "$s/link1"
common="-q -F -b 1024 -N 32 -m 0 -U 6a3e7f1c-52d5-4a0e-9d36-3c1d2b4c5e6f -E hash_seed=6a3e7f1c-52d5-4a0e-9d36-3c1d2b4c5e6f"
mk() { # NAME SIZE FRAGS MKE2FS-ARGS
	local n=$1 size=$2; shift 2
	frag "$s/sparse" "$1" 1024; shift
	frag "$s/boot/vmlinuz-1" 14 1024
	rm -f "$w/img"; truncate -s "$size" "$w/img"
	mke2fs $common "$@" -d "$s" "$w/img" "$size" >/dev/null
	enc "$w/img" "$out/extwalk/seed-$n"
}
mk ext2-ind 256K 30 -t ext2 -O ^resize_inode
mk ext4-depth0 128K 3 -t ext4 -O extents,^has_journal,^resize_inode,metadata_csum,64bit -I 256
mk ext4-depth1 256K 40 -t ext4 -O extents,^has_journal,^resize_inode,^metadata_csum -I 256
mk ext4-depth2 1M 400 -t ext4 -O extents,^has_journal,^resize_inode,^metadata_csum -I 128
mk ext4-inline 128K 2 -t ext4 -O extents,^has_journal,^resize_inode,inline_data -I 256
ls -l "$out/btrfs" "$out/xfs" "$out/extwalk"
