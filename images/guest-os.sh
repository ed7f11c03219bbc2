#!/bin/bash
# A guest for domuloader ls/cat and the OS summary: GPT, partition 1 a
# separate /boot (ext4) with a grub.cfg and an ELF kernel of the given
# machine, partition 2 the root (ext4) with /etc/fstab, the release file
# of the given kind, a symlink, and file names with control bytes.
# Usage: guest-os.sh OUT [osrelease|debian|redhat|suse|none] [x86_64|aarch64|i386]
. "$(dirname "$0")/lib.sh"
out=$1 kind=${2:-osrelease} arch=${3:-x86_64}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-2
# the kernel: an ELF header (class, e_machine) in front of identifiable bytes
case $arch in x86_64) cls=2 mach=62 ;; aarch64) cls=2 mach=183 ;; i386) cls=1 mach=3 ;; esac
python3 - "$w/boot/vmlinuz-6.1.0-2" "$cls" "$mach" <<'PY'
import struct, sys
path, cls, mach = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = open(path, 'rb').read()
if cls == 2:
    hdr = b'\x7fELF' + bytes([2, 1, 1]) + bytes(9) + struct.pack('<HHIQQQIHHHHHH', 2, mach, 1,
          0x1000000, 0, 0, 0, 64, 56, 0, 64, 0, 0)
else:
    hdr = b'\x7fELF' + bytes([1, 1, 1]) + bytes(9) + struct.pack('<HHIIIIIHHHHHH', 2, mach, 1,
          0x100000, 0, 0, 0, 52, 32, 0, 40, 0, 0)
open(path, 'wb').write(hdr + body[len(hdr):])
PY
grub2_cfg "$w/boot/grub/grub.cfg" ""
sed -i '/submenu/,$d' "$w/boot/grub/grub.cfg"
root_tree "$w/root"
mkdir -p "$w/root/usr/lib" "$w/root/etc/default" "$w/root/lib"
case $kind in
osrelease)
	cat > "$w/root/usr/lib/os-release" <<'OS'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
OS
	ln -s ../usr/lib/os-release "$w/root/etc/os-release" ;;
debian) echo "11.9" > "$w/root/etc/debian_version" ;;
redhat) echo "CentOS release 6.10 (Final)" > "$w/root/etc/redhat-release" ;;
suse) printf '%s\n' "SUSE Linux Enterprise Server 11 (x86_64)" "VERSION = 11" "PATCHLEVEL = 4" \
	> "$w/root/etc/SuSE-release" ;;
none) ;;
esac
echo 'GRUB_CMDLINE_LINUX="console=hvc0"' > "$w/root/etc/default/grub"
ln -s usr/lib "$w/root/lib64"
ln -s /nonexistent "$w/root/etc/dangling"
printf 'hostile\n' > "$w/root/etc/$(printf 'evil\033]0;owned\007name')"
printf 'newline\n' > "$w/root/etc/$(printf 'two\nlines')"
chmod 4750 "$w/root/sbin"
gpt_boot_root "$out" "$w/boot" "$w/root"
keep_files "$out" "$w/root"
