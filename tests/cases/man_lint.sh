# The man pages are clean for mandoc's linter: no error, warning or style
# message (what Debian's lintian and the BSDs check in a man page).
. "$DL_TOP/tests/lib/functions.sh"
command -v mandoc >/dev/null 2>&1 || skip "mandoc is not installed (scripts/deps.sh test)"
set -- "$DL_TOP"/man/*.1
[ -f "$1" ] || fail "no man page in $DL_TOP/man"
out=$(mandoc -T lint -W style "$@" 2>&1) || { echo "$out" >&2; fail "mandoc -T lint: $out"; }
[ -z "$out" ] || fail "mandoc -T lint: $out"
exit 0
