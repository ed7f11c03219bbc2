# Sourced by tests/cases/domcfg_*.sh after functions.sh: one HVM guest (a GPT
# disk with /boot as hda, an installer ISO as cdrom hdc) in the three dialects.
TOOL=$DL_BUILD/tests/lib/domcfg_tool
[ -x "$TOOL" ] || fail "$TOOL not built (make tests)"
# What an extraction says while the filesystem readers or the boot
# configuration parsers are not in the build (grep BRE).

# guest_configs DIR IMG ISO BOOT: DIR/g.cfg, DIR/g.xml, DIR/g.sxp; BOOT is ""
# (the toolstack's default: the disk) or "d" (cdrom first).
guest_configs() {
	local dir=$1 img=$2 iso=$3 boot=$4
	mkdir -p "$dir"
	{
		echo '# HVM guest with an installer CD'
		echo 'name = "g1"'
		echo 'uuid = "596a5d21-71f4-8fb2-e068-e2386a5c413e"'
		echo 'type = "hvm"'
		echo 'memory = 1024'
		[ -n "$boot" ] && echo "boot = \"$boot\""
		echo "disk = [ 'format=raw, vdev=hda, access=rw, target=$img',"
		echo "         '$iso,raw,hdc,ro,devtype=cdrom' ]"
		echo "vif = [ 'bridge=br0' ]"
	} > "$dir/g.cfg"
	{
		echo "<domain type='xen'>"
		echo "  <name>g1</name>"
		echo "  <uuid>596a5d2171f48fb2e068e2386a5c413e</uuid>"
		echo "  <memory unit='KiB'>1048576</memory>"
		echo "  <os>"
		echo "    <type>hvm</type>"
		echo "    <loader>/usr/lib/xen/boot/hvmloader</loader>"
		[ -n "$boot" ] && echo "    <boot dev='cdrom'/>"
		echo "    <boot dev='hd'/>"
		echo "  </os>"
		echo "  <devices>"
		echo "    <disk type='file' device='disk'>"
		echo "      <driver name='file' type='raw'/>"
		echo "      <source file='$img'/>"
		echo "      <target dev='hda' bus='ide'/>"
		echo "    </disk>"
		echo "    <disk type='file' device='cdrom'>"
		echo "      <driver name='file' type='raw'/>"
		echo "      <source file='$iso'/>"
		echo "      <target dev='hdc' bus='ide'/>"
		echo "      <readonly/>"
		echo "      <address type='drive' controller='0' bus='1' target='0' unit='0'/>"
		echo "    </disk>"
		echo "  </devices>"
		echo "</domain>"
	} > "$dir/g.xml"
	{
		echo "(vm (name g1)(uuid 596a5d2171f48fb2e068e2386a5c413e)(memory 1024)"
		echo " (image (hvm (kernel '/usr/lib/xen/boot/hvmloader')(boot ${boot:-c})(acpi 1)))"
		echo " (device (vbd (dev 'hda:disk')(uname 'file:$img')(mode 'w')))"
		echo " (device (vbd (dev 'hdc:cdrom')(uname 'file:$iso')(mode 'r')))"
		echo ")"
	} > "$dir/g.sxp"
}

# pv_configs DIR IMG: a PV guest booted by pygrub with bootloader_args and
# kernel hints absent, in the three dialects.
pv_configs() {
	local dir=$1 img=$2
	mkdir -p "$dir"
	cat > "$dir/p.cfg" <<CFG
name = "p1"  # PV guest
memory = 512
bootloader = "pygrub"
bootloader_args = [ "-q" ]
disk = [ 'phy:$img,xvda,w' ]
on_crash = "restart"
CFG
	cat > "$dir/p.xml" <<CFG
<domain type='xen'>
  <name>p1</name>
  <memory unit='KiB'>524288</memory>
  <bootloader>pygrub</bootloader>
  <bootloader_args>-q</bootloader_args>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='file'/>
      <source file='$img'/>
      <target dev='xvda' bus='xen'/>
    </disk>
  </devices>
</domain>
CFG
	cat > "$dir/p.sxp" <<CFG
(vm
  (name p1)
  (memory 512)
  (bootloader pygrub)
  (bootloader_args -q)
  (device (vbd (dev xvda) (uname 'file:$img') (mode w)))
)
CFG
}
