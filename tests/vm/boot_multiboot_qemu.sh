#!/bin/bash
# Issue 14: the QEMU line domuloader prints for a multiboot (v1) entry
# (GRUB legacy kernel + module + module) boots: a tiny multiboot kernel,
# built here from tests/vm/lib/mbtest.S and stored gzip-compressed in the
# guest as xen.gz is (--decompress gives QEMU the ELF), prints the command
# line and each module's string and first bytes on the serial port.
. "$(dirname "$0")/../lib/functions.sh"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (scripts/deps.sh vm)"
[ -x "$DL" ] || fail "$DL is not built"
as --32 -o "$T/mbtest.o" "$DL_TOP/tests/vm/lib/mbtest.S" || fail "cannot assemble mbtest.S"
ld -m elf_i386 -Ttext=0x100000 -o "$T/mbtest" "$T/mbtest.o" || fail "cannot link mbtest"
tok=$$-$RANDOM
bash "$IMAGES/multiboot-legacy.sh" "$T/g.img" "$T/mbtest" "$tok" || fail "image multiboot-legacy"

mkdir "$T/o"
dl_run -q --decompress --output-format=qemu --output-directory="$T/o" "$T/g.img"
expect_rc 0
[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"
cat "$T/out"
k=$(ls "$T"/o/boot_kernel.*)
m=()
for f in "$T"/o/boot_module.*; do
	if cmp -s "$f" "$T/g.img.files/mod-a"; then m[0]=$f; elif cmp -s "$f" "$T/g.img.files/mod-b"; then m[1]=$f; fi
done
[ "${#m[@]}" = 2 ] || fail "module files: $(ls "$T/o")"
expect_cmp "$k" "$T/mbtest"
expect_out "-kernel $k -append 'dltest=$tok console=com1' -initrd '${m[0]} first module,, with a comma,${m[1]}'
"
eval "set -- $(cat "$T/out")"
rc=0
timeout -k 5 60 qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot \
	-accel tcg -machine pc -m 64 -serial "file:$T/serial.raw" -monitor none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" </dev/null >"$T/qemu.log" 2>&1 || rc=$?
tr -d '\r' < "$T/serial.raw" > "$T/serial.log"
cat "$T/serial.log"
expect_eq "$rc" 99 "QEMU exit status (mbtest's isa-debug-exit; $(cat "$T/qemu.log"))"
expect_eq "$(sed -n 's/^mbtest: cmdline: //p' "$T/serial.log")" "$k dltest=$tok console=com1" "multiboot command line"
expect_eq "$(sed -n 's/^mbtest: module: //p' "$T/serial.log")" \
"${m[0]} first module, with a comma | mod-a 1.mod-a 2.mod-a 3.
${m[1]} | mod-b 1.mod-b 2.mod-b 3." "modules seen by the kernel"
