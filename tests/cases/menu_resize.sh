# A resize in the middle of the countdown redraws the menu at the new size
# (TIOCGWINSZ, SIGWINCH) and the countdown goes on; a hostile title is
# shown escaped and cut at the width, whatever the width.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"

evil_width() { screen | grep -F 'Evil ' | awk '{ print length($0) }'; }
menu_start resize --timeout=60
wait_raw
wait_screen "Will boot selected entry in"
wait_screen "Evil ?[2J?]0;owned? title ???31m and a tail"
expect_eq "$(evil_width)" 79 "the long title at 80 columns"
[ "$(screen | sed -n 24p)" != "" ] || fail "the countdown is not on row 24"
tm resize-window -t "$S" -x 120 -y 40
_big() { [ "$(evil_width)" = 119 ] && screen | sed -n 40p | grep -qF "Will boot selected entry in"; }
poll 200 _big || { screen >&2; fail "no redraw at 120x40"; }
[ "$(screen | grep -c 'Debian GNU/Linux$')" = 1 ] || { screen >&2; fail "stale rows after the resize"; }
tm resize-window -t "$S" -x 50 -y 12
_small() { [ "$(evil_width)" = 49 ] && screen | sed -n 12p | grep -qF "Will boot selected entry in"; }
poll 200 _small || { screen >&2; fail "no redraw at 50x12"; }
keys Enter
wait_done
expect_res index 0
exit 0
