#!/bin/bash
# Prints the median wall time of `domuloader --list-volumes` over a
# 128-partition GPT disk plus a disk holding a VG of 100 LVs (target: 10 ms).
# Usage: bench/volumes.sh [RUNS]   (run from the source tree after make)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-21}
dl=${DL:-build/domuloader}
[ -x "$dl" ] || { echo "build first (make)" >&2; exit 1; }
w=$(mktemp -d /tmp/dl-bench.XXXXXX); trap 'rm -rf "$w"' EXIT
bash images/gpt-128.sh "$w/gpt.img" >/dev/null 2>&1
bash images/lvm-many.sh "$w/lvm.img" 100 >/dev/null 2>&1
"$dl" --list-volumes "$w/gpt.img" "$w/lvm.img" > "$w/list"
nparts=$(grep -c '^  xvda[0-9]' "$w/list"); nlvs=$(grep -c '^  /dev/manyvg/' "$w/list")
[ "$nparts" = 128 ] && [ "$nlvs" = 100 ] || { echo "unexpected listing: $nparts partitions, $nlvs LVs" >&2; exit 1; }
for i in $(seq 1 "$runs"); do
	s=${EPOCHREALTIME/./}
	"$dl" --list-volumes "$w/gpt.img" "$w/lvm.img" >/dev/null
	e=${EPOCHREALTIME/./}
	echo $((e - s))
done | sort -n > "$w/t"
med=$(sed -n "$(( (runs + 1) / 2 ))p" "$w/t")
printf 'list-volumes, 128 GPT partitions + 100 LVs: median %d.%03d ms over %d runs (min %d.%03d ms; target <= 10 ms)\n' \
	$((med / 1000)) $((med % 1000)) "$runs" $(( $(head -1 "$w/t") / 1000 )) $(( $(head -1 "$w/t") % 1000 ))
