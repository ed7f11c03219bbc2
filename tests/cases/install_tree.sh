# make install puts files only where users and libxl look for them, and the
# bash completion offers exactly the options --help documents.
. "$DL_TOP/tests/lib/functions.sh"
command -v make >/dev/null || skip "no make"
root=$T/root
make -s -C "$DL_TOP" BUILD="$DL_BUILD" DESTDIR="$root" PREFIX=/usr install >"$T/out" 2>&1 ||
	{ cat "$T/out" >&2; fail "make install failed"; }
got=$(cd "$root" && find . -printf '%p %y %m %l\n' | sort)
want=". d 755 
./usr d 755 
./usr/bin d 755 
./usr/bin/domuloader l 777 /usr/lib/xen/bin/domuloader
./usr/lib d 755 
./usr/lib/xen d 755 
./usr/lib/xen/bin d 755 
./usr/lib/xen/bin/domuloader f 755 
./usr/share d 755 
./usr/share/bash-completion d 755 
./usr/share/bash-completion/completions d 755 
./usr/share/bash-completion/completions/domuloader f 644 
./usr/share/man d 755 
./usr/share/man/man1 d 755 
./usr/share/man/man1/domuloader.1 f 644 "
expect_eq "$got" "$want" "installed tree"
cmp -s "$root/usr/lib/xen/bin/domuloader" "$DL" || fail "installed binary differs from $DL"

# install-pygrub-compat keeps a real pygrub aside and adds the name.
printf '#!/bin/sh\necho real pygrub\n' > "$root/usr/lib/xen/bin/pygrub"
make -s -C "$DL_TOP" BUILD="$DL_BUILD" DESTDIR="$root" PREFIX=/usr install-pygrub-compat >"$T/out" 2>&1 ||
	{ cat "$T/out" >&2; fail "make install-pygrub-compat failed"; }
expect_eq "$(readlink "$root/usr/lib/xen/bin/pygrub")" domuloader "pygrub link"
grep -q 'real pygrub' "$root/usr/lib/xen/bin/pygrub.orig" || fail "the real pygrub was not kept as pygrub.orig"
expect_eq "$(readlink "$root/usr/share/bash-completion/completions/pygrub")" domuloader "pygrub completion"

# Completion and --help name the same options.
opts_help=$("$DL" --help | grep -o -- '--[a-z][a-z0-9-]*\|^ *-[a-z],' | tr -d ' ,' | sort -u)
opts_comp=$(sed -n "/compgen -W '$/,/' -- \"\$cur\"/p" "$DL_TOP/completion/domuloader.bash" |
	grep -o -- '-\{1,2\}[a-z][a-z0-9-]*' | sort -u)
[ -n "$opts_help" ] || fail "no options found in --help"
expect_eq "$opts_comp" "$opts_help" "options in completion/domuloader.bash vs --help"
# --version: the name and a version number, nothing else.
"$DL" --version | grep -qx 'domuloader [0-9][0-9.]*' || fail "--version: $("$DL" --version)"
exit 0
