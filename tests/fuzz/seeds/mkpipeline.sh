#!/bin/bash
# Seeds of fuzz_pipeline from every image recipe in images/: build each
# recipe, turn its disk image(s) into a compact seed (recipe2seed.py: DLSB,
# file contents cut so a seed stays under ~64 KiB where metadata allows).  Recipes with extra
# disks: lvm-twodisks (two disks in one seed), qcow2 (each qcow2 file a seed
# with the qcow2 flag).  kernel-bzimage needs a real kernel (skipped);
# lvm-many is a benchmark larger than the harness's 320 MiB disk cap.
# Usage: tests/fuzz/seeds/mkpipeline.sh [OUTDIR]  (default tests/fuzz/corpus/pipeline)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${1:-$top/tests/fuzz/corpus/pipeline}
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
seed() { python3 "$here/recipe2seed.py" "$@"; }
for f in "$top"/images/*.sh; do
	n=$(basename "$f" .sh)
	args=()
	case $n in
	lib|lvmlib|kernlib|demo|kernel-bzimage|lvm-many) continue ;;
	kernel-only) args=(6.1.0-9-amd64 64 32) ;;
	esac
	if ! bash "$f" "$w/$n.img" "${args[@]}" >"$w/log" 2>&1; then
		echo "mkpipeline: $n: recipe failed: $(tail -1 "$w/log")" >&2
		continue
	fi
	case $n in
	lvm-twodisks) seed 0 "$out/seed-$n" "$w/$n.img" "$w/$n.img.files/disk2.img" ;;
	qcow2)
		seed 64 "$out/seed-$n" "$w/$n.img"
		for q in "$w/$n.img.files"/*.qcow2; do
			seed 64 "$out/seed-$n-$(basename "$q" .qcow2)" "$q"
		done ;;
	gpt-4k) seed 1 "$out/seed-$n" "$w/$n.img" ;;
	*) seed 0 "$out/seed-$n" "$w/$n.img" ;;
	esac
	rm -rf "$w/$n.img" "$w/$n.img.files"
done
# The hand-built btrfs images (mkbtrfs.py) boot end to end in a few KiB;
# the mkfs.btrfs recipes' metadata does not fit a small seed whole.
python3 "$here/mkbtrfs.py" "$w/hb"
for f in "$w/hb"/seed-*; do
	{ printf '\x00'; cat "$f"; } > "$out/seed-btrfs-${f##*/seed-}"
done
# XFS and ext the same way, from the compact seeds of mkfsseeds.sh (the
# xfs recipe's metadata is too big as well).
for f in "$top"/tests/fuzz/corpus/xfs/seed-v5-* "$top"/tests/fuzz/corpus/extwalk/seed-ext4-*; do
	{ printf '\x00'; cat "$f"; } > "$out/seed-fs-${f##*/seed-}"
done
# Listings (-l as JSON, --list-volumes) and -n over one layout each.
cp "$out/seed-mbr-3logical" "$w/s" && printf '\x0c' | dd of="$w/s" conv=notrunc status=none && mv "$w/s" "$out/seed-mbr-3logical-list-json"
cp "$out/seed-lvm-bootinroot" "$w/s" && printf '\x06' | dd of="$w/s" conv=notrunc status=none && mv "$w/s" "$out/seed-lvm-bootinroot-volumes"
cp "$out/seed-gpt-sepboot" "$w/s" && printf '\x22' | dd of="$w/s" conv=notrunc status=none && mv "$w/s" "$out/seed-gpt-sepboot-n-entry1"
