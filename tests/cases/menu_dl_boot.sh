# The real domuloader's boot menu on an 80x24 vt100 (tmux), on a GPT image
# whose grub.cfg (grub-mkconfig's shape, timeout 5) has a default entry and
# a submenu: the countdown boots the default; Down, Enter, Down, Enter
# boots an entry of the submenu; the payload files are the chosen entry's
# and the JSON result names it.  After each, the terminal is as before.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
img=$(mkimg gpt-sepboot)
src=$img.files

# Nobody presses a key: the countdown runs out, the default boots.
dl_menu_start expire "$img"
wait_raw
wait_screen "domuloader: /grub/grub.cfg"
wait_screen "Will boot selected entry in"
screen_e | grep -F 'Debian GNU/Linux' | head -1 | grep -qF $'\e[7m' ||
	fail "the default entry is not highlighted"
wait_done
expect_jres title "Debian GNU/Linux"
expect_jres index 0
expect_jres edited false
expect_jres guest_kernel xvda1:/vmlinuz-6.1.0-2
expect_jres args "root=/dev/xvda2 ro quiet"
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-2"
expect_cmp "$(jres ramdisk)" "$src/initrd.img-6.1.0-2"

# Into the submenu, its second entry.
dl_menu_start submenu "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys Down
wait_screen "* Advanced options for Debian GNU/Linux >"
_shows "Will boot selected entry" && fail "a key did not stop the countdown"
keys Enter
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-2"
keys Down
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-1"
keys Enter
wait_done
expect_jres title "Debian GNU/Linux, with Linux 6.1.0-1"
expect_jres id gnulinux-6.1.0-1-advanced-1234
expect_jres index 2
expect_jres edited false
expect_jres args "root=/dev/xvda2 ro single"
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-1"
expect_cmp "$(jres ramdisk)" "$src/initrd.img-6.1.0-1"
[ "$(ls "$T/submenu/out" | wc -l)" = 2 ] || fail "submenu: files other than the payload left"
exit 0
