#!/bin/bash
# btrfs guests laid out the way distribution installers leave them (the
# subvolumes created as they create them, the default subvolume left as
# they leave it):
#   ubuntu   MBR, p1 btrfs: subvolumes @ (/) and @home (/home), the default
#            subvolume the top level; GRUB's paths from the top level
#            ("/@/boot/vmlinuz-..."), fstab mounts subvol=@ and subvol=@home
#            (Ubuntu's ubiquity and Debian's partman-btrfs).
#   fedora   GPT, p1 ext4 /boot (grub2/grub.cfg with blscfg, loader/entries),
#            p2 btrfs: subvolumes root (/) and home, default the top level;
#            fstab mounts subvol=root (anaconda).
#   opensuse MBR, p1 btrfs as YaST lays it out: subvolumes @, @/home,
#            @/.snapshots and the snapshot @/.snapshots/1/snapshot, which
#            is the default subvolume (snapper's first root); grub.cfg in
#            the snapshot with paths of the running system (SUSE's GRUB
#            reads the default subvolume: btrfs_relative_path).
#   nested   MBR, p1 btrfs: the system in the nested subvolume ROOT/debian
#            (top level holds only the directory ROOT), default the top
#            level; an extlinux.conf there with paths of the running system,
#            and an fstab at the top level naming subvol=/ROOT/debian (a
#            hand-made layout: only fstab's subvol= finds it).
#   rootflags MBR, p1 btrfs: subvolume @ (/), default the top level, no
#            fstab at all; extlinux.conf in @ with paths of the running
#            system and rootflags=subvol=@ on its command line (only the
#            entry's own command line says where / is).
# Needs a loop mount (root and btrfs in the kernel).
. "$(dirname "$0")/lib.sh"
out=$1 variant=${2:-ubuntu}
w=$(mktemp -d); m=$w/mnt; dev=
cleanup() { mountpoint -q "$m" && umount "$m"; [ -z "$dev" ] || losetup -d "$dev" 2>/dev/null; rm -rf "$w"; }
trap cleanup EXIT
# A fresh filesystem UUID each time (kept in .files/uuid): the kernel's
# btrfs keeps devices by UUID, and two loop-mounted images sharing one get
# mixed up.
UUID=$(cat /proc/sys/kernel/random/uuid)
BOOT_UUID=1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d
stage_kernel "$w/k" 6.1.0-2 300
# The filesystem must hold what was written: on a host where other jobs
# attach and detach loop devices concurrently, an image has been seen to
# lose it.  Built again then (three tries), else the recipe fails.
build() {
	rm -rf "$w/fs.img" "$w/boot" "$m"
	mkdir "$m"
	truncate -s 160M "$w/fs.img"
	mkfs.btrfs -q -f -U "$UUID" "$w/fs.img" >/dev/null 2>&1
	dev=$(losetup --find --show "$w/fs.img")
	mount "$dev" "$m"
	case $variant in
	ubuntu)
		btrfs -q subvolume create "$m/@"
		btrfs -q subvolume create "$m/@home"
		mkdir -p "$m/@/etc" "$m/@/boot/grub" "$m/@home/user"
		cp "$w/k/vmlinuz-6.1.0-2" "$w/k/initrd.img-6.1.0-2" "$m/@/boot/"
		printf '%s\n' "UUID=$UUID / btrfs defaults,subvol=@ 0 1" \
			"UUID=$UUID /home btrfs defaults,subvol=@home 0 2" > "$m/@/etc/fstab"
		cat > "$m/@/boot/grub/grub.cfg" <<-CFG
	# grub-mkconfig output for / in subvolume @ (10_linux: rootsubvol)
	set default="0"
	search --no-floppy --fs-uuid --set=root $UUID
	set timeout=5
	menuentry 'Ubuntu' --class ubuntu \$menuentry_id_option 'gnulinux-simple-$UUID' {
		insmod btrfs
		search --no-floppy --fs-uuid --set=root $UUID
		linux	/@/boot/vmlinuz-6.1.0-2 root=UUID=$UUID ro rootflags=subvol=@ quiet splash
		initrd	/@/boot/initrd.img-6.1.0-2
	}
	CFG
		;;
	fedora)
		btrfs -q subvolume create "$m/root"
		btrfs -q subvolume create "$m/home"
		mkdir -p "$m/root/etc" "$m/root/boot"
		printf '%s\n' "UUID=$UUID / btrfs subvol=root,compress=zstd:1 0 0" \
			"UUID=$BOOT_UUID /boot ext4 defaults 1 2" \
			"UUID=$UUID /home btrfs subvol=home,compress=zstd:1 0 0" > "$m/root/etc/fstab"
		mid=0f1e2d3c4b5a69788796a5b4c3d2e1f0
		mkdir -p "$w/boot/grub2" "$w/boot/loader/entries"
		cp "$w/k/vmlinuz-6.1.0-2" "$w/boot/"
		cp "$w/k/initrd.img-6.1.0-2" "$w/boot/initramfs-6.1.0-2.img"
		cat > "$w/boot/loader/entries/$mid-6.1.0-2.conf" <<-CFG
	title Fedora Linux (6.1.0-2) 39
	version 6.1.0-2
	linux /vmlinuz-6.1.0-2
	initrd /initramfs-6.1.0-2.img
	options root=UUID=$UUID ro rootflags=subvol=root
	grub_users \$grub_users
	grub_arg --unrestricted
	grub_class fedora
	CFG
		cat > "$w/boot/grub2/grub.cfg" <<-'CFG'
	set pager=1
	if [ -f ${config_directory}/grubenv ]; then
	  load_env -f ${config_directory}/grubenv
	elif [ -s $prefix/grubenv ]; then
	  load_env
	fi
	set timeout=5
	insmod blscfg
	blscfg
	CFG
		;;
	opensuse)
		btrfs -q subvolume create "$m/@"
		btrfs -q subvolume create "$m/@/home"
		btrfs -q subvolume create "$m/@/.snapshots"
		mkdir "$m/@/.snapshots/1"
		btrfs -q subvolume create "$m/@/.snapshots/1/snapshot"
		s=$m/@/.snapshots/1/snapshot
		mkdir -p "$s/etc" "$s/boot/grub2"
		cp "$w/k/vmlinuz-6.1.0-2" "$w/k/initrd.img-6.1.0-2" "$s/boot/"
		printf '%s\n' "UUID=$UUID / btrfs defaults 0 0" "UUID=$UUID /home btrfs subvol=/@/home 0 0" \
			"UUID=$UUID /.snapshots btrfs subvol=/@/.snapshots 0 0" > "$s/etc/fstab"
		cat > "$s/boot/grub2/grub.cfg" <<-CFG
	set btrfs_relative_path="yes"
	search --fs-uuid --set=root $UUID
	set default=0
	menuentry 'openSUSE Tumbleweed' --class opensuse {
		linux /boot/vmlinuz-6.1.0-2 root=UUID=$UUID splash=silent quiet
		initrd /boot/initrd.img-6.1.0-2
	}
	CFG
		btrfs subvolume set-default "$s" >/dev/null
		;;
	nested)
		mkdir "$m/ROOT"
		btrfs -q subvolume create "$m/ROOT/debian"
		mkdir -p "$m/ROOT/debian/etc" "$m/ROOT/debian/boot/extlinux"
		cp "$w/k/vmlinuz-6.1.0-2" "$w/k/initrd.img-6.1.0-2" "$m/ROOT/debian/boot/"
		mkdir -p "$m/etc"
		printf '%s\n' "UUID=$UUID / btrfs subvol=/ROOT/debian 0 1" | tee "$m/ROOT/debian/etc/fstab" > "$m/etc/fstab"
		cat > "$m/ROOT/debian/boot/extlinux/extlinux.conf" <<-CFG
	DEFAULT debian
	LABEL debian
	  KERNEL /boot/vmlinuz-6.1.0-2
	  APPEND initrd=/boot/initrd.img-6.1.0-2 root=UUID=$UUID rootflags=subvol=/ROOT/debian ro
	CFG
		;;
	rootflags)
		btrfs -q subvolume create "$m/@"
		mkdir -p "$m/@/etc" "$m/@/boot/extlinux"
		cp "$w/k/vmlinuz-6.1.0-2" "$w/k/initrd.img-6.1.0-2" "$m/@/boot/"
		cat > "$m/@/boot/extlinux/extlinux.conf" <<-CFG
	DEFAULT linux
	LABEL linux
	  LINUX /boot/vmlinuz-6.1.0-2
	  INITRD /boot/initrd.img-6.1.0-2
	  APPEND root=UUID=$UUID rw rootflags=compress=zstd,subvol=@
	CFG
		;;
	*) echo "btrfs-installers: unknown variant $variant" >&2; exit 1 ;;
	esac
	umount "$m"
	losetup -d "$dev"; dev=
	sync "$w/fs.img"
	btrfs inspect-internal dump-tree -t 5 "$w/fs.img" 2>/dev/null | grep -q 'name: [@Rr]'
}
ok=
for try in 1 2 3; do
	if build; then ok=1; break; fi
	mountpoint -q "$m" && umount "$m"
	[ -z "$dev" ] || losetup -d "$dev" 2>/dev/null; dev=
done
[ -n "$ok" ] || { echo "btrfs-installers: $variant: the image lost its contents" >&2; exit 1; }
case $variant in
fedora)
	fs_from_dir ext4 "$w/boot" 16 "$w/boot.img" -U "$BOOT_UUID"
	disk_new "$out" 200 gpt "start=2048, size=32768, type=L, name=boot
start=34816, size=327680, type=L, name=root"
	disk_put "$out" 1 "$w/boot.img"
	disk_put "$out" 2 "$w/fs.img"
	;;
*)
	disk_new "$out" 170 dos "start=2048, size=327680, type=83"
	disk_put "$out" 1 "$w/fs.img"
	;;
esac
echo "$UUID" > "$w/k/uuid"
keep_files "$out" "$w/k"
