# Sourced by tests/cases/kernel_guest.sh and kernel_decompress.sh after
# tests/lib/functions.sh: the tools, the Debian kernel and Xen
# (scripts/fetch-debs.sh: VMLINUZ, KVER, XEN...), and
#   sha FILE          its sha256
#   json EXPR         a Python expression over d, the JSON in $T/out
#   ref, refsum, comp the ELF Linux's extract-vmlinux method finds in
#                     VMLINUZ, its sha256, the format it was in
. "$DL_TOP/images/kernlib.sh"
for t in gzip bzip2 xz lzop lz4 zstd readelf objcopy; do
	command -v $t >/dev/null || skip "$t not installed (scripts/deps.sh test)"
done
dir=$("$DL_TOP/scripts/fetch-debs.sh" 2>"$T/fetch.err") ||
	skip "no Debian kernel: $(tail -1 "$T/fetch.err")"
. "$dir/env"
[ -f "$XEN.gz" ] || skip "no Xen hypervisor in the Debian cache"
sha() { sha256sum < "$1" | cut -d' ' -f1; }
# the system's python3 first: a version manager's shim costs seconds a call
PY=$(PATH=/usr/bin:/bin command -v python3 || command -v python3) || skip "python3 missing"
json() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/out" "$1"; }

ref=$T/ref.elf
comp=$(extract_vmlinux "$VMLINUZ" "$ref") || fail "the extract-vmlinux method finds no vmlinux in $VMLINUZ"
refsum=$(sha "$ref")
