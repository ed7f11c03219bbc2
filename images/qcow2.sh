#!/bin/bash
# qcow2 copies of the mbr-3logical disk: OUT (plain), OUT.files/zlib.qcow2
# (-c), zstd.qcow2 (-c, compression_type=zstd), v2.qcow2 (compat 0.10),
# backing.qcow2 (an overlay whose backing file is raw.img, format raw).
. "$(dirname "$0")/lib.sh"
out=$1
src=$(mktemp -d); trap 'rm -rf "$src"' EXIT
bash "$(dirname "$0")/mbr-3logical.sh" "$src/raw.img"
mkdir -p "$out.files"
cp -a "$src/raw.img.files/." "$out.files/"
cp "$src/raw.img" "$out.files/raw.img"
qemu-img convert -O qcow2 "$src/raw.img" "$out"
qemu-img convert -c -O qcow2 "$src/raw.img" "$out.files/zlib.qcow2"
qemu-img convert -c -O qcow2 -o compression_type=zstd "$src/raw.img" "$out.files/zstd.qcow2"
qemu-img convert -O qcow2 -o compat=0.10 "$src/raw.img" "$out.files/v2.qcow2"
qemu-img create -q -f qcow2 -b raw.img -F raw "$out.files/backing.qcow2"
