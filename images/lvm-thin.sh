#!/bin/bash
# A thin pool and a thin LV (unsupported: a clear note), after a linear LV
# holding the kernel.  lvcreate cannot make a thin pool without
# device-mapper, so the pool and the thin LV are added to the metadata
# (vgcfgbackup, edit, vgcfgrestore --force), exactly as lvcreate writes them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1
w=$(mktemp -d); trap 'lvm_cleanup; rm -rf "$w"' EXIT
root_tree "$w/root"
stage_kernel "$w/root/boot" 6.1.0-2
grub2_cfg "$w/root/boot/grub/grub.cfg" "/boot"
fs_from_dir ext4 "$w/root" 12 "$w/root.img"
disk_new "$out" 64 dos "start=2048, type=8e"
lvm_loop l "$out" $((2048 * 512)) $((64 * 1048576 - 2048 * 512))
lvm_conf
lvm pvcreate -q "$l"
lvm vgcreate -q -s 1M thinvg "$l"
lv_new thinvg boot 12M
lv_new thinvg tm 4M
lv_new thinvg td 16M
lv_write thinvg boot "$w/root.img"
lvm vgcfgbackup -q -f "$w/meta" thinvg
awk '
/^\t\ttm \{/ { sub(/tm/, "pool_tmeta"); hide = 1 }
/^\t\ttd \{/ { sub(/td/, "pool_tdata"); hide = 1 }
hide && /status = / { sub(/, "VISIBLE"/, ""); hide = 0 }
/^\tlogical_volumes \{/ { print; inlv = 1; next }
inlv && /^\t\}/ {
	print "\t\tpool {\n\t\t\tid = \"aaaaaa-aaaa-aaaa-aaaa-aaaa-aaaa-aaaaaa\"\n\t\t\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\n\t\t\tflags = []\n\t\t\tsegment_count = 1\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 16\n\t\t\t\ttype = \"thin-pool\"\n\t\t\t\tmetadata = \"pool_tmeta\"\n\t\t\t\tpool = \"pool_tdata\"\n\t\t\t\ttransaction_id = 1\n\t\t\t\tchunk_size = 128\n\t\t\t\tdiscards = \"passdown\"\n\t\t\t\tzero_new_blocks = 0\n\t\t\t}\n\t\t}"
	print "\t\tthin {\n\t\t\tid = \"bbbbbb-bbbb-bbbb-bbbb-bbbb-bbbb-bbbbbb\"\n\t\t\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\n\t\t\tflags = []\n\t\t\tsegment_count = 1\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 32\n\t\t\t\ttype = \"thin\"\n\t\t\t\tthin_pool = \"pool\"\n\t\t\t\ttransaction_id = 0\n\t\t\t\tdevice_id = 1\n\t\t\t}\n\t\t}"
	inlv = 0
}
{ print }' "$w/meta" > "$w/meta2"
grep -q 'type = "thin"' "$w/meta2"
timeout 60 vgcfgrestore -q --force -f "$w/meta2" thinvg </dev/null >/dev/null 2>&1
keep_files "$out" "$w/root/boot"
cp "$w/root.img" "$out.files/fs.img"
