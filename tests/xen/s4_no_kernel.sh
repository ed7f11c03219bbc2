#!/bin/bash
# Issue 7 scenario 4: a disk with no kernel: xl create fails and
# /var/log/xen/bootloader.N.log holds domuloader's one-line error.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s4
