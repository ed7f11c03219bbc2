/* libvirt domain XML: <os>, bootloader, disks, rewrite, formatters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define DOMCFG_NAME "g.xml"
#define DOMCFG_DIALECT DL_DIALECT_LIBVIRT
#include "domcfg_fixtures.h"
#include "test_domcfg_libvirt.configs.h"

/* config pv:
<?xml version='1.0'?>
<!-- written by hand -->
<domain type='xen' id='6'>
  <name>pvtest</name>
  <uuid>596a5d2171f48fb2e068e2386a5c413e</uuid>
  <memory unit='KiB'>430080</memory>
  <bootloader>/usr/bin/pygrub</bootloader>
  <bootloader_args>-q --entry=1</bootloader_args>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/var/lib/xen/vmlinuz.2Dn2YT</kernel>
    <cmdline> method=http://x/?a&amp;b</cmdline>
  </os>
  <devices>
    <disk type='block' device='disk'>
      <driver name='phy'/>
      <source dev='/dev/MainVG/GuestLV'/>
      <target dev='xvda' bus='xen'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='tap' type='aio'/>
      <source file='/root/some.img'/>
      <target dev='xvdb' bus='xen'/>
      <shareable/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='tap' type='qcow'/>
      <source file='/root/other.img'/>
      <target dev='xvdc' bus='xen'/>
      <readonly/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='/srv/iso/inst.iso'/>
      <target dev='ioemu:hdc' bus='ide'/>
      <readonly/>
      <address type='drive' controller='0' bus='1' target='0' unit='0'/>
    </disk>
  </devices>
</domain>
*/

static void test_pv(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, pv);
	assert_string_equal(c.name, "pvtest");
	assert_true(c.have_uuid);
	assert_int_equal(c.uuid[15], 0x3e);
	assert_int_equal(c.type, DL_DOMTYPE_PV);
	assert_string_equal(c.bootloader, "/usr/bin/pygrub");
	assert_int_equal(c.nbootloader_args, 2);
	assert_string_equal(c.bootloader_args[1], "--entry=1");
	assert_string_equal(c.kernel, "/var/lib/xen/vmlinuz.2Dn2YT");
	assert_null(c.ramdisk);
	assert_string_equal(c.cmdline, " method=http://x/?a&b");
	assert_int_equal(c.ndisks, 4);
	assert_true(c.disks[0].block);
	assert_string_equal(c.disks[0].driver, "phy");
	assert_string_equal(c.disks[0].target, "/dev/MainVG/GuestLV");
	assert_int_equal(c.disks[0].format, DL_DFMT_UNSET);
	/* <driver name='tap' type='aio'/> is raw (Xen back-compat) */
	assert_string_equal(c.disks[1].driver, "tap");
	assert_int_equal(c.disks[1].format, DL_DFMT_RAW);
	assert_int_equal(c.disks[1].access, DL_ACCESS_SHARED);
	assert_int_equal(c.disks[2].format, DL_DFMT_QCOW);
	assert_int_equal(c.disks[2].access, DL_ACCESS_RO);
	assert_true(c.disks[3].cdrom);
	assert_string_equal(c.disks[3].vdev, "hdc");  /* ioemu: stripped */
	assert_string_equal(c.disks[3].bus, "ide");
	assert_non_null(strstr(c.disks[3].address, "type=\"drive\""));
	assert_non_null(strstr(c.disks[3].address, "unit=\"0\""));
	dl_domcfg_free(&c);
}

/* config hvm:
<domain type='xen'>
  <name>fvtest</name>
  <uuid>cc2315e7-d26a-307a-438c-6d188ec4c09c</uuid>
  <os>
    <type>hvm</type>
    <loader>/usr/lib/xen/boot/hvmloader</loader>
    <boot dev='cdrom'/>
    <boot dev='hd'/>
    <boot dev='fd'/>
    <boot dev='network'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/root/foo.img'/>
      <target dev='hda'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/root/boot.iso'/>
      <target dev='hdc'/>
      <readonly/>
    </disk>
    <disk type='file' device='floppy'>
      <source file='/root/diskboot.img'/>
      <target dev='fda'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdd'/>
    </disk>
  </devices>
</domain>
*/

static void test_hvm(void **s)
{
	(void)s;
	struct dl_domcfg c;
	ok(&c, hvm);
	assert_int_equal(c.type, DL_DOMTYPE_HVM);
	assert_int_equal(c.uuid[0], 0xcc);
	assert_string_equal(c.loader, "/usr/lib/xen/boot/hvmloader");
	/* <boot dev='fd|hd|cdrom|network'/> <-> a c d n */
	assert_string_equal(c.boot, "dcan");
	assert_int_equal(c.ndisks, 4);
	assert_true(c.disks[2].floppy);
	assert_null(c.disks[3].target);
	assert_int_equal(c.disks[3].format, DL_DFMT_EMPTY);
	size_t order[4];
	assert_int_equal(dl_domcfg_boot_order(&c, order), 3);
	assert_int_equal(order[0], 1);  /* cdrom */
	assert_int_equal(order[1], 0);  /* hd */
	assert_int_equal(order[2], 2);  /* fd */
	dl_domcfg_free(&c);
	/* per-device boot order comes first */
	ok(&c, "<domain><os><type>hvm</type></os><devices>"
	       "<disk device='disk'><source file='/a'/><target dev='hda'/></disk>"
	       "<disk device='disk'><source file='/b'/><target dev='hdb'/><boot order='1'/></disk>"
	       "</devices></domain>");
	assert_int_equal(dl_domcfg_boot_order(&c, order), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	dl_domcfg_free(&c);
	ok(&c, "<domain><os><type arch='x86_64' machine='xenpvh'>xenpvh</type></os></domain>");
	assert_int_equal(c.type, DL_DOMTYPE_PVH);
	dl_domcfg_free(&c);
	ok(&c, "<domain><os><type>xen</type><root>/dev/xvda1</root><cmdline>ro</cmdline></os></domain>");
	assert_int_equal(c.type, DL_DOMTYPE_PV);
	assert_string_equal(c.cmdline, "root=/dev/xvda1 ro");
	dl_domcfg_free(&c);
}

static void test_errors(void **s)
{
	(void)s;
	bad("<domain><name>x</name>", DL_ESYNTAX, "unclosed element");
	bad("<domain><name>x</nam></domain>", DL_ESYNTAX, "g.xml:1:");
	bad("<vm/>", DL_ESYNTAX, "root element is not <domain>");
	bad("<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY a 'b'>]><domain>&a;</domain>",
	    DL_EUNSUPPORTED, "DOCTYPE");
	bad("<!DOCTYPE domain SYSTEM 'http://example.com/x.dtd'><domain/>", DL_EUNSUPPORTED, "DOCTYPE");
	bad("<domain><uuid>zz</uuid></domain>", DL_ESYNTAX, "invalid <uuid>");
	bad("<domain><os><boot dev='usb'/></os></domain>", DL_ESYNTAX, "unknown boot device 'usb'");
	bad("<domain><devices><disk><source file='/x'/></disk></devices></domain>", DL_ESYNTAX,
	    "without <target dev=>");
	bad("<domain>&undefined;</domain>", DL_ESYNTAX, "g.xml:1:");
	char deep[2000] = "";
	for (int i = 0; i < 100; i++)
		strcat(deep, "<a>");
	bad(deep, DL_ELIMIT, "nested deeper");
}

static char *rewrite(const char *in, const char *k, const char *r, const char *a)
{
	size_t n;
	struct dl_error err = { 0 };
	char *out = dl_domcfg_rewrite(DL_DIALECT_NONE, "g.xml", in, strlen(in), k, r, a, &n, &err);
	if (!out)
		fail_msg("%s", err.msg);
	return out;
}

/* config cfg_rewrite:
    <kernel>/var/run/k</kernel>
    <initrd>/var/run/r</initrd>
    <cmdline>root=/dev/xvda2 &lt;quiet&gt; &amp; &apos;x&apos;</cmdline>
*/

/* config cfg_rewrite_2:
<domain>
  <os>
  </os>
</domain>
*/

/* config cfg_rewrite_3:
<domain>
  <os>
    <kernel>/k</kernel>
    <cmdline>ro</cmdline>
  </os>
</domain>
*/

static void test_rewrite(void **s)
{
	(void)s;
	char *out = rewrite(pv, "/var/run/k", "/var/run/r", "root=/dev/xvda2 <quiet> & 'x'");
	/* expected: the input with the boot lines replaced */
	struct dl_sbuf w = { 0 };
	const char *p = pv;
	const char *bl = strstr(p, "  <bootloader>");
	dl_sbuf_add(&w, p, (size_t)(bl - p));
	const char *os = strstr(p, "  <os>");
	const char *ty = strstr(p, "    <kernel>");
	dl_sbuf_add(&w, os, (size_t)(ty - os));
	dl_sbuf_adds(&w, cfg_rewrite);
	dl_sbuf_adds(&w, strstr(p, "  </os>"));
	assert_string_equal(out, w.p);
	dl_sbuf_free(&w);
	struct dl_domcfg c;
	ok(&c, out);
	assert_null(c.bootloader);
	assert_int_equal(c.nbootloader_args, 0);
	assert_string_equal(c.kernel, "/var/run/k");
	assert_string_equal(c.ramdisk, "/var/run/r");
	assert_string_equal(c.cmdline, "root=/dev/xvda2 <quiet> & 'x'");
	assert_int_equal(c.ndisks, 4);
	dl_domcfg_free(&c);
	free(out);
	/* compact documents; <type/> absent; no <os> */
	out = rewrite("<domain><bootloader>pygrub</bootloader><os><type>linux</type></os></domain>", "/k", NULL, NULL);
	assert_string_equal(out, "<domain><os><type>linux</type><kernel>/k</kernel></os></domain>");
	free(out);
	out = rewrite(cfg_rewrite_2, "/k", NULL, "ro");
	assert_string_equal(out, cfg_rewrite_3);
	free(out);
	out = rewrite("<domain><name>n</name></domain>", "/k", "/r", NULL);
	assert_string_equal(out, "<domain>\n  <os>\n    <kernel>/k</kernel>\n    <initrd>/r</initrd>\n  </os><name>n</name></domain>");
	ok(&c, out);
	assert_string_equal(c.ramdisk, "/r");
	dl_domcfg_free(&c);
	free(out);
	/* comments and CDATA that look like elements are not touched */
	out = rewrite("<domain><!-- <bootloader>x</bootloader> --><description><![CDATA[<os>]]></description>"
		      "<os><type>linux</type><kernel>/old</kernel></os></domain>", "/k", NULL, NULL);
	assert_string_equal(out, "<domain><!-- <bootloader>x</bootloader> --><description><![CDATA[<os>]]></description>"
				 "<os><type>linux</type><kernel>/k</kernel></os></domain>");
	free(out);
	/* a Latin-1 document keeps its encoding: ASCII goes in, UTF-8 does not */
	const char *l1 = "<?xml version='1.0' encoding='ISO-8859-1'?><domain><name>caf\xe9</name><os/></domain>";
	out = rewrite(l1, "/k", NULL, "ro");
	assert_non_null(strstr(out, "<name>caf\xe9</name><os>\n  <kernel>/k</kernel>\n  <cmdline>ro</cmdline>\n</os></domain>"));
	free(out);
	/* <os/> on its own line, with attributes */
	out = rewrite("<domain>\n  <os firmware='efi' />\n</domain>", "/k", NULL, NULL);
	assert_string_equal(out, "<domain>\n  <os firmware='efi'>\n    <kernel>/k</kernel>\n  </os>\n</domain>");
	free(out);
	{
		size_t n2;
		struct dl_error e2 = { 0 };
		assert_null(dl_domcfg_rewrite(DL_DIALECT_LIBVIRT, "g.xml", l1, strlen(l1), "/k", NULL,
					      "caf\xc3\xa9", &n2, &e2));
		assert_string_equal(e2.msg, "g.xml: the document is not UTF-8; cannot insert non-ASCII text");
	}
	/* a value XML cannot carry fails clearly */
	size_t n;
	struct dl_error err = { 0 };
	assert_null(dl_domcfg_rewrite(DL_DIALECT_LIBVIRT, "g.xml", "<domain/>", 9, "/k", NULL, "a\x01", &n, &err));
	assert_int_equal(err.code, DL_EOUTPUT);
}

/* config cfg_format:
<os>
  <type>linux</type>
  <kernel>/k</kernel>
  <initrd>/r</initrd>
  <cmdline>ro quiet &amp; &lt;x&gt;</cmdline>
</os>
*/

/* config cfg_format_2:
<os>
  <kernel>/k</kernel>
</os>
*/

static void test_format(void **s)
{
	(void)s;
	struct dl_error err = { 0 };
	char *o = dl_format_libvirt_os("/k", "/r", "ro quiet & <x>", "linux", &err);
	assert_string_equal(o, cfg_format);
	free(o);
	o = dl_format_libvirt_os("/k", NULL, "", NULL, &err);
	assert_string_equal(o, cfg_format_2);
	free(o);
	assert_null(dl_format_libvirt_os("/k", "\xff", NULL, NULL, &err));
	o = dl_xml_escape("tab\tnl\ncr\r\xc3\xa9");
	assert_string_equal(o, "tab&#9;nl&#10;cr&#13;\xc3\xa9");
	free(o);
	assert_null(dl_xml_escape("\xc0\x80"));   /* overlong */
	assert_null(dl_xml_escape("\xed\xa0\x80")); /* surrogate */
	assert_null(dl_xml_escape("\x1b"));
	/* pygrub sxp */
	o = dl_format_sxp("/var/run/xen/pygrub/boot_kernel.qqtvwszi", "/var/run/xen/pygrub/boot_ramdisk.on_9qwu2",
			  "root=/dev/xvda1 ro quiet", &err);
	assert_string_equal(o, "linux (kernel '/var/run/xen/pygrub/boot_kernel.qqtvwszi')"
			       "(ramdisk '/var/run/xen/pygrub/boot_ramdisk.on_9qwu2')(args 'root=/dev/xvda1 ro quiet')");
	free(o);
	o = dl_format_sxp("/k", "", NULL, &err);
	assert_string_equal(o, "linux (kernel '/k')");
	free(o);
	/* Python repr quoting */
	static const struct { const char *in, *out; } r[] = {
		{ "it's", "\"it's\"" }, { "say \"x\"", "'say \"x\"'" }, { "both ' \"", "'both \\' \"'" },
		{ "a\\b\n\t\r\x01\x7f", "'a\\\\b\\n\\t\\r\\x01\\x7f'" }, { "caf\xc3\xa9", "'caf\xc3\xa9'" },
		{ "\xc2\xa0\xc2\x85", "'\\xa0\\x85'" }, { "\xe2\x80\xa8", "'\\u2028'" },
		{ "bad\xff", "'bad\\udcff'" }, { "", "''" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(r); i++) {
		o = dl_python_repr(r[i].in);
		assert_string_equal(o, r[i].out);
		free(o);
	}
}

static void test_roundtrip(void **s)
{
	(void)s;
	const char *inputs[] = { pv, hvm };
	for (size_t k = 0; k < 2; k++) {
		struct dl_domcfg a, b;
		ok(&a, inputs[k]);
		char *w = dl_domcfg_write(&a, DL_DIALECT_LIBVIRT);
		ok(&b, w);
		same_boot_keys(&a, &b);
		for (size_t i = 0; i < a.ndisks; i++) {
			const struct dl_domdisk *x = &a.disks[i], *y = &b.disks[i];
			assert_true((x->target == NULL) == (y->target == NULL));
			if (x->target)
				assert_string_equal(x->target, y->target);
			assert_string_equal(x->vdev, y->vdev);
			assert_int_equal(x->format, y->format);
			assert_int_equal(x->access, y->access);
			assert_int_equal(x->cdrom, y->cdrom);
			assert_int_equal(x->floppy, y->floppy);
			assert_int_equal(x->block, y->block);
			if (x->driver)
				assert_string_equal(x->driver, y->driver);
			if (x->address)
				assert_string_equal(x->address, y->address);
		}
		free(w);
		dl_domcfg_free(&a);
		dl_domcfg_free(&b);
	}
}

/* The same guest in the three dialects gives the same boot-relevant model. */
/* config cfg_cross_dialect:
name = 'g1'
uuid = '596a5d21-71f4-8fb2-e068-e2386a5c413e'
type = 'hvm'
boot = 'dc'
disk = [ 'file:/img/g1.img,hda,w', 'file:/img/inst.iso,hdc:cdrom,r' ]
*/

/* config cfg_cross_dialect_2:
(vm (name g1)(uuid 596a5d2171f48fb2e068e2386a5c413e)
 (image (hvm (kernel /usr/lib/xen/boot/hvmloader)(boot dc)))
 (device (vbd (dev hda:disk)(uname file:/img/g1.img)(mode w)))
 (device (vbd (dev hdc:cdrom)(uname file:/img/inst.iso)(mode r))))
*/

static void test_cross_dialect(void **s)
{
	(void)s;
	const char *xl =
		cfg_cross_dialect;
	const char *sx =
		cfg_cross_dialect_2;
	const char *lv =
		"<domain type='xen'><name>g1</name><uuid>596a5d21-71f4-8fb2-e068-e2386a5c413e</uuid>"
		"<os><type>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os><devices>"
		"<disk type='file' device='disk'><driver name='file'/><source file='/img/g1.img'/><target dev='hda'/></disk>"
		"<disk type='file' device='cdrom'><driver name='file'/><source file='/img/inst.iso'/><target dev='hdc'/><readonly/></disk>"
		"</devices></domain>";
	const char *docs[] = { xl, sx, lv };
	for (int k = 0; k < 3; k++) {
		struct dl_domcfg c;
		struct dl_error err = { 0 };
		if (parse(&c, docs[k], &err))
			fail_msg("%d: %s", k, err.msg);
		assert_string_equal(c.name, "g1");
		assert_int_equal(c.uuid[4], 0x71);
		assert_int_equal(c.type, DL_DOMTYPE_HVM);
		assert_string_equal(c.boot, "dc");
		assert_int_equal(c.ndisks, 2);
		size_t order[2];
		assert_int_equal(dl_domcfg_boot_order(&c, order), 2);
		assert_string_equal(c.disks[order[0]].target, "/img/inst.iso");
		assert_true(c.disks[order[0]].cdrom);
		assert_string_equal(c.disks[order[1]].target, "/img/g1.img");
		assert_string_equal(c.disks[order[1]].vdev, "hda");
		char *path = dl_domdisk_path(&c.disks[order[1]]);
		assert_string_equal(path, "/img/g1.img");
		free(path);
		dl_domcfg_free(&c);
	}
}

/* The seeds' driver mapping: file: phy: tap:aio: tap:qcow: <-> <driver>. */
static void test_driver_mapping(void **s)
{
	(void)s;
	struct dl_domcfg c;
	struct dl_error err = { 0 };
	const char *sx =
		"(vm (name d)(image (linux (kernel /k)))\n"
		" (device (vbd (dev xvda)(uname 'file:/a.img')(mode w)))\n"
		" (device (vbd (dev xvdb)(uname 'phy:/dev/vg/b')(mode w)))\n"
		" (device (tap (dev xvdc)(uname 'tap:aio:/c.img')(mode w)))\n"
		" (device (tap (dev xvdd)(uname 'tap:qcow:/d.qcow')(mode r))))";
	memset(&c, 0, sizeof(c));
	assert_int_equal(dl_domcfg_parse(&c, DL_DIALECT_NONE, "d.sxp", sx, strlen(sx), &err), 0);
	char *x = dl_domcfg_write(&c, DL_DIALECT_LIBVIRT);
	assert_non_null(strstr(x, "<disk type='file' device='disk'>\n      <driver name='file' type='raw'/>\n"
				  "      <source file='/a.img'/>"));
	assert_non_null(strstr(x, "<disk type='block' device='disk'>\n      <driver name='phy' type='raw'/>\n"
				  "      <source dev='/dev/vg/b'/>"));
	assert_non_null(strstr(x, "<driver name='tap' type='raw'/>\n      <source file='/c.img'/>"));
	assert_non_null(strstr(x, "<driver name='tap' type='qcow'/>\n      <source file='/d.qcow'/>"));
	dl_domcfg_free(&c);
	/* and back: <driver name='tap'/> (no type) is tap:aio: */
	x = dl_realloc(x, strlen(x) + 200);
	char *p = strstr(x, "<driver name='tap' type='raw'/>");
	memcpy(p, "<driver name='tap'           />", 31);
	memset(&c, 0, sizeof(c));
	assert_int_equal(dl_domcfg_parse(&c, DL_DIALECT_NONE, "d.xml", x, strlen(x), &err), 0);
	char *y = dl_domcfg_write(&c, DL_DIALECT_SEXPR);
	assert_non_null(strstr(y, "(device (vbd (dev 'xvda')(uname 'file:/a.img')(mode 'w')))"));
	assert_non_null(strstr(y, "(device (vbd (dev 'xvdb')(uname 'phy:/dev/vg/b')(mode 'w')))"));
	assert_non_null(strstr(y, "(device (tap (dev 'xvdc')(uname 'tap:aio:/c.img')(mode 'w')))"));
	assert_non_null(strstr(y, "(device (tap (dev 'xvdd')(uname 'tap:qcow:/d.qcow')(mode 'r')))"));
	dl_domcfg_free(&c);
	free(x);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pv),
		cmocka_unit_test(test_hvm),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_cross_dialect),
		cmocka_unit_test(test_driver_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
