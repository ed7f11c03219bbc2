# The Xen test bed (issue 7), sourced by tests/xen/*.sh after
# tests/lib/functions.sh.  One Xen boot runs every scenario (dom0-run); the
# first test of a run pays for it, the others read its log.
#   bed_run               boot Xen once per test run (cached in $DL_SCRATCH)
#   bed_section sN        the scenario's log lines
#   bed_result sN         "pass|fail|skip: reason"
#   bed_check sN          print the section; exit 0/77/1 on pass/skip/fail
. "$DL_TOP/tests/vm/lib/common.sh"
XENLIB=$DL_TOP/tests/xen/lib
BED_SCENARIOS=${BED_SCENARIOS:-s1 s0 s2 s3 s4 s5 s6 s7 s8 s8key s8plain}
# qemu64 with SVM and nested paging: QEMU's TCG emulates both, so Xen gets
# HVM with HAP (Debian's Xen has no shadow paging) and PVH guests run; PV
# guests also start about 4x faster than with Haswell-noTSX under TCG.
BED_CPU=${BED_CPU:-qemu64,+svm,+npt}
if [ "$DL_SCRATCH" = /tmp ] || [ -z "$DL_SCRATCH" ]; then
	BEDDIR=$T/xenbed        # run on its own: no sharing
else
	BEDDIR=$DL_SCRATCH/xenbed
fi

# glibc dlopens libgcc_s for pthread_cancel (xl uses it); ldd cannot see that.
_bed_libgcc() {
	local l
	for l in /lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libgcc_s.so.1; do
		[ -f "$l" ] && { echo "$l:$l"; return; }
	done
	fail "libgcc_s.so.1 not found on the host"
}

# The libraries domuloader loads on first use (src/dlib.c: libdevmapper
# for --mount, libxml2 for libvirt XML): ldd of the binary cannot see them.
_bed_dlopened() {
	local so path
	for so in $(grep -o '\.soname = "[^"]*"' "$DL_TOP/src/dlib.c" | cut -d'"' -f2); do
		path=$(ldconfig -p | awk -v s="$so" '$1 == s && /x86-64/ { print $NF; exit }')
		[ -n "$path" ] || fail "$so (loaded by domuloader on first use) not found on the host"
		echo "--file"; echo "$path:$path"
	done
}

bed_run() {
	mkdir -p "$BEDDIR"
	exec 8>"$BEDDIR/.lock"
	flock 8
	if [ -f "$BEDDIR/done" ]; then
		flock -u 8
		return 0
	fi
	vm_need_qemu
	local b=$BEDDIR/files tok=$$-$RANDOM rc=0 start
	rm -rf "$b"
	mkdir -p "$b/bed"
	echo "root=/dev/xvda2 ro quiet dltest=entry0-$tok" > "$b/bed/args0"
	echo "root=/dev/xvda2 ro quiet dltest=entry1-$tok" > "$b/bed/args1"
	echo "dltest=static-$tok" > "$b/bed/static-args"
	echo "$BED_SCENARIOS" > "$b/bed/scenarios"
	vm_guest_image gpt "$b/gpt.img" "$(cat "$b/bed/args0")" "$(cat "$b/bed/args1")"
	vm_guest_image nokernel "$b/nokernel.img" x y
	# The menu scenarios (s8*): the gpt guest with a 3 s grub.cfg timeout,
	# and a static pty driver for `xl create -c` (dom0 has no script(1)).
	GUEST_GRUB_TIMEOUT=3 vm_guest_image gpt "$b/menu.img" "$(cat "$b/bed/args0")" "$(cat "$b/bed/args1")"
	${CC:-cc} -static -Os -o "$b/bed/ptydrive" "$XENLIB/ptydrive.c" || fail "cannot build ptydrive"
	cp "$VMLINUZ" "$b/bed/vmlinuz"
	cp "$T/marker-initrd.img" "$b/bed/initrd.img"
	local files=(
		--file "$ROOT/usr/lib/xen-4.17:/usr/lib/xen-4.17"
		--file "$ROOT/etc/xen:/etc/xen"
		# Xen's hotplug scripts are bash and need flock(1); coreutils'
		# stat(1) for their lock check, as on a real dom0.
		--file /bin/bash:/bin/bash
		--file /usr/bin/flock:/usr/bin/flock
		--file "$(command -v stat):/usr/bin/stat"
		--file "$(_bed_libgcc)"
		$(_bed_dlopened)
		--file "$XENLIB/static-bl:/test/static-bl"
		--file "$b/bed:/test/bed"
	)
	local x
	for x in "$ROOT"/usr/bin/xenstore*; do
		[ -L "$x" ] && continue
		files+=(--file "$x:/usr/bin/$(basename "$x")")
	done
	if [ -x "$DL" ]; then
		files+=(--file "$DL:/usr/local/lib/xen/bin/domuloader")
	else
		echo "bed: $DL is not built; the domuloader scenarios will fail" >&2
	fi
	start=$(date +%s)
	PYGRUB_PROBE_IMAGE=$b/gpt.img ROOT=$ROOT KVER=$KVER MODDIR=$MODDIR BUSYBOX=$BUSYBOX \
	bash "$DL_TOP/tests/vm/lib/run-in-vm.sh" --xen "$XEN" --timeout "${BED_TIMEOUT:-1500}" \
		${BED_CPU:+--cpu "$BED_CPU"} \
		--script "$XENLIB/dom0-run" "${files[@]}" \
		--tree-hook "$XENLIB/add-python" \
		--disk "$b/gpt.img" --disk "$b/nokernel.img" --disk "$b/menu.img" \
		--module xen-evtchn --module xen-gntdev --module xen-gntalloc --module xen-privcmd \
		--module xenfs --module xen-blkback \
		--module crc32c_generic --module loop --module dm-mod --module ext4 \
		--log "$BEDDIR/serial.log" > "$BEDDIR/out.log" 2> "$BEDDIR/err.log" || rc=$?
	echo "bed: Xen boot with all scenarios took $(( $(date +%s) - start )) s (status $rc)" >> "$BEDDIR/err.log"
	echo "$rc" > "$BEDDIR/done"
	flock -u 8
}

bed_section() {
	sed -n "/^@@BEGIN $1\$/,/^@@END $1\$/p" "$BEDDIR/out.log" | sed '1d;$d'
}
bed_result() {
	sed -n "s/^@@RESULT $1 //p" "$BEDDIR/out.log" | tail -1
}

bed_check() {
	local s=$1 r
	bed_run
	grep '^@@INFO' "$BEDDIR/out.log" | sed 's/^@@INFO /bed: /'
	grep -h '^bed:\|^run-in-vm:' "$BEDDIR/err.log"
	bed_section "$s"
	r=$(bed_result "$s")
	if [ -z "$r" ]; then
		grep '^@@FATAL' "$BEDDIR/out.log"
		tail -30 "$BEDDIR/err.log"
		fail "scenario $s produced no result (Xen bed failed)"
	fi
	echo "result: $r"
	case $r in
	pass:*) return 0 ;;
	skip:*) echo "skipped: ${r#skip: }"; exit 77 ;;
	*) fail "scenario $s: ${r#fail: }" ;;
	esac
}
