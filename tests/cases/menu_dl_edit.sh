# Editing in the real domuloader's boot menu (tmux, 80x24 vt100), on a GPT
# image with a separate /boot: 'a' appends " single" to the command line;
# 'e' edits the kernel path in the linux line; 'c' lists the guest's
# volumes and /boot with ls (answered by the sandboxed parser), then boots
# a kernel no entry names with linux and boot.  The payload files and the
# JSON result are what was chosen; the terminal is as before after each.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
img=$(mkimg gpt-sepboot)
src=$img.files

# 'a', End, " single", Enter.
dl_menu_start append "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys a
wait_screen "root=/dev/xvda2 ro quiet"
keys Home End
text " single"
wait_screen "ro quiet single"
keys Enter
wait_done
expect_jres title "Debian GNU/Linux"
expect_jres index 0
expect_jres edited true
expect_jres args "root=/dev/xvda2 ro quiet single"
expect_jres guest_kernel xvda1:/vmlinuz-6.1.0-2
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-2"

# 'e': the linux line's kernel path from 6.1.0-2 to 6.1.0-1, 'b' boots.
dl_menu_start edit "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys e
wait_screen "* linux /vmlinuz-6.1.0-2 root=/dev/xvda2 ro quiet"
wait_screen "initrd /initrd.img-6.1.0-2"
keys e C-a
for _ in $(seq 21); do keys Right; done
keys DC
text 1
keys Enter
wait_screen "* linux /vmlinuz-6.1.0-1 root=/dev/xvda2 ro quiet"
keys b
wait_done
expect_jres title "Debian GNU/Linux"
expect_jres edited true
expect_jres guest_kernel xvda1:/vmlinuz-6.1.0-1
expect_jres guest_ramdisk xvda1:/initrd.img-6.1.0-2
expect_jres args "root=/dev/xvda2 ro quiet"
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-1"
expect_cmp "$(jres ramdisk)" "$src/initrd.img-6.1.0-2"

# 'c': ls, ls (hd0,gpt1)/, linux, boot.
dl_menu_start cmd "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys c
wait_screen "grub>"
text "ls"
keys Enter
wait_screen "(hd0,gpt1) xvda1"
wait_screen "(hd0,gpt2) xvda2"
text "ls (hd0,gpt1)/"
keys Enter
wait_screen "vmlinuz-6.1.0-1"
wait_screen "grub/"
text "ls /nonexistent"
keys Enter
wait_screen "/nonexistent: no such file or directory"
text "linux /vmlinuz-6.1.0-1 root=/dev/xvda2"
keys Enter
text "boot"
keys Enter
wait_done
expect_jres title null
expect_jres index null
expect_jres edited true
expect_jres guest_kernel xvda1:/vmlinuz-6.1.0-1
expect_jres guest_ramdisk null
expect_jres args "root=/dev/xvda2"
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-1"
[ "$(ls "$T/cmd/out" | wc -l)" = 1 ] || fail "cmd: a ramdisk without an initrd"
exit 0
