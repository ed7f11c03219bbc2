#!/bin/bash
# Runs the test stages and prints a last line "N passed, N failed".
# Usage: tests/run.sh [unit] [fuzz] [cases] [vm] [xen]   (default: all)
# Env: BUILD (build dir, default build), FUZZ_BUILD (where fuzz replayers
# are, default $BUILD), CASES (glob filter for case names), KEEP=1 keeps
# the scratch directory.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FUZZ_BUILD=${FUZZ_BUILD:-$BUILD}
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(unit fuzz cases vm xen)
pass=0 fail=0 skip=0
failed=()

export DL_TOP=$PWD DL_BUILD=$PWD/$BUILD DL=$PWD/$BUILD/domuloader
# Scratch space: a fresh directory, removed at the end unless KEEP=1.  A
# DL_SCRATCH given by the caller is the parent of that directory, never
# removed itself.
DL_SCRATCH=$(mktemp -d "${DL_SCRATCH:-/tmp}/dl-test.XXXXXX") || exit 1
export DL_SCRATCH
[ -n "${KEEP:-}" ] || trap 'rm -rf "$DL_SCRATCH"' EXIT

run_unit() {
	local b out p f
	for b in "$BUILD"/tests/unit/test_*; do
		[ -x "$b" ] || continue
		out=$("$b" 2>&1)
		local rc=$?
		printf '%s\n' "$out"
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
		pass=$((pass + p)); fail=$((fail + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			fail=$((fail + 1)); failed+=("$(basename "$b") (exit $rc)")
		fi
		[ "$f" -gt 0 ] && failed+=("$(basename "$b")")
	done
}

run_fuzz() {
	local b n
	for b in "$FUZZ_BUILD"/tests/fuzz/fuzz_*; do
		[ -x "$b" ] && [ "${b%.[od]}" = "$b" ] || continue
		n=$(basename "$b"); n=${n#fuzz_}
		if [ ! -d "tests/fuzz/corpus/$n" ]; then
			echo "FAIL fuzz $n: no corpus in tests/fuzz/corpus/$n"
			fail=$((fail + 1)); failed+=("fuzz $n"); continue
		fi
		if out=$(ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			timeout 600 "$b" "tests/fuzz/corpus/$n" 2>&1); then
			echo "PASS fuzz $n: ${out##*$'\n'}"
			pass=$((pass + 1))
		else
			printf '%s\n' "$out" | tail -40
			echo "FAIL fuzz $n"
			fail=$((fail + 1)); failed+=("fuzz $n")
		fi
	done
}

# Each script in tests/<stage>/*.sh (cases: tests/cases/*.sh) is one test:
# exit 0 pass, 77 skip (reason on its last output line), anything else fail.
run_scripts() {
	local dir=$1 t name rc out limit=${2:-300}
	for t in "$dir"/*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		case "$name" in ${CASES:-*}) ;; *) continue ;; esac
		out=$(timeout -k 10 "$limit" bash "$t" 2>&1 </dev/null)   # no terminal: no boot menu
		rc=$?
		if [ $rc -eq 0 ]; then
			echo "PASS $dir/$name"; pass=$((pass + 1))
			# Findings a passing test reports (timings, comparisons).
			printf '%s\n' "$out" | sed -n 's/^note: /    /p'
		elif [ $rc -eq 77 ]; then
			echo "SKIP $dir/$name: ${out##*$'\n'}"; skip=$((skip + 1))
		else
			printf '%s\n' "$out" | tail -30 | sed 's/^/    /'
			echo "FAIL $dir/$name (exit $rc)"; fail=$((fail + 1)); failed+=("$dir/$name")
		fi
	done
}

for s in "${stages[@]}"; do
	echo "=== stage $s"
	case $s in
	unit) run_unit ;;
	fuzz) run_fuzz ;;
	cases) run_scripts tests/cases 300 ;;
	vm) run_scripts tests/vm 900 ;;
	xen) run_scripts tests/xen 1800 ;;
	*) echo "unknown stage $s"; fail=$((fail + 1)) ;;
	esac
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failed[@]}"
fi
if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
