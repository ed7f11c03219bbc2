/* xl DISKSPEC grammar (xl-disk-configuration(5), libxlu_disk_l.l). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "domcfg/domcfg.h"

struct want {
	const char *target;   /* NULL: no target */
	enum dl_dformat format;
	const char *vdev;
	enum dl_access access;
	bool cdrom;
	const char *script;
	const char *backendtype;
};

static void check(const char *spec, int xend, struct want w)
{
	struct dl_domdisk d;
	struct dl_error err = { 0 };
	int r = dl_xldisk_parse(&d, spec, strlen(spec), xend, &err);
	if (r != 0)
		fail_msg("'%s': %s", spec, err.msg);
	if (w.target)
		assert_string_equal(d.target, w.target);
	else
		assert_null(d.target);
	assert_int_equal(d.format, w.format);
	assert_string_equal(d.vdev, w.vdev);
	assert_int_equal(d.access, w.access);
	assert_int_equal(d.cdrom, w.cdrom);
	if (w.script)
		assert_string_equal(d.script, w.script);
	else
		assert_null(d.script);
	if (w.backendtype)
		assert_string_equal(d.backendtype, w.backendtype);
	else
		assert_null(d.backendtype);
	/* the canonical form parses back to the same disk */
	char *canon = dl_xldisk_format(&d);
	struct dl_domdisk d2;
	r = dl_xldisk_parse(&d2, canon, strlen(canon), 0, &err);
	if (r != 0)
		fail_msg("canonical '%s' of '%s': %s", canon, spec, err.msg);
	assert_true((d.target == NULL) == (d2.target == NULL));
	if (d.target)
		assert_string_equal(d.target, d2.target);
	assert_int_equal(d.format, d2.format);
	assert_string_equal(d.vdev, d2.vdev);
	if (d.access != DL_ACCESS_SHARED)
		assert_int_equal(d.access, d2.access);
	assert_int_equal(d.cdrom, d2.cdrom);
	free(canon);
	dl_domdisk_clear(&d);
	dl_domdisk_clear(&d2);
}

static void bad(const char *spec, int xend, const char *msg)
{
	struct dl_domdisk d;
	struct dl_error err = { 0 };
	int r = dl_xldisk_parse(&d, spec, strlen(spec), xend, &err);
	if (r == 0)
		fail_msg("'%s' accepted", spec);
	assert_true(r < 0 && err.code);
	if (!strstr(err.msg, msg))
		fail_msg("'%s': message '%s' lacks '%s'", spec, err.msg, msg);
	assert_null(d.target);
}

#define RW DL_ACCESS_RW
#define RO DL_ACCESS_RO
#define RAW DL_DFMT_RAW

/* The pod's equivalence classes. */
static void test_pod_volume(void **s)
{
	(void)s;
	struct want w = { "/dev/vg/guest-volume", RAW, "hda", RW, false, NULL, NULL };
	check("/dev/vg/guest-volume,,hda", 0, w);
	check("/dev/vg/guest-volume,raw,hda,rw", 0, w);
	check("format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume", 0, w);
	check("raw:/dev/vg/guest-volume,hda,w", 0, w);
}

static void test_pod_cdrom(void **s)
{
	(void)s;
	struct want w = { "/root/image.iso", RAW, "hdc", RO, true, NULL, NULL };
	check("/root/image.iso,,hdc,cdrom", 0, w);
	check("/root/image.iso,,hdc,,cdrom", 0, w);
	check("/root/image.iso,raw,hdc,devtype=cdrom", 0, w);
	check("format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso", 0, w);
	check("raw:/root/image.iso,hdc:cdrom,ro", 0, w);
	/* cdrom forces read-only whatever access says */
	check("/root/image.iso,raw,hdc,rw,devtype=cdrom", 0, w);
}

static void test_pod_empty_cdrom(void **s)
{
	(void)s;
	struct want w = { NULL, DL_DFMT_EMPTY, "hdc", RO, true, NULL, NULL };
	check("devtype=cdrom,,,hdc", 0, w);
	check(",,hdc:cdrom,r", 0, w);
	check(",hdc:cdrom,r", 0, w);
	check("vdev=hdc,access=r,devtype=cdrom,target=", 0, w);
	check(",empty,hdc:cdrom,r", 0, w);
}

static void test_script_prefix(void **s)
{
	(void)s;
	struct want w = { "iqn.2001-05.com.example:disk1", RAW, "xvda", RW, false, "block-iscsi", NULL };
	check("iscsi:iqn.2001-05.com.example:disk1,xvda,w", 0, w);
	check("vdev=xvda,access=w,script=block-iscsi,target=iqn.2001-05.com.example:disk1", 0, w);
	struct want n = { "host:1234", RAW, "xvdb", RW, false, "block-nbd", NULL };
	check("nbd:host:1234,xvdb,w", 0, n);
	struct want d = { "res0", RAW, "xvdc", RO, false, "block-drbd", NULL };
	check("drbd:res0,xvdc,r", 0, d);
}

static void test_legacy_prefixes(void **s)
{
	(void)s;
	/* ignored prefixes skip the format slot: vdev follows the target */
	check("phy:/dev/vg/g1,xvda,w", 0, (struct want){ "/dev/vg/g1", RAW, "xvda", RW });
	check("file:/img/g1-data,xvdb,w", 0, (struct want){ "/img/g1-data", RAW, "xvdb", RW });
	check("tap:aio:/var/lib/xen/images/x,xvda,w", 0,
	      (struct want){ "/var/lib/xen/images/x", RAW, "xvda", RW });
	check("tap:qcow:/root/some.img,xvda,w", 0,
	      (struct want){ "/root/some.img", DL_DFMT_QCOW, "xvda", RW });
	check("tap:qcow2:/root/some.img,xvda,r", 0,
	      (struct want){ "/root/some.img", DL_DFMT_QCOW2, "xvda", RO });
	check("tap2:aio:/root/some.img,xvda,w", 0, (struct want){ "/root/some.img", RAW, "xvda", RW });
	check("aio:/img,xvda,w", 0, (struct want){ "/img", RAW, "xvda", RW });
	check("qcow:/img,xvda,w", 0, (struct want){ "/img", DL_DFMT_QCOW, "xvda", RW });
	check("qcow2:/img,xvda,w", 0, (struct want){ "/img", DL_DFMT_QCOW2, "xvda", RW });
	check("vhd:/img,xvda,w", 0, (struct want){ "/img", DL_DFMT_VHD, "xvda", RW });
	check("tapdisk:aio:/img,xvda,w", 0, (struct want){ "/img", RAW, "xvda", RW });
	/* ioemu: in front of the vdev is stripped too */
	check("file:/root/foo.img,ioemu:hda,w", 0, (struct want){ "/root/foo.img", RAW, "hda", RW });
	/* relative phy target: kept; the path gets /dev/ */
	struct dl_domdisk d;
	struct dl_error err = { 0 };
	assert_int_equal(dl_xldisk_parse(&d, "phy:vg/g1,xvda,w", 16, 0, &err), 0);
	assert_string_equal(d.target, "vg/g1");
	assert_string_equal(d.driver, "phy");
	assert_true(d.block);
	char *p = dl_domdisk_path(&d);
	assert_string_equal(p, "/dev/vg/g1");
	free(p);
	dl_domdisk_clear(&d);
	assert_int_equal(dl_xldisk_parse(&d, "tap:aio:/i,xvda,w", 17, 0, &err), 0);
	assert_string_equal(d.driver, "tap");
	dl_domdisk_clear(&d);
}

static void test_keywords(void **s)
{
	(void)s;
	check("vdev=xvda, target=/a,b c, ", 0, (struct want){ "/a,b c, ", RAW, "xvda", RW });
	/* one trailing comma is stripped; the canonical form doubles a final one */
	check("vdev=xvda, target=/a,,", 0, (struct want){ "/a,", RAW, "xvda", RW });
	check("/x,qcow2,xvda,r", 0, (struct want){ "/x", DL_DFMT_QCOW2, "xvda", RO });
	check("/x,qed,xvda,ro", 0, (struct want){ "/x", DL_DFMT_QED, "xvda", RO });
	check("/x,vhd,xvda", 0, (struct want){ "/x", DL_DFMT_VHD, "xvda", RW });
	check("backendtype=phy,/dev/sdb,,xvdb", 0,
	      (struct want){ "/dev/sdb", RAW, "xvdb", RW, false, NULL, "phy" });
	check("/x,,xvda,,backendtype=qdisk,discard,direct-io-safe", 0,
	      (struct want){ "/x", RAW, "xvda", RW, false, NULL, "qdisk" });
	check("script=block-foo,/x,,xvda", 0,
	      (struct want){ "/x", RAW, "xvda", RW, false, "block-foo", NULL });
	check("/x,,xvda,devtype=disk,trusted,no-discard,specification=xen,grant_usage=1", 0,
	      (struct want){ "/x", RAW, "xvda", RW });
	check("cdrom,/x,,hdc", 0, (struct want){ "/x", RAW, "hdc", RO, true });
	/* positional longer than a flag is positional: target "cdromx" */
	check("cdromx,,hdc", 0, (struct want){ "cdromx", RAW, "hdc", RW });
	/* empty values are defaults; an empty target may be given again */
	check(",,xvda,,target=/late", 0, (struct want){ "/late", RAW, "xvda", RW });
	/* whitespace before parameters is ignored, inside kept */
	check("  /x ,raw,  xvda", 0, (struct want){ "/x ", RAW, "xvda", RW });
}

static void test_errors(void **s)
{
	(void)s;
	bad("/x,raw,xvda,w!", 0, "unknown value for access");
	bad("/x,raw,xvda,!", 0, "unknown value for access");
	bad("/x,raw,xvda,rw,extra", 0, "too many positional parameters");
	bad("/x,bogus,xvda", 0, "unknown value for format");
	bad("/x,raw", 0, "no vdev specified");
	bad(",raw,xvda", 0, "no target specified");
	bad("vdev=xvda", 0, "no target specified");
	bad("foo:/x,xvda,w", 0, "unknown deprecated disk prefix");
	bad("cdrom:/x,xvda,w", 0, "unknown deprecated disk prefix");
	bad("/x,,hdc:floppy", 0, "unknown deprecated type");
	bad("/x,,xvda,colour=red", 0, "unknown parameter");
	bad("vdev=xvda,vdev=xvdb,/x", 0, "vdev respecified");
	bad("/x,raw,xvda,format=qcow2", 0, "format respecified");
	bad("/x,,xvda,devtype=floppy", 0, "unknown value for type");
	bad("/x,,xvda,backendtype=magic", 0, "unknown value for backendtype");
	bad("/x,,xvda,specification=ide", 0, "unknown value for specification");
	bad("/x=y,,xvda", 0, "bad disk syntax");
	bad("/a,,xvda,target=/b", 0, "target respecified");
	bad("target=/a,vdev=xvda", 0, "no vdev specified"); /* target= eats the rest */
	/* ... of the line: flex's '.' does not match a newline */
	check("target=/a,b\n,xvda", 0, (struct want){ "/a,b", RAW, "xvda", RW });
	struct dl_domdisk d;
	struct dl_error err = { 0 };
	assert_int_equal(dl_xldisk_parse(&d, "/x\0,,xvda", 9, 0, &err), -EBADMSG);
	assert_string_equal(err.msg, "disk spec contains a NUL byte");
}

static void test_xend_access(void **s)
{
	(void)s;
	check("phy:/dev/vg/shared,xvdb,w!", 1,
	      (struct want){ "/dev/vg/shared", RAW, "xvdb", DL_ACCESS_SHARED });
	check("phy:/dev/vg/shared,xvdb,!", 1,
	      (struct want){ "/dev/vg/shared", RAW, "xvdb", DL_ACCESS_SHARED });
}

static void test_canonical(void **s)
{
	(void)s;
	struct dl_domdisk d;
	struct dl_error err = { 0 };
	const char *spec = "tap:qcow2:/img/a,b.qcow2,xvda,r";
	assert_int_equal(dl_xldisk_parse(&d, spec, strlen(spec), 0, &err), -EBADMSG);
	spec = "qcow2:/img/x.qcow2,xvda:cdrom,r";
	assert_int_equal(dl_xldisk_parse(&d, spec, strlen(spec), 0, &err), 0);
	char *c = dl_xldisk_format(&d);
	assert_string_equal(c, "format=qcow2, vdev=xvda, access=ro, devtype=cdrom, target=/img/x.qcow2");
	free(c);
	dl_domdisk_clear(&d);
	spec = ",hdc:cdrom,r";
	assert_int_equal(dl_xldisk_parse(&d, spec, strlen(spec), 0, &err), 0);
	c = dl_xldisk_format(&d);
	assert_string_equal(c, "vdev=hdc, access=ro, devtype=cdrom, target=");
	free(c);
	dl_domdisk_clear(&d);
}

static void test_disks_list(void **s)
{
	(void)s;
	struct dl_domdisk *disks = NULL;
	size_t n = 0;
	struct dl_error err = { 0 };
	assert_int_equal(dl_xldisk_parse_list(&disks, &n,
		"phy:/dev/vg/g1,xvda,w file:/img/g1-data,xvdb,w  format=qcow2, vdev=xvdc, target=/q", &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(disks[0].target, "/dev/vg/g1");
	assert_string_equal(disks[0].vdev, "xvda");
	assert_string_equal(disks[1].target, "/img/g1-data");
	assert_string_equal(disks[1].vdev, "xvdb");
	assert_string_equal(disks[2].target, "/q");
	assert_int_equal(disks[2].format, DL_DFMT_QCOW2);
	for (size_t i = 0; i < n; i++)
		dl_domdisk_clear(&disks[i]);
	free(disks);
	disks = NULL;
	n = 0;
	assert_int_equal(dl_xldisk_parse_list(&disks, &n,
		"['phy:VG_Xen/LV_dom5,hda,w', \"file:/var/lib/xen/test,sda,w!\"]", &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(disks[0].target, "VG_Xen/LV_dom5");
	assert_string_equal(disks[1].vdev, "sda");
	assert_int_equal(disks[1].access, DL_ACCESS_SHARED);
	for (size_t i = 0; i < n; i++)
		dl_domdisk_clear(&disks[i]);
	free(disks);
	disks = NULL;
	n = 0;
	assert_int_equal(dl_xldisk_parse_list(&disks, &n, "phy:/x,xvda,w bogus:/y,xvdb", &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "unknown deprecated disk prefix"));
	for (size_t i = 0; i < n; i++)
		dl_domdisk_clear(&disks[i]);
	free(disks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pod_volume),
		cmocka_unit_test(test_pod_cdrom),
		cmocka_unit_test(test_pod_empty_cdrom),
		cmocka_unit_test(test_script_prefix),
		cmocka_unit_test(test_legacy_prefixes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_xend_access),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_disks_list),
		cmocka_unit_test(test_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
