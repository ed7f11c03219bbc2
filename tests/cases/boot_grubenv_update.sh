# GRUB's one-shot and saved defaults (images/grubenv.sh: GRUB_DEFAULT=saved,
# GRUB_SAVEDEFAULT=true, grub-reboot's next_entry): the first boot takes
# next_entry and clears it as the script's "save_env next_entry" does, the
# second boots saved_entry, a chosen entry's savedefault stores it; each
# time the grubenv's bytes are those grub-editenv makes for the same
# change.  Not written with --no-grubenv-update, -n, a read-only disk, nor
# on a qcow2 image (not in place: a warning, and the one-shot entry still
# boots, as GRUB boots it when save_env fails).
. "$DL_TOP/tests/lib/functions.sh"
command -v grub-editenv >/dev/null || skip "no grub-editenv (grub-common)"
F=$DL_BUILD/tests/lib/dl_fscat
src=$(mkimg grubenv)
img=$T/g.img
env_of() { "$F" "$1@1048576" /boot/grub/grubenv; }
args_of() { sed -n 's/^args //p' "$T/out"; }
cp "$src" "$img"
env_of "$img" > "$T/env0" || fail "reading the grubenv"
[ "$(stat -c %s "$T/env0")" = 1024 ] || fail "grubenv is not 1024 bytes"
cp "$T/env0" "$T/want1"
grub-editenv "$T/want1" set next_entry=
# 1: next_entry, cleared.
extract "$T/o1" -v --output-format=simple "$img"
expect_rc 0 "first boot"
expect_eq "$(args_of)" "root=/dev/xvda1 ro single" "first boot: next_entry"
expect_cmp "$KFILE" "$src.files/vmlinuz-6.1.0-1"
expect_err_grep "xvda1:/boot/grub/grubenv: wrote next_entry=, as GRUB's save_env does"
env_of "$img" > "$T/env1"
expect_cmp "$T/env1" "$T/want1"
# 2: the saved default; nothing changes (boot_once is unset, savedefault
# writes the same saved_entry).
extract "$T/o2" -q --output-format=simple "$img"
expect_rc 0 "second boot"
expect_eq "$(args_of)" "root=/dev/xvda1 ro quiet" "second boot: saved_entry"
expect_cmp "$KFILE" "$src.files/vmlinuz-6.1.0-2"
env_of "$img" > "$T/env2"
expect_cmp "$T/env2" "$T/want1"
# 3: another entry chosen: its savedefault stores its id ($chosen).
extract "$T/o3" -q --entry=0 --output-format=simple "$img"
expect_rc 0 "--entry=0"
expect_eq "$(args_of)" "root=/dev/xvda1 ro simple" "--entry=0"
cp "$T/want1" "$T/want3"
grub-editenv "$T/want3" set saved_entry=gnulinux-simple-1234
env_of "$img" > "$T/env3"
expect_cmp "$T/env3" "$T/want3"
extract "$T/o4" -q --output-format=simple "$img"
expect_eq "$(args_of)" "root=/dev/xvda1 ro simple" "the new saved default"
# Never written: --no-grubenv-update, -n, access=ro; the one-shot entry boots.
for how in no-update dry ro; do
	cp "$src" "$img"
	case $how in
	no-update) extract "$T/n-$how" -v --no-grubenv-update --output-format=simple "$img" ;;
	dry) dl_run -v -n --output-format=simple "$img" ;;
	ro) extract "$T/n-$how" -v --output-format=simple --disks="format=raw, vdev=xvda, access=ro, target=$img" ;;
	esac
	expect_rc 0 "$how"
	expect_eq "$(args_of)" "root=/dev/xvda1 ro single" "$how: next_entry"
	expect_err_grep "GRUB would write next_entry=; not written"
	env_of "$img" > "$T/env-$how"
	expect_cmp "$T/env-$how" "$T/env0"
done
# qcow2: the block is not in place on the image; a warning, next_entry boots.
command -v qemu-img >/dev/null || skip "no qemu-img"
qemu-img convert -O qcow2 "$src" "$T/g.qcow2"
extract "$T/q" -q --format=qcow2 --output-format=simple "$T/g.qcow2"
expect_rc 0 "qcow2"
expect_eq "$(args_of)" "root=/dev/xvda1 ro single" "qcow2: next_entry"
expect_err_grep "warning: GRUB environment block not updated: xvda1:/boot/grub/grubenv: not stored verbatim"
exit 0
