#!/bin/bash
# Issue 7 scenario 6: a PVH guest through domuloader.  Without HVM support in
# this Xen (xl info virt_caps; under QEMU TCG the CPU has no VMX) the
# scenario reports "skipped: no HVM support", never a pass.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s6
