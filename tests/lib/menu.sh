# Sourced by tests/cases/menu_*.sh: the boot menu (build/tests/lib/dl_menu_demo)
# in a tmux pane, as on a Xen console: TERM=vt100, 80x24 unless asked.
#   menu_start NAME [DEMO ARGS...]  run it in session NAME; files in $T/NAME
#   dl_menu_start NAME [ARGS...]    the same with the real domuloader: JSON
#                                   result in $D/res.json, payload in $D/out
#   jres KEY, expect_jres KEY VALUE a member of that result (jq -r)
#   screen                          the pane as text;  screen_e: with attributes
#   wait_screen TEXT                until the pane shows TEXT (fixed string)
#   wait_raw                        until the demo has put the tty in raw mode
#   keys KEY...                     tmux send-keys;  text TEXT: literal text
#   wait_done [STATUS]              until the demo exited (with STATUS, 0 and
#                                   nothing on stderr by default); the tty modes,
#                                   its file flags and the cursor are as before
#   res KEY, expect_res KEY VALUE   a value of the result (all lines for initrd)
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (scripts/deps.sh test)"
DEMO=$DL_BUILD/tests/lib/dl_menu_demo
[ -x "$DEMO" ] || fail "$DEMO is not built (make tests)"
TMUX_SOCK=$T/tmux.sock
tm() { tmux -S "$TMUX_SOCK" "$@"; }
trap 'tmux -S "$TMUX_SOCK" kill-server 2>/dev/null' EXIT
unset TMUX

# Bounded waits: a hang fails the test, nothing asserts how long things take.
poll() { # TRIES COMMAND...: run COMMAND every 0.1 s until it succeeds
	local n=$1; shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

menu_start() {
	S=$1; shift
	D=$T/$S
	mkdir -p "$D"
	local q= a run="TERM=vt100 '$DEMO' --pidfile=pid" tail=res
	if [ -n "${MENU_DL:-}" ]; then
		run="TERM=vt100 sh -c 'echo \$\$ >pid; exec \"\$0\" \"\$@\"' '$DL' --output-format=json --output=res.json --output-directory='$D/out'"
		tail=
	fi
	for a in "$@"; do q="$q '$a'"; done
	cat >"$D/run.sh" <<EOF
cd '$D'
stty -g >before
stty -a | sed 1d >before.a   # not the size: a test resizes
mkdir -p out
grep ^flags /proc/self/fdinfo/0 >flags.before
tmux -S '$TMUX_SOCK' display -p -t '$S' '#{cursor_flag}' >cursor.before
echo MARKER-BEFORE-MENU
( $run$q $tail ) 2>err
echo \$? >rc.tmp
stty -g >after
stty -a | sed 1d >after.a
grep ^flags /proc/self/fdinfo/0 >flags.after
mv rc.tmp rc
exec sleep 600
EOF
	tm new-session -d -s "$S" -x "${MENU_COLS:-80}" -y "${MENU_ROWS:-24}" "sh '$D/run.sh'"
}

screen() { tm capture-pane -p -t "$S"; }
screen_e() { tm capture-pane -p -e -t "$S"; }
_shows() { screen | grep -qF -- "$1"; }
wait_screen() {
	poll 200 _shows "$1" || { screen >&2; fail "$S: the screen never showed [$1]"; }
}
_raw() {
	local tty
	tty=$(tm display -p -t "$S" '#{pane_tty}') && stty -a <"$tty" 2>/dev/null | grep -q -- '-icanon'
}
wait_raw() { poll 200 _raw || fail "$S: the terminal never went to raw mode"; }
keys() { tm send-keys -t "$S" "$@"; }
text() { tm send-keys -t "$S" -l "$1"; }

wait_done() { # [STATUS]: the exit status expected, 0 by default (then silently)
	poll 300 test -f "$D/rc" || { screen >&2; fail "$S: the menu did not exit"; }
	expect_eq "$(cat "$D/rc")" "${1:-0}" "$S: exit status"
	[ -n "${1:-}" ] || [ ! -s "$D/err" ] || { cat "$D/err" >&2; fail "$S: printed on stderr"; }
	cmp -s "$D/before" "$D/after" ||
		fail "$S: terminal modes changed: [$(cat "$D/before")] -> [$(cat "$D/after")]"
	cmp -s "$D/before.a" "$D/after.a" ||
		fail "$S: stty -a changed: $(diff "$D/before.a" "$D/after.a" | tr '\n' ' ')"
	cmp -s "$D/flags.before" "$D/flags.after" ||
		fail "$S: tty file flags changed: $(cat "$D/flags.before") -> $(cat "$D/flags.after")"
	local cur
	cur=$(tm display -p -t "$S" '#{cursor_flag}')
	expect_eq "$cur" "$(cat "$D/cursor.before")" "$S: cursor visible after the menu"
}

res() { sed -n "s/^$1=//p" "$D/res"; }
dl_menu_start() { MENU_DL=1 menu_start "$@"; }
jres() { jq -r ".$1" "$D/res.json"; }
expect_jres() { # KEY VALUE
	[ -s "$D/res.json" ] || fail "$S: no result file"
	expect_eq "$(jres "$1")" "$2" "$S: $1"
}
expect_res() { # KEY VALUE
	[ -f "$D/res" ] || fail "$S: no result file"
	expect_eq "$(res "$1")" "$2" "$S: $1"
}
