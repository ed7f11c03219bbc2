#!/bin/bash
# A VG "manyvg" with N (default 100) small linear LVs on a whole-disk PV;
# the first holds an ext4 filesystem.  For bench/volumes.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1 n=${2:-100}
w=$(mktemp -d); trap 'lvm_cleanup; rm -rf "$w"' EXIT
mkdir -p "$w/root"; echo hi > "$w/root/hello"
fs_from_dir ext4 "$w/root" 4 "$w/fs.img"
rm -f "$out"; truncate -s $((n * 4 + 16))M "$out"
lvm_loop l "$out" 0 $(( (n * 4 + 16) * 1048576 ))
lvm_conf
lvm pvcreate -q "$l"
lvm vgcreate -q -s 4M manyvg "$l"
for i in $(seq 1 "$n"); do lv_new manyvg "lv$i" 4M; done 2>/dev/null
lv_write manyvg lv1 "$w/fs.img"
