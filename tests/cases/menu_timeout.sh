# The boot menu's timeout and GRUB's timeout_style on a vt100 (tmux): the
# menu's countdown expires and the default boots; "countdown" writes one
# line and leaves the screen alone; "hidden" writes nothing until Esc,
# which shows the menu without a countdown.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"

# Style menu: nobody presses a key.
menu_start expire --timeout=2
wait_done
expect_res index 0
expect_res edited 0
expect_res kernel /boot/vmlinuz-6.1.0-13-amd64
expect_res initrd /boot/initrd.img-6.1.0-13-amd64
# The menu stays on the screen, its last countdown line included.
_shows "Will boot selected entry in 1 seconds" || { screen >&2; fail "no countdown line left"; }

# Style countdown: one line after what was there.
menu_start countdown --style=countdown --timeout=2
wait_done
expect_res index 0
screen | grep -A1 MARKER-BEFORE-MENU | grep -qF "Will boot default entry in 1 seconds; press Esc for the menu" ||
	{ screen >&2; fail "countdown style: the line is not below what was there"; }

# Style hidden: nothing, then Esc shows the menu, with no countdown.
menu_start hidden --style=hidden --timeout=60
wait_raw
[ "$(screen | grep -c .)" = 1 ] || { screen >&2; fail "hidden style wrote something"; }
keys Escape
wait_screen "* Debian GNU/Linux"
_shows "Will boot" && fail "hidden style: a countdown after Esc"
keys Down Down Enter
wait_screen "This entry cannot be booted here; 'e' edits it."
keys Up Up Enter
wait_done
expect_res index 0
expect_res edited 0
exit 0
