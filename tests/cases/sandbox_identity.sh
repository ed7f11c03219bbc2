# Without --runas the parser runs, with no setup and no message, as the user
# domuloader when it exists, else as the first id of 65520-65533 that has
# no passwd and no group entry.  Each run sees its own passwd and group
# files (tests/lib/preload_accounts.c), so the machine's accounts are never
# touched.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
[ "$(id -u)" = 0 ] || skip "needs root to change uid"
PRELOAD=$DL_BUILD/tests/lib/preload_accounts.so
[ -f "$PRELOAD" ] || fail "$PRELOAD not built"
img=$(mkimg kernel-only 5.10-ident)
need_extraction "$img" /boot/vmlinuz-5.10-ident

grep -v '^domuloader:' /etc/passwd > "$T/passwd"
grep -v '^domuloader:' /etc/group > "$T/group"
# in_accounts PASSWD GROUP CMD...: CMD with those account files.  (An ASan
# build tolerates the preload coming before its runtime.)
in_accounts() {
	local p=$1 g=$2; shift 2
	DL_TEST_PASSWD=$p DL_TEST_GROUP=$g LD_PRELOAD=$PRELOAD \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "$@"
}
# identity PASSWD GROUP: "uid U gid G groups N" of the parser child.
identity() {
	mkdir -p "$T/h"; rm -f "$T/h"/*
	in_accounts "$1" "$2" "$HOOK" id "$T/h" "$img" /boot/vmlinuz-5.10-ident >"$T/out" 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "sandbox_hook id failed"; }
	sed -n 's/.*identity \(uid .*\)/\1/p' "$T/err"
}

# No account at all: the first id of the range, no supplementary groups.
expect_eq "$(identity "$T/passwd" "$T/group")" "uid 65520 gid 65520 groups 0" "default identity"
# An id that has a passwd entry, or only a group entry, is skipped.
{ cat "$T/passwd"; echo 'taken:x:65520:100::/nonexistent:/usr/sbin/nologin'; } > "$T/passwd2"
{ cat "$T/group"; echo 'takeng:x:65521:'; } > "$T/group2"
expect_eq "$(identity "$T/passwd2" "$T/group2")" "uid 65522 gid 65522 groups 0" "next free id"
# The user domuloader, when the administrator created it, wins.
{ cat "$T/passwd"; echo 'domuloader:x:4711:4712::/nonexistent:/usr/sbin/nologin'; } > "$T/passwd3"
expect_eq "$(identity "$T/passwd3" "$T/group")" "uid 4711 gid 4712 groups 0" "the domuloader user"
# Every id taken and no user: a clear error, nothing written.
cp "$T/passwd" "$T/passwd4"
for i in $(seq 65520 65533); do echo "u$i:x:$i:$i::/nonexistent:/usr/sbin/nologin" >> "$T/passwd4"; done
mkdir -p "$T/h"; rm -f "$T/h"/*
RC=0; in_accounts "$T/passwd4" "$T/group" "$HOOK" id "$T/h" "$img" /boot/vmlinuz-5.10-ident \
	>"$T/out" 2>"$T/err" || RC=$?
expect_rc 1
expect_err_grep "every id from 65520 to 65533 has an account"
expect_empty_dir "$T/h"

# The real program, no --runas, no account: the result and nothing on stderr.
mkdir "$T/o"
RC=0; in_accounts "$T/passwd" "$T/group" "$DL" -q --output-format=simple --output-directory="$T/o" \
	--kernel=/boot/vmlinuz-5.10-ident "$img" >"$T/out" 2>"$T/err" || RC=$?
expect_rc 0
[ -s "$T/err" ] && { cat "$T/err" >&2; fail "a successful run printed on stderr"; }
expect_cmp "$(sed -n 's/^kernel //p' "$T/out")" "$img.files/vmlinuz-5.10-ident"
exit 0
