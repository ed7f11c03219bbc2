#!/bin/bash
# A small btrfs (mkfs.btrfs --rootdir --shrink) whose /boot/big has file
# extents rewritten into a hostile SHAPE (images/btrfs_extent.py): compressed
# extents sharing disk bytes with different ram_bytes (cache-ram), or an
# extent offset near 2^64 (offset-wrap).  Same paths as the btrfs fuzz seed.
. "$(dirname "$0")/lib.sh"
out=$1 shape=${2:-cache-ram}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
s=$w/src
mkdir -p "$s/boot/grub2"
echo "menuentry x { linux /vmlinuz }" > "$s/boot/grub2/grub.cfg"
seq 1 2000 | sed "s/^/BIG /" | head -c 8192 > "$s/boot/big"
echo k > "$s/boot/k"; echo tiny > "$s/tiny"
ln -s boot/k "$s/vmlinuz"; ln -s /boot/big "$s/abs"
rm -f "$out"
truncate -s 120M "$out"
mkfs.btrfs -q -f -m single -d single --rootdir "$s" --shrink "$out" >/dev/null 2>&1
python3 "$(dirname "$0")/btrfs_extent.py" "$out" big "$shape" "$s/boot/big"
keep_files "$out" "$s"
