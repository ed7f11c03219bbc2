#!/bin/bash
# Fetches the Debian packages the VM and Xen tests boot (a real kernel and its
# modules, static busybox, Xen 4.17 and its user space) with `apt-get download`
# and unpacks them with `dpkg -x` into a cache; nothing is installed on the host.
# A fast no-op when the cache is complete.  Prints the cache directory.
#
# Usage: scripts/fetch-debs.sh            (prints DIR)
# Cache: $DL_DEBS, else /var/cache/domuloader-test when writable, else
#        build/debs in the source tree.  Layout:
#   DIR/debs/*.deb     the downloaded packages
#   DIR/root/          all of them unpacked (boot/, lib/modules/, usr/...)
#   DIR/env            shell variables: KVER VMLINUZ XEN MODDIR ROOT
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
stamp_version=4

pkgs="busybox-static xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common
 xenstore-utils libxenmisc4.17 libxenstore4 libxentoollog1 libxencall1 libxenevtchn1
 libxenforeignmemory1 libxengnttab1 libxendevicemodel1 libxenhypfs1 libxentoolcore1
 libyajl2"

pick_dir() {
	if [ -n "${DL_DEBS:-}" ]; then
		echo "$DL_DEBS"; return
	fi
	local d=/var/cache/domuloader-test
	if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then
		echo "$d"; return
	fi
	echo "$top/build/debs"
}
dir=$(pick_dir)
mkdir -p "$dir"

want="v$stamp_version $(echo $pkgs)"
if [ -f "$dir/stamp" ] && [ "$(head -1 "$dir/stamp")" = "$want" ] && [ -f "$dir/env" ]; then
	echo "$dir"
	exit 0
fi

exec 9>"$dir/.lock"
flock 9
# Another run may have finished while we waited.
if [ -f "$dir/stamp" ] && [ "$(head -1 "$dir/stamp")" = "$want" ] && [ -f "$dir/env" ]; then
	echo "$dir"
	exit 0
fi

echo "fetch-debs: downloading into $dir" >&2
# The real kernel package behind the linux-image-amd64 metapackage.
kpkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1
}
kernel=$(kpkg)
if [ -z "$kernel" ]; then
	apt-get update -qq >&2 || true
	kernel=$(kpkg)
fi
[ -n "$kernel" ] || { echo "fetch-debs: cannot resolve linux-image-amd64 (apt-get update?)" >&2; exit 1; }

rm -rf "$dir/debs.new" "$dir/root.new"
mkdir -p "$dir/debs.new" "$dir/root.new"
# apt-get download writes into the current directory; as root it warns that
# _apt cannot write there, which is harmless.
if ! (cd "$dir/debs.new" && apt-get download -q $kernel $pkgs >/dev/null 2>"$dir/debs.new/.log"); then
	apt-get update -qq >&2 || true
	(cd "$dir/debs.new" && apt-get download -q $kernel $pkgs >/dev/null 2>"$dir/debs.new/.log") || {
		cat "$dir/debs.new/.log" >&2
		echo "fetch-debs: apt-get download failed" >&2
		exit 1
	}
fi
rm -f "$dir/debs.new/.log"
for d in "$dir"/debs.new/*.deb; do
	dpkg -x "$d" "$dir/root.new"
done

root=$dir/root
kver=${kernel#linux-image-}
[ -f "$dir/root.new/boot/vmlinuz-$kver" ] || { echo "fetch-debs: no vmlinuz-$kver in $kernel" >&2; exit 1; }
# modules.dep for the harness's dependency closure (busybox's depmod: the
# host may have no kmod).
"$dir/root.new/bin/busybox" depmod -b "$dir/root.new" "$kver"
# QEMU's multiboot loader wants an uncompressed ELF hypervisor.
gzip -dc "$dir/root.new/boot/xen-4.17-amd64.gz" > "$dir/root.new/boot/xen-4.17-amd64"

rm -rf "$dir/debs" "$dir/root"
mv "$dir/debs.new" "$dir/debs"
mv "$dir/root.new" "$dir/root"
cat > "$dir/env" <<EOF
ROOT=$root
KVER=$kver
VMLINUZ=$root/boot/vmlinuz-$kver
MODDIR=$root/lib/modules/$kver
XEN=$root/boot/xen-4.17-amd64
BUSYBOX=$root/bin/busybox
EOF
{ echo "$want"; ls "$dir/debs"; } > "$dir/stamp"
echo "$dir"
