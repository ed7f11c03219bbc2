/* GRUB 2 script semantics: variables, conditions, tests, functions,
 * source/configfile, load_env, search, loops.  Each test has its config
 * inline; results are read back from entry titles/args. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_FIXTURES
#define FAKE_SELF "hd0,msdos1"
#include "fake_io.h"

static void ok(const char *text)
{
	if (parse_grub(&f, text, &cfg, &err) != 0)
		fail_msg("parse failed: %s", err.msg);
}

/* the titles of all entries joined with '|' */
static const char *titles(void)
{
	static char buf[4096];
	buf[0] = '\0';
	for (size_t i = 0; i < cfg.nentries; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, cfg.entries[i].title);
	}
	return buf;
}

static void test_set_unset_export(void **st)
{
	(void)st;
	ok("set a=1 b=2\nc=3\nexport a\nunset b\nset d\nmenuentry \"a=$a b=$b c=$c d=$d.\" {}\n");
	assert_string_equal(titles(), "a=1 b= c=3 d=.");
}

static void test_if_elif_else(void **st)
{
	(void)st;
	ok("x=2\n"
	   "if [ $x = 1 ]; then t=one; elif [ $x = 2 ]; then t=two; else t=other; fi\n"
	   "if [ $x = 5 ]; then u=five\nelse\n u=notfive\nfi\n"
	   "if false; then v=f; elif false; then v=g; fi\n"
	   "if ! false; then w=neg; fi\n"
	   "menuentry \"$t $u $v. $w\" {}\n");
	assert_string_equal(titles(), "two notfive . neg");
}

static void test_test_operators(void **st)
{
	(void)st;
	ok("function t { if \"$@\"; then r=\"${r}1\"; else r=\"${r}0\"; fi; }\n"
	   "empty=\n"
	   "t [ -n \"abc\" ]\nt [ -n \"$empty\" ]\nt [ -z \"$empty\" ]\nt [ -z $empty ]\n"
	   "t [ abc = abc ]\nt [ abc == abd ]\nt [ abc != abd ]\nt [ a \\< b ]\n"
	   "t [ 10 -gt 9 ]\nt [ 10 -lt 9 ]\nt [ 3 -eq 3 ]\nt [ 3 -ne 3 ]\nt [ 2 -le 2 ]\nt [ 2 -ge 3 ]\n"
	   "t [ vmlinuz-10 -pgt vmlinuz-9 ]\nt [ \"\" ]\nt [ x ]\nt test a = a -a b = c\n"
	   "t test a = a -o b = c\nt [ ! a = b ]\nt [ ( a = b ) -o x ]\nt [ a = a\n"
	   "menuentry \"$r\" {}\n");
	assert_string_equal(titles(), "1011101110101010101110");
}

static void test_file_tests(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/custom.cfg", "x");
	fake_add(&f, NULL, "/boot/grub/empty", "");
	fake_add(&f, "hd1,gpt1", "/efi/thing", "y");
	ok("function t { if \"$@\"; then r=\"${r}1\"; else r=\"${r}0\"; fi; }\n"
	   "t [ -f $prefix/custom.cfg ]\nt [ -e /boot/grub/custom.cfg ]\nt [ -f /boot/grub/missing ]\n"
	   "t [ -d /boot/grub ]\nt [ -d /boot/grub/custom.cfg ]\nt [ -s /boot/grub/empty ]\n"
	   "t [ -s /boot/grub/custom.cfg ]\nt [ -e (hd1,gpt1)/efi/thing ]\nt [ -e /efi/thing ]\n"
	   "set root=hd1,gpt1\nt [ -f /efi/thing ]\n"
	   "menuentry \"$r $prefix $config_directory\" {}\n");
	assert_string_equal(titles(), "1101001101 (hd0,msdos1)/boot/grub (hd0,msdos1)/boot/grub");
}

static void test_functions_positional(void **st)
{
	(void)st;
	ok("function two { set out=\"$# $1-$2 [$*]\"; return 3; set out=never; }\n"
	   "two a \"b c\" d\nst=$?\n"
	   "function sh { shift; set s=\"$1\"; }\nsh x y z\n"
	   "function outer { inner \"$1$1\"; }\nfunction inner { set in=\"<$1>\"; }\nouter q\n"
	   "menuentry \"$out $st $s $in\" {}\n");
	assert_string_equal(titles(), "3 a-b c [a b c d] 3 y <qq>");
}

static void test_menuentry_positional(void **st)
{
	(void)st;
	/* extra menuentry arguments become $2.. in the body (openSUSE snapshots) */
	ok("menuentry 'T' --class os 'arg two' --id x {\n linux /k title=$1 second=\"$2\" n=$#\n}\n");
	assert_string_equal(cfg.entries[0].args, "title=T second=arg two n=2");
	assert_string_equal(cfg.entries[0].id, "x");
}

static void test_entry_scope(void **st)
{
	(void)st;
	/* a set inside one entry does not leak into the next one; bodies see
	 * the environment at the end of the script, as when GRUB boots them */
	ok("set opts=early\n"
	   "menuentry a { set root=hd0,msdos2; set opts=mine; linux /ka $opts; }\n"
	   "menuentry b { linux /kb $opts; }\n"
	   "set opts=late\n");
	assert_string_equal(cfg.entries[0].kernel.dev, "hd0,msdos2");
	assert_string_equal(cfg.entries[0].args, "mine");
	assert_null(cfg.entries[1].kernel.dev);
	assert_string_equal(cfg.entries[1].args, "late");
	assert_string_equal(cfg.entries[0].root, "hd0,msdos2");
	assert_string_equal(cfg.entries[1].root, "hd0,msdos1");
}

static void test_source(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/custom.cfg", "set from_custom=yes\nmenuentry custom { linux /c; }\n");
	fake_add(&f, "hd1,gpt2", "/other.cfg", "menuentry other { linux /o; }\n");
	ok("menuentry first { linux /f; }\n"
	   "if [ -f ${config_directory}/custom.cfg ]; then source ${config_directory}/custom.cfg; fi\n"
	   ". (hd1,gpt2)/other.cfg\n"
	   "source /missing.cfg\nmissing=$?\n"
	   "menuentry \"$from_custom $missing\" {}\n");
	assert_string_equal(titles(), "first|custom|other|yes 1");
	assert_string_equal(cfg.entries[2].kernel.path, "/o");
	/* the entry from (hd1,gpt2) boots from $root, which is still ours */
	assert_null(cfg.entries[2].kernel.dev);
}

static void test_source_loop(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/a.cfg", "source /boot/grub/b.cfg\n");
	fake_add(&f, NULL, "/boot/grub/b.cfg", "\nsource $prefix/a.cfg\n");
	assert_int_equal(parse_grub(&f, "source $prefix/a.cfg\n", &cfg, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg,
			    "/boot/grub/a.cfg:1: source nested deeper than 10 (a loop): "
			    "/boot/grub/grub.cfg -> /boot/grub/a.cfg -> /boot/grub/b.cfg -> "
			    "/boot/grub/a.cfg -> /boot/grub/b.cfg -> /boot/grub/a.cfg -> "
			    "/boot/grub/b.cfg -> /boot/grub/a.cfg -> /boot/grub/b.cfg -> "
			    "/boot/grub/a.cfg -> /boot/grub/b.cfg");
}

static void test_configfile(void **st)
{
	(void)st;
	/* a top-level configfile replaces the menu and ends this script */
	fake_add(&f, "hd0,gpt2", "/boot/grub/grub.cfg",
		 "set default=1\nmenuentry real0 { linux /r0; }\nmenuentry real1 { linux /r1; }\n");
	f.searches[f.nsearches++] = (struct fake_search){"fs-uuid", "1234-ABCD", "hd0,gpt2"};
	ok("menuentry stub { linux /stub; }\n"
	   "search.fs_uuid 1234-ABCD root\nset prefix=($root)/boot/grub\n"
	   "configfile $prefix/grub.cfg\n"
	   "menuentry after { linux /after; }\n");
	assert_string_equal(titles(), "real0|real1");
	assert_int_equal(cfg.def, 1);
	assert_string_equal(cfg.entries[1].kernel.dev, "hd0,gpt2");
	assert_string_equal(cfg.entries[1].kernel.path, "/r1");
}

static const char env_block[] =
	"# GRUB Environment Block\nsaved_entry=second\nkernelopts=root=/dev/xvda2 ro\n"
	"esc=a\\\\b\\nc\nother=x\n##########";

static void test_load_env(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/grubenv", env_block);
	fake_add(&f, NULL, "/etc/alt.env", "# GRUB Environment Block\nother=alt\n");
	fake_add(&f, NULL, "/etc/bad.env", "not an env block\nother=bad\n");
	ok("if [ -s $prefix/grubenv ]; then load_env; fi\n"
	   "set default=\"${saved_entry}\"\n"
	   "load_env -f /etc/alt.env other\nload_env --file=/etc/bad.env\nbad=$?\n"
	   "menuentry first { linux /k1 $kernelopts; }\n"
	   "menuentry second --id second-id { linux /k2 $kernelopts other=$other bad=$bad; }\n"
	   "menuentry \"$esc\" {}\n");
	assert_int_equal(cfg.def, 1);
	assert_string_equal(cfg.entries[1].args, "root=/dev/xvda2 ro other=alt bad=1");
	assert_string_equal(cfg.entries[2].title, "a\\b\nc");
}

static void test_search(void **st)
{
	(void)st;
	f.searches[f.nsearches++] = (struct fake_search){"fs-uuid", "u-1", "hd0,gpt3"};
	f.searches[f.nsearches++] = (struct fake_search){"label", "BOOT", "hd1,msdos1"};
	fake_add(&f, "hd2", "/vmlinuz-marker", "k");
	ok("search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt9 --hint hd9 u-1\nr1=$root\n"
	   "search --label --set=lab BOOT\n"
	   "search --no-floppy --file --set=fdev /vmlinuz-marker\n"
	   "search.fs_label BOOT lab2\n"
	   "set root=keep\nsearch --fs-uuid --set=root no-such-uuid\nmiss=\"$? $root\"\n"
	   "menuentry \"$r1 $lab $fdev $lab2 $miss\" {}\n");
	assert_string_equal(titles(), "hd0,gpt3 hd1,msdos1 hd2 hd1,msdos1 1 keep");
}

static void test_loops(void **st)
{
	(void)st;
	ok("for k in 5.10 6.1 \"6.2 x\"; do menuentry \"L $k\" { linux /vmlinuz-$2; }; done\n"
	   "i=\nwhile [ \"$i\" != xxx ]; do i=\"${i}x\"; done\n"
	   "until [ \"$i\" = xxxxx ]; do i=\"${i}x\"; if [ $i = xxxx ]; then break; fi; done\n"
	   "for a in 1 2 3; do if [ $a = 2 ]; then continue; fi; s=\"$s$a\"; done\n"
	   "menuentry \"$i $s $k\" {}\n");
	assert_string_equal(titles(), "L 5.10|L 6.1|L 6.2 x|xxxx 13 6.2 x");
}

static void test_eval_and_ignored(void **st)
{
	(void)st;
	ok("insmod gzio\ninsmod part_gpt\necho hello\nterminal_output gfxterm\nserial --unit=0 --speed=9600\n"
	   "terminal_input serial console\nload_video\nset gfxmode=auto\nloadfont unicode\n"
	   "save_env saved_entry\nif keystatus --shift; then k=shift; else k=noshift; fi\n"
	   "eval \"e=evaluated\"\n"
	   "frobnicate --all\nu=$?\n"
	   "menuentry \"$k $e $u\" {}\n");
	assert_string_equal(titles(), "noshift evaluated 1");
}

static void test_submenu_scope(void **st)
{
	(void)st;
	/* a submenu body runs when the menu is built; its sets stay inside */
	ok("submenu 'S' extra {\n set inner=1\n menuentry \"in $1 $2\" { linux /k; }\n"
	   " submenu deeper { menuentry d { linux /d; } }\n}\nmenuentry \"out $inner.\" {}\n");
	assert_string_equal(titles(), "S|in S extra|deeper|d|out .");
	assert_true(cfg.entries[0].submenu);
	assert_int_equal(cfg.entries[1].parent, 0);
	assert_int_equal(cfg.entries[1].depth, 1);
	assert_int_equal(cfg.entries[2].parent, 0);
	assert_int_equal(cfg.entries[3].parent, 2);
	assert_int_equal(cfg.entries[3].depth, 2);
	assert_int_equal(cfg.entries[4].parent, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_unset_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_if_elif_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_test_operators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_tests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_functions_positional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_menuentry_positional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configfile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_and_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submenu_scope, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub2 semantics", tests, NULL, NULL);
}
