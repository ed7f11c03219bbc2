#!/bin/bash
# make demo: build a sample guest disk (GPT, separate /boot with a
# grub-mkconfig style grub.cfg, root with /etc/fstab) and run domuloader on it.
set -eu
dl=${1:-build/domuloader}
top=$(cd "$(dirname "$0")/.." && pwd)
work=${DEMO_DIR:-$top/build/demo}
rm -rf "$work"; mkdir -p "$work/out"
echo "== building $work/guest.img from images/gpt-sepboot.sh"
bash "$top/images/gpt-sepboot.sh" "$work/guest.img" >/dev/null
sfdisk -l "$work/guest.img" | sed -n '/^Device/,$p'
echo
echo "== $dl -l $work/guest.img"
"$dl" -l "$work/guest.img"
echo
echo "== $dl -q --output-format=simple --output-directory=$work/out $work/guest.img"
"$dl" -q --output-format=simple --output-directory="$work/out" "$work/guest.img" 2>"$work/stderr" |
	cat -A | sed 's/\$$//'
if [ -s "$work/stderr" ]; then echo "stderr:"; cat "$work/stderr"; else echo "(nothing on stderr)"; fi
echo
echo "== extracted files"
for f in "$work"/out/*; do
	printf '%s  %s bytes  mode %s  first line: %s\n' "$f" "$(stat -c %s "$f")" "$(stat -c %a "$f")" "$(head -1 "$f")"
done
echo
echo "== the same entry in pygrub's sxp format, second entry of the submenu"
rm -f "$work"/out/*
"$dl" -q --entry=2 --output-directory="$work/out" "$work/guest.img"
echo
