#!/bin/bash
# Issue 13 scenario s8key: xl create -c; Down + Enter typed on the console while the menu counts down boots grub.cfg's second entry.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s8key
