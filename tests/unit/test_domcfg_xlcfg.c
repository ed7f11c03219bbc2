/* xl.cfg / xm configuration files: syntax, boot keys, rewrite. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domcfg/domcfg.h"
#include "test_domcfg_xlcfg.configs.h"

static int parse(struct dl_domcfg *c, const char *s, struct dl_error *err)
{
	memset(c, 0, sizeof(*c));
	dl_error_clear(err);
	return dl_xlcfg_parse(c, "g.cfg", s, strlen(s), err);
}

static void ok(struct dl_domcfg *c, const char *s)
{
	struct dl_error err = { 0 };
	if (parse(c, s, &err))
		fail_msg("%s", err.msg);
}

static void bad(const char *s, const char *msg)
{
	struct dl_domcfg c;
	struct dl_error err = { 0 };
	int r = parse(&c, s, &err);
	dl_domcfg_free(&c);
	if (r == 0)
		fail_msg("accepted: %s", s);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

/* config guest:
# A PV guest booted by pygrub
name = "g1"
uuid = '596a5d2171f48fb2e068e2386a5c413e'
memory = 512
vcpus = 2 ; maxvcpus = 4
bootloader = "pygrub"
bootloader_args = [ '--entry=1', "-q", ]
disk = [ 'phy:/dev/vg/g1,xvda,w',
         'format=raw, vdev=xvdc, access=ro, devtype=cdrom, target=/srv/iso/inst.iso',
]
vif = [ 'mac=00:16:3e:00:00:01,bridge=br0' ]
on_crash = 'restart'
*/

static void test_basic(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, guest);
	assert_int_equal(c.dialect, DL_DIALECT_XL);
	assert_string_equal(c.name, "g1");
	assert_true(c.have_uuid);
	assert_int_equal(c.uuid[0], 0x59);
	assert_int_equal(c.uuid[15], 0x3e);
	assert_string_equal(c.bootloader, "pygrub");
	assert_int_equal(c.nbootloader_args, 2);
	assert_string_equal(c.bootloader_args[0], "--entry=1");
	assert_string_equal(c.bootloader_args[1], "-q");
	assert_int_equal(c.ndisks, 2);
	assert_string_equal(c.disks[0].target, "/dev/vg/g1");
	assert_string_equal(c.disks[0].vdev, "xvda");
	assert_true(c.disks[1].cdrom);
	assert_string_equal(c.disks[1].target, "/srv/iso/inst.iso");
	assert_int_equal(c.type, DL_DOMTYPE_UNSET);
	assert_null(c.kernel);
	size_t order[2];
	assert_int_equal(dl_domcfg_boot_order(&c, order), 2);
	assert_int_equal(order[0], 0);  /* PV: disks[0] */
	assert_int_equal(order[1], 1);
	dl_domcfg_free(&c);
}

/* config cfg_strings:


name = 'x' 'y'
*/

static void test_strings(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, "name = 'a\\'b\\\\c\\x41\\n\\t\\065'\nkernel = \"\"\"/p/with \"quotes\" \\ \"\"\"\n");
	assert_string_equal(c.name, "a'b\\cA\n\tA");  /* \065 is decimal 65 (xl quirk) */
	assert_string_equal(c.kernel, "/p/with \"quotes\" \\ ");
	dl_domcfg_free(&c);
	/* comments, continuation, += on strings and lists, CRLF */
	ok(&c, "extra = 'a' # c1\r\nextra += ' b'\r\nroot = \\\n '/dev/xvda1'\n"
	       "bootloader_args = ['x']\nbootloader_args += ['y']\n");
	assert_string_equal(c.cmdline, "root=/dev/xvda1 a b");
	assert_int_equal(c.nbootloader_args, 2);
	assert_string_equal(c.bootloader_args[1], "y");
	dl_domcfg_free(&c);
	/* the later setting wins */
	ok(&c, "kernel = '/a'\nkernel = '/b'\n");
	assert_string_equal(c.kernel, "/b");
	dl_domcfg_free(&c);
	bad("name = 'unterminated\n", "g.cfg:1: unterminated string");
	bad(cfg_strings, "g.cfg:3: expected end of line");
	/* other escapes are kept as written (virConf has none) */
	ok(&c, "name = \"mon\\:6321\\;x\\xZ\"\n");
	assert_string_equal(c.name, "mon\\:6321\\;x\\xZ");
	dl_domcfg_free(&c);
	bad("name \"x\"\n", "expected '='");
	bad("= 3\n", "expected a setting name");
	bad("disk = [ 'a' 'b' ]\n", "expected ',' or ']'");
	bad("kernel = ['/a']\n", "expected a string, not a list");
}

/* config cfg_cmdline_rule:
cmdline = 'console=hvc0'
root = '/dev/xvda1'
extra = 'quiet'
*/

static void test_cmdline_rule(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, cfg_cmdline_rule);
	assert_string_equal(c.cmdline, "console=hvc0");
	dl_domcfg_free(&c);
	ok(&c, "root = '/dev/xvda1'\nextra = 'quiet'\n");
	assert_string_equal(c.cmdline, "root=/dev/xvda1 quiet");
	dl_domcfg_free(&c);
	ok(&c, "root = '/dev/xvda1'\n");
	assert_string_equal(c.cmdline, "root=/dev/xvda1");
	dl_domcfg_free(&c);
	ok(&c, "extra = 'quiet'\n");
	assert_string_equal(c.cmdline, "quiet");
	dl_domcfg_free(&c);
}

static void test_types(void **s)
{
	(void)s;
	struct dl_domcfg c;
	static const struct { const char *cfg; enum dl_domtype t; } cases[] = {
		{ "type='pv'", DL_DOMTYPE_PV }, { "type='pvh'", DL_DOMTYPE_PVH },
		{ "type='hvm'", DL_DOMTYPE_HVM }, { "type='h'", DL_DOMTYPE_HVM },
		{ "type=''", DL_DOMTYPE_HVM }, /* strncmp(buf, "hvm", strlen(buf)) */
		{ "builder='hvm'", DL_DOMTYPE_HVM }, { "builder='generic'", DL_DOMTYPE_PV },
		{ "builder='linux'", DL_DOMTYPE_PV }, { "type='hvm'\nbuilder='hvm'", DL_DOMTYPE_HVM },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++) {
		ok(&c, cases[i].cfg);
		assert_int_equal(c.type, cases[i].t);
		dl_domcfg_free(&c);
	}
	bad("type = 'kvm'\n", "g.cfg:1: invalid domain type 'kvm'");
	bad("type = 'pv'\nbuilder = 'hvm'\n", "contradicting builder and type");
	bad("uuid = 'nope'\n", "invalid uuid");
	/* HVM kernel = hvmloader is the loader, not a kernel */
	ok(&c, "builder='hvm'\nkernel='/usr/lib/xen/boot/hvmloader'\n");
	assert_null(c.kernel);
	assert_string_equal(c.loader, "/usr/lib/xen/boot/hvmloader");
	dl_domcfg_free(&c);
}

static void test_bootloader_args_string(void **s)
{
	(void)s;
	struct dl_domcfg c;
	/* deprecated string form: split at whitespace like libxl, no quote handling */
	ok(&c, "bootloader_args = \"--entry='a b'  -q\"\n");
	assert_int_equal(c.nbootloader_args, 3);
	assert_string_equal(c.bootloader_args[0], "--entry='a");
	assert_string_equal(c.bootloader_args[1], "b'");
	assert_string_equal(c.bootloader_args[2], "-q");
	dl_domcfg_free(&c);
	/* xm/libvirt bootargs: shell-like (xend shlex.split) */
	ok(&c, "bootargs = \"--entry='xvda2:/boot/vmlinuz-xen,/boot/initrd-xen' -q\"\n");
	assert_int_equal(c.nbootloader_args, 2);
	assert_string_equal(c.bootloader_args[0], "--entry=xvda2:/boot/vmlinuz-xen,/boot/initrd-xen");
	dl_domcfg_free(&c);
}

static void test_boot_order(void **s)
{
	(void)s;
	struct dl_domcfg c;
	size_t order[4];
	const char *disks = "disk = [ '/img/disk.img,,hda', '/img/inst.iso,,hdc:cdrom,r', "
			    "',hdd:cdrom,r', 'file:/img/data,hdb,w' ]\n";
	char buf[512];
	snprintf(buf, sizeof(buf), "builder = 'hvm'\nboot = 'dc'\n%s", disks);
	ok(&c, buf);
	assert_string_equal(c.boot, "dc");
	assert_int_equal(dl_domcfg_boot_order(&c, order), 3);  /* the empty drive is left out */
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	assert_int_equal(order[2], 3);
	/* the bootloader gets the cdrom alone */
	assert_int_equal(dl_domcfg_boot_disks(&c, order), 1);
	assert_int_equal(order[0], 1);
	dl_domcfg_free(&c);
	/* HVM default: libxl's "cda": disks before the cdrom */
	snprintf(buf, sizeof(buf), "builder = 'hvm'\n%s", disks);
	ok(&c, buf);
	assert_int_equal(dl_domcfg_boot_order(&c, order), 3);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 1);
	/* booting the disk: every hard disk, no cdrom */
	assert_int_equal(dl_domcfg_boot_disks(&c, order), 2);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 3);
	dl_domcfg_free(&c);
	/* xl: c and any unknown character mean the disk */
	ok(&c, "boot = 'axdn'\n");
	assert_string_equal(c.boot, "acdn");
	dl_domcfg_free(&c);
	/* PV ignores boot=: the bootloader gets disks[0] */
	snprintf(buf, sizeof(buf), "type = 'pv'\nboot = 'd'\n%s", disks);
	ok(&c, buf);
	assert_int_equal(dl_domcfg_boot_disks(&c, order), 2);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 3);
	dl_domcfg_free(&c);
}

static char *rewrite(const char *in, const char *k, const char *r, const char *a)
{
	size_t n;
	struct dl_error err = { 0 };
	char *out = dl_domcfg_rewrite(DL_DIALECT_NONE, "g.cfg", in, strlen(in), k, r, a, &n, &err);
	if (!out)
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(out), n);
	return out;
}

/* config cfg_rewrite:
# A PV guest booted by pygrub
name = "g1"
uuid = '596a5d2171f48fb2e068e2386a5c413e'
memory = 512
vcpus = 2 ; maxvcpus = 4
kernel = "/var/lib/xen/boot_kernel.x"
ramdisk = "/var/lib/xen/boot_ramdisk.y"
cmdline = "root=/dev/xvda2 ro quiet"
disk = [ 'phy:/dev/vg/g1,xvda,w',
         'format=raw, vdev=xvdc, access=ro, devtype=cdrom, target=/srv/iso/inst.iso',
]
vif = [ 'mac=00:16:3e:00:00:01,bridge=br0' ]
on_crash = 'restart'
*/

/* config cfg_rewrite_2:
a = 1 \

kernel = "/k"
*/

/* config cfg_rewrite_3:
type='hvm'
firmware='ovmf'
kernel = "/k"
*/

static void test_rewrite(void **s)
{
	(void)s;
	char *out = rewrite(guest, "/var/lib/xen/boot_kernel.x", "/var/lib/xen/boot_ramdisk.y",
			    "root=/dev/xvda2 ro quiet");
	const char *want =
		cfg_rewrite;
	assert_string_equal(out, want);
	struct dl_domcfg c;
	ok(&c, out);
	assert_null(c.bootloader);
	assert_int_equal(c.nbootloader_args, 0);
	assert_string_equal(c.kernel, "/var/lib/xen/boot_kernel.x");
	assert_string_equal(c.cmdline, "root=/dev/xvda2 ro quiet");
	assert_int_equal(c.ndisks, 2);
	dl_domcfg_free(&c);
	free(out);
	/* no bootloader line (default pygrub), no final newline; old hints
	 * removed; a value with quotes; same-line settings kept */
	out = rewrite("name='x'\nroot='/dev/xvda1'; extra='a'\nmemory=1", "/k", NULL, "a \"b\" 'c'");
	assert_string_equal(out, "name='x'\nkernel = \"/k\"\ncmdline = \"a \\\"b\\\" 'c'\"\nmemory=1");
	ok(&c, out);
	assert_string_equal(c.cmdline, "a \"b\" 'c'");
	dl_domcfg_free(&c);
	free(out);
	out = rewrite("name='x'", "/k", "", NULL);
	assert_string_equal(out, "name='x'\nkernel = \"/k\"\n");
	free(out);
	/* a final backslash-newline must not swallow the new lines (fuzzer) */
	out = rewrite("a = 1 \\\n", "/k", NULL, NULL);
	assert_string_equal(out, cfg_rewrite_2);
	ok(&c, out);
	assert_string_equal(c.kernel, "/k");
	dl_domcfg_free(&c);
	free(out);
	/* pvgrub firmware conflicts with kernel: removed for PV */
	out = rewrite("type='pv'\nfirmware='pvgrub64'\n", "/k", NULL, NULL);
	assert_string_equal(out, "type='pv'\nkernel = \"/k\"\n");
	free(out);
	out = rewrite("type='hvm'\nfirmware='ovmf'\n", "/k", NULL, NULL);
	assert_string_equal(out, cfg_rewrite_3);
	free(out);
	/* broken input is refused, not rewritten */
	size_t n;
	struct dl_error err = { 0 };
	assert_null(dl_domcfg_rewrite(DL_DIALECT_XL, "g.cfg", "name = 'x\n", 10, "/k", NULL, NULL, &n, &err));
	assert_non_null(strstr(err.msg, "unterminated string"));
}

/* config cfg_quote:
kernel = "/k"
ramdisk = "/r"
cmdline = "ro quiet"
*/

static void test_quote(void **s)
{
	(void)s;
	char *q = dl_xl_quote("plain /path");
	assert_string_equal(q, "\"plain /path\"");
	free(q);
	q = dl_xl_quote("say \"hi\"");
	assert_string_equal(q, "'say \"hi\"'");
	free(q);
	q = dl_xl_quote("both \" and ' and \\ \n\x01");
	assert_string_equal(q, "\"both \\\" and ' and \\\\ \\n\\x01\"");
	/* and xl reads it back */
	char *cfg = dl_asprintf("cmdline = %s\n", q);
	struct dl_domcfg c;
	ok(&c, cfg);
	assert_string_equal(c.cmdline, "both \" and ' and \\ \n\x01");
	dl_domcfg_free(&c);
	free(cfg);
	free(q);
	struct dl_error err = { 0 };
	char *x = dl_format_xl("/k", "/r", "ro quiet", NULL, &err);
	assert_string_equal(x, cfg_quote);
	free(x);
	x = dl_format_xl("/k", NULL, "", "pvh", &err);
	assert_string_equal(x, "type = \"pvh\"\nkernel = \"/k\"\n");
	free(x);
}

static void test_roundtrip(void **s)
{
	(void)s;
	struct dl_domcfg a, b;
	ok(&a, guest);
	char *w = dl_domcfg_write(&a, DL_DIALECT_XL);
	ok(&b, w);
	assert_string_equal(a.name, b.name);
	assert_memory_equal(a.uuid, b.uuid, 16);
	assert_string_equal(a.bootloader, b.bootloader);
	assert_int_equal(a.nbootloader_args, b.nbootloader_args);
	for (size_t i = 0; i < a.nbootloader_args; i++)
		assert_string_equal(a.bootloader_args[i], b.bootloader_args[i]);
	assert_int_equal(a.ndisks, b.ndisks);
	for (size_t i = 0; i < a.ndisks; i++) {
		assert_string_equal(a.disks[i].target, b.disks[i].target);
		assert_string_equal(a.disks[i].vdev, b.disks[i].vdev);
		assert_int_equal(a.disks[i].format, b.disks[i].format);
		assert_int_equal(a.disks[i].access, b.disks[i].access);
		assert_int_equal(a.disks[i].cdrom, b.disks[i].cdrom);
	}
	free(w);
	dl_domcfg_free(&a);
	dl_domcfg_free(&b);
}

static void test_limits(void **s)
{
	(void)s;
	struct dl_domcfg c;
	struct dl_error err = { 0 };
	/* nesting */
	char deep[200];
	memset(deep, '[', 100);
	strcpy(deep + 100, "\n");
	char *cfg = dl_asprintf("x = %s", deep);
	assert_int_equal(parse(&c, cfg, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	dl_domcfg_free(&c);
	free(cfg);
	/* NUL */
	memset(&c, 0, sizeof(c));
	dl_error_clear(&err);
	assert_int_equal(dl_xlcfg_parse(&c, "g.cfg", "a = 1\n\0", 7, &err), -EBADMSG);
	assert_string_equal(err.msg, "g.cfg:2: NUL byte in configuration");
	dl_domcfg_free(&c);
	/* too many disks */
	struct dl_sbuf b = { 0 };
	dl_sbuf_adds(&b, "disk = [");
	for (int i = 0; i < DL_DOMCFG_MAX_DISKS + 1; i++)
		dl_sbuf_adds(&b, "'/x,,xvda',");
	dl_sbuf_adds(&b, "]\n");
	assert_int_equal(parse(&c, b.p, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	dl_domcfg_free(&c);
	dl_sbuf_free(&b);
	/* a bad disk names the line */
	bad("name='x'\ndisk = [ '/x,,xvda,w!!' ]\n", "g.cfg:2: disk spec '/x,,xvda,w!!': unknown value for access");
}

/* config cfg_disk_appended:
disk = [ '/a,,xvda', '/b,,xvdb', '/c,,xvdc', '/d,,xvdd',
         '/e,,xvde', '/f,,xvdf', '/g,,xvdg', '/h,,xvdh' ]
disk += '/i,,xvdi'
*/

/* config cfg_disk_appended_2:
disk = [ '/a,,xvda' ]
disk += [ '/b,,xvdb' ]
disk = '/c,,xvdc'
*/

static void test_disk_appended(void **s)
{
	(void)s;
	struct dl_domcfg c;
	/* "+=" a single disk after a list that filled its array: one more slot */
	ok(&c, cfg_disk_appended);
	assert_int_equal(c.ndisks, 9);
	assert_string_equal(c.disks[7].target, "/h");
	assert_string_equal(c.disks[8].target, "/i");
	assert_string_equal(c.disks[8].vdev, "xvdi");
	dl_domcfg_free(&c);
	/* a later plain "=" starts over */
	ok(&c, cfg_disk_appended_2);
	assert_int_equal(c.ndisks, 1);
	assert_string_equal(c.disks[0].target, "/c");
	dl_domcfg_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_cmdline_rule),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_bootloader_args_string),
		cmocka_unit_test(test_boot_order),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_disk_appended),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
