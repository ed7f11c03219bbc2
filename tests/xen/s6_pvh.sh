#!/bin/bash
# Issue 7 scenario 6: a PVH guest through domuloader (extra = "console=hvc0"
# is appended to grub.cfg's args).  Runs when this Xen has HVM support (the
# bed's CPU qemu64,+svm,+npt gives TCG-emulated SVM with nested paging);
# without it (xl info virt_caps lacks hvm, e.g. with Haswell-noTSX, no VMX
# under TCG) the scenario reports "skipped: no HVM support", never a pass.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s6
