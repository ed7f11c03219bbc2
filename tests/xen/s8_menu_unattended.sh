#!/bin/bash
# Issue 13 scenario s8plain: the menu disk without -c: nobody is attached to the bootloader's pty and the default entry boots after the countdown.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s8plain
