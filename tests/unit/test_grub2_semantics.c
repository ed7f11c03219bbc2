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
#include "test_grub2_semantics.configs.h"

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

/* config cfg_set_unset_export:
set a=1 b=2
c=3
export a
unset b
set d
menuentry "a=$a b=$b c=$c d=$d." {}
*/

static void test_set_unset_export(void **st)
{
	(void)st;
	ok(cfg_set_unset_export);
	assert_string_equal(titles(), "a=1 b= c=3 d=.");
}

/* config cfg_if_elif_else:
x=2
if [ $x = 1 ]; then t=one; elif [ $x = 2 ]; then t=two; else t=other; fi
if [ $x = 5 ]; then u=five
else
 u=notfive
fi
if false; then v=f; elif false; then v=g; fi
if ! false; then w=neg; fi
menuentry "$t $u $v. $w" {}
*/

static void test_if_elif_else(void **st)
{
	(void)st;
	ok(cfg_if_elif_else);
	assert_string_equal(titles(), "two notfive . neg");
}

/* config cfg_test_operators:
function t { if "$@"; then r="${r}1"; else r="${r}0"; fi; }
empty=
t [ -n "abc" ]
t [ -n "$empty" ]
t [ -z "$empty" ]
t [ -z $empty ]
t [ abc = abc ]
t [ abc == abd ]
t [ abc != abd ]
t [ a \< b ]
t [ 10 -gt 9 ]
t [ 10 -lt 9 ]
t [ 3 -eq 3 ]
t [ 3 -ne 3 ]
t [ 2 -le 2 ]
t [ 2 -ge 3 ]
t [ vmlinuz-10 -pgt vmlinuz-9 ]
t [ "" ]
t [ x ]
t test a = a -a b = c
t test a = a -o b = c
t [ ! a = b ]
t [ ( a = b ) -o x ]
t [ a = a
menuentry "$r" {}
*/

static void test_test_operators(void **st)
{
	(void)st;
	ok(cfg_test_operators);
	assert_string_equal(titles(), "1011101110101010101110");
}

/* config cfg_file_tests:
function t { if "$@"; then r="${r}1"; else r="${r}0"; fi; }
t [ -f $prefix/custom.cfg ]
t [ -e /boot/grub/custom.cfg ]
t [ -f /boot/grub/missing ]
t [ -d /boot/grub ]
t [ -d /boot/grub/custom.cfg ]
t [ -s /boot/grub/empty ]
t [ -s /boot/grub/custom.cfg ]
t [ -e (hd1,gpt1)/efi/thing ]
t [ -e /efi/thing ]
set root=hd1,gpt1
t [ -f /efi/thing ]
menuentry "$r $prefix $config_directory" {}
*/

static void test_file_tests(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/custom.cfg", "x");
	fake_add(&f, NULL, "/boot/grub/empty", "");
	fake_add(&f, "hd1,gpt1", "/efi/thing", "y");
	ok(cfg_file_tests);
	assert_string_equal(titles(), "1101001101 (hd0,msdos1)/boot/grub (hd0,msdos1)/boot/grub");
}

/* config cfg_functions_positional:
function two { set out="$# $1-$2 [$*]"; return 3; set out=never; }
two a "b c" d
st=$?
function sh { shift; set s="$1"; }
sh x y z
function outer { inner "$1$1"; }
function inner { set in="<$1>"; }
outer q
menuentry "$out $st $s $in" {}
*/

static void test_functions_positional(void **st)
{
	(void)st;
	ok(cfg_functions_positional);
	assert_string_equal(titles(), "3 a-b c [a b c d] 3 y <qq>");
}

/* config cfg_menuentry_positional:
menuentry 'T' --class os 'arg two' --id x {
 linux /k title=$1 second="$2" n=$#
}
*/

static void test_menuentry_positional(void **st)
{
	(void)st;
	/* extra menuentry arguments become $2.. in the body (openSUSE snapshots) */
	ok(cfg_menuentry_positional);
	assert_string_equal(cfg.entries[0].args, "title=T second=arg two n=2");
	assert_string_equal(cfg.entries[0].id, "x");
}

/* config cfg_entry_scope:
set opts=early
menuentry a { set root=hd0,msdos2; set opts=mine; linux /ka $opts; }
menuentry b { linux /kb $opts; }
set opts=late
*/

static void test_entry_scope(void **st)
{
	(void)st;
	/* a set inside one entry does not leak into the next one; bodies see
	 * the environment at the end of the script, as when GRUB boots them */
	ok(cfg_entry_scope);
	assert_string_equal(cfg.entries[0].kernel.dev, "hd0,msdos2");
	assert_string_equal(cfg.entries[0].args, "mine");
	assert_null(cfg.entries[1].kernel.dev);
	assert_string_equal(cfg.entries[1].args, "late");
	assert_string_equal(cfg.entries[0].root, "hd0,msdos2");
	assert_string_equal(cfg.entries[1].root, "hd0,msdos1");
}

/* config cfg_source:
menuentry first { linux /f; }
if [ -f ${config_directory}/custom.cfg ]; then source ${config_directory}/custom.cfg; fi
. (hd1,gpt2)/other.cfg
source /missing.cfg
missing=$?
menuentry "$from_custom $missing" {}
*/

static void test_source(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/custom.cfg", "set from_custom=yes\nmenuentry custom { linux /c; }\n");
	fake_add(&f, "hd1,gpt2", "/other.cfg", "menuentry other { linux /o; }\n");
	ok(cfg_source);
	assert_string_equal(titles(), "first|custom|other|yes 1");
	assert_string_equal(cfg.entries[2].kernel.path, "/o");
	/* the entry from (hd1,gpt2) boots from $root, which is still ours */
	assert_null(cfg.entries[2].kernel.dev);
}

static char logged[2048];

static void capture(void *ctx, int level, const char *msg)
{
	(void)ctx;
	size_t n = strlen(logged);
	if (level == DL_LOG_WARN)
		snprintf(logged + n, sizeof(logged) - n, "%s;", msg);
}

/* A source loop: GRUB has no limit of its own (grub_cmd_source ->
 * grub_normal_execute nests until memory runs out); ours is a warning
 * and the source fails like any command (execute.c
 * grub_script_execute_cmdline sets $? and the script goes on), so
 * entries before and after stay. */
static void test_source_loop(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/a.cfg", "source /boot/grub/b.cfg\n");
	fake_add(&f, NULL, "/boot/grub/b.cfg", "\nsource $prefix/a.cfg\n");
	logged[0] = '\0';
	dl_log_set(capture, NULL, DL_LOG_WARN);
	int r = parse_grub(&f, "menuentry before { linux /b; }\nsource $prefix/a.cfg\n"
			       "menuentry \"after $?\" { linux /a; }\n", &cfg, &err);
	dl_log_set(NULL, NULL, DL_LOG_WARN);
	assert_int_equal(r, 0);
	assert_string_equal(titles(), "before|after 1");
	assert_string_equal(logged,
			    "/boot/grub/a.cfg:1: source nested deeper than 10 (a loop), not read: "
			    "/boot/grub/grub.cfg -> /boot/grub/a.cfg -> /boot/grub/b.cfg -> "
			    "/boot/grub/a.cfg -> /boot/grub/b.cfg -> /boot/grub/a.cfg -> "
			    "/boot/grub/b.cfg -> /boot/grub/a.cfg -> /boot/grub/b.cfg -> "
			    "/boot/grub/a.cfg -> /boot/grub/b.cfg;");
}

/* config cfg_source_failures:
function helper { linux /from-helper; }
menuentry 'custom one' { helper; }
set in_custom=1
no_such_command --flag
false
fi
menuentry 'custom two' { linux /two; }
}
menuentry 'custom three' {
	linux /three
	if true; then
}
menuentry 'custom four' { linux /four; }
*/

/* A sourced file with failing commands and syntax errors: GRUB's
 * read_config_file (normal/main.c) parses and runs one top-level statement
 * at a time, printing each error (grub_print_error) and going on, and
 * grub_script_execute_cmdline (script/execute.c) only sets $? for a
 * failing or unknown command.  So entries before and after each failure
 * stay, a function defined in the sourced file is callable afterwards
 * (grub_script_function_create keeps it in the global list), and only the
 * statement with the syntax error is lost ('custom three', whose block
 * swallows the lines up to the next '}'). */
static void test_source_failures(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/custom.cfg", cfg_source_failures);
	logged[0] = '\0';
	dl_log_set(capture, NULL, DL_LOG_WARN);
	int r = parse_grub(&f, "menuentry first { linux /1; }\nsource $prefix/custom.cfg\n"
			       "menuentry \"last $in_custom\" { helper; }\n", &cfg, &err);
	dl_log_set(NULL, NULL, DL_LOG_WARN);
	assert_int_equal(r, 0);
	assert_string_equal(titles(), "first|custom one|custom two|custom four|last 1");
	assert_string_equal(cfg.entries[1].kernel.path, "/from-helper");
	assert_string_equal(cfg.entries[4].kernel.path, "/from-helper");
	assert_string_equal(logged, "/boot/grub/custom.cfg:6: syntax error: unexpected 'fi' "
				    "(statement skipped, as GRUB does);");
	dl_boot_config_free(&cfg);
	/* the same in grub.cfg itself; with nothing left to boot the syntax
	 * error is the error */
	assert_int_equal(parse_grub(&f, "menuentry x {\n linux /k\n", &cfg, &err), -EBADMSG);
	assert_int_equal(err.code, DL_ESYNTAX);
}

/* config cfg_configfile:
set default=1
menuentry real0 { linux /r0; }
menuentry real1 { linux /r1; }
*/

/* config cfg_configfile_2:
menuentry stub { linux /stub; }
search.fs_uuid 1234-ABCD root
set prefix=($root)/boot/grub
configfile $prefix/grub.cfg
menuentry after { linux /after; }
*/

static void test_configfile(void **st)
{
	(void)st;
	/* a top-level configfile replaces the menu and ends this script */
	fake_add(&f, "hd0,gpt2", "/boot/grub/grub.cfg",
		 cfg_configfile);
	f.searches[f.nsearches++] = (struct fake_search){"fs-uuid", "1234-ABCD", "hd0,gpt2"};
	ok(cfg_configfile_2);
	assert_string_equal(titles(), "real0|real1");
	assert_int_equal(cfg.def, 1);
	assert_string_equal(cfg.entries[1].kernel.dev, "hd0,gpt2");
	assert_string_equal(cfg.entries[1].kernel.path, "/r1");
}

static const char env_block[] =
	"# GRUB Environment Block\nsaved_entry=second\nkernelopts=root=/dev/xvda2 ro\n"
	"esc=a\\\\b\\nc\nother=x\n##########";

/* config cfg_load_env:
if [ -s $prefix/grubenv ]; then load_env; fi
set default="${saved_entry}"
load_env -f /etc/alt.env other
load_env --file=/etc/bad.env
bad=$?
menuentry first { linux /k1 $kernelopts; }
menuentry second --id second-id { linux /k2 $kernelopts other=$other bad=$bad; }
menuentry "$esc" {}
*/

static void test_load_env(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/grubenv", env_block);
	fake_add(&f, NULL, "/etc/alt.env", "# GRUB Environment Block\nother=alt\n");
	fake_add(&f, NULL, "/etc/bad.env", "not an env block\nother=bad\n");
	ok(cfg_load_env);
	assert_int_equal(cfg.def, 1);
	assert_string_equal(cfg.entries[1].args, "root=/dev/xvda2 ro other=alt bad=1");
	assert_string_equal(cfg.entries[2].title, "a\\b\nc");
}

/* config cfg_search:
search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt9 --hint hd9 u-1
r1=$root
search --label --set=lab BOOT
search --no-floppy --file --set=fdev /vmlinuz-marker
search.fs_label BOOT lab2
set root=keep
search --fs-uuid --set=root no-such-uuid
miss="$? $root"
menuentry "$r1 $lab $fdev $lab2 $miss" {}
*/

static void test_search(void **st)
{
	(void)st;
	f.searches[f.nsearches++] = (struct fake_search){"fs-uuid", "u-1", "hd0,gpt3"};
	f.searches[f.nsearches++] = (struct fake_search){"label", "BOOT", "hd1,msdos1"};
	fake_add(&f, "hd2", "/vmlinuz-marker", "k");
	ok(cfg_search);
	assert_string_equal(titles(), "hd0,gpt3 hd1,msdos1 hd2 hd1,msdos1 1 keep");
}

/* config cfg_loops:
for k in 5.10 6.1 "6.2 x"; do menuentry "L $k" { linux /vmlinuz-$2; }; done
i=
while [ "$i" != xxx ]; do i="${i}x"; done
until [ "$i" = xxxxx ]; do i="${i}x"; if [ $i = xxxx ]; then break; fi; done
for a in 1 2 3; do if [ $a = 2 ]; then continue; fi; s="$s$a"; done
menuentry "$i $s $k" {}
*/

static void test_loops(void **st)
{
	(void)st;
	ok(cfg_loops);
	assert_string_equal(titles(), "L 5.10|L 6.1|L 6.2 x|xxxx 13 6.2 x");
}

/* config cfg_eval_and_ignored:
insmod gzio
insmod part_gpt
echo hello
terminal_output gfxterm
serial --unit=0 --speed=9600
terminal_input serial console
load_video
set gfxmode=auto
loadfont unicode
save_env saved_entry
if keystatus --shift; then k=shift; else k=noshift; fi
eval "e=evaluated"
frobnicate --all
u=$?
menuentry "$k $e $u" {}
*/

static void test_eval_and_ignored(void **st)
{
	(void)st;
	ok(cfg_eval_and_ignored);
	assert_string_equal(titles(), "noshift evaluated 1");
}

/* config cfg_submenu_scope:
submenu 'S' extra {
 set inner=1
 menuentry "in $1 $2" { linux /k; }
 submenu deeper { menuentry d { linux /d; } }
}
menuentry "out $inner." {}
*/

static void test_submenu_scope(void **st)
{
	(void)st;
	/* a submenu body runs when the menu is built; its sets stay inside */
	ok(cfg_submenu_scope);
	assert_string_equal(titles(), "S|in S extra|deeper|d|out .");
	assert_true(cfg.entries[0].submenu);
	assert_int_equal(cfg.entries[1].parent, 0);
	assert_int_equal(cfg.entries[1].depth, 1);
	assert_int_equal(cfg.entries[2].parent, 0);
	assert_int_equal(cfg.entries[3].parent, 2);
	assert_int_equal(cfg.entries[3].depth, 2);
	assert_int_equal(cfg.entries[4].parent, -1);
}

/* config cfg_regexp:
set iso_path=/isos/debian-live-12.2.0-amd64.iso
if regexp --set=1:iso_name --set 2:iso_ver '^.+/(debian-live)-([0-9.]+)-amd64[.]iso$' "$iso_path"; then
  menuentry "$iso_name $iso_ver" { linux /live/vmlinuz findiso=$iso_path; }
fi
if regexp '^/other' "$iso_path"; then menuentry wrong { linux /w; }; fi
regexp --set=2:unset_me '(a)|(b)' a
menuentry "status $? [$unset_me]" { linux /s; }
if regexp '(a)\1' aa; then menuentry backref { linux /b; }; fi
*/

/* regexp (grub-core/commands/regexp.c grub_cmd_regexp), which live ISOs'
 * loopback.cfg use: POSIX extended, --set [N:]VAR per submatch, status 1
 * without a match; back-references refused (status 1). */
static void test_regexp(void **st)
{
	(void)st;
	ok(cfg_regexp);
	assert_string_equal(titles(), "debian-live 12.2.0|status 0 []");
	assert_string_equal(cfg.entries[0].args, "findiso=/isos/debian-live-12.2.0-amd64.iso");
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
		cmocka_unit_test_setup_teardown(test_source_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regexp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configfile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_and_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submenu_scope, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub2 semantics", tests, NULL, NULL);
}
