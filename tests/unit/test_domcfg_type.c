/* --rewrite-config with a guest type: xl's type = "..." (builder and the
 * old pvh flag removed), libvirt's <os><type> with libxl's machine names,
 * xend's SEXPR refused for PVH; each result read back by our parser. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domcfg/domcfg.h"
#include "test_domcfg_type.configs.h"

/* rewrite for direct boot, then set the type; NULL on failure (err set) */
static char *retype(const char *in, enum dl_domtype t, struct dl_error *err)
{
	size_t n, m;
	char *a = dl_domcfg_rewrite(DL_DIALECT_NONE, "g", in, strlen(in), "/k", "/r", "ro", &n, err);
	if (!a)
		fail_msg("rewrite: %s", err->msg);
	char *b = dl_domcfg_set_type(DL_DIALECT_NONE, "g", a, n, t, &m, err);
	free(a);
	if (b)
		assert_int_equal(strlen(b), m);
	return b;
}

static enum dl_domtype type_of(const char *s)
{
	struct dl_domcfg c = { 0 };
	struct dl_error err = { 0 };
	if (dl_domcfg_parse(&c, DL_DIALECT_NONE, "out", s, strlen(s), &err))
		fail_msg("the result does not parse: %s\n%s", err.msg, s);
	enum dl_domtype t = c.type;
	assert_string_equal(c.kernel, "/k");
	dl_domcfg_free(&c);
	return t;
}

/* config xl_builder:
name = "g"
builder = "generic"
bootloader = "pygrub"
memory = 512
pvh = 0
*/

/* config xl_builder_pvh:
name = "g"
type = "pvh"
kernel = "/k"
ramdisk = "/r"
cmdline = "ro"
memory = 512
*/

static void test_xl(void **s)
{
	(void)s;
	struct dl_error err = { 0 };
	char *out = retype(xl_builder, DL_DOMTYPE_PVH, &err);
	assert_string_equal(out, xl_builder_pvh);
	assert_int_equal(type_of(out), DL_DOMTYPE_PVH);
	free(out);
	/* type replaced where it stood; a ';' separated one on a shared line */
	out = retype("type='pvh'; name='g'\nbootloader='pygrub'\n", DL_DOMTYPE_PV, &err);
	assert_string_equal(out, "name='g'\ntype = \"pv\"\nkernel = \"/k\"\nramdisk = \"/r\"\n"
				 "cmdline = \"ro\"\n");
	assert_int_equal(type_of(out), DL_DOMTYPE_PV);
	free(out);
	/* repeated type keys (xl takes the last) all go */
	out = retype("type='hvm'\nname='g'\ntype='pv'\n", DL_DOMTYPE_PVH, &err);
	assert_null(strstr(out, "'hvm'"));
	assert_null(strstr(out, "'pv'"));
	assert_int_equal(type_of(out), DL_DOMTYPE_PVH);
	free(out);
}

/* config lv_pv:
<domain type='xen'>
  <name>g</name>
  <bootloader>/usr/bin/pygrub</bootloader>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
  </os>
</domain>
*/

/* config lv_pvh:
<domain type='xen'>
  <name>g</name>
  <os>
    <type arch='x86_64' machine='xenpvh'>xenpvh</type>
    <kernel>/k</kernel>
    <initrd>/r</initrd>
    <cmdline>ro</cmdline>
  </os>
</domain>
*/

static void test_libvirt(void **s)
{
	(void)s;
	struct dl_error err = { 0 };
	char *out = retype(lv_pv, DL_DOMTYPE_PVH, &err);
	assert_string_equal(out, lv_pvh);
	assert_int_equal(type_of(out), DL_DOMTYPE_PVH);
	free(out);
	/* back to PV: libvirt's own names, arch kept */
	out = retype(lv_pvh, DL_DOMTYPE_PV, &err);
	assert_non_null(strstr(out, "<type arch='x86_64' machine='xenpv'>linux</type>"));
	assert_int_equal(type_of(out), DL_DOMTYPE_PV);
	free(out);
	/* no <type>: one added first in <os>, no arch invented */
	out = retype("<domain type='xen'>\n  <os>\n    <kernel>/x</kernel>\n  </os>\n</domain>\n",
		     DL_DOMTYPE_PVH, &err);
	assert_non_null(strstr(out, "<os>\n    <type machine='xenpvh'>xenpvh</type>"));
	assert_int_equal(type_of(out), DL_DOMTYPE_PVH);
	free(out);
}

static void test_sexpr(void **s)
{
	(void)s;
	struct dl_error err = { 0 };
	const char *in = "(domain (name g) (bootloader /usr/bin/pygrub) (image (linux)))";
	char *out = retype(in, DL_DOMTYPE_PVH, &err);
	assert_null(out);
	assert_int_equal(err.code, DL_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "a xend configuration has no PVH guest type"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xl),
		cmocka_unit_test(test_libvirt),
		cmocka_unit_test(test_sexpr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
