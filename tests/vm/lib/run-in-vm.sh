#!/bin/bash
# Runs a shell script inside a throw-away QEMU guest (TCG) and returns its
# exit status; the script's output comes back over the serial console.
#
# Usage: tests/vm/lib/run-in-vm.sh --script S [options]
#   --script S              busybox sh script run as root in /test inside the VM
#   --file HOST[:GUEST]     copy a file or directory in (default GUEST: /test/NAME);
#                           ELF files get their shared libraries (ldd)
#   --disk IMG              attach a raw disk (virtio: /dev/vda, /dev/vdb, ... in order)
#   --module NAME           load a kernel module (and its dependencies) before S
#   --timeout N             hard limit in seconds for the whole VM (default 120)
#   --kernel K              kernel to boot (default: the cached Debian vmlinuz)
#   --mem M                 guest memory in MiB (default 512; 2048 with --xen)
#   --append ARGS           extra kernel command-line arguments
#   --xen XEN               boot the Xen hypervisor XEN with the kernel as dom0
#   --xen-append ARGS       Xen's command line (default "console=com1 dom0_mem=512M")
#   --cpu MODEL             QEMU CPU model (default: qemu's; Haswell-noTSX with --xen)
#   --log FILE              keep the full serial log in FILE
#   --tree-hook CMD         run CMD DIR after the tree is assembled (add more files)
# Output: the script's stdout/stderr (kernel messages go to stderr).
# Exit: the script's status; 124 when the VM hit the timeout; 125 when the
# harness or the VM failed before the script reported a status (the end of
# the serial log goes to stderr).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)

script= timeout=120 kernel= mem= append= xen= log= cpu=
xen_append="console=com1 dom0_mem=512M"
files=() disks=() modules=() hooks=()
die() { echo "run-in-vm: $*" >&2; exit 125; }
while [ $# -gt 0 ]; do
	case $1 in
	--script) script=$2; shift ;;
	--file) files+=("$2"); shift ;;
	--disk) disks+=("$2"); shift ;;
	--module) modules+=("$2"); shift ;;
	--timeout) timeout=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--mem) mem=$2; shift ;;
	--append) append="$append $2"; shift ;;
	--xen) xen=$2; shift ;;
	--xen-append) xen_append=$2; shift ;;
	--cpu) cpu=$2; shift ;;
	--log) log=$2; shift ;;
	--tree-hook) hooks+=("$2"); shift ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
[ -n "$script" ] && [ -f "$script" ] || die "--script FILE is required"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (scripts/deps.sh vm)"

cache=$("$top/scripts/fetch-debs.sh") || die "scripts/fetch-debs.sh failed"
# shellcheck disable=SC1091
. "$cache/env"
. "$here/initramfs.sh"
[ -n "$kernel" ] || kernel=$VMLINUZ

work=$(mktemp -d "${DL_SCRATCH:-/tmp}/vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/serial.log
tree=$work/tree

ird_new "$tree"
[ ${#disks[@]} -gt 0 ] && modules=(virtio_pci virtio_blk "${modules[@]}")
[ ${#modules[@]} -gt 0 ] && ird_modules "$tree" "${modules[@]}"
mkdir -p "$tree/test"
cp "$script" "$tree/test/script"
for f in "${files[@]}"; do
	case $f in
	*:*) ird_file "$tree" "${f%%:*}" "${f#*:}" ;;
	*) ird_file "$tree" "$f" "/test/$(basename "$f")" ;;
	esac
done
cat > "$tree/init" <<'EOF'
#!/bin/sh
export PATH=/test:/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
# What udev would add: scripts (Xen's hotplug locking) use /dev/stdin.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
while read -r m; do
	insmod "$m" || echo "dl-vm: insmod $m failed"
done < /etc/dl-modules
cd /test
echo "DLVM-START"
sh /test/script < /dev/null
rc=$?
echo "DLVM-EXIT:$rc"
sync
poweroff -f
sleep 5
EOF
chmod 755 "$tree/init"
for h in "${hooks[@]}"; do
	$h "$tree" || die "tree hook $h failed"
done
ird_pack "$tree" "$work/initrd.cpio"

qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
	-serial "file:$log" -monitor none -accel tcg -smp 1)
for d in "${disks[@]}"; do
	qemu+=(-drive "file=$d,format=raw,if=virtio,cache=unsafe")
done
if [ -n "$xen" ]; then
	# Xen under TCG: other CPU models crash dom0 early (issue 7).
	qemu+=(-machine q35 -cpu "${cpu:-Haswell-noTSX}" -m "${mem:-2048}"
		-kernel "$xen" -append "$xen_append"
		-initrd "$kernel console=hvc0 quiet panic=-1$append,$work/initrd.cpio")
else
	[ -n "$cpu" ] && qemu+=(-cpu "$cpu")
	qemu+=(-machine pc -m "${mem:-512}" -kernel "$kernel" -initrd "$work/initrd.cpio"
		-append "console=ttyS0 quiet panic=-1$append")
fi

start=$(date +%s)
timeout -k 5 "$timeout" "${qemu[@]}" < /dev/null > "$work/qemu.out" 2>&1
qrc=$?
echo "run-in-vm: VM ran $(( $(date +%s) - start )) s" >&2
tr -d '\r' < "$log" > "$work/log"
# The script's output to stdout; kernel messages that interleave it
# ("[   12.345678] ...") to stderr.
sed -n '/^DLVM-START$/,/^DLVM-EXIT:/p' "$work/log" | sed '1d;/^DLVM-EXIT:/d' > "$work/script.out"
grep -E '^\[ *[0-9]+\.[0-9]+\] ' "$work/script.out" >&2
grep -vE '^\[ *[0-9]+\.[0-9]+\] ' "$work/script.out"
rc=$(sed -n 's/^DLVM-EXIT:\([0-9]*\)$/\1/p' "$work/log" | tail -1)
if [ -n "$rc" ]; then
	exit "$rc"
fi
echo "run-in-vm: no exit status from the VM (qemu exit $qrc); end of the serial log:" >&2
tail -40 "$work/log" >&2
cat "$work/qemu.out" >&2
[ "$qrc" = 124 ] || [ "$qrc" = 137 ] && { echo "run-in-vm: timeout after $timeout s" >&2; exit 124; }
exit 125
