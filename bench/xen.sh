#!/bin/bash
# The bootloader step of `xl create` under the Xen test bed (tests/xen: Xen
# 4.17 and a Debian PV dom0 under QEMU TCG, so every step is slowed alike):
# the same PV guest booted through domuloader (scenario s1) and through
# Debian's pygrub (s5) in one Xen boot, each step's time taken from xl's
# own log, and their ratio (issue 17 asks <= 0.2); s0 boots a guest first
# (with a stand-in bootloader) so that neither pays the first xl create's
# one-time costs.  Then both bootloaders run directly in dom0 on the same
# disk, three times each.  Each round is one Xen boot (a few minutes).
#   bench/xen.sh [ROUNDS]        (root; QEMU; downloads Debian's Xen packages once)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-1}
make -s -C "$top" >/dev/null
for ((i = 1; i <= rounds; i++)); do
	out=$(cd "$top" && BED_SCENARIOS="s0 s1 s5" CASES=s5_pygrub_compare tests/run.sh xen 2>&1) || {
		printf '%s\n' "$out" | tail -20 >&2
		echo "bench/xen.sh: the Xen bed failed" >&2
		exit 1
	}
	printf '%s\n' "$out" | sed -n 's/^ *\(domuloader: \|pygrub: \|bootloader step: \|direct in dom0: \|stand-in bootloader: \|libxl.s own part[^:]*: \)/\1/p'
done
