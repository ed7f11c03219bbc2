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
# domuloader fsyncs its outputs before renaming them (issue 5); the same
# durability for cat:
run_cat_sync() { run_cat; sync "$w/out/k" "$w/out/r"; }
run_dl_nosandbox() { "$dl" -q --no-sandbox --output-format=simple --output-directory="$w/out" "$w/disk.img"; }

# Correctness first: the extracted bytes are the originals.
run_dl > "$w/result"
cmp "$(sed -n 's/^kernel //p' "$w/result")" "$w/boot/vmlinuz-bench"
cmp "$(sed -n 's/^ramdisk //p' "$w/result")" "$w/boot/initrd.img-bench"

dl_ms=$(median_ms run_dl)
nosb_ms=$(median_ms run_dl_nosandbox)
cat_ms=$(median_ms run_cat)
catsync_ms=$(median_ms run_cat_sync)
echo "domuloader: median $dl_ms ms over $runs runs (8 MB kernel + 64 MB initrd, ext4 on GPT, sandboxed)"
echo "domuloader --no-sandbox: median $nosb_ms ms"
echo "cat:        median $cat_ms ms (page cache only)"
echo "cat + sync: median $catsync_ms ms (files on disk, as domuloader leaves them)"
awk -v a="$dl_ms" -v b="$cat_ms" 'BEGIN {printf "ratio domuloader/cat: %.2fx (target <= 1.5x)\n", a / b}'
awk -v a="$dl_ms" -v b="$catsync_ms" 'BEGIN {printf "ratio domuloader/(cat + sync): %.2fx\n", a / b}'

# pygrub: $PYGRUB, an installed one, or Debian's xen-utils-4.17 unpacked by
# scripts/fetch-debs.sh (run with Debian's python3, as tests/vm/pygrub_compat.sh does).
pygrub=${PYGRUB:-}
[ -z "$pygrub" ] && [ -x /usr/lib/xen-4.17/bin/pygrub ] && pygrub=/usr/lib/xen-4.17/bin/pygrub
if [ -z "$pygrub" ] && [ -x /usr/bin/python3.11 ] && debs=$("$top/scripts/fetch-debs.sh" 2>/dev/null) &&
	[ -x "$debs/root/usr/lib/xen-4.17/bin/pygrub" ]; then
	ROOT=$debs/root
	pygrub_fetched() {
		PYTHONPATH=$ROOT/usr/lib/xen-4.17/lib/python \
		LD_LIBRARY_PATH=$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu \
		XEN_FSIMAGE_FSDIR=$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu/xenfsimage \
			/usr/bin/python3.11 "$ROOT/usr/lib/xen-4.17/bin/pygrub" "$@"
	}
	pygrub=pygrub_fetched
fi
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
