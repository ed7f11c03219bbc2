#!/bin/bash
# A bzImage with its payload replaced: VMLINUX compressed in FORMAT the
# way Linux does it, spliced in place of BZIMAGE's payload, with
# payload_length and syssize fixed.  The decompressor code after the
# payload moves, so the result does not boot; it is for the readers.
# Usage: kernel-bzimage.sh OUT BZIMAGE VMLINUX FORMAT
set -eu
. "$(dirname "$0")/kernlib.sh"
out=$1 bz=$2 elf=$3 fmt=$4
read -r poff plen < <(bzimage_payload "$bz")
compress_like_linux "$fmt" < "$elf" > "$out.payload"
nlen=$(stat -c %s "$out.payload")
{
	head -c "$poff" "$bz"
	cat "$out.payload"
	tail -c +$((poff + plen + 1)) "$bz"
} > "$out"
rm -f "$out.payload"
put_le32 "$out" 0x24c "$nlen"
s=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
[ "$s" = 0 ] && s=4
pm=$(( $(le32 "$bz" 0x1f4) * 16 + nlen - plen ))
put_le32 "$out" 0x1f4 $(( (pm + 15) / 16 ))
