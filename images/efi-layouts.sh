#!/bin/bash
# Where UEFI installs keep their boot configuration.
#   stub     GPT, p1 FAT ESP: EFI/debian/grub.cfg a stub as grub-install
#            writes it (search.fs_uuid, prefix, configfile) and a stale
#            full EFI/BOOT/grub.cfg (removable path; vendor dir wins);
#            p2 ext4 root with /boot/grub/grub.cfg and the kernels.
#   rootefi  MBR, p1 ext4 root with the configuration only under
#            /boot/efi/EFI/centos/grub.cfg (the ESP's files as the root
#            filesystem sees them, an old EL layout) and kernels in /boot.
#   sdboot   GPT, p1 FAT ESP as systemd-boot keeps it: loader/loader.conf
#            (default glob, timeout), loader/entries, kernels on the ESP.
#   uki      GPT, p1 FAT ESP with systemd-boot's unified kernel images only:
#            EFI/Linux/debian-6.1.0-{1,2}.efi (PE images shaped like ukify's,
#            made by tests/fuzz/gen_uki_corpus.py: .osrel .cmdline .uname
#            .initrd .linux) and loader/loader.conf without a default.
. "$(dirname "$0")/lib.sh"
out=$1 variant=${2:-stub}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
ROOT_UUID=5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b
export MTOOLS_SKIP_CHECK=1
esp() { # OUT SRCDIR: a 32 MiB FAT16 ESP holding SRCDIR's tree
	rm -f "$1"
	mkfs.vfat -C -F 16 -n ESP "$1" $((32 * 1024)) >/dev/null
	mcopy -s -i "$1" "$2"/* ::
}
case $variant in
stub)
	mkdir -p "$w/esp/EFI/debian" "$w/esp/EFI/BOOT"
	cat > "$w/esp/EFI/debian/grub.cfg" <<CFG
search.fs_uuid $ROOT_UUID root hd0,gpt2
set prefix=(\$root)'/boot/grub'
configfile \$prefix/grub.cfg
CFG
	cat > "$w/esp/EFI/BOOT/grub.cfg" <<'CFG'
menuentry 'stale removable-media copy' {
	linux (hd0,gpt2)/boot/vmlinuz-6.1.0-1 root=/dev/xvda2 stale
}
CFG
	root_tree "$w/root"
	stage_kernel "$w/root/boot" 6.1.0-1
	stage_kernel "$w/root/boot" 6.1.0-2
	grub2_cfg "$w/root/boot/grub/grub.cfg" "/boot"
	esp "$w/esp.img" "$w/esp"
	fs_from_dir ext4 "$w/root" 16 "$w/root.img" -U "$ROOT_UUID"
	disk_new "$out" 60 gpt "start=2048, size=65536, type=U, name=esp
start=67584, size=32768, type=L, name=root"
	disk_put "$out" 1 "$w/esp.img"
	disk_put "$out" 2 "$w/root.img"
	keep_files "$out" "$w/root/boot"
	;;
rootefi)
	root_tree "$w/root"
	stage_kernel "$w/root/boot" 6.1.0-2
	mkdir -p "$w/root/boot/efi/EFI/centos"
	cat > "$w/root/boot/efi/EFI/centos/grub.cfg" <<'CFG'
set default=0
menuentry 'CentOS Linux (6.1.0-2)' {
	linuxefi /boot/vmlinuz-6.1.0-2 root=/dev/xvda1 ro crashkernel=auto
	initrdefi /boot/initrd.img-6.1.0-2
}
CFG
	fs_from_dir ext4 "$w/root" 16 "$w/root.img"
	disk_new "$out" 20 dos "start=2048, type=83"
	disk_put "$out" 1 "$w/root.img"
	keep_files "$out" "$w/root/boot"
	;;
sdboot)
	mkdir -p "$w/esp/loader/entries"
	stage_kernel "$w/esp" 6.1.0-1
	stage_kernel "$w/esp" 6.1.0-2
	printf '%s\n' "default arch-6.1.0-2*" "timeout 4" "console-mode max" > "$w/esp/loader/loader.conf"
	for v in 6.1.0-1 6.1.0-2; do
		printf '%s\n' "title Arch Linux ($v)" "linux /vmlinuz-$v" "initrd /initrd.img-$v" \
			"options root=UUID=$ROOT_UUID rw v=$v" > "$w/esp/loader/entries/arch-$v.conf"
	done
	esp "$w/esp.img" "$w/esp"
	disk_new "$out" 40 gpt "start=2048, size=65536, type=U, name=esp"
	disk_put "$out" 1 "$w/esp.img"
	keep_files "$out" "$w/esp"
	;;
uki)
	mkdir -p "$w/esp/loader" "$w/esp/EFI/Linux" "$w/k"
	printf '%s\n' "timeout 3" > "$w/esp/loader/loader.conf"
	for v in 6.1.0-1 6.1.0-2; do
		stage_kernel "$w/k" "$v"
		python3 "$(dirname "$0")/../tests/fuzz/gen_uki_corpus.py" --one \
			"$w/esp/EFI/Linux/debian-$v.efi" "$w/k/vmlinuz-$v" "$w/k/initrd.img-$v" \
			"root=UUID=$ROOT_UUID ro quiet v=$v"
	done
	esp "$w/esp.img" "$w/esp"
	disk_new "$out" 40 gpt "start=2048, size=65536, type=U, name=esp"
	disk_put "$out" 1 "$w/esp.img"
	keep_files "$out" "$w/k"
	;;
*) echo "efi-layouts: unknown variant $variant" >&2; exit 1 ;;
esac
