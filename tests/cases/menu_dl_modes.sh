# When the real domuloader shows its boot menu, and how it leaves:
# -q and --entry never show it on a terminal (-i after -q does); a resize
# mid-menu redraws it; --no-sandbox goes through the same calls in one
# process; SIGTERM (libxl's when the domain dies) restores the terminal
# and leaves no payload file; on a pty nobody reads, its buffer full
# before the start (libxl's console with nobody attached), the default
# boots after the timeout.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
img=$(mkimg gpt-sepboot)
src=$img.files

no_menu() { # the pane shows nothing but what was there before
	[ "$(screen | grep -c .)" = 1 ] || { screen >&2; fail "$S: the menu was shown"; }
}
dl_menu_start quiet -q "$img"
wait_done
no_menu
expect_jres index 0
dl_menu_start entry --entry=2 "$img"
wait_done
no_menu
expect_jres index 2
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-1"
# the last of -q and -i wins, as in pygrub
dl_menu_start forced -q -i "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys Enter
wait_done
expect_jres index 0

# A resize mid-menu redraws at the new size; the countdown goes on.
dl_menu_start resize "$img"
wait_raw
wait_screen "Will boot selected entry in"
tm resize-window -t "$S" -x 120 -y 40
_big() { screen | sed -n 40p | grep -qF "Will boot selected entry in"; }
poll 200 _big || { screen >&2; fail "no redraw at 120x40"; }
tm resize-window -t "$S" -x 50 -y 12
_small() { screen | sed -n 12p | grep -qF "Will boot selected entry in"; }
poll 200 _small || { screen >&2; fail "no redraw at 50x12"; }
keys Down Enter Enter
wait_done
expect_jres index 1

# --no-sandbox: the same menu, the same answer (its warning on stderr).
dl_menu_start nosandbox --no-sandbox "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys a End
text " init=/bin/sh"
keys Enter
wait_done 0
grep -q "no-sandbox" "$D/err" || fail "nosandbox: no warning"
expect_jres args "root=/dev/xvda2 ro quiet init=/bin/sh"

# SIGTERM during the menu: the terminal restored, no result, no file.
dl_menu_start term "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys Down
wait_screen "* Advanced options"
kill -TERM "$(cat "$D/pid")"
wait_done 143
[ ! -s "$D/res.json" ] || fail "SIGTERM: a result was written"
expect_empty_dir "$D/out"

# Nobody reads the pty, whose buffer is full before the menu starts.
python3 - "$DL" "$img" "$T/unattended" <<'PY' || fail "unattended: the default did not boot"
import fcntl, os, pty, subprocess, sys
dl, img, d = sys.argv[1:]
os.makedirs(d + "/out")
m, s = pty.openpty()
fl = fcntl.fcntl(s, fcntl.F_GETFL)
fcntl.fcntl(s, fcntl.F_SETFL, fl | os.O_NONBLOCK)
n = 0
try:
    while True:
        n += os.write(s, b"x" * 512)
except BlockingIOError:
    pass
fcntl.fcntl(s, fcntl.F_SETFL, fl)
assert n > 0, "the pty was not filled"
with open(d + "/err", "wb") as err:
    p = subprocess.Popen([dl, "--output-format=json", "--output=" + d + "/res.json",
                          "--output-directory=" + d + "/out", img],
                         stdin=s, stdout=s, stderr=err, env=dict(os.environ, TERM="vt100"))
    try:
        rc = p.wait(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit("the menu blocked on the pty nobody reads")
sys.exit(rc)
PY
D=$T/unattended
[ ! -s "$D/err" ] || { cat "$D/err" >&2; fail "unattended: printed on stderr"; }
expect_jres index 0
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-2"
exit 0
