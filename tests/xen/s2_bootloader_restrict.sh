#!/bin/bash
# Issue 7 scenario 2: as scenario 1 with bootloader_restrict = 1: libxl passes
# --runas=UID --quiet (UID from the xen-qemuuser-range-base user + domid).
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s2
