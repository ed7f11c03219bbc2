# LVM helpers for image recipes (sourced after lib.sh).  LVM runs on loop
# devices over the image files with a private configuration that sees only
# those devices; no device-mapper: LVs are created inactive and written
# through the loop devices at the offsets the metadata gives.
LVM_LOOPS=()
lvm_cleanup() {
	local l
	for l in "${LVM_LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
	LVM_LOOPS=()
	[ -n "${LVM_SYSTEM_DIR:-}" ] && rm -rf "$LVM_SYSTEM_DIR"
	return 0
}

# lvm_loop VAR IMG OFFSET SIZE: attach a loop device (read-write) over a
# byte range of IMG and store its name in VAR (no subshell, so that
# lvm_cleanup knows it).  Call lvm_conf after all are attached.
lvm_loop() {
	local _dev
	_dev=$(losetup --show -f -o "$3" --sizelimit "$4" "$2") || return 1
	LVM_LOOPS+=("$_dev")
	printf -v "$1" '%s' "$_dev"
}

# lvm_conf: a private lvm.conf accepting only our loop devices.
lvm_conf() {
	local l f=""
	LVM_SYSTEM_DIR=$(mktemp -d)
	export LVM_SYSTEM_DIR LVM_SUPPRESS_FD_WARNINGS=1
	for l in "${LVM_LOOPS[@]}"; do f="$f\"a|^$l\$|\", "; done
	cat > "$LVM_SYSTEM_DIR/lvm.conf" <<CONF
devices { filter = [ $f"r|.*|" ] global_filter = [ $f"r|.*|" ] obtain_device_list_from_udev = 0 use_devicesfile = 0 scan = [ "/dev" ] }
activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
global { event_activation = 0 }
CONF
}

lvm() { timeout 60 "$@" </dev/null >/dev/null; }

# lv_new VG NAME SIZE [lvcreate options and PVs]: an inactive LV, not zeroed.
lv_new() {
	local vg=$1 name=$2 size=$3; shift 3
	lvm lvcreate -q --driverloaded n -an --zero n --wipesignatures n -L "$size" -n "$name" "$vg" "$@"
}

# lv_write VG LV FILE: write FILE at the start of the LV, following its
# segments (linear or striped) as recorded in the metadata.
lv_write() {
	local vg=$1 lv=$2 file=$3 es fsz line
	es=$(timeout 60 vgs --noheadings --units b --nosuffix -o vg_extent_size "$vg" </dev/null | tr -d ' ')
	fsz=$(stat -c %s "$file")
	while read -r start count stripes ssize ranges; do
		local seg_off=$((start * es)) seg_len=$((count * es))
		[ "$seg_off" -ge "$fsz" ] && continue
		local -a devs=() pes=() pst=()
		local r
		for r in ${ranges//,/ }; do
			devs+=("${r%%:*}")
			pst+=("$(pe_start "${r%%:*}")")
			r=${r#*:}; pes+=("${r%%-*}")
		done
		if [ "$stripes" = 1 ]; then
			local pstart=${pst[0]} n
			n=$((fsz - seg_off < seg_len ? fsz - seg_off : seg_len))
			dd if="$file" of="${devs[0]}" bs=64K skip="$seg_off" seek=$((pstart + pes[0] * es)) \
				count="$n" iflag=skip_bytes,count_bytes oflag=seek_bytes conv=notrunc status=none
		else
			local k=0 pos
			for ((pos = 0; pos < seg_len && seg_off + pos < fsz; pos += ssize, k++)); do
				local s=$((k % stripes)) row=$((k / stripes)) pstart
				pstart=${pst[$s]}
				dd if="$file" of="${devs[$s]}" bs=64K skip=$((seg_off + pos)) \
					seek=$((pstart + pes[s] * es + row * ssize)) count="$ssize" \
					iflag=skip_bytes,count_bytes oflag=seek_bytes conv=notrunc status=none
			done
		fi
	done < <(timeout 60 lvs --noheadings --segments --units b --nosuffix \
		-o seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges "$vg/$lv" </dev/null)
	sync
}

pe_start() {
	timeout 60 pvs --noheadings --units b --nosuffix -o pe_start "$1" </dev/null | tr -d ' '
}
