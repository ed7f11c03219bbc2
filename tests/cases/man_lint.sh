# The man pages are clean for mandoc's linter: no error, warning or style
# message (what Debian's lintian and the BSDs check in a man page).
. "$DL_TOP/tests/lib/functions.sh"
command -v mandoc >/dev/null 2>&1 || skip "mandoc is not installed (scripts/deps.sh test)"
set -- "$DL_TOP"/man/*.1
[ -f "$1" ] || fail "no man page in $DL_TOP/man"
out=$(mandoc -T lint -W style "$@" 2>&1) || { echo "$out" >&2; fail "mandoc -T lint: $out"; }
[ -z "$out" ] || fail "mandoc -T lint: $out"
# and for groff, which man(1) uses on Debian (lintian runs it with all
# warnings on): no warning either
if command -v groff >/dev/null 2>&1; then
	out=$(LC_ALL=C.UTF-8 groff -man -t -ww -z "$@" 2>&1) || fail "groff -ww: $out"
	[ -z "$out" ] || fail "groff -ww: $out"
fi
exit 0
