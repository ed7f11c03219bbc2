# --mount tears down on signals, and --cleanup-stale clears what a run
# killed with SIGKILL left: the run is stopped right after it mounted a
# volume (tests/lib/preload_mountstop.c), then killed.  --cleanup-stale
# touches nothing of a live run.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/mount.sh"
need_kmount
PRELOAD=$DL_BUILD/tests/lib/preload_mountstop.so
[ -f "$PRELOAD" ] || fail "$PRELOAD not built"
img=$(mkimg gpt-sepboot)
# start_stopped: a --mount run, stopped once it holds a mount; sets PID.
start_stopped() {
	DL_TEST_MOUNTSTOP=1 LD_PRELOAD=$PRELOAD ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$DL" -q -n --mount "$img" >"$T/out" 2>"$T/err" &
	PID=$!
	local i
	for i in $(seq 1 600); do
		[ "$(awk '{print $3}' /proc/$PID/stat 2>/dev/null)" = T ] && return 0
		sleep 0.1
	done
	kill -KILL $PID
	fail "the run never stopped after mounting"
}
PID=
trap '[ -n "$PID" ] && kill -KILL $PID 2>/dev/null' EXIT
has_rundir() { compgen -G "/run/domuloader-$1-*" >/dev/null || compgen -G "/tmp/domuloader-$1-*" >/dev/null; }
# The run holds a loop device on the image while stopped.
start_stopped
[ -n "$(losetup -j "$img")" ] || fail "no loop device while the run is stopped"
has_rundir $PID || fail "no run directory"
# SIGTERM: the run tears down and dies of the signal.
kill -TERM $PID
kill -CONT $PID
RC=0; wait $PID || RC=$?
expect_eq "$RC" 143 "exit status after SIGTERM"
expect_clean "$img" "$PID"
# SIGKILL: what is left, --cleanup-stale removes.
start_stopped
keep=/run/domuloader-$$-live
mkdir -p "$keep"     # a live pid's: never touched
kill -KILL $PID
wait $PID 2>/dev/null || true
has_rundir $PID || fail "SIGKILL left no run directory (nothing to clean up?)"
dl_run --cleanup-stale -v
expect_rc 0 "--cleanup-stale"
expect_err_grep "removed /.*/domuloader-$PID-"
[ -d "$keep" ] || fail "--cleanup-stale removed a live run's directory"
rmdir "$keep"
expect_clean "$img" "$PID"
# Nothing stale: nothing to do, nothing said.
dl_run --cleanup-stale
expect_rc 0 "--cleanup-stale again"
[ -s "$T/err" ] && fail "--cleanup-stale with nothing stale wrote on stderr"
exit 0
