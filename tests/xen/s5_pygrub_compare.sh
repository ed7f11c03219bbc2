#!/bin/bash
# Issue 7 scenario 5: the guest of scenario 1 booted by Xen's own pygrub
# (xen-utils-4.17), and the time each step took for both bootloaders.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_run
bed_check s5
# The comparison goes to the suite's log (tests/run.sh shows "note:" lines).
echo "note: Xen 4.17 under QEMU TCG, same PV guest, same Xen boot: time of each step of xl create"
for s in s1 s5; do
	case $s in s1) n=domuloader ;; s5) n=pygrub ;; esac
	bed_section $s | sed -n 's/^steps: /note: '"$n"': /p; s/^timing: \(guest printed.*\)/note: '"$n"': \1/p'
done
# The bootloader step of both, and their ratio (issue 17 asks <= 0.2).
d=$(bed_section s1 | sed -n 's/^steps: .*, bootloader \([0-9.]*\) s,.*/\1/p' | head -1)
p=$(bed_section s5 | sed -n 's/^steps: .*, bootloader \([0-9.]*\) s,.*/\1/p' | head -1)
if [ -n "$d" ] && [ -n "$p" ]; then
	echo "note: bootloader step: domuloader $d s, pygrub $p s, domuloader/pygrub $(awk -v a="$d" -v b="$p" 'BEGIN {printf "%.2f", a / b}')"
fi
bed_section s5 | sed -n 's/^direct: /note: direct in dom0: /p'
# libxl's own part of the step: the stand-in bootloader's step minus its
# direct time (medians of its three direct runs).
bed_section s5 | sed -n 's/^standin: /note: stand-in bootloader: /p'
s=$(bed_section s5 | sed -n 's/^standin: .*, bootloader \([0-9.]*\) s,.*/\1/p' | head -1)
sd=$(bed_section s5 | sed -n 's/^direct: stand-in \([0-9.]*\) s$/\1/p' | sort -n | sed -n 2p)
if [ -n "$s" ] && [ -n "$sd" ]; then
	echo "note: libxl's own part of the step (stand-in step $s s - its direct run $sd s): $(awk -v a="$s" -v b="$sd" 'BEGIN {printf "%.2f", a - b}') s"
fi
