#!/bin/bash
# Regenerates the seed corpus of fuzz_extwalk: small (64 KiB) ext images
# with the paths the harness looks for.  Nearly deterministic (fixed UUID, hash
# seed; inode ctimes still vary with mke2fs 1.47.0).  Usage: tests/fuzz/gen_ext_corpus.sh [OUTDIR]
set -eu
out=${1:-$(dirname "$0")/corpus/extwalk}
export PATH=$PATH:/sbin:/usr/sbin E2FSPROGS_FAKE_TIME=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
s=$tmp/stage
mkdir -p "$s/boot/grub" "$s/boot/x" "$s/etc"
printf 'set default=0\nmenuentry "Debian" {\n linux /vmlinuz root=/dev/xvda1\n initrd /boot/initrd\n}\n' >"$s/boot/grub/grub.cfg"
head -c 14000 /dev/zero | tr '\0' 'K' >"$s/boot/vmlinuz-1"   # > 12 blocks: indirect on ext2
printf 'INITRD' >"$s/boot/initrd"
printf 'y\n' >"$s/boot/y"
printf 'guest:x:0:0::/:/bin/sh\n' >"$s/etc/passwd"
ln -s boot/vmlinuz-1 "$s/vmlinuz"
ln -s /etc/passwd "$s/boot/vmlinuz"
ln -s link2 "$s/link1"
ln -s /boot/../link3 "$s/link2"
ln -s boot/y "$s/link3"
ln -s "/boot/x/../x/../x/../x/../x/../x/../x/../x/../x/../x/../x/../../boot/vmlinuz-1" "$s/boot/longlink"
printf 'start' >"$s/sparse"
dd if=/dev/zero of="$s/sparse" bs=1 count=0 seek=9000 status=none
printf 'end' >>"$s/sparse"
find "$s" -depth -exec touch -h -d @1700000000 {} +
mkdir -p "$out"
common="-q -F -b 1024 -N 32 -m 0 -U 6a3e7f1c-52d5-4a0e-9d36-3c1d2b4c5e6f -E hash_seed=6a3e7f1c-52d5-4a0e-9d36-3c1d2b4c5e6f"
mk() { # NAME MKE2FS-ARGS
	local n=$1; shift
	rm -f "$out/$n"; truncate -s 64K "$out/$n"
	mke2fs $common "$@" -d "$s" "$out/$n" 64K >/dev/null
}
mk ext2 -t ext2 -O ^resize_inode
mk ext4-extents -t ext4 -O extents,^has_journal,^resize_inode,metadata_csum,64bit -I 256
mk ext4-inline -t ext4 -O extents,^has_journal,^resize_inode,inline_data -I 256
mk ext4-nocsum -t ext4 -O extents,^has_journal,^resize_inode,^metadata_csum,dir_index -I 128

# Hostile variants (security.md §2.6): an inline-data symlink with i_size 0,
# a slow symlink longer than a block, an inline file overstating its size.
cp "$out/ext4-inline" "$out/ext4-inline-evil"
debugfs -w -f - "$out/ext4-inline-evil" >/dev/null 2>&1 <<'CMDS'
sif /boot/longlink size 0
sif /link3 flags 0x10000000
sif /link3 size 100
sif /boot/y size 1000
CMDS
cp "$out/ext2" "$out/ext2-evil"
debugfs -w -f - "$out/ext2-evil" >/dev/null 2>&1 <<'CMDS'
sif /boot/longlink size 3000
sif /vmlinuz size 70
CMDS
ls -l "$out"
