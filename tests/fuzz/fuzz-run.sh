#!/bin/bash
# make fuzz-run MINUTES=N [FUZZERS="btrfs xfs ..."]: run each libFuzzer
# harness (build-fuzz/bin/fuzz_NAME, from `make fuzz`) for N minutes with its
# dictionary (tests/fuzz/dict/NAME.dict), then merge what it found into
# tests/fuzz/corpus/NAME: -merge=1 into a fresh directory that starts with
# the named inputs (seed-*, regressions: always kept), so the corpus keeps only inputs
# that add coverage.  To keep it small, the merge counts edges only
# (-use_counters=0) and takes new inputs of at most MAX_KB KiB (default 16).  Runs one harness at a time under nice, in fork mode
# (-fork=1 -ignore_crashes=1): a crash is saved and reported but does not
# end the campaign.  Crashing inputs: build-fuzz/artifacts/NAME-crash-*.
# Exit status 1 when any harness crashed, leaked or timed out.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
minutes=${MINUTES:-1}
max_kb=${MAX_KB:-16}
bin=${FUZZ_BIN:-build-fuzz/bin}
art=${FUZZ_ARTIFACTS:-build-fuzz/artifacts}
mkdir -p "$art"
if [ -n "${FUZZERS:-}" ]; then
	names=$FUZZERS
else
	names=$(for b in "$bin"/fuzz_*; do b=${b##*/fuzz_}; echo "$b"; done)
fi
bad=0
for n in $names; do
	b=$bin/fuzz_$n corpus=tests/fuzz/corpus/$n
	[ -x "$b" ] || { echo "fuzz-run: $b missing (make fuzz)" >&2; exit 2; }
	mkdir -p "$corpus"
	w=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-run-$n.XXXXXX")
	mkdir -p "$w/new" "$w/fresh" "$w/cand"
	dict=()
	for d in "tests/fuzz/dict/$n.dict" "tests/fuzz/$n.dict"; do
		[ -f "$d" ] && { dict=(-dict="$d"); break; }
	done
	before=$(ls "$corpus" | wc -l)
	nice -n 10 "$b" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time=$((minutes * 60)) -timeout=20 "${dict[@]}" \
		-artifact_prefix="$art/$n-" "$w/new" "$corpus" >"$w/log" 2>&1
	cp "$w/log" "$art/$n.log"
	execs=$(grep -o '^#[0-9]*' "$w/log" | tail -1 | tr -d '#')
	crashes=$(grep -o 'oom/timeout/crash: [0-9/]*' "$w/log" | tail -1)
	# Merge: the seeds first, then the old corpus and the new inputs.
	# Named inputs (seed-*, hand-written regressions) are kept as they are;
	# only libFuzzer's own (40 hex digits) compete in the merge.
	find "$corpus" -maxdepth 1 -type f ! -regex '.*/[0-9a-f]\{40\}' -exec cp {} "$w/fresh/" \;
	find "$corpus" -maxdepth 1 -type f -regex '.*/[0-9a-f]\{40\}' -exec cp {} "$w/cand/" \;
	find "$w/new" -maxdepth 1 -type f -size -$((max_kb + 1))k -exec cp {} "$w/cand/" \;
	nice -n 10 "$b" -merge=1 -use_counters=0 "$w/fresh" "$w/cand" >"$w/merge.log" 2>&1 ||
		{ echo "fuzz-run $n: merge failed, corpus unchanged (see $art/$n.merge.log)"; cp "$w/merge.log" "$art/$n.merge.log"; bad=1; rm -rf "$w"; continue; }
	find "$corpus" -maxdepth 1 -type f -regex '.*/[0-9a-f]\{40\}' -delete
	find "$w/fresh" -maxdepth 1 -type f -regex '.*/[0-9a-f]\{40\}' -exec cp {} "$corpus/" \;
	after=$(ls "$corpus" | wc -l)
	echo "fuzz-run $n: ${execs:-0} executions in ${minutes} min; corpus $before -> $after files ($(du -sk "$corpus" | cut -f1) KiB); ${crashes:-oom/timeout/crash: 0/0/0}"
	case "$crashes" in *": 0/0/0"|"") ;; *) bad=1; ls "$art"/"$n"-* 2>/dev/null | grep -v '\.log$' | sed 's/^/    /' ;; esac
	rm -rf "$w"
done
exit $bad
