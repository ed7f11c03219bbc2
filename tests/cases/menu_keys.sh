# The boot menu driven by keys on an 80x24 vt100 (tmux): a submenu entry,
# a configuration's default in a submenu, 'a' to append to the command line, 'e' to edit the kernel path and drop
# the initrd, 'c' to boot a kernel no entry names.  After each, the tty
# modes and the cursor are as they were.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"

# Into the submenu (Enter), out (Esc), in again (Right), the third entry.
menu_start sub --timeout=60
wait_raw
wait_screen "Will boot selected entry in"
screen_e | grep -F 'Debian GNU/Linux' | head -1 | grep -qF $'\e[7m' ||
	fail "the default entry is not in reverse video"
keys Down
wait_screen "* Advanced options for Debian GNU/Linux >"
_shows "Will boot selected entry" && fail "a key did not stop the countdown"
keys Enter
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-13-amd64"
keys Escape
wait_screen "* Advanced options for Debian GNU/Linux >"
keys Right
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-13-amd64"
keys Down j
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-12-amd64"
keys Enter
wait_done
expect_res index 4
expect_res edited 0
expect_res kernel /boot/vmlinuz-6.1.0-12-amd64
expect_res initrd /boot/initrd.img-6.1.0-12-amd64
expect_res args "root=/dev/xvda2 ro quiet"

# A configuration whose default is in a submenu: the submenu is open, the
# default highlighted; Esc shows the top level.
menu_start config --config="$DL_TOP/tests/boot/data/debian-12.grub2" --timeout=60
wait_raw
wait_screen "domuloader: $DL_TOP/tests/boot/data/debian-12.grub2"
wait_screen "  Advanced options for Debian GNU/Linux"
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-9-amd64"
keys Escape
wait_screen "* Advanced options for Debian GNU/Linux >"
keys Enter Down Down Up Up
wait_screen "* Debian GNU/Linux, with Linux 6.1.0-13-amd64"
keys End Enter
wait_done
expect_res index 5
expect_res kernel "(hd0,gpt2)/boot/vmlinuz-6.1.0-9-amd64"
expect_res args "root=UUID=6c2f1f8e-6d9c-4d7e-9f3b-2a1c5e7d8b90 ro single console=hvc0"

# 'a', End, " single", Enter.
menu_start append --timeout=60
wait_raw
wait_screen "Will boot selected entry in"
keys a
wait_screen "grub append>  root=/dev/xvda2 ro quiet"
keys Home End
text " single"
wait_screen "ro quiet single"
keys Enter
wait_done
expect_res index 0
expect_res edited 1
expect_res kernel /boot/vmlinuz-6.1.0-13-amd64
expect_res args "root=/dev/xvda2 ro quiet single"

# 'e': edit the kernel path in the linux line (Delete, insert in the
# middle), delete the initrd line, boot with 'b'.
menu_start edit --timeout=60
wait_raw
wait_screen "Will boot selected entry in"
keys e
wait_screen "* linux /boot/vmlinuz-6.1.0-13-amd64 root=/dev/xvda2 ro quiet"
wait_screen "initrd /boot/initrd.img-6.1.0-13-amd64"
keys e C-a
for _ in 1 2 3 4 5 6; do keys Right; done
for _ in $(seq 28); do keys DC; done
text "/boot/vmlinuz-old"
keys Enter
wait_screen "* linux /boot/vmlinuz-old root=/dev/xvda2 ro quiet"
keys Down d
poll 100 eval '! _shows "initrd /boot"' || fail "'d' did not delete the initrd line"
keys b
wait_done
expect_res index 0
expect_res edited 1
expect_res kernel /boot/vmlinuz-old
expect_res initrd ""
expect_res args "root=/dev/xvda2 ro quiet"

# 'c': ls (guest names shown escaped), linux, boot.
menu_start cmd --timeout=60
wait_raw
wait_screen "Will boot selected entry in"
keys c
wait_screen "grub>"
text "ls /boot"
keys Enter
wait_screen "initrd.img-6.1.0-13-amd64"
wait_screen "evil-?[2J-name"
text "linux /vmlinuz-X root=/dev/xvda2"
keys Enter
text "boot"
keys Enter
wait_done
expect_res index -1
expect_res edited 1
expect_res kernel /vmlinuz-X
expect_res initrd ""
expect_res args "root=/dev/xvda2"
exit 0
