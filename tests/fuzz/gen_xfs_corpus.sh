#!/bin/bash
# Regenerates tests/fuzz/corpus/xfs/seed-*: small one-AG XFS images (v5 and
# v4) with the paths fuzz_xfs reads, in the compact DLSB seed format
# (tests/fuzz/seeds/dlsb.py).
# mkfs.xfs refuses filesystems under 300 MB unless it believes it runs
# under fstests (TEST_DIR, TEST_DEV, QA_CHECK_FS), so those are set.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus/xfs
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
echo "menuentry x { linux /vmlinuz }" > "$w/cfg"; seq 1 3000 > "$w/big"; echo k > "$w/k"; : > "$w/e"
{
	echo /dev/null; echo "0 0"; echo "d--755 0 0"
	echo "boot d--755 0 0"
	echo " grub d--755 0 0"; echo "  grub.cfg ---644 0 0 $w/cfg"; echo " \$"
	echo " big ---644 0 0 $w/big"; echo " vmlinuz-1 ---644 0 0 $w/k"
	echo " many d--755 0 0"
	for i in $(seq 1 200); do echo "  f-$i-with-a-longer-name ---644 0 0 $w/e"; done
	echo " \$"; echo "\$"
	echo "vmlinuz l--777 0 0 boot/vmlinuz-1"; echo "abs l--777 0 0 /boot/grub/grub.cfg"
	echo "\$"
} > "$w/proto"
export TEST_DIR=/tmp TEST_DEV=/dev/null QA_CHECK_FS=1
for v in v5 v4; do
	truncate -s 20M "$w/$v.img"
	rm -f "$w/log"; truncate -s 10M "$w/log"   # external log: keeps the data device compact
	case $v in
	v5) mkfs.xfs -q -f -d agcount=1 -l logdev="$w/log" -p "$w/proto" "$w/$v.img" ;;
	v4) mkfs.xfs -q -f -m crc=0,finobt=0 -n ftype=0 -d agcount=1 -l logdev="$w/log" -p "$w/proto" "$w/$v.img" ;;
	esac
	python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import dlsb; open(sys.argv[3], "wb").write(dlsb.encode(open(sys.argv[2], "rb").read()))' "$top/tests/fuzz/seeds" "$w/$v.img" "$out/seed-$v"
done
