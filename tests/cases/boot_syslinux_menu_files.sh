# An installer ISO whose DEFAULT is "vesamenu.c32 menus/main.cfg": the
# menu module reads that file instead of isolinux.cfg (com32/menu/
# menumain.c main() -> readconfig.c parse_configs(argv + 1)), relative to
# the working directory /isolinux; its MENU DEFAULT boots (the live
# system), not the MENU HIDE label that also says MENU DEFAULT, nor
# isolinux.cfg's own label.  MENU GOTO/EXIT labels are listed, not booted.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg iso-installer menu)
mkdir "$T/o"
dl_run -q --output-format=json --output-directory="$T/o" "$img"
expect_rc 0
[ -s "$T/err" ] && { cat "$T/err" >&2; fail "stderr not empty"; }
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); print($1)"; }
expect_eq "$(json 'd["title"]')" "^Live system" "title"
expect_eq "$(json 'd["args"]')" "boot=live quiet" "args"
expect_eq "$(json 'd["config"]')" "xvda:/isolinux/menus/main.cfg" "config"
cmp -s "$(json 'd["kernel"]')" "$img.files/live/vmlinuz" || fail "kernel is not /live/vmlinuz"
cmp -s "$(json 'd["ramdisk"]')" "$img.files/live/initrd.img" || fail "ramdisk is not /live/initrd.img"
# the listing: the menu's labels, the GOTO and EXIT ones not bootable
dl_run -l "$img"
expect_rc 0
grep -q "^\*.*Live system" "$T/out" || { cat "$T/out"; fail "live system not the default in -l"; }
grep -q "Advanced options (not bootable)" "$T/out" || { cat "$T/out"; fail "MENU GOTO label bootable"; }
grep -q "Back.. (not bootable)" "$T/out" || { cat "$T/out"; fail "MENU EXIT label bootable"; }
exit 0
