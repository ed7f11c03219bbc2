#!/bin/sh
# Installs the Debian 12 packages domuloader needs to build and test.
# A fast no-op when everything is present.
# Usage: scripts/deps.sh [build|test|vm|all]      install what is missing (root)
#        scripts/deps.sh --list [build|test|vm|all] print what is missing
set -e
build="gcc make pkg-config clang libclang-rt-14-dev libblkid-dev libfdisk-dev libext2fs-dev
 libcmocka-dev libseccomp-dev libxml2-dev zlib1g-dev libdeflate-dev libzstd-dev
 liblzma-dev liblz4-dev liblzo2-dev libbz2-dev libdevmapper-dev"
test="e2fsprogs fdisk xfsprogs btrfs-progs dosfstools mtools xorriso lvm2 qemu-utils cpio
 valgrind busybox-static tmux xz-utils bzip2 lz4 lzop zstd binutils grub-common
 dmsetup squashfs-tools f2fs-tools mandoc jq"
vm="qemu-system-x86 python3 ncurses-base libncurses6 libc6-dev"
list=
[ "${1:-}" = --list ] && { list=1; shift; }
case "${1:-all}" in
build) want="$build" ;;
test) want="$build $test" ;;
*) want="$build $test $vm" ;;
esac
missing=
for p in $want; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
if [ -n "$list" ]; then
	echo $missing
	exit 0
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "domuloader: missing Debian packages:$missing (run scripts/deps.sh as root)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends $missing >&2
