# Turns the configurations a unit test holds verbatim in comments,
#   /* config NAME:
#   ...lines...
#   */
# into C strings "static const char NAME[] = ...;" (each line with its
# newline), so that a test shows a grub.cfg as a grub.cfg.  The same idea
# as petitboot's test/parser/extract-config.awk.  A configuration cannot
# hold "/*" or "*/" (the compiler would say so), nor end without a newline.
BEGIN { name = "" }

# s as the inside of a C string literal ('?' escaped: no trigraphs)
function cstring(s,    i, c, out) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"" || c == "?")
			out = out "\\" c
		else
			out = out c
	}
	return out
}

name == "" && /^\/\* config [A-Za-z_][A-Za-z0-9_]*:$/ {
	name = substr($3, 1, length($3) - 1)
	printf "static const char %s[] =\n", name
	n = 0
	next
}
name != "" && /^\*\/$/ {
	if (n == 0)
		printf "\t\"\"\n"
	printf ";\n"
	name = ""
	next
}
name != "" {
	printf "\t\"%s\\n\"\n", cstring($0)
	n++
}
END {
	if (name != "") {
		printf "%s: config %s: no closing */\n", FILENAME, name > "/dev/stderr"
		exit 1
	}
}
