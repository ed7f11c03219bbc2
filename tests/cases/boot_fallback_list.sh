# GRUB's fallback list: the default entry's kernel is missing, so GRUB
# tries "fallback" in order (grub_menu_execute_with_fallback,
# get_and_remove_first_entry_number in grub-core/normal/menu.c): entry 1
# (a submenu whose first entry has the same missing kernel), then entry 2,
# which boots.  -v says so; without -v nothing is said.  pygrub never reads
# fallback (GrubConf.py stores it and nothing uses it): it fails here.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot fallback)
mkdir "$T/o"
dl_run -q --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
[ -s "$T/err" ] && { cat "$T/err" >&2; fail "stderr not empty without -v"; }
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); print($1)"; }
expect_eq "$(json 'd["title"]')" "Debian GNU/Linux, 6.1.0-1 (fallback)" "title"
expect_eq "$(json 'd["args"]')" "root=/dev/xvda2 ro fallback" "args"
cmp -s "$(json 'd["kernel"]')" "$img.files/boot/vmlinuz-6.1.0-1" || fail "kernel is not vmlinuz-6.1.0-1"
cmp -s "$(json 'd["ramdisk"]')" "$img.files/boot/initrd.img-6.1.0-1" || fail "ramdisk is not initrd.img-6.1.0-1"
rm -f "$T"/o/*
dl_run -v -n --output-format=json "$img"
expect_rc 0
expect_err_grep "entry 'Debian GNU/Linux': kernel .*vmlinuz-6.1.0-2.*; trying fallback entry 'Debian GNU/Linux, with Linux 6.1.0-2', as GRUB does"
expect_err_grep "trying fallback entry 'Debian GNU/Linux, 6.1.0-1 (fallback)', as GRUB does"
# --entry names the entry: no fallback, its failure is the answer
dl_run -q --entry=0 --output-directory="$T/o" "$img"
expect_clean_failure "$T/o"
expect_err_grep "vmlinuz-6.1.0-2"
exit 0
