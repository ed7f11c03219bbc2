# Unified kernel images (BLS type #2) on a systemd-boot ESP
# (images/efi-layouts.sh uki): systemd-boot lists EFI/Linux/*.efi by id,
# newest first (boot.c config_load_type2_entries, boot_entry_compare), and
# systemd-stub boots the image's .linux with its .initrd and .cmdline: the
# extracted kernel and ramdisk are byte for byte the sections' contents.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg efi-layouts uki)
mkdir "$T/o"
dl_run -q --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
[ -s "$T/err" ] && { cat "$T/err" >&2; fail "stderr not empty"; }
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); print($1)"; }
expect_eq "$(json 'd["title"]')" "debian-6.1.0-2" "title"
expect_eq "$(json 'd["args"]')" "root=UUID=5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b ro quiet v=6.1.0-2" "args"
expect_eq "$(json 'd["config"]')" "xvda1:/EFI/Linux" "config"
cmp -s "$(json 'd["kernel"]')" "$img.files/vmlinuz-6.1.0-2" || fail "kernel is not the .linux section"
cmp -s "$(json 'd["ramdisk"]')" "$img.files/initrd.img-6.1.0-2" || fail "ramdisk is not the .initrd section"
rm -f "$T"/o/*
# another image by its id, --args appended to its .cmdline
dl_run -q --entry=debian-6.1.0-1.efi --args=extra --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
expect_eq "$(json 'd["args"]')" "root=UUID=5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b ro quiet v=6.1.0-1 extra" "args"
cmp -s "$(json 'd["kernel"]')" "$img.files/vmlinuz-6.1.0-1" || fail "kernel 6.1.0-1"
rm -f "$T"/o/*
# -v says where the kernel came from
dl_run -v -n "$img"
expect_rc 0
expect_err_grep "a unified kernel image: the kernel is its .linux, the first initrd its .initrd, the command line its .cmdline"
exit 0
