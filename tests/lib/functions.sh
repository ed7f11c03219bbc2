# Sourced by tests/cases/*.sh, tests/vm/*.sh, tests/xen/*.sh.
# Provides: $T (private scratch dir, removed by the driver), dl_run, expect_*,
# mkimg, skip, fail.  $DL is the binary under test, $DL_TOP the source tree.
set -u
: "${DL_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${DL_BUILD:=$DL_TOP/build}"
: "${DL:=$DL_BUILD/domuloader}"
: "${DL_SCRATCH:=/tmp}"
T=$(mktemp -d "$DL_SCRATCH/t.XXXXXX")
IMAGES=$DL_TOP/images
# Image cache shared by the cases of one run (recipes are deterministic).
IMGCACHE=${DL_IMGCACHE:-$DL_SCRATCH/images}
mkdir -p "$IMGCACHE"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

# mkimg RECIPE [ARGS...]: build images/RECIPE.sh once per run; prints the path.
mkimg() {
	local r=$1; shift
	local key out
	key=$(printf '%s_' "$r" "$@" | tr -c 'A-Za-z0-9_.-' '_')
	out=$IMGCACHE/$key.img
	if [ ! -f "$out" ]; then
		bash "$IMAGES/$r.sh" "$out.tmp" "$@" >&2 || fail "recipe $r failed"
		mv "$out.tmp" "$out"
		[ -d "$out.tmp.files" ] && mv "$out.tmp.files" "$out.files"
	fi
	echo "$out"
}

# dl_run ARGS...: run domuloader; stdout in $T/out, stderr in $T/err, status in $RC.
dl_run() {
	RC=0
	"$DL" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

expect_rc() {
	[ "$RC" = "$1" ] || { cat "$T/err" >&2; fail "exit status $RC, expected $1${2:+ ($2)}"; }
}
expect_fail() {
	[ "$RC" != 0 ] || fail "succeeded, expected a failure${1:+ ($1)}"
	[ "$(wc -l < "$T/err")" -ge 1 ] || fail "no error message on stderr"
}
expect_eq() { # ACTUAL EXPECTED [WHAT]
	[ "$1" = "$2" ] || fail "${3:-value}: got [$1], expected [$2]"
}
expect_out() { # EXPECTED stdout bytes (printf %s)
	local got; got=$(cat "$T/out"; echo x); got=${got%x}
	[ "$got" = "$1" ] || fail "stdout: got [$got], expected [$1]"
}
expect_err_grep() {
	grep -q -- "$1" "$T/err" || { cat "$T/err" >&2; fail "stderr lacks [$1]"; }
}
expect_cmp() { # FILE EXPECTED_FILE
	cmp -s "$1" "$2" || fail "$1 differs from $2"
}
expect_empty_dir() {
	local n; n=$(find "$1" -mindepth 1 | wc -l)
	[ "$n" = 0 ] || { find "$1" -mindepth 1 >&2; fail "$1 is not empty"; }
}

# extract OUTDIR ARGS...: run domuloader -q with --output-directory=OUTDIR
# (created); sets KFILE/RFILE to the files it left there ("" if none).
extract() {
	local dir=$1; shift
	mkdir -p "$dir"
	dl_run -q --output-directory="$dir" "$@"
	KFILE=$(find "$dir" -maxdepth 1 -name 'boot_kernel.*' | head -1)
	RFILE=$(find "$dir" -maxdepth 1 -name 'boot_ramdisk.*' | head -1)
}

# expect_outputs DIR: exactly the kernel (and ramdisk if $2=ramdisk) files,
# final names (no .part), mode 0600.
expect_outputs() {
	local dir=$1 want=1 n f
	[ "${2:-}" = ramdisk ] && want=2
	n=$(find "$dir" -mindepth 1 | wc -l)
	[ "$n" = "$want" ] || { ls -la "$dir" >&2; fail "$dir holds $n files, expected $want"; }
	for f in "$dir"/*; do
		case $(basename "$f") in boot_kernel.????????|boot_ramdisk.????????) ;;
		*) fail "unexpected output name $f" ;; esac
		[ "$(stat -c %a "$f")" = 600 ] || fail "$f: mode $(stat -c %a "$f"), expected 600"
	done
}

# expect_clean_failure DIR: failed, one error line, nothing left in DIR.
expect_clean_failure() {
	expect_fail "${2:-}"
	expect_empty_dir "$1"
	grep -q '^domuloader: error: ' "$T/err" || { cat "$T/err" >&2; fail "no 'domuloader: error:' line"; }
}
