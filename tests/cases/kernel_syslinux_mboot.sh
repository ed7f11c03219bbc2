# syslinux mboot.c32 entries (KERNEL mboot.c32, APPEND xen.gz args ---
# vmlinuz args --- initrd) are multiboot entries like GRUB's: the
# hypervisor with its command line and each image after a "---" a module,
# in order, listed by -l and carried by JSON and QEMU's form; the formats
# that cannot carry modules and --rewrite-config refuse them before any
# file is kept.  --rewrite-config writes the guest type --guest-type=best
# chose (xl type = "pvh", libvirt's xenpvh).
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/kernel.sh"
objcopy --remove-section .notes "$ref" "$T/nonotes.elf"
gzip -1 -n < "$T/nonotes.elf" > "$T/nonotes.gz"
rm -f "$T/nonotes.elf" "$ref"
img=$T/sl.img
bash "$IMAGES/kernel-guest.sh" "$img" syslinux "$VMLINUZ" "$XEN.gz" "$T/nonotes.gz" ||
	fail "image kernel-guest syslinux"
debugfs -R "cat /boot/initrd-b.img" "$img" 2>/dev/null > "$T/ib"
[ -s "$T/ib" ] || fail "debugfs could not read the initrd back"

# ---- -l: the hypervisor and its modules, as for GRUB's multiboot entries
dl_run -l "$img"
expect_rc 0
grep -q "Debian GNU/Linux, with Xen hypervisor (multiboot)$" "$T/out" || { cat "$T/out"; fail "-l: multiboot entry"; }
lines() { sed 's/^ *//' "$T/out"; }   # the detail lines without their indentation
lines | grep -qxF "hypervisor: xvda:/boot/xen.gz (ELF32, gzip)" || { cat "$T/out"; fail "-l: hypervisor line (its Xen notes only with -v)"; }
lines | grep -qxF "module: xvda:/boot/vmlinuz root=/dev/xvda ro console=hvc0" || { cat "$T/out"; fail "-l: module 1"; }
lines | grep -qxF "module: xvda:/boot/initrd-b.img" || { cat "$T/out"; fail "-l: module 2 (relative ../initrd-b.img)"; }
dl_run -l --output-format=json "$img"
expect_rc 0
expect_eq "$(json '[(e["kind"], e["kernel"]["path"], e["args"], [(m["file"]["path"], m["args"]) for m in e["modules"]]) for e in d["entries"]][0]')" \
	"('multiboot', '/boot/xen.gz', 'dom0_mem=512M loglvl=all', [('/boot/vmlinuz', 'root=/dev/xvda ro console=hvc0'), ('/boot/initrd-b.img', '')])" \
	"-l JSON multiboot entry"

# ---- the files and the JSON result
mkdir "$T/o"
dl_run -q --entry=xen --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
expect_cmp "$(json 'd["kernel"]')" "$XEN.gz"
expect_eq "$(json '(d["args"], d["ramdisk"], d["kernel_format"], d["kernel_compression"], d["config_format"])')" \
	"('dom0_mem=512M loglvl=all', None, 'ELF32', 'gzip', 'extlinux')" "multiboot result"
expect_eq "$(json '[(m["guest_path"], m["args"]) for m in d["modules"]]')" \
	"[('xvda:/boot/vmlinuz', 'root=/dev/xvda ro console=hvc0'), ('xvda:/boot/initrd-b.img', '')]" "modules"
expect_cmp "$(json 'd["modules"][0]["path"]')" "$VMLINUZ"
expect_cmp "$(json 'd["modules"][1]["path"]')" "$T/ib"
rm -f "$T"/o/*
# QEMU's multiboot form
dl_run -q --entry=xen --output-format=qemu --output-directory="$T/o" "$img"
expect_rc 0
grep -q -- "-append 'dom0_mem=512M loglvl=all' -initrd '$T/o/boot_module\.[^ ]* root=/dev/xvda ro console=hvc0,$T/o/boot_module\.[^ ,]*'$" "$T/out" ||
	fail "qemu line: $(cat "$T/out")"
rm -f "$T"/o/*
for fmt in sxp simple; do
	dl_run -q --entry=xen --output-format=$fmt --output-directory="$T/o" "$img"
	expect_clean_failure "$T/o"
	expect_err_grep "is a multiboot entry with 2 modules, which the $fmt output format cannot carry (use json or qemu)"
done
# the default label is the multiboot one; a Linux label exists, which boots
dl_run -q --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
expect_cmp "$(json 'd["kernel"]')" "$VMLINUZ"
expect_err_grep "default entry is not bootable, using 'debian'"
rm -f "$T"/o/*

# ---- --rewrite-config: no multiboot entry; the type best chose written
cat > "$T/g.cfg" <<CFG
name = "g"
memory = 512
bootloader = "pygrub"
disk = [ 'format=raw, vdev=xvda, access=ro, target=$img' ]
CFG
cat > "$T/g.xml" <<XML
<domain type='xen'>
  <name>g</name>
  <memory unit='KiB'>524288</memory>
  <bootloader>pygrub</bootloader>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$img'/>
      <target dev='xvda' bus='xen'/>
      <readonly/>
    </disk>
  </devices>
</domain>
XML
# (g.cfg names no type, so no kernel check comes first)
for fmt in json sxp; do
	dl_run -q --config="$T/g.cfg" --entry=xen --output-format=$fmt --output-directory="$T/o" --rewrite-config="$T/new.cfg"
	expect_clean_failure "$T/o"
	[ ! -e "$T/new.cfg" ] || fail "$fmt: a configuration written for a multiboot entry"
	expect_err_grep "^domuloader: error: --rewrite-config: entry 'Debian GNU/Linux, with Xen hypervisor' is a multiboot entry (a hypervisor with 2 modules); a domain configuration boots one kernel, not a hypervisor and its modules$"
done
# g.xml says PV, which the hypervisor image cannot boot as: the multiboot
# refusal still comes first (the reason the user can act on), nothing written
dl_run -q --config="$T/g.xml" --entry=xen --output-format=json --output-directory="$T/o" --rewrite-config="$T/new.xml"
expect_clean_failure "$T/o"
[ ! -e "$T/new.xml" ] || fail "g.xml: a configuration written for a multiboot entry"
expect_err_grep "^domuloader: error: --rewrite-config: entry 'Debian GNU/Linux, with Xen hypervisor' is a multiboot entry (a hypervisor with 2 modules); a domain configuration boots one kernel, not a hypervisor and its modules$"
grep -q "cannot boot as a PV guest" "$T/err" && fail "the PV check reported before the multiboot refusal"
dl_run -q --config="$T/g.cfg" --entry=debian --guest-type=best --output-directory="$T/o" --rewrite-config="$T/new.cfg"
expect_rc 0
expect_eq "$(grep -c '^type = "pvh"$' "$T/new.cfg")" 1 "type line in the rewritten xl configuration"
grep -q '^kernel = ' "$T/new.cfg" || { cat "$T/new.cfg"; fail "no kernel in the rewritten xl configuration"; }
grep -q bootloader "$T/new.cfg" && fail "bootloader still in the rewritten xl configuration"
rm -f "$T"/o/*
dl_run -q --config="$T/g.xml" --entry=debian --guest-type=best --output-directory="$T/o" --rewrite-config="$T/new.xml"
expect_rc 0
grep -qF "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" "$T/new.xml" || { cat "$T/new.xml"; fail "libvirt type"; }
rm -f "$T"/o/*
# pv asked: the configuration (PV already) keeps its bytes besides the boot keys
dl_run -q --config="$T/g.cfg" --entry=debian --guest-type=pv --output-directory="$T/o" --rewrite-config="$T/new.cfg"
expect_rc 0
grep -q '^type' "$T/new.cfg" && { cat "$T/new.cfg"; fail "type written though the configuration is PV already"; }
rm -f "$T"/o/*
exit 0
