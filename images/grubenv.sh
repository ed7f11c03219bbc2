#!/bin/bash
# A Debian-like guest with GRUB_DEFAULT=saved and GRUB_SAVEDEFAULT=true
# (grub-mkconfig's 00_header: load_env, next_entry cleared with save_env,
# function savedefault) and a grubenv made by grub-editenv as
# grub-set-default and grub-reboot make it: saved_entry is the 6.1.0-2
# entry of the submenu, next_entry (one-shot) the 6.1.0-1 one.  MBR, p1
# ext4 holding / (the grubenv in a plain extent).
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
r=$w/root
root_tree "$r"
stage_kernel "$r/boot" 6.1.0-1
stage_kernel "$r/boot" 6.1.0-2
mkdir -p "$r/boot/grub"
cat > "$r/boot/grub/grub.cfg" <<'CFG'
# shaped like grub-mkconfig output (00_header, 10_linux) with
# GRUB_DEFAULT=saved and GRUB_SAVEDEFAULT=true
if [ -s $prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi

if [ x"${feature_menuentry_id}" = xy ]; then
  menuentry_id_option="--id"
else
  menuentry_id_option=""
fi

export menuentry_id_option

if [ "${prev_saved_entry}" ]; then
  set saved_entry="${prev_saved_entry}"
  save_env saved_entry
  set prev_saved_entry=
  save_env prev_saved_entry
  set boot_once=true
fi

function savedefault {
  if [ -z "${boot_once}" ]; then
    saved_entry="${chosen}"
    save_env saved_entry
  fi
}
set timeout=5
menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple-1234' {
	savedefault
	insmod ext2
	linux	/boot/vmlinuz-6.1.0-2 root=/dev/xvda1 ro simple
	initrd	/boot/initrd.img-6.1.0-2
}
submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-1234' {
	menuentry 'Debian GNU/Linux, with Linux 6.1.0-2' --class debian $menuentry_id_option 'gnulinux-6.1.0-2-advanced-1234' {
		savedefault
		linux	/boot/vmlinuz-6.1.0-2 root=/dev/xvda1 ro quiet
		initrd	/boot/initrd.img-6.1.0-2
	}
	menuentry 'Debian GNU/Linux, with Linux 6.1.0-1' --class debian $menuentry_id_option 'gnulinux-6.1.0-1-advanced-1234' {
		savedefault
		linux	/boot/vmlinuz-6.1.0-1 root=/dev/xvda1 ro single
		initrd	/boot/initrd.img-6.1.0-1
	}
}
CFG
e=$r/boot/grub/grubenv
grub-editenv "$e" create
grub-editenv "$e" set "saved_entry=gnulinux-advanced-1234>gnulinux-6.1.0-2-advanced-1234"
grub-editenv "$e" set "next_entry=gnulinux-advanced-1234>gnulinux-6.1.0-1-advanced-1234"
printf '%s\n' "/dev/xvda1 / ext4 defaults 0 1" > "$r/etc/fstab"
fs_from_dir ext4 "$r" 24 "$w/root.img"
disk_new "$out" 30 dos "start=2048, size=51200, type=83"
disk_put "$out" 1 "$w/root.img"
keep_files "$out" "$r/boot"
