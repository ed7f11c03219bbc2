# Issue 14, the program: a real Debian kernel (scripts/fetch-debs.sh) in a
# guest image is reported by -l and in the JSON result as what it is
# (bzImage, its compression and version, PV and PVH capable);
# --guest-type refuses a kernel without Xen notes before anything is
# written, --force boots it; --decompress writes the ELF that Linux's
# extract-vmlinux method yields (each of the seven formats:
# kernel_decompress.sh); truncated kernels end in one clear error; multiboot
# entries (GRUB 2 multiboot2 + module2, GRUB legacy kernel + module) give
# the hypervisor and every module as files, in JSON and QEMU's form.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/kernel.sh"
ver=$(bzimage_version "$VMLINUZ")
# the kernel without its Xen notes, as a gzip-compressed vmlinux
objcopy --remove-section .notes "$ref" "$T/nonotes.elf"
gzip -1 -n < "$T/nonotes.elf" > "$T/nonotes.gz"
rm -f "$T/nonotes.elf"
bash "$IMAGES/kernel-guest.sh" "$T/g2.img" grub2 "$VMLINUZ" "$XEN.gz" "$T/nonotes.gz" ||
	fail "image kernel-guest grub2"
bash "$IMAGES/kernel-guest.sh" "$T/gl.img" legacy "$VMLINUZ" "$XEN.gz" "$T/nonotes.gz" ||
	fail "image kernel-guest legacy"
img=$T/g2.img

# ---- -l: each entry's kernel, and the modules of the multiboot one; the
# compressed kernels' Xen notes (PV, PVH) only with -v or JSON
dl_run -l "$img"
expect_rc 0
[ ! -s "$T/err" ] || fail "-l wrote on stderr: $(cat "$T/err")"
lines() { sed 's/^ *//' "$T/out"; }   # the detail lines without their indentation
lines | grep -qxF "kernel: xvda:/boot/vmlinuz (bzImage, $comp, $ver)" || { cat "$T/out"; fail "-l: Debian kernel line"; }
lines | grep -qxF "kernel: xvda:/boot/vmlinux-nonotes (ELF64, gzip)" || { cat "$T/out"; fail "-l: kernel without notes"; }
dl_run -l -v "$img"
expect_rc 0
lines | grep -qxF "kernel: xvda:/boot/vmlinuz (bzImage, $comp, $ver, PV yes, PVH yes)" || { cat "$T/out"; fail "-l -v: Debian kernel line"; }
lines | grep -qxF "kernel: xvda:/boot/vmlinux-nonotes (ELF64, gzip, PV no (no Xen ELF notes (XEN_ELFNOTE_ENTRY) and no __xen_guest section), PVH no (no Xen ELF notes (XEN_ELFNOTE_PHYS32_ENTRY)))" ||
	{ cat "$T/out"; fail "-l: kernel without notes"; }
lines | grep -qxF "module: xvda:/boot/vmlinuz placeholder root=/dev/xvda ro console=hvc0" || { cat "$T/out"; fail "-l: module line"; }
lines | grep -q "^hypervisor: xvda:/boot/xen.gz (ELF32, gzip, " || { cat "$T/out"; fail "-l: hypervisor line"; }
dl_run -l --output-format=json "$img"
expect_rc 0
expect_eq "$(json '[(e["kernel_format"], e["kernel_compression"], e["kernel_version"], e["kernel_arch"], e["xen_pv"], e["xen_pvh"]) for e in d["entries"]]')" \
	"[('bzImage', '$comp', '$ver', 'x86_64', True, True), ('ELF32', 'gzip', None, 'i386', False, False), ('ELF64', 'gzip', None, 'x86_64', False, False)]" "-l JSON kernels"
# every file with the volume it is read from
expect_eq "$(json '[(e["kernel"]["volume"], e["kernel"]["guest_path"], [i["guest_path"] for i in e["initrds"]], [m["file"]["guest_path"] for m in e["modules"]]) for e in d["entries"]]')" \
	"[('xvda', 'xvda:/boot/vmlinuz', ['xvda:/boot/initrd-a.img', 'xvda:/boot/initrd-b.img'], []), ('xvda', 'xvda:/boot/xen.gz', [], ['xvda:/boot/vmlinuz', 'xvda:/boot/initrd-a.img']), ('xvda', 'xvda:/boot/vmlinux-nonotes', [], [])]" "-l JSON volumes"

# ---- the JSON result: the default entry; two initrds concatenated
mkdir "$T/o"
dl_run -q --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
[ ! -s "$T/err" ] || fail "extraction wrote on stderr: $(cat "$T/err")"
expect_eq "$(json '(d["kernel_format"], d["kernel_compression"], d["kernel_version"], d["kernel_arch"], d["xen_pv"], d["xen_pvh"], d["guest_type"])')" \
	"('bzImage', '$comp', '$ver', 'x86_64', True, True, None)" "JSON result"
expect_cmp "$(json 'd["kernel"]')" "$VMLINUZ"
debugfs -R "cat /boot/initrd-a.img" "$img" 2>/dev/null > "$T/ia"
debugfs -R "cat /boot/initrd-b.img" "$img" 2>/dev/null > "$T/ib"
cat "$T/ia" "$T/ib" > "$T/iab"
[ -s "$T/ia" ] && [ -s "$T/ib" ] || fail "debugfs could not read the initrds back"
expect_cmp "$(json 'd["ramdisk"]')" "$T/iab"
rm -f "$T"/o/*

# ---- --guest-type: best is PVH for Debian's kernel; xl says so
dl_run -q --guest-type=best --output-format=xl --output-directory="$T/o" "$img"
expect_rc 0
grep -qx 'type = "pvh"' "$T/out" || { cat "$T/out"; fail "xl output lacks type = \"pvh\""; }
rm -f "$T"/o/*
dl_run -q --guest-type=pv --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
expect_eq "$(json 'd["guest_type"]')" pv "guest type pv"
rm -f "$T"/o/*
# refused without notes, for PV and PVH, naming the entry and what is missing; nothing written
for gt in pv pvh best; do
	dl_run -q --guest-type=$gt --entry=nonotes --output-directory="$T/o" "$img"
	expect_clean_failure "$T/o"
	expect_rc 8 "--guest-type=$gt refused"
	case $gt in pvh) what="PVH guest: no Xen ELF notes (XEN_ELFNOTE_PHYS32_ENTRY)" ;;
	*) what="PV guest: no Xen ELF notes (XEN_ELFNOTE_ENTRY) and no __xen_guest section" ;; esac
	expect_eq "$(cat "$T/err")" "domuloader: error: xvda:/boot/grub/grub.cfg: entry 'No Xen notes': kernel xvda:/boot/vmlinux-nonotes cannot boot as a $what (--force boots it anyway)" "--guest-type=$gt message"
done
# the same from a domain configuration's type
cat > "$T/d.cfg" <<CFG
name = "k"
type = "pv"
bootloader = "pygrub"
bootloader_args = [ "--entry=nonotes" ]
disk = [ 'format=raw, vdev=xvda, access=ro, target=$img' ]
CFG
dl_run -q --config="$T/d.cfg" --output-directory="$T/o"
expect_clean_failure "$T/o"
expect_err_grep "cannot boot as a PV guest: no Xen ELF notes"
# --force: booted, with a warning
dl_run -q --guest-type=pv --force --entry=nonotes --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
expect_err_grep "^domuloader: warning: .*cannot boot as a PV guest: .*; booting it anyway (--force)"
expect_cmp "$(json 'd["kernel"]')" "$T/nonotes.gz"
expect_eq "$(json '(d["kernel_format"], d["xen_pv"], d["guest_type"])')" "('ELF64', False, 'pv')" "forced result"
rm -f "$T"/o/*

# ---- --decompress: the ELF of extract-vmlinux (the other formats: kernel_decompress.sh)
dl_run -q --decompress --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
k=$(json 'd["kernel"]')
expect_eq "$(sha "$k")" "$refsum" "sha256 of the --decompress kernel ($comp)"
expect_eq "$(json '(d["kernel_format"], d["kernel_compression"])')" "('ELF64', 'none')" "decompressed result"
rm -f "$T"/o/*
# the output cap holds for the decompressed kernel
dl_run -q --decompress --max-kernel-size=16 --output-directory="$T/o" "$img"
expect_clean_failure "$T/o"
expect_err_grep "decompresses to more than 16777216 bytes"

# ---- truncated kernels: one clear error for --decompress and --guest-type
head -c 6000000 "$VMLINUZ" > "$T/short"
bash "$IMAGES/kernel-guest.sh" "$T/gs.img" grub2 "$T/short" "$XEN.gz" "$T/nonotes.gz" || fail "image"
for o in --decompress --guest-type=pv; do
	dl_run -q $o --output-directory="$T/o" "$T/gs.img"
	expect_clean_failure "$T/o"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "$o on a truncated kernel: $(cat "$T/err")"
	expect_err_grep "^domuloader: error: xvda:/boot/vmlinuz: bzImage payload .* does not fit in the file"
done
# a payload cut inside: the compressed stream ends early
read -r poff plen < <(bzimage_payload "$VMLINUZ")
{ head -c $((poff + plen / 2)) "$VMLINUZ"; head -c $((plen - plen / 2)) /dev/zero; tail -c +$((poff + plen + 1)) "$VMLINUZ"; } > "$T/cut"
bash "$IMAGES/kernel-guest.sh" "$T/gs.img" grub2 "$T/cut" "$XEN.gz" "$T/nonotes.gz" || fail "image"
dl_run -q --decompress --output-directory="$T/o" "$T/gs.img"
expect_clean_failure "$T/o"
[ "$(wc -l < "$T/err")" = 1 ] || fail "corrupt stream: $(cat "$T/err")"
expect_err_grep "^domuloader: error: xvda:/boot/vmlinuz: bzImage payload: $comp: "
echo "note: corrupt $comp stream: $(cat "$T/err")"
rm -f "$T/gs.img" "$T/short" "$T/cut" "$T/ref.elf"

# ---- multiboot entries: the hypervisor and each module a file
check_multiboot() { # IMAGE ENTRY XENARGS MOD1 MOD1ARGS MOD2 XENARGS-AS-A-SHELL-WORD
	dl_run -q --entry="$2" --output-format=json --output-directory="$T/o" "$1"
	expect_rc 0 "multiboot $2"
	expect_cmp "$(json 'd["kernel"]')" "$XEN.gz"
	expect_eq "$(json '(d["args"], d["ramdisk"], d["kernel_format"], d["kernel_compression"], len(d["modules"]))')" \
		"('$3', None, 'ELF32', 'gzip', 2)" "multiboot result of $2"
	expect_eq "$(json '[(m["guest_path"], m["args"]) for m in d["modules"]]')" \
		"[('xvda:/boot/vmlinuz', '$5'), ('xvda:$6', '')]" "modules of $2"
	expect_cmp "$(json 'd["modules"][0]["path"]')" "$VMLINUZ"
	debugfs -R "cat $6" "$1" 2>/dev/null > "$T/m2"
	expect_cmp "$(json 'd["modules"][1]["path"]')" "$T/m2"
	[ "$(find "$T/o" -name 'boot_module.*' | wc -l)" = 2 ] || fail "module files: $(ls "$T/o")"
	rm -f "$T"/o/*
	# the QEMU line names the files written, each module with its command line
	dl_run -q --entry="$2" --output-format=qemu --output-directory="$T/o" "$1"
	expect_rc 0
	m=()
	for f in "$T"/o/boot_module.*; do
		if cmp -s "$f" "$VMLINUZ"; then m[0]=$f; elif cmp -s "$f" "$T/m2"; then m[1]=$f; fi
	done
	[ "${#m[@]}" = 2 ] || fail "module files: $(ls "$T/o")"
	expect_out "-kernel $(ls "$T"/o/boot_kernel.*) -append $7 -initrd '${m[0]} $5,${m[1]}'
"
	rm -f "$T"/o/*
	for fmt in sxp simple simple0 xl; do
		dl_run -q --entry="$2" --output-format=$fmt --output-directory="$T/o" "$1"
		expect_clean_failure "$T/o"
		expect_err_grep "is a multiboot entry with 2 modules, which the $fmt output format cannot carry (use json or qemu)"
	done
}
check_multiboot "$img" xen "placeholder dom0_mem=1G,max:1G" /boot/vmlinuz "placeholder root=/dev/xvda ro console=hvc0" \
	/boot/initrd-a.img "'placeholder dom0_mem=1G,max:1G'"
check_multiboot "$T/gl.img" "Xen hypervisor" "dom0_mem=1024M" /boot/vmlinuz "root=/dev/xvda ro console=hvc0" \
	/boot/initrd-b.img dom0_mem=1024M
# -n names the guest files; -l lists the legacy entry's modules
dl_run -q -n --entry=xen --output-format=json "$img"
expect_eq "$(json '[(m["path"], m["guest_path"]) for m in d["modules"]]')" \
	"[(None, 'xvda:/boot/vmlinuz'), (None, 'xvda:/boot/initrd-a.img')]" "-n modules"
dl_run -l "$T/gl.img"
lines | grep -qxF "module: xvda:/boot/initrd-b.img" ||
	{ cat "$T/out"; fail "-l legacy module"; }
exit 0
