# What the invoking process leaves in the signal state must not break a run:
# with SIGCHLD ignored (the kernel then reaps children at once, so the
# parser's exit could not be collected) and with every signal blocked,
# an extraction still succeeds, sandboxed and not, well inside --timeout.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot)
F=$img.files
# got_kernel: the default entry's kernel and initrd came out, byte for byte
got_kernel() {
	expect_rc 0 "$1"
	cmp -s "$(find "$T/o" -name 'boot_kernel.*')" "$F/boot/vmlinuz-6.1.0-2" || fail "$1: kernel differs"
	cmp -s "$(find "$T/o" -name 'boot_ramdisk.*')" "$F/boot/initrd.img-6.1.0-2" || fail "$1: initrd differs"
}
# with_signals MODE ARGS...: domuloader exec'd by perl with SIGCHLD ignored
# (ign) or all signals blocked (block); a hang shows as 124.
with_signals() {
	local mode=$1 setup
	shift
	case $mode in
	ign) setup='$SIG{CHLD} = "IGNORE";' ;;
	block) setup='use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(1 .. 31));' ;;
	esac
	rm -rf "$T/o"; mkdir -p "$T/o"
	RC=0
	timeout -k 5 60 perl -e "$setup"' exec @ARGV or die' \
		"$DL" -q --output-directory="$T/o" --timeout=20 "$@" >"$T/out" 2>"$T/err" || RC=$?
	[ "$RC" != 124 ] && [ "$RC" != 137 ] || fail "domuloader hung ($mode, $*)"
}
for mode in ign block; do
	for sb in "" --no-sandbox; do
		with_signals $mode $sb "$img"
		got_kernel "signals $mode ${sb:-sandboxed}"
		[ -n "$sb" ] || [ ! -s "$T/err" ] || fail "signals $mode: stderr not empty: $(head -1 "$T/err")"
	done
done
exit 0
