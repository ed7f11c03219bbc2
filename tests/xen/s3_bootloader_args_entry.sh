#!/bin/bash
# Issue 7 scenario 3: bootloader_args = ["--entry=1"] boots grub.cfg's second
# entry: the guest's cmdline carries that entry's marker.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s3
