#!/bin/bash
# Regenerates tests/fuzz/corpus/fat/seed-*: tiny FAT12/16/32 images with
# long names, directories and a fragmented file, cut after their last
# non-zero 512-byte sector.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus/fat
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
export MTOOLS_SKIP_CHECK=1
seq 1 300 > "$w/a"; seq 1 900 > "$w/vmlinuz"; echo cfg > "$w/grub.cfg"
echo title > "$w/e.conf"; echo x > "$w/long"
for spec in "12 1024 1" "16 8192 1" "32 34000 1"; do
	set -- $spec
	img=$w/fat$1.img
	mkfs.vfat -C -F "$1" -s "$3" -f 1 "$img" "$2" >/dev/null 2>&1
	mmd -i "$img" ::EFI ::EFI/debian ::loader ::loader/entries ::a
	mcopy -i "$img" "$w/grub.cfg" ::EFI/debian/grub.cfg
	mcopy -i "$img" "$w/e.conf" ::loader/entries/debian-6.1.0-2.conf
	mcopy -i "$img" "$w/a" ::filler
	mcopy -i "$img" "$w/long" "::a/very long name with spaces.txt"
	mdel -i "$img" ::filler
	mcopy -i "$img" "$w/vmlinuz" ::vmlinuz
	mcopy -i "$img" "$w/long" ::README.TXT
	python3 - "$img" "$out/seed-fat$1" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
last = max(i for i in range(0, len(d), 512) if any(d[i:i+512]))
open(sys.argv[2], 'wb').write(d[:last + 512])
PY
done
