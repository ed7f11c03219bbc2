#!/bin/bash
# Regenerates tests/fuzz/corpus/btrfs/seed-*: a small btrfs made with
# mkfs.btrfs --rootdir --shrink (single metadata), holding the paths
# fuzz_btrfs reads, in the compact DLSB seed format (tests/fuzz/seeds/dlsb.py).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus/btrfs
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
s=$w/src
mkdir -p "$s/boot/grub2" "$s/many"
echo "menuentry x { linux /vmlinuz }" > "$s/boot/grub2/grub.cfg"
seq 1 2000 > "$s/boot/big"; echo k > "$s/boot/k"; echo tiny > "$s/tiny"
ln -s boot/k "$s/vmlinuz"; ln -s /boot/big "$s/abs"
for i in $(seq 1 60); do echo "$i" > "$s/many/f-$i"; done
truncate -s 120M "$w/img"
mkfs.btrfs -q -f -m single -d single --rootdir "$s" --shrink "$w/img" >/dev/null 2>&1
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import dlsb; open(sys.argv[3], "wb").write(dlsb.encode(open(sys.argv[2], "rb").read()))' "$top/tests/fuzz/seeds" "$w/img" "$out/seed-rootdir"
# Hostile file-extent shapes (regression seeds, replayed under ASan).
for shape in cache-ram offset-wrap; do
	bash "$top/images/btrfs-hostile.sh" "$w/h.img" "$shape"
	python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import dlsb; open(sys.argv[3], "wb").write(dlsb.encode(open(sys.argv[2], "rb").read()))' "$top/tests/fuzz/seeds" "$w/h.img" "$out/hostile-$shape"
	rm -rf "$w/h.img" "$w/h.img.files"
done
