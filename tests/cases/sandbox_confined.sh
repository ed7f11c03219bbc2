# Injected code in the parser child (the test-only hook driver, built from
# tests/lib/sandbox_hook.c with the real pipeline, sandbox and payload sink)
# tries to escape once the kernel file is done: each attempt is refused or
# kills the child, the error says which, and the output directory is empty.
# A child killed by SIGKILL or by RLIMIT_CPU ends the same way.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
[ "$(id -u)" = 0 ] || skip "needs root to change uid"
[ -x "$HOOK" ] || fail "$HOOK not built"
img=$(mkimg kernel-only 5.10-hook)
need_extraction "$img" /boot/vmlinuz-5.10-hook
K=/boot/vmlinuz-5.10-hook R=/boot/initrd.img-5.10-hook

hook() { # MODE -> $RC, $T/out, $T/err; outputs in $T/o.MODE
	mkdir -p "$T/o.$1"
	RC=0
	"$HOOK" "$1" "$T/o.$1" "$img" $K $R >"$T/out" 2>"$T/err" || RC=$?
}

# Sanity: the driver extracts correctly when the child behaves.
hook ok
expect_rc 0
expect_cmp "$(cat "$T/out")" "$img.files/vmlinuz-5.10-hook"
rm -f /tmp/dl-escaped

for m in socket execve ptrace write-disk; do
	hook $m
	expect_rc 7 "$m"
	case $m in
	socket) sc="syscall 41, socket" ;;
	execve) sc="syscall 59, execve" ;;
	ptrace) sc="syscall 101, ptrace" ;;
	write-disk) sc="syscall 1, write" ;;
	esac
	expect_err_grep "parser child killed by signal 31 (SIGSYS): seccomp violation ($sc)"
	expect_empty_dir "$T/o.$m"
done
[ -e /tmp/dl-escaped ] && fail "execve ran a command"

# open() fails softly with EACCES; the child reports it and nothing is kept.
hook open
expect_rc 2
expect_err_grep "/etc/passwd: Permission denied"
expect_empty_dir "$T/o.open"

# RLIMIT_CPU (1 s in the driver).
hook spin
expect_rc 7
expect_err_grep "parser child killed by signal 24 (SIGXCPU): exceeded CPU limit of 1 s"
expect_empty_dir "$T/o.spin"

# SIGKILL of the child mid-extraction (it hangs after the kernel file).
mkdir -p "$T/o.hang"
"$HOOK" hang "$T/o.hang" "$img" $K $R >"$T/out" 2>"$T/err" &
drv=$!
child=
for _ in $(seq 100); do
	child=$(cat /proc/$drv/task/$drv/children 2>/dev/null | awk '{print $1}')
	[ -n "$child" ] && ls "$T/o.hang" | grep -q . && break
	sleep 0.05
done
[ -n "$child" ] || fail "no parser child found"
expect_eq "$(awk '/^Uid:/ {print $2, $3, $4, $5}' /proc/$child/status)" "54321 54321 54321 54321" "uids of the parser child"
kill -KILL "$child"
RC=0; wait $drv || RC=$?
expect_rc 7 "child killed"
expect_err_grep "parser child killed by signal 9 (SIGKILL)"
expect_empty_dir "$T/o.hang"
expect_eq "$(dl_procs)" 0 "leftover processes"
exit 0
