#!/bin/bash
# What the sandbox costs per run, measured against --no-sandbox in the same
# run: runs alternate between the two modes (so machine load hits both
# alike) and the medians and the median of the paired differences are
# printed.  Target: <= 3 ms of overhead.
#   bench/sandbox.sh [RUNS]
# The image is small (a 96 KiB kernel and a 200 KiB initrd on ext4) so that
# the fixed cost of fork + confinement dominates, as it does for a real
# guest whose files are copied with copy_file_range either way.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-41}
dl=${DL:-$top/build/domuloader}
w=$(mktemp -d /tmp/dl-bench.XXXXXX); trap 'rm -rf "$w"' EXIT
bash "$top/images/kernel-only.sh" "$w/disk.img" bench >/dev/null
mkdir -p "$w/out"
args=(-q --output-format=simple --output-directory="$w/out"
	--kernel=/boot/vmlinuz-bench --ramdisk=/boot/initrd.img-bench --args=ro "$w/disk.img")

# Correctness first: both modes give the original bytes.
for mode in "" --no-sandbox; do
	"$dl" $mode "${args[@]}" > "$w/result" 2>"$w/err" ||
		{ echo "bench: extraction failed ($dl $mode):" >&2; cat "$w/err" >&2; exit 1; }
	cmp "$(sed -n 's/^kernel //p' "$w/result")" "$w/disk.img.files/vmlinuz-bench"
	cmp "$(sed -n 's/^ramdisk //p' "$w/result")" "$w/disk.img.files/initrd.img-bench"
	rm -f "$w"/out/*
done

us() { # PREFIX MODE: one run's wall time in microseconds
	local t0 t1
	t0=$(date +%s%N)
	$1 "$dl" $2 "${args[@]}" >/dev/null 2>&1
	t1=$(date +%s%N)
	rm -f "$w"/out/*
	echo $(( (t1 - t0) / 1000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'; }

# measure PREFIX LABEL
measure() {
	local sb=() ns=() diff=() a b i
	us "$1" "" >/dev/null; us "$1" --no-sandbox >/dev/null     # warm-up
	for ((i = 0; i < runs; i++)); do
		a=$(us "$1" "")
		b=$(us "$1" --no-sandbox)
		sb+=("$a") ns+=("$b") diff+=($((a - b)))
	done
	local sb_ms ns_ms d_ms
	sb_ms=$(printf '%s\n' "${sb[@]}" | median)
	ns_ms=$(printf '%s\n' "${ns[@]}" | median)
	d_ms=$(printf '%s\n' "${diff[@]}" | median)
	echo "$2:"
	echo "  sandboxed:    median $sb_ms ms over $runs runs"
	echo "  --no-sandbox: median $ns_ms ms"
	awk -v a="$sb_ms" -v b="$ns_ms" -v d="$d_ms" 'BEGIN {
		printf "  sandbox overhead: %.2f ms (difference of medians), %.2f ms (median of paired differences); target <= 3 ms\n", a - b, d }'
}

echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure "" "as scheduled (a busy host adds a scheduling delay for the extra process)"
# SCHED_FIFO shields both modes from other load: the cost on an idle dom0.
if [ "$(id -u)" = 0 ] && command -v chrt >/dev/null && chrt -f 10 true 2>/dev/null; then
	measure "chrt -f 10" "under SCHED_FIFO (as on an idle host)"
fi
