#!/bin/bash
# Issue 7 scenario 1: bootloader = domuloader for a PV guest on a GPT disk
# (/boot + root) holding a real Debian kernel and a marker initrd; the guest's
# own /init prints the marker and /proc/cmdline, which must be grub.cfg's args.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s1
