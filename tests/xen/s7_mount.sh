#!/bin/bash
# Issue 12 scenario 7: bootloader_args = ["--mount"] under Xen: dom0's
# kernel (PV dom0, dm-mod and loop loaded) maps and mounts the guest's
# /boot read-only; the guest boots with grub.cfg's args, and no map, loop
# device or mount of domuloader is left in dom0.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s7
