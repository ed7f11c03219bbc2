#!/bin/bash
# Regenerates tests/fuzz/corpus/iso9660/seed-*: small ISO images (Rock
# Ridge + Joliet, Joliet only, plain) with the paths fuzz_iso9660 reads,
# tiny files, symlinks and a deep directory, cut after their last non-zero
# 2 KiB sector.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus/iso9660
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
s=$w/src
mkdir -p "$s/isolinux" "$s/install.amd" "$s/a/b/c/d/e/f/g/h/i/j"
echo "DEFAULT x" > "$s/isolinux/isolinux.cfg"
echo kernel > "$s/install.amd/vmlinuz"
echo deep > "$s/a/b/c/d/e/f/g/h/i/j/deep.txt"
for k in rr joliet plain; do
	case $k in rr) rr=on j=on ;; joliet) rr=off j=on ;; plain) rr=off j=off ;; esac
	if [ $k = rr ]; then
		ln -sf install.amd/vmlinuz "$s/vmlinuz"; ln -sf /install.amd/vmlinuz "$s/abs-initrd"
		ln -sfn ../../install.amd "$s/a/b/up"
	fi
	xorriso -report_about SORRY -outdev "$w/$k.iso" -rockridge $rr -joliet $j -map "$s" / -commit >/dev/null 2>&1
	python3 - "$w/$k.iso" "$out/seed-$k" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
last = max(i for i in range(0, len(d), 2048) if any(d[i:i+2048]))
open(sys.argv[2], 'wb').write(d[:last + 2048])
PY
	rm -f "$s/vmlinuz" "$s/abs-initrd" "$s/a/b/up"
done
