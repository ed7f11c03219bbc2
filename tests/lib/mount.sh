# Sourced by the --mount cases: what a run may leave behind.
# need_kmount: root, loop devices, a kernel that mounts ext4.
need_kmount() {
	[ "$(id -u)" = 0 ] || skip "--mount needs root"
	[ -e /dev/loop-control ] || skip "no loop devices"
	losetup -f >/dev/null 2>&1 || skip "no free loop device"
	# a chroot's "/" is no mount point: its mounts cannot be made private,
	# and --mount refuses (the VM stage runs the mode on a real root)
	unshare -m sh -c 'mount --make-rprivate /' 2>/dev/null ||
		skip "no private mount namespace here (\"/\" is not a mount point: a chroot?)"
}
have_dm() { grep -qw device-mapper /proc/misc; }
# expect_clean IMAGE [PID]: no loop device on IMAGE, no mount, map or run
# directory left by PID (cases run in parallel: other runs' are theirs).
expect_clean() {
	local img=$1 pid=${2:-} d p
	[ -z "$(losetup -j "$img")" ] || fail "loop device left on $img: $(losetup -j "$img")"
	for d in $(compgen -G "/run/domuloader-*-*"; compgen -G "/tmp/domuloader-*-*"); do
		p=${d#*/domuloader-}; p=${p%%-*}
		[ "$p" = "$pid" ] && fail "directory left: $d"
	done
	! grep -q "domuloader-$pid" /proc/mounts || fail "mount left: $(grep "domuloader-$pid" /proc/mounts)"
	if have_dm && command -v dmsetup >/dev/null; then
		! dmsetup ls 2>/dev/null | grep -q "domuloader-$pid" || fail "map left: $(dmsetup ls | grep "domuloader-$pid")"
	fi
	return 0
}
# same_as_default IMAGE WHAT [OPTIONS...]: the default mode and --mount
# give the same listing, the same result and the same bytes.
same_as_default() {
	local img=$1 what=$2; shift 2
	dl_run -l "$@" "$img"
	expect_rc 0 "$what: -l"
	cp "$T/out" "$T/l.default"
	dl_run -l --mount "$@" "$img"
	expect_rc 0 "$what: -l --mount"
	cmp -s "$T/l.default" "$T/out" || { diff "$T/l.default" "$T/out" >&2; fail "$what: -l differs with --mount"; }
	rm -rf "$T/d" "$T/m"
	extract "$T/d" --output-format=simple "$@" "$img"
	expect_rc 0 "$what: default mode"
	local k=$KFILE r=$RFILE
	sed "s#$T/d/##g" "$T/out" > "$T/r.default"
	extract "$T/m" --output-format=simple --mount "$@" "$img"
	expect_rc 0 "$what: --mount"
	[ -s "$T/err" ] && { cat "$T/err" >&2; fail "$what: --mount wrote on stderr"; }
	sed "s#$T/m/##g" "$T/out" | sed 's/boot_kernel\.[^ ]*/K/; s/boot_ramdisk\.[^ ]*/R/' > "$T/r.mount"
	sed -i 's/boot_kernel\.[^ ]*/K/; s/boot_ramdisk\.[^ ]*/R/' "$T/r.default"
	cmp -s "$T/r.default" "$T/r.mount" || { diff "$T/r.default" "$T/r.mount" >&2; fail "$what: result differs"; }
	expect_cmp "$KFILE" "$k"
	[ -z "$r" ] || expect_cmp "$RFILE" "$r"
	expect_clean "$img"
	# -v names the run directory: its pid's leftovers, if any
	dl_run -v -n --mount "$@" "$img"
	local pid; pid=$(sed -n 's#.*mounted .* on /[a-z]*/domuloader-\([0-9]*\)-.*#\1#p' "$T/err" | head -1)
	[ -n "$pid" ] || { cat "$T/err" >&2; fail "$what: -v did not say where it mounted"; }
	expect_clean "$img" "$pid"
}
