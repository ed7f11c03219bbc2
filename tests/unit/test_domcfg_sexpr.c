/* xend SEXPR: PV and HVM boot, devices, quoting, rewrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define DOMCFG_NAME "g.sxp"
#define DOMCFG_DIALECT DL_DIALECT_SEXPR
#include "domcfg_fixtures.h"
#include "test_domcfg_sexpr.configs.h"

/* sexpr2xml-pv-bootloader style, as xend hands it out */
/* config pv:
(domain (domid 6)(name 'pvtest')(uuid '596a5d2171f48fb2e068e2386a5c413e')
  (memory 420)(maxmem 420)
  (bootloader '/usr/bin/pygrub')(bootloader_args '-q --entry="xvda2:/boot/vmlinuz-xen"')
  (image (linux (kernel '/var/lib/xen/vmlinuz.2Dn2YT')(ramdisk '/var/lib/xen/initrd.img.0u-Vhq')
                (args ' method=http://download.fedora.devel.redhat.com/')(root '/dev/xvda1')))
  (device (vbd (dev 'xvda')(uname 'file:/root/some.img')(mode 'w')))
  (device (tap (dev 'xvdb')(uname 'tap:qcow:/root/other.img')(mode 'w!')(bootable 1)))
  (device (tap2 (dev 'xvdc')(uname 'tap:aio:/root/third.img')(mode 'r')))
  (device (vif (mac '00:16:3e:00:00:01')))
)
*/

static void test_pv(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, pv);
	assert_string_equal(c.name, "pvtest");
	assert_true(c.have_uuid);
	assert_int_equal(c.uuid[1], 0x6a);
	assert_int_equal(c.type, DL_DOMTYPE_PV);
	assert_string_equal(c.bootloader, "/usr/bin/pygrub");
	assert_int_equal(c.nbootloader_args, 2);
	assert_string_equal(c.bootloader_args[0], "-q");
	assert_string_equal(c.bootloader_args[1], "--entry=xvda2:/boot/vmlinuz-xen");
	assert_string_equal(c.kernel, "/var/lib/xen/vmlinuz.2Dn2YT");
	assert_string_equal(c.ramdisk, "/var/lib/xen/initrd.img.0u-Vhq");
	/* xend prepends root= when args lack one */
	assert_string_equal(c.cmdline, "root=/dev/xvda1  method=http://download.fedora.devel.redhat.com/");
	assert_int_equal(c.ndisks, 3);
	assert_string_equal(c.disks[0].driver, "file");
	assert_int_equal(c.disks[0].format, DL_DFMT_RAW);
	assert_int_equal(c.disks[0].access, DL_ACCESS_RW);
	/* tap:qcow <-> <driver name='tap' type='qcow'> */
	assert_string_equal(c.disks[1].driver, "tap");
	assert_int_equal(c.disks[1].format, DL_DFMT_QCOW);
	assert_string_equal(c.disks[1].target, "/root/other.img");
	assert_int_equal(c.disks[1].access, DL_ACCESS_SHARED);
	assert_true(c.disks[1].bootable);
	/* a tap: uname inside (tap2 ...) is the tap2 driver; aio is raw */
	assert_string_equal(c.disks[2].driver, "tap2");
	assert_int_equal(c.disks[2].format, DL_DFMT_RAW);
	assert_int_equal(c.disks[2].access, DL_ACCESS_RO);
	/* (bootable 1) boots first */
	size_t order[3];
	assert_int_equal(dl_domcfg_boot_order(&c, order), 3);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	assert_int_equal(order[2], 2);
	dl_domcfg_free(&c);
}

/* sexpr2xml-fv / the seed's HVM cdrom and floppy images */
/* config hvm:
(domain (domid 3)(name 'fvtest')(uuid cc2315e7-d26a-307a-438c-6d188ec4c09c)
  (image (hvm (kernel '/usr/lib/xen/boot/hvmloader')(device_model '/usr/lib/xen/bin/qemu-dm')
    (boot d)(cdrom '/root/boot.iso')(fda '/root/diskboot.img')(acpi 1)))
  (device (vbd (dev 'ioemu:hda')(uname 'phy:/dev/MainVG/GuestLV')(mode 'w')))
  (device (vbd (dev 'hdd:cdrom')(uname 'file:/root/other.iso')(mode 'r')))
  (device (vbd (dev hdb:cdrom) (mode r) (driver paravirtualised)))
)
*/

static void test_hvm(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, hvm);
	assert_int_equal(c.type, DL_DOMTYPE_HVM);
	assert_true(c.have_uuid);
	assert_int_equal(c.uuid[0], 0xcc);
	assert_null(c.kernel);
	assert_string_equal(c.loader, "/usr/lib/xen/boot/hvmloader");
	assert_string_equal(c.boot, "d");
	assert_int_equal(c.ndisks, 5);
	/* devices first, in order */
	assert_string_equal(c.disks[0].vdev, "hda");
	assert_true(c.disks[0].block);
	assert_string_equal(c.disks[0].target, "/dev/MainVG/GuestLV");
	assert_string_equal(c.disks[1].vdev, "hdd");
	assert_true(c.disks[1].cdrom);
	assert_string_equal(c.disks[2].vdev, "hdb");
	assert_null(c.disks[2].target);
	assert_int_equal(c.disks[2].format, DL_DFMT_EMPTY);
	/* then the image's drives: (cdrom path) -> hdc cdrom; (fda path) -> floppy */
	assert_string_equal(c.disks[3].vdev, "hdc");
	assert_true(c.disks[3].cdrom);
	assert_string_equal(c.disks[3].target, "/root/boot.iso");
	assert_int_equal(c.disks[3].access, DL_ACCESS_RO);
	assert_string_equal(c.disks[4].vdev, "fda");
	assert_true(c.disks[4].floppy);
	/* (boot d): the cdrom images first, then the rest */
	size_t order[5];
	assert_int_equal(dl_domcfg_boot_order(&c, order), 4);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 4);
	dl_domcfg_free(&c);
	/* newer xend lists the image cdrom as a device too: one drive */
	ok(&c, "(domain (image (hvm (kernel /l)(cdrom /root/boot.iso)))"
	       "(device (vbd (dev hdc:cdrom)(uname file:/root/boot.iso)(mode r))))");
	assert_int_equal(c.ndisks, 1);
	assert_true(c.disks[0].cdrom);
	dl_domcfg_free(&c);
}

static void test_boot_chars(void **s)
{
	(void)s;
	struct dl_domcfg c;
	static const struct { const char *in, *want; } cases[] = {
		{ "a", "a" }, { "c", "c" }, { "d", "d" }, { "n", "n" }, { "dc", "dc" },
		{ "xdzc", "dc" },  /* SEXPR ignores unknown characters */
		{ "acdnc", "acdn" }, /* at most 4 */
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++) {
		char buf[200];
		snprintf(buf, sizeof(buf), "(vm (image (hvm (kernel '/l')(boot %s))))", cases[i].in);
		ok(&c, buf);
		assert_string_equal(c.boot, cases[i].want);
		dl_domcfg_free(&c);
	}
	/* direct kernel HVM: (loader) present, kernel is the kernel */
	ok(&c, "(vm (image (hvm (kernel '/vmlinuz')(ramdisk '/initrd')(args 'ro')(loader '/hvmloader'))))");
	assert_string_equal(c.kernel, "/vmlinuz");
	assert_string_equal(c.ramdisk, "/initrd");
	assert_string_equal(c.cmdline, "ro");
	assert_string_equal(c.loader, "/hvmloader");
	dl_domcfg_free(&c);
}

static void test_lexical(void **s)
{
	(void)s;
	struct dl_domcfg c;
	/* bare and quoted atoms, escapes, continuation, (key ) empty */
	ok(&c, "(vm (name \"dq \\\"x\\\"\")(uuid '59 6a 5d 21-71f4-8fb2-e068-e2386a5c413e')\\\n"
	       " (bootloader )(image (linux (kernel /boot/vmlinuz)(args 'a\\'b\\\\c\\nd\\x41\\101'))))");
	assert_string_equal(c.name, "dq \"x\"");
	assert_true(c.have_uuid);
	assert_int_equal(c.uuid[3], 0x21);
	assert_string_equal(c.bootloader, "");
	assert_string_equal(c.kernel, "/boot/vmlinuz");
	assert_string_equal(c.cmdline, "a'b\\c\ndAA");
	dl_domcfg_free(&c);
	bad("(domain (name 'x')", DL_ESYNTAX, "not closed");
	bad("(domain (name 'x')))", DL_ESYNTAX, "unbalanced ')'");
	bad("(domain (name 'x)", DL_ESYNTAX, "unterminated quoted atom");
	bad("(domain) (domain)", DL_ESYNTAX, "text after the end");
	bad("(image (linux))", DL_ESYNTAX, "expected (domain ...) or (vm ...)");
	bad("(domain (uuid 'xyz'))", DL_ESYNTAX, "g.sxp:1: invalid uuid");
	bad("(domain\n (device (vbd (uname 'file:/x'))))", DL_ESYNTAX, "g.sxp:2: vbd device has no dev");
	bad("(domain (device (vbd (dev xvda))))", DL_ESYNTAX, "has no uname");
	bad("(domain (device (tap (dev ':cdrom'))))", DL_ESYNTAX, "tap device has an empty dev ':cdrom'");
	bad("(domain (device (vbd (dev xvda)(uname '/x'))))", DL_ESYNTAX, "no driver prefix");
	ok(&c, "(domain (device (tap (dev xvda)(uname 'tap:vmdk:/x'))(mode r)))");
	assert_int_equal(c.disks[0].format, DL_DFMT_OTHER);
	assert_string_equal(c.disks[0].format_name, "vmdk");
	dl_domcfg_free(&c);
	ok(&c, "(domain (device (tap2 (dev xvda)(uname 'tap2:tapdisk:qcow2:/x'))(mode r)))");
	assert_int_equal(c.disks[0].format, DL_DFMT_QCOW2);
	assert_string_equal(c.disks[0].target, "/x");
	assert_string_equal(c.disks[0].driver, "tap2");
	dl_domcfg_free(&c);
	char deep[300];
	memset(deep, '(', 200);
	deep[200] = '\0';
	bad(deep, DL_ELIMIT, "nested deeper");
}

static void test_quote(void **s)
{
	(void)s;
	/* XSA-198: a guest string cannot close the atom */
	const char *evil = "x')(kernel '/etc/shadow')(args '\\";
	char *q = dl_sexpr_quote(evil);
	assert_string_equal(q, "'x\\')(kernel \\'/etc/shadow\\')(args \\'\\\\'");
	char *doc = dl_asprintf("(vm (image (linux (kernel '/k')(args %s))))", q);
	struct dl_domcfg c;
	ok(&c, doc);
	assert_string_equal(c.kernel, "/k");
	assert_string_equal(c.cmdline, evil);
	dl_domcfg_free(&c);
	free(doc);
	free(q);
	q = dl_sexpr_quote("a\nb\x01");
	assert_string_equal(q, "'a\\nb\\x01'");
	free(q);
}

static char *rewrite(const char *in, const char *k, const char *r, const char *a)
{
	size_t n;
	struct dl_error err = { 0 };
	char *out = dl_domcfg_rewrite(DL_DIALECT_NONE, "g.sxp", in, strlen(in), k, r, a, &n, &err);
	if (!out)
		fail_msg("%s", err.msg);
	return out;
}

/* config cfg_rewrite:
(domain (domid 6)(name 'pvtest')(uuid '596a5d2171f48fb2e068e2386a5c413e')
  (memory 420)(maxmem 420)
  (image (linux (kernel '/var/run/k')(ramdisk '/var/run/r')(args 'root=/dev/xvda2 ro')))
  (device (vbd (dev 'xvda')(uname 'file:/root/some.img')(mode 'w')))
  (device (tap (dev 'xvdb')(uname 'tap:qcow:/root/other.img')(mode 'w!')(bootable 1)))
  (device (tap2 (dev 'xvdc')(uname 'tap:aio:/root/third.img')(mode 'r')))
  (device (vif (mac '00:16:3e:00:00:01')))
)
*/

static void test_rewrite(void **s)
{
	(void)s;
	char *out = rewrite(pv, "/var/run/k", "/var/run/r", "root=/dev/xvda2 ro");
	const char *want =
		cfg_rewrite;
	assert_string_equal(out, want);
	struct dl_domcfg c;
	ok(&c, out);
	assert_null(c.bootloader);
	assert_string_equal(c.kernel, "/var/run/k");
	assert_string_equal(c.cmdline, "root=/dev/xvda2 ro");
	dl_domcfg_free(&c);
	free(out);
	/* no image: one is added where the bootloader was */
	out = rewrite("(vm (name x)\n (bootloader pygrub)\n (memory 1))", "/k", NULL, "it's");
	assert_string_equal(out, "(vm (name x)\n (image (linux (kernel '/k')(args 'it\\'s')))\n (memory 1))");
	ok(&c, out);
	assert_string_equal(c.cmdline, "it's");
	dl_domcfg_free(&c);
	free(out);
	out = rewrite("(vm (name x))", "/k", "/r", NULL);
	assert_string_equal(out, "(vm (name x) (image (linux (kernel '/k')(ramdisk '/r'))))");
	free(out);
	/* an image of an unknown kind: the linux image goes inside it (fuzzer) */
	out = rewrite("(vm (image (h{m (x 1))))", "/k", NULL, NULL);
	assert_string_equal(out, "(vm (image (h{m (x 1)) (linux (kernel '/k'))))");
	ok(&c, out);
	assert_string_equal(c.kernel, "/k");
	dl_domcfg_free(&c);
	free(out);
	/* HVM: the old kernel (hvmloader) becomes the loader */
	out = rewrite("(vm (image (hvm (kernel '/usr/lib/xen/boot/hvmloader') (boot c))))", "/k", NULL, "ro");
	assert_string_equal(out, "(vm (image (hvm (loader '/usr/lib/xen/boot/hvmloader')(kernel '/k')(args 'ro') (boot c))))");
	ok(&c, out);
	assert_string_equal(c.kernel, "/k");
	assert_string_equal(c.loader, "/usr/lib/xen/boot/hvmloader");
	dl_domcfg_free(&c);
	free(out);
}

static void test_roundtrip(void **s)
{
	(void)s;
	const char *inputs[] = { pv, hvm };
	for (size_t k = 0; k < 2; k++) {
		struct dl_domcfg a, b;
		ok(&a, inputs[k]);
		char *w = dl_domcfg_write(&a, DL_DIALECT_SEXPR);
		ok(&b, w);
		same_boot_keys(&a, &b);
		/* the writer emits image floppies and cdroms as devices, in another
		 * order: match by vdev */
		for (size_t i = 0; i < a.ndisks; i++) {
			size_t j = 0;
			while (j < b.ndisks && strcmp(a.disks[i].vdev, b.disks[j].vdev))
				j++;
			if (j == b.ndisks)
				fail_msg("disk %s lost in %s", a.disks[i].vdev, w);
			assert_true((a.disks[i].target == NULL) == (b.disks[j].target == NULL));
			if (a.disks[i].target)
				assert_string_equal(a.disks[i].target, b.disks[j].target);
			assert_int_equal(a.disks[i].format, b.disks[j].format);
			assert_int_equal(a.disks[i].access, b.disks[j].access);
			assert_int_equal(a.disks[i].cdrom, b.disks[j].cdrom);
			assert_int_equal(a.disks[i].floppy, b.disks[j].floppy);
			assert_int_equal(a.disks[i].bootable, b.disks[j].bootable);
			assert_string_equal(a.disks[i].driver ? a.disks[i].driver : "file",
					    b.disks[j].driver ? b.disks[j].driver : "file");
		}
		free(w);
		dl_domcfg_free(&a);
		dl_domcfg_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pv),
		cmocka_unit_test(test_hvm),
		cmocka_unit_test(test_boot_chars),
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
