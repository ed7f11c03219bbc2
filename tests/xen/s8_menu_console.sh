#!/bin/bash
# Issue 13 scenario s8: xl create -c shows domuloader's menu on the guest console; nobody types, the default entry boots after grub.cfg's 3 s countdown.
. "$(dirname "$0")/../lib/functions.sh"
. "$DL_TOP/tests/xen/lib/bed.sh"
bed_check s8
