# Issue 14: --decompress through the program on the real Debian kernel
# (scripts/fetch-debs.sh) re-packed in each of the seven formats Linux can
# use (images/kernel-bzimage.sh) and booted from a guest image with
# --kernel: each gives the ELF that Linux's own extract-vmlinux method
# yields from the Debian bzImage, and -n reports the format it was in.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/kernel.sh"
extra=()
for f in gzip bzip2 lzma xz lzo lz4 zstd; do
	[ "$f" = "$comp" ] && continue
	k=$(mkimg kernel-bzimage "$VMLINUZ" "$ref" "$f")
	# the reference method agrees that the re-packed image holds the same ELF
	expect_eq "$(extract_vmlinux "$k" "$T/x.elf")" "$f" "extract-vmlinux format of the $f image"
	expect_eq "$(sha "$T/x.elf")" "$refsum" "sha256 of the extract-vmlinux ELF of the $f image"
	rm -f "$T/x.elf"
	cp "$k" "$T/vmlinuz.$f"
	extra+=("$T/vmlinuz.$f")
done
rm -f "$ref"
echo notakernel > "$T/nonotes"
bash "$IMAGES/kernel-guest.sh" "$T/g.img" grub2 "$VMLINUZ" "$XEN.gz" "$T/nonotes" "${extra[@]}" ||
	fail "image kernel-guest"
rm -f "$T"/vmlinuz.*
mkdir "$T/o"
for f in gzip bzip2 lzma xz lzo lz4 zstd; do
	k=/extra/vmlinuz.$f
	[ "$f" = "$comp" ] && k=/boot/vmlinuz
	dl_run -q --decompress --kernel=$k --output-format=json --output-directory="$T/o" "$T/g.img"
	expect_rc 0 "--decompress $f"
	[ ! -s "$T/err" ] || fail "--decompress $f wrote on stderr: $(cat "$T/err")"
	expect_eq "$(sha "$(json 'd["kernel"]')")" "$refsum" "sha256 of the --decompress kernel ($f)"
	expect_eq "$(json '(d["kernel_format"], d["kernel_compression"], d["xen_pv"], d["xen_pvh"])')" \
		"('ELF64', 'none', True, True)" "$f decompressed result"
	rm -f "$T"/o/*
	dl_run -q -n --kernel=$k --output-format=json "$T/g.img"
	expect_rc 0
	expect_eq "$(json '(d["kernel_format"], d["kernel_compression"], d["xen_pv"], d["xen_pvh"])')" \
		"('bzImage', '$f', True, True)" "$f report"
	echo "note: --decompress $f: same ELF as extract-vmlinux"
done
exit 0
