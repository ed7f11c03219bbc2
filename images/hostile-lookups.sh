#!/bin/bash
# A whole-disk ext2 filesystem made to cost lookups: /big holds 2100 files
# with 246-byte names (as large as 40000 short names, cheaper to build),
# the kernel, a hard link to itself named "s" and 300 more named l1..l300
# (debugfs: directory hard links no kernel makes).  grub.cfg boots the
# kernel through a 1000-component path /big/s/s/.../vmlinuz after testing
# it with "[ -f ]" in a loop; /big/c39 is a chain of 40 symlinks through
# 500-component paths to the kernel.  Usage: hostile-lookups.sh OUT [deep|many]:
# "many" tests 1800 distinct missing names in /big instead (each a scan of
# the whole directory), then boots /big/vmlinuz, looked up first.
. "$(dirname "$0")/lib.sh"
out=$1 mode=${2:-deep}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-2 16
mkdir -p "$w/big" "$w/boot/grub"
pad=$(head -c 240 /dev/zero | tr '\0' n)
(cd "$w/big" && seq -f "f%05g$pad" 1 2100 | xargs touch)
cp "$w/boot/vmlinuz-6.1.0-2" "$w/big/vmlinuz"
p=/big$(printf '/s%.0s' $(seq 1 1000))
cat > "$w/boot/grub/grub.cfg" <<CFG
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	if [ -f $p/vmlinuz ]; then set found=\$i; fi
	if [ -f $p/missing\$i ]; then set bad=\$i; fi
done
menuentry deep { linux $p/vmlinuz root=/dev/xvda found=\$found }
CFG
L=$(seq -s ' ' 1 30) M=$(seq -s ' ' 1 60)
[ "$mode" = many ] && cat > "$w/boot/grub/grub.cfg" <<CFG
if [ -f /big/vmlinuz ]; then set k=/big/vmlinuz; fi
for a in $L; do for b in $M; do
	if [ -f /big/missing\$a.\$b ]; then set bad=\$a.\$b; fi
done; done
menuentry many { linux \$k root=/dev/xvda bad=\$bad }
CFG
fs_from_dir ext2 "$w" 64 "$out" -N 3000
{
	echo "link /big /big/s"
	for i in 1 2 3 4 5 6; do echo "expand_dir /big"; done
	for i in $(seq 1 300); do echo "link /big /big/l$i"; done
	# a chain of 40 symlinks (the hop limit), each naming the next through
	# a 500-component path: c0 -> .../vmlinuz, cN -> .../c(N-1)
	q=/big$(printf '/s%.0s' $(seq 1 500))
	echo "symlink /big/c0 $q/vmlinuz"
	for i in $(seq 1 39); do echo "symlink /big/c$i $q/c$((i - 1))"; done
} > "$w/cmds"
debugfs -w -f "$w/cmds" "$out" >/dev/null 2>&1
keep_files "$out" "$w/boot"
