#!/bin/bash
# Issue 7, the bed itself: Xen 4.17 + Debian PV dom0 + xl create of a PV
# guest through a stand-in bootloader that hands libxl pre-extracted files.
# If this fails, the other tests/xen failures are the bed's, not domuloader's.
# The first test of the stage boots Xen once for all scenarios (bed.sh).
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s0
