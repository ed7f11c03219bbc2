# Every option in the table of src/main.c is in --help, in the OPTIONS of
# the man page and in the bash completion, and none of these names an
# option the table lacks: they cannot drift apart.
. "$DL_TOP/tests/lib/functions.sh"
src=$DL_TOP/src/main.c man=$DL_TOP/man/domuloader.1 comp=$DL_TOP/completion/domuloader.bash

# The table: { "name", 'c' or 0, ... } rows between "options[] = {" and "};".
table=$(sed -n '/^} options\[\] = {$/,/^};$/p' "$src" |
	sed -n 's/^\t{ "\([a-z0-9-]*\)", \('"'"'\(.\)'"'"'\|0\), .*/--\1 -\3/p' |
	tr ' ' '\n' | grep -v '^-$' | sort -u)
[ "$(echo "$table" | grep -c '^--')" -ge 30 ] || fail "options table of $src not found: [$table]"

help=$("$DL" --help | grep -o -- '--[a-z][a-z0-9-]*\|^ *-[a-z],' | tr -d ' ,' | sort -u)
# the man page: the tag line after each .TP of OPTIONS
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" | sed -n '/^\.TP/{n;p}' | sed 's/\\-/-/g' |
	grep -o -- '--[a-z][a-z0-9-]*\|\(^\|[^a-z-]\)-[a-z]\($\|[^a-z]\)' |
	sed 's/^[^-]*//; s/[^a-z]$//' | sort -u)
comp=$(sed -n "/compgen -W '$/,/' -- \"\$cur\"/p" "$comp" | grep -o -- '-\{1,2\}[a-z][a-z0-9-]*' | sort -u)

for what in help man_opts comp; do
	got=${!what}
	extra=$(comm -13 <(echo "$table") <(echo "$got"))
	missing=$(comm -23 <(echo "$table") <(echo "$got"))
	[ -z "$missing" ] || fail "$what lacks options of the table in src/main.c: $(echo $missing)"
	[ -z "$extra" ] || fail "$what names options the table in src/main.c lacks: $(echo $extra)"
done
exit 0
