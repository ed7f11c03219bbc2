#!/bin/bash
# Extraction speed and memory, measured against baselines in the same run.
#   bench/extract.sh [RUNS]
# Builds an ext4 GPT image holding an 8 MB kernel and a 64 MB initrd, then
# prints the median wall time of: domuloader extracting both, `cat` of the
# same two files (from dom0 files, warm cache), and pygrub when available
# (PYGRUB=path, or the one from xen-utils-4.17), as ratios; and
# domuloader's peak RSS.  Targets: <= 1.5x cat, <= 0.2x pygrub, <= 16 MiB.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/images/lib.sh"
runs=${1:-9}
dl=${DL:-$top/build/domuloader}
w=$(mktemp -d /tmp/dl-bench.XXXXXX); trap 'rm -rf "$w"' EXIT

mkdir -p "$w/boot/boot/grub" "$w/root/etc"
head -c 8M /dev/urandom > "$w/boot/vmlinuz-bench"
head -c 64M /dev/urandom > "$w/boot/initrd.img-bench"
cat > "$w/boot/boot/grub/grub.cfg" <<CFG
set default=0
menuentry 'bench' {
	linux /vmlinuz-bench root=/dev/xvda2 ro
	initrd /initrd.img-bench
}
CFG
mv "$w/boot/boot/grub" "$w/boot/grub"; rmdir "$w/boot/boot"
fs_from_dir ext4 "$w/boot" 100 "$w/boot.img"
fs_from_dir ext4 "$w/root" 8 "$w/root.img"
disk_new "$w/disk.img" 120 gpt "start=2048, size=204800, type=L
start=206848, type=L"
disk_put "$w/disk.img" 1 "$w/boot.img"
disk_put "$w/disk.img" 2 "$w/root.img"
rm -f "$w/boot.img" "$w/root.img"
mkdir -p "$w/out"

# median_ms CMD...: median wall time in ms over $runs runs (one warm-up).
median_ms() {
	local i t0 t1 ts=()
	"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; "$@" >&2 || true; exit 1; }
	for ((i = 0; i < runs; i++)); do
		rm -f "$w"/out/*
		t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
		ts+=($(( (t1 - t0) / 1000 )))
	done
	printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]/1000}'
}
run_dl() { "$dl" -q --output-format=simple --output-directory="$w/out" "$w/disk.img"; }
run_cat() { cat "$w/boot/vmlinuz-bench" > "$w/out/k"; cat "$w/boot/initrd.img-bench" > "$w/out/r"; }

# Correctness first: the extracted bytes are the originals.
run_dl > "$w/result"
cmp "$(sed -n 's/^kernel //p' "$w/result")" "$w/boot/vmlinuz-bench"
cmp "$(sed -n 's/^ramdisk //p' "$w/result")" "$w/boot/initrd.img-bench"

dl_ms=$(median_ms run_dl)
cat_ms=$(median_ms run_cat)
echo "domuloader: median $dl_ms ms over $runs runs (8 MB kernel + 64 MB initrd, ext4 on GPT)"
echo "cat:        median $cat_ms ms"
awk -v a="$dl_ms" -v b="$cat_ms" 'BEGIN {printf "ratio domuloader/cat: %.2fx (target <= 1.5x)\n", a / b}'

pygrub=${PYGRUB:-}
for p in /usr/lib/xen-4.17/bin/pygrub "$top/build/debs/root/usr/lib/xen-4.17/bin/pygrub"; do
	[ -z "$pygrub" ] && [ -x "$p" ] && pygrub=$p
done
if [ -n "$pygrub" ] && "$pygrub" -q --output-format=simple --output-directory="$w/out" "$w/disk.img" >/dev/null 2>&1; then
	run_py() { "$pygrub" -q --output-format=simple --output-directory="$w/out" "$w/disk.img"; }
	py_ms=$(median_ms run_py)
	echo "pygrub:     median $py_ms ms ($pygrub)"
	awk -v a="$dl_ms" -v b="$py_ms" 'BEGIN {printf "ratio domuloader/pygrub: %.3fx (target <= 0.2x)\n", a / b}'
else
	echo "pygrub:     not available (install xen-utils-4.17 or set PYGRUB=)"
fi

rss=$( { /usr/bin/time -f '%M' "$dl" -q --output-format=simple --output-directory="$w/out" "$w/disk.img" >/dev/null; } 2>&1 | tail -1)
echo "domuloader peak RSS: $rss KiB ($(awk -v k="$rss" 'BEGIN {printf "%.1f", k/1024}') MiB; target <= 16 MiB)"
