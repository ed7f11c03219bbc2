# Nobody attached: the menu runs on a pty that nobody reads, its buffer full
# before the menu starts (libxl's console with nobody attached, or worse).
# Writes never block it, the countdown runs on its own clock, and the
# default boots after the timeout.
. "$DL_TOP/tests/lib/functions.sh"
DEMO=$DL_BUILD/tests/lib/dl_menu_demo
[ -x "$DEMO" ] || fail "$DEMO is not built (make tests)"
for style in menu countdown hidden; do
	rm -f "$T/res"
	timeout 60 "$DEMO" --unattended --style=$style --timeout=1 "$T/res" 2>"$T/err" ||
		{ cat "$T/err" "$T/res" >&2; fail "$style: the menu did not boot the default"; }
	grep -q 'pty filled with [1-9][0-9]* bytes' "$T/err" || fail "the pty was not filled"
	expect_eq "$(sed -n 's/^index=//p' "$T/res")" 0 "$style: index"
	expect_eq "$(sed -n 's/^kernel=//p' "$T/res")" /boot/vmlinuz-6.1.0-13-amd64 "$style: kernel"
done
exit 0
