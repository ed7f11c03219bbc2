#!/bin/bash
# A hand-built btrfs (tests/fuzz/seeds/mkbtrfs.py, no mkfs) with the extent
# shapes mkfs.btrfs cannot make: /boot/big is a regular extent, a hole, a
# preallocated extent, then zstd- and zlib-compressed ones and an inline
# tail; /vmlinuz two zlib extents sharing disk bytes; /tiny inline bytes
# then a regular extent; with jobs, /many/f-7 six whole zstd and zlib
# extents; with refused, /boot/enc plain extents around one marked
# encrypted.  OUT.files/ holds the bytes each must read as (not enc's).
# Usage: btrfs-extents.sh OUT [flat|levels|subvol|jobs|refused]
set -eu
exec python3 "$(dirname "$0")/../tests/fuzz/seeds/mkbtrfs.py" --image "$1" "${2:-flat}"
