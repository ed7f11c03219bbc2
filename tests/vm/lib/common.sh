# Sourced by tests/vm/*.sh and tests/xen/*.sh after tests/lib/functions.sh.
# Provides: VMLIB (this directory), the fetch-debs cache variables (ROOT KVER
# VMLINUZ MODDIR XEN BUSYBOX), and
#   vm_need_qemu                 skip (77) without qemu-system-x86_64
#   vm_marker_initrd OUT         a cpio initrd whose /init is marker-init.c
#   vm_guest_image LAYOUT OUT A0 A1   tests/vm/lib/guest-image.sh with the real kernel
#   DL_GUEST_MARKER              the line the marker init prints
VMLIB=$DL_TOP/tests/vm/lib
DL_GUEST_MARKER="domuloader-test-guest: init running"

vm_need_qemu() {
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (scripts/deps.sh vm)"
}

_vm_cache=$("$DL_TOP/scripts/fetch-debs.sh") || fail "scripts/fetch-debs.sh failed"
# shellcheck disable=SC1091
. "$_vm_cache/env"

vm_marker_initrd() {
	local out=$1 d
	d=$(mktemp -d "$T/markerinit.XXXXXX")
	${CC:-cc} -static -Os -o "$d/init" "$VMLIB/marker-init.c" || fail "cannot build a static marker init"
	(cd "$d" && echo init | cpio -o -H newc --quiet) > "$out" || fail "cpio failed"
}

vm_guest_image() {
	local layout=$1 out=$2 a0=$3 a1=$4
	[ -f "$T/marker-initrd.img" ] || vm_marker_initrd "$T/marker-initrd.img"
	bash "$VMLIB/guest-image.sh" "$layout" "$out" "$VMLINUZ" "$T/marker-initrd.img" "$KVER" "$a0" "$a1" ||
		fail "guest image $layout failed"
}

# vm_boot_kernel KERNEL INITRD ARGS LOG [TIMEOUT]: boots KERNEL directly under
# QEMU (console ttyS0 + ARGS); the serial log (\r stripped) goes to LOG.
vm_boot_kernel() {
	local k=$1 r=$2 args=$3 log=$4 to=${5:-90} rc=0
	timeout -k 5 "$to" qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot \
		-accel tcg -machine pc -m 256 -serial "file:$log.raw" -monitor none \
		-kernel "$k" -initrd "$r" -append "console=ttyS0 $args" </dev/null >"$log.qemu" 2>&1 || rc=$?
	tr -d '\r' < "$log.raw" > "$log"
	return $rc
}
