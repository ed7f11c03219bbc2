# How the real domuloader waits, as the guest's configuration asks (images
# built by images/menu-styles.sh): GRUB's timeout_style=hidden draws
# nothing and boots the default unless Esc (GRUB: Esc or F4) shows the
# menu, other keys ignored; timeout_style=countdown writes one counting
# line; syslinux PROMPT 0 without a UI is hidden too, TIMEOUT in tenths;
# GRUB's superusers lock editing and the command line; timeout=0 boots
# the default at once, nothing drawn (GRUB's rule, not pygrub's second).
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"

no_menu() { # the pane shows nothing but the line before the menu
	[ "$(screen | grep -c .)" = 1 ] || { screen >&2; fail "$S: something was drawn"; }
}

# hidden: nothing drawn, the default after the timeout.
img=$(mkimg menu-styles grub-hidden)
dl_menu_start hidden "$img"
wait_raw
no_menu
wait_done
no_menu
expect_jres index 0
expect_jres args "root=/dev/xvda1 ro first"

# hidden: a plain key is ignored, Esc shows the menu without a countdown.
dl_menu_start hidden-esc "$img"
wait_raw
text x
sleep 0.3
no_menu
keys Escape
wait_screen "Debian GNU/Linux second"
screen | grep -qF "Will boot" && { screen >&2; fail "$S: the countdown goes on after Esc"; }
keys Down Enter
wait_done
expect_jres index 1
expect_jres args "root=/dev/xvda1 ro second"

# hidden: F4 too, as in GRUB.
dl_menu_start hidden-f4 "$img"
wait_raw
keys F4
wait_screen "Debian GNU/Linux first"
keys Enter
wait_done
expect_jres index 0

# countdown: one line counting down, no menu; the default boots.
img=$(mkimg menu-styles grub-countdown)
dl_menu_start countdown "$img"
wait_raw
wait_screen "Will boot default entry in"
screen | grep -qF "Debian GNU/Linux" && { screen >&2; fail "$S: the menu was drawn"; }
wait_done
expect_jres index 0

# countdown: Esc shows the menu.
dl_menu_start countdown-esc "$img"
wait_raw
wait_screen "Will boot default entry in"
keys Escape
wait_screen "Debian GNU/Linux second"
keys Down Enter
wait_done
expect_jres index 1

# syslinux PROMPT 0, TIMEOUT 20 (2 s), no UI: hidden, the DEFAULT boots.
img=$(mkimg menu-styles syslinux-prompt0)
dl_menu_start sl-hidden "$img"
wait_raw
no_menu
wait_done
no_menu
expect_jres id first
expect_jres args "root=/dev/xvda1 ro first"
dl_menu_start sl-esc "$img"
wait_raw
keys Escape
wait_screen "second"
keys Down Enter
wait_done
expect_jres id second

# timeout=0: the default at once, nothing drawn.
img=$(mkimg menu-styles grub-zero)
dl_menu_start zero "$img"
wait_done
no_menu
expect_jres index 1
expect_jres args "root=/dev/xvda1 ro second"

# superusers: the menu is shown, editing and the command line refused.
img=$(mkimg menu-styles grub-locked)
dl_menu_start locked "$img"
wait_raw
wait_screen "Will boot selected entry in"
screen | grep -qF "'e' edits" && { screen >&2; fail "$S: the help offers editing"; }
keys e
wait_screen "Editing is disabled"
keys c
wait_screen "Editing is disabled"
screen | grep -qF "grub>" && { screen >&2; fail "$S: a command line opened"; }
keys a
sleep 0.3
screen | grep -qF "grub append>" && { screen >&2; fail "$S: the line editor opened"; }
keys Enter
wait_done
expect_jres index 0
expect_jres args "root=/dev/xvda1 ro first"
expect_jres edited false
