/* GRUB 2 script syntax: quoting, escapes, variables, comments, line
 * continuation, brace placement, syntax errors and caps.  Each test has
 * its config inline and asserts exact parsed values. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boot/internal.h"
#define FAKE_FIXTURES
#define FAKE_SELF "hd0,msdos1"
#include "fake_io.h"
#include "test_grub2_syntax.configs.h"

static void ok(const char *text)
{
	int r = parse_grub(&f, text, &cfg, &err);
	if (r != 0)
		fail_msg("parse failed: %s", err.msg);
}

static void bad(const char *text, int code, const char *msg)
{
	memset(&err, 0, sizeof(err));
	assert_int_equal(parse_grub(&f, text, &cfg, &err), -dl_code_errno(code));
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

/* config cfg_quotes:
menuentry 'single $x \n' {
 linux /k "a b" 'c  d' e\ f "q\"\$x\\" "\n"
}
*/

static void test_quotes(void **st)
{
	(void)st;
	ok(cfg_quotes);
	assert_int_equal(cfg.nentries, 1);
	assert_string_equal(cfg.entries[0].title, "single $x \\n");
	/* GRUB passes each word; linux joins them with one space */
	assert_string_equal(cfg.entries[0].args, "a b c  d e f q\"$x\\ \\n");
}

/* config cfg_variables:
set a=one
set b="two  three"
menuentry "$a-${a}x" {
 linux /k $b "$b" ${a}z $undefined "" x$
}
*/

static void test_variables(void **st)
{
	(void)st;
	ok(cfg_variables);
	assert_string_equal(cfg.entries[0].title, "one-onex");
	/* unquoted $b splits into two words, quoted keeps the blanks, an
	 * unset unquoted variable vanishes, "" is an empty word */
	assert_string_equal(cfg.entries[0].args, "two three two  three onez  x$");
}

/* config cfg_comments_and_continuation:
# comment
set x=a#b # trailing comment
menuentry t { # comment after brace
  linux /vmlinuz \
    root=/dev/xvda1 \
    ro
}
*/

static void test_comments_and_continuation(void **st)
{
	(void)st;
	ok(cfg_comments_and_continuation);
	assert_string_equal(cfg.entries[0].args, "root=/dev/xvda1 ro");
	dl_boot_config_free(&cfg);
	ok("set x=a#b\nmenuentry $x { linux /k; }\n");
	assert_string_equal(cfg.entries[0].title, "a#b");
}

/* config cfg_brace_without_space:
menuentry "b"{
 linux /vmlinuz-b
}
menuentry 'c'{ linux /vmlinuz-c; initrd /i-c; }
*/

static void test_brace_without_space(void **st)
{
	(void)st;
	/* pygrub cannot parse this: Grub2ConfigFile (Xen's
	 * tools/pygrub/src/GrubConf.py) wants a blank before the '{' */
	ok(cfg_brace_without_space);
	assert_int_equal(cfg.nentries, 2);
	assert_string_equal(cfg.entries[0].title, "b");
	assert_string_equal(cfg.entries[0].kernel.path, "/vmlinuz-b");
	assert_string_equal(cfg.entries[1].kernel.path, "/vmlinuz-c");
	assert_string_equal(cfg.entries[1].initrds[0].path, "/i-c");
}

static void test_semicolons_and_crlf(void **st)
{
	(void)st;
	ok("set a=1; set b=2\r\nif [ $a = 1 ]; then set t=yes; else set t=no; fi\r\n"
	   "menuentry \"$t$b\" {\r\n\tlinux /k ro\r\n}\r\n");
	assert_string_equal(cfg.entries[0].title, "yes2");
	assert_string_equal(cfg.entries[0].args, "ro");
}

/* config cfg_multiline_quotes:
menuentry 'a
b' {
linux /k
}
menuentry c {

}
*/

static void test_multiline_quotes(void **st)
{
	(void)st;
	ok(cfg_multiline_quotes);
	assert_string_equal(cfg.entries[0].title, "a\nb");
	assert_string_equal(cfg.entries[1].title, "c");
	assert_int_equal(cfg.entries[1].kind, DL_ENTRY_OTHER);
}

/* config cfg_syntax_errors:


fi
*/

static void test_syntax_errors(void **st)
{
	(void)st;
	bad("menuentry x {\n linux /k\n", DL_ESYNTAX,
	    "/boot/grub/grub.cfg:3: syntax error: unexpected end of file, missing '}'");
	bad("set a=1\n}\n", DL_ESYNTAX, "/boot/grub/grub.cfg:2: syntax error: unexpected '}'");
	bad("if true; then\n echo\n", DL_ESYNTAX,
	    "/boot/grub/grub.cfg:3: syntax error: unexpected end of file, missing 'elif'");
	bad(cfg_syntax_errors, DL_ESYNTAX, "/boot/grub/grub.cfg:3: syntax error: unexpected 'fi'");
	bad("set x='abc\n\n", DL_ESYNTAX, "/boot/grub/grub.cfg:1: unterminated single quote");
	bad("echo \"abc\n", DL_ESYNTAX, "/boot/grub/grub.cfg:1: unterminated double quote");
	bad("menuentry {\n}\n", DL_ESYNTAX, "/boot/grub/grub.cfg:1: syntax error: menuentry without a title");
	bad("function {\n}\n", DL_ESYNTAX, "/boot/grub/grub.cfg:1: syntax error: 'function' needs a name");
}

static void test_cap_words_per_line(void **st)
{
	(void)st;
	struct dl_sbuf sb = {0};
	dl_sbuf_add(&sb, "echo", 4);
	for (int i = 0; i < 1100; i++)
		dl_sbuf_add(&sb, " w", 2);
	dl_sbuf_add(&sb, "\n", 1);
	bad(sb.p, DL_ELIMIT, "/boot/grub/grub.cfg:1: more than 1024 words in one command");
	dl_sbuf_free(&sb);
}

static void test_cap_file_size(void **st)
{
	(void)st;
	size_t n = DL_BOOT_MAX_FILE + 1;
	char *big = malloc(n);
	memset(big, '#', n);
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_parse_as(&dl_grub2_parser, "/grub.cfg", big, n, &io, &cfg, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "/grub.cfg: larger than 1048576 bytes");
	free(big);
}

/* config cfg_cap_entries:
for i in 1 2 3 4 5 6 7 8; do for j in 1 2 3 4 5 6 7 8; do for k in 1 2 3 4 5 6 7 8; do
 for l in 1 2 3 4 5 6 7 8 9; do
  menuentry "$i$j$k$l" { linux /k; }
 done; done; done; done
*/

static void test_cap_entries(void **st)
{
	(void)st;
	bad(cfg_cap_entries,
	    DL_ELIMIT, "/boot/grub/grub.cfg:3: more than 4096 menu entries");
}

static void test_cap_expansion(void **st)
{
	(void)st;
	/* doubling a variable: 2^17 bytes after 17 rounds */
	bad("set x=0123456789abcdef\n"
	    "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do set x=\"$x$x\"; done\n",
	    DL_ELIMIT, "/boot/grub/grub.cfg:2: expanded word longer than 65536 bytes");
}

/* config cfg_cap_expansion_total:
set x=0123456789abcdef
for i in 1 2 3 4 5 6 7 8 9 10 11; do set x="$x$x"; done
while true; do y="$x"; done
*/

static void test_cap_expansion_total(void **st)
{
	(void)st;
	/* each word stays under 64 KiB, but the loop would copy gigabytes */
	bad(cfg_cap_expansion_total,
	    DL_ELIMIT, "/boot/grub/grub.cfg:3: expansions produced more than 64 MiB");
}

/* config cfg_cap_loop:
while true; do
 echo spin
done
*/

static void test_cap_loop(void **st)
{
	(void)st;
	bad(cfg_cap_loop, DL_ELIMIT,
	    "/boot/grub/grub.cfg:2: more than 200000 commands executed (endless loop?)");
}

/* config cfg_cap_recursion:
function f {
  f
}
f
*/

static void test_cap_recursion(void **st)
{
	(void)st;
	bad(cfg_cap_recursion, DL_ELIMIT,
	    "/boot/grub/grub.cfg:2: function calls nested deeper than 32 (f)");
}

static void test_cap_nesting(void **st)
{
	(void)st;
	struct dl_sbuf sb = {0};
	for (int i = 0; i < 70; i++)
		dl_sbuf_add(&sb, "if true; then\n", 14);
	for (int i = 0; i < 70; i++)
		dl_sbuf_add(&sb, "fi\n", 3);
	bad(sb.p, DL_ELIMIT, "/boot/grub/grub.cfg:64: blocks nested deeper than 64");
	dl_sbuf_free(&sb);
}

static void sbs(struct dl_sbuf *sb, const char *t)
{
	dl_sbuf_add(sb, t, strlen(t));
}

static void test_cap_exec_nesting(void **st)
{
	(void)st;
	/* 31 calls, each inside 9 nested ifs: within each cap, not together */
	struct dl_sbuf sb = {0};
	sbs(&sb, "function f {\n");
	for (int i = 0; i < 9; i++)
		sbs(&sb, "if true; then\n");
	sbs(&sb, "n=\"$n.\"; if [ $n != ............................... ]; then f; fi\n");
	for (int i = 0; i < 9; i++)
		sbs(&sb, "fi\n");
	sbs(&sb, "}\nf\n");
	bad(sb.p, DL_ELIMIT, "/boot/grub/grub.cfg:3: statements nested deeper than 256");
	dl_sbuf_free(&sb);
}

static void test_cap_variables(void **st)
{
	(void)st;
	bad("for a in 1 2 3 4; do for b in 1 2 3 4 5 6 7 8; do for c in 1 2 3 4 5 6 7 8; do\n"
	    " for d in 1 2 3 4 5 6 7 8; do v$a$b$c$d=x; done; done; done; done\n",
	    DL_ELIMIT, "/boot/grub/grub.cfg:2: more than 1024 variables");
}

static void test_nul_byte(void **st)
{
	(void)st;
	struct dl_boot_io io = fake_io(&f);
	assert_int_equal(dl_boot_parse_as(&dl_grub2_parser, "/g.cfg", "set a=1\0", 8, &io, &cfg, &err), -EBADMSG);
	assert_string_equal(err.msg, "/g.cfg: contains a NUL byte");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_variables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_and_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_brace_without_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_semicolons_and_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiline_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_words_per_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_file_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_expansion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_expansion_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_recursion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_exec_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_variables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub2 syntax", tests, NULL, NULL);
}
