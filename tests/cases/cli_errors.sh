# Usage errors say what to type instead, in one line: the closest option
# name for a typo, the candidates of an ambiguous abbreviation, the value
# an option needs (as --help spells it); never the whole usage.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg gpt-sepboot)

# one_line WANT ARGS...: status 1, stdout empty, exactly one stderr line
# "domuloader: error: WANT".
one_line() {
	local want=$1; shift
	dl_run "$@"
	expect_rc 1 "$*"
	[ ! -s "$T/out" ] || fail "$*: stdout not empty: $(cat "$T/out")"
	[ "$(wc -l < "$T/err")" = 1 ] || { cat "$T/err" >&2; fail "$*: not one line on stderr"; }
	expect_eq "$(cat "$T/err")" "domuloader: error: $want" "$*"
}

one_line "unknown option --outptu; did you mean --output?" -q --outptu=/tmp/x "$img"
one_line "unknown option --output-fromat; did you mean --output-format?" --output-fromat=json "$img"
one_line "unknown option --no-sandbx; did you mean --no-sandbox?" --no-sandbx "$img"
one_line "unknown option --kernle; did you mean --kernel?" --kernle /vmlinuz "$img"
one_line "unknown option --frobnicate (domuloader --help lists every option)" --frobnicate "$img"
one_line "option --list is ambiguous: --list-entries, --list-volumes" --list "$img"
one_line "option --quiet takes no value" --quiet=yes "$img"
one_line "option --kernel needs a value (--kernel=PATH)" -q "$img" --kernel
one_line "option --output-directory needs a value (--output-directory=DIR)" "$img" --output-directory
one_line "unknown option -o in -output; did you mean --output?" -output=/tmp/x "$img"
one_line "unknown option -x (short options: -q -i -l -n -h -v; domuloader --help lists the others)" -x "$img"
one_line "no disk image given (domuloader [OPTIONS] IMAGE...; domuloader --help lists the options)" -q
# An abbreviation that names one option is that option, as with pygrub's getopt.
mkdir "$T/k"
dl_run -q --output-dir="$T/k" --output-form=simple "$img"
expect_rc 0 "unique abbreviations"
grep -q "^kernel $T/k/boot_kernel" "$T/out" || fail "unique abbreviations: $(cat "$T/out")"
# bootloader_args of a domain configuration are options too.
cat > "$T/dom.cfg" <<CFG
name = "g"
bootloader = "pygrub"
bootloader_args = [ "--entyr=1" ]
disk = [ "format=raw, vdev=xvda, target=$img" ]
CFG
one_line "$T/dom.cfg: bootloader_args: unknown option --entyr; did you mean --entry?" --config="$T/dom.cfg" -q -n
exit 0
