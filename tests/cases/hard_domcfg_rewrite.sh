# --rewrite-config on hostile configurations, all three dialects: duplicate
# boot keys, CR or CR-LF line ends, several statements on a line, tokens
# that touch once a boot key is cut out (the xend SEXPR input of issue 16,
# also in tests/fuzz/corpus/sexpr).  The rewrite must parse again and carry
# the new kernel, ramdisk and cmdline, with no bootloader left.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
d=$T/in; mkdir -p "$d"
printf 'name="a"\r\nkernel="/old1"\r\nbootloader="pygrub"\r\nkernel="/old2"\r\nramdisk="/r"; kernel="/old3"; memory=5\r\n' > "$d/dup-cr.cfg"
printf 'bootloader="pygrub";kernel="/x";ramdisk="/y";extra="q"\nmemory=1\n' > "$d/oneline.cfg"
printf 'kernel="/a"\\\n\nkernel="/b"\n' > "$d/cont.cfg"
printf "<domain type='xen'><name>a</name><os><type>linux</type><kernel>/o1</kernel><kernel>/o2</kernel>\r\n<initrd>/i</initrd><cmdline>x</cmdline></os><bootloader>pygrub</bootloader><bootloader>x</bootloader></domain>" > "$d/dup.xml"
printf "<domain type='xen'>\r<name>a</name>\r<bootloader>p</bootloader>\r<os>\r<type>linux</type>\r</os>\r</domain>\r" > "$d/cr.xml"
printf "(vm (name a)(bootloader p)(bootloader q)(image (linux (kernel /a)(kernel /b)x(ramdisk /r)'q')))" > "$d/dup.sxp"
printf "(vm\r(name a)\r(bootloader p)\r(image\r(linux\r(kernel\r/a)\r\001(kernel /b)'x'\r)))\r" > "$d/cr.sxp"
printf "(vm (name a)(image (linux x(kernel /a)'b c')))" > "$d/glued.sxp"
cp "$DL_TOP/tests/fuzz/corpus/sexpr/rewrite-dup-kernel-cr" "$d/issue16.sxp"
K="/new k')(bootloader '/bin/sh" R="/new r" A="c \"a\"' x"
n=0
for f in "$d"/*; do
	b=$(basename "$f")
	"$TOOL" parse "$f" > /dev/null || fail "$b: the input itself does not parse"
	"$TOOL" rewrite "$f" "$K" "$R" "$A" > "$T/out" || fail "$b: rewrite failed"
	"$TOOL" parse "$T/out" > "$T/model" || { cat -A "$T/out"; fail "$b: rewritten config does not parse"; }
	grep -qFx "kernel $K" "$T/model" || { cat -A "$T/out"; fail "$b: new kernel missing"; }
	grep -qFx "ramdisk $R" "$T/model" || fail "$b: new ramdisk missing"
	grep -qFx "cmdline $A" "$T/model" || fail "$b: new cmdline missing"
	grep -qx "bootloader " "$T/model" || fail "$b: bootloader still set"
	n=$((n + 1))
done
[ "$n" = 9 ] || fail "ran $n inputs"
exit 0
