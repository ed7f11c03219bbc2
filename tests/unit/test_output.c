/* Result formats: pygrub-exact sxp/simple/simple0 and the XSA-198 rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domcfg/domcfg.h"
#include "output/output.h"

static void check_repr(const char *in, const char *want)
{
	char *got = dl_python_repr(in);
	assert_string_equal(got, want);
	free(got);
}

/* Expected values are what Python 3's repr() prints for the same strings. */
static void test_py_repr(void **state)
{
	(void)state;
	check_repr("", "''");
	check_repr("root=/dev/xvda1 ro", "'root=/dev/xvda1 ro'");
	check_repr("it's", "\"it's\"");
	check_repr("a'b\"c", "'a\\'b\"c'");
	check_repr("x\")(kernel '/etc/passwd')", "'x\")(kernel \\'/etc/passwd\\')'");
	check_repr("back\\slash", "'back\\\\slash'");
	check_repr("t\tn\nr\r", "'t\\tn\\nr\\r'");
	check_repr("\x01\x1f\x7f", "'\\x01\\x1f\\x7f'");
	check_repr("caf\xc3\xa9", "'caf\xc3\xa9'");
}

static const struct dl_result res = { .args = "root=/dev/xvda2 ro quiet", .entry_index = 0 };

static void test_sxp(void **state)
{
	(void)state;
	size_t len;
	struct dl_error err = { 0 };
	char *s = dl_result_format(DL_OUT_SXP, "/d/boot_kernel.abc", "/d/boot_ramdisk.def", &res, &len, &err);
	assert_string_equal(s, "linux (kernel '/d/boot_kernel.abc')(ramdisk '/d/boot_ramdisk.def')"
			       "(args 'root=/dev/xvda2 ro quiet')");
	assert_int_equal(len, strlen(s));
	free(s);
	struct dl_result noargs = { .args = "" };
	s = dl_result_format(DL_OUT_SXP, "/k", NULL, &noargs, &len, &err);
	assert_string_equal(s, "linux (kernel '/k')");
	free(s);
}

static void test_simple(void **state)
{
	(void)state;
	size_t len;
	struct dl_error err = { 0 };
	char *s = dl_result_format(DL_OUT_SIMPLE, "/k", "/r", &res, &len, &err);
	assert_string_equal(s, "kernel /k\nramdisk /r\nargs root=/dev/xvda2 ro quiet\n\n");
	free(s);
	s = dl_result_format(DL_OUT_SIMPLE0, "/k", NULL, &res, &len, &err);
	static const char want[] = "kernel /k\0args root=/dev/xvda2 ro quiet\0";
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(s, want, sizeof(want));
	free(s);
}

/* XSA-198: a value holding the separator cannot be represented. */
static void test_simple_separator(void **state)
{
	(void)state;
	size_t len;
	struct dl_error err = { 0 };
	struct dl_result evil = { .args = "ro\nkernel /etc/shadow" };
	assert_null(dl_result_format(DL_OUT_SIMPLE, "/k", NULL, &evil, &len, &err));
	assert_int_equal(err.code, DL_ESYNTAX);
	assert_non_null(strstr(err.msg, "newline"));
}

/* A guest path with a terminal escape (-n prints guest names) is refused
 * by every format that prints values as they are; JSON escapes it. */
static void test_control_bytes(void **state)
{
	(void)state;
	size_t len;
	struct dl_result r = { .args = "ro\tquiet" };
	static const enum dl_format fs[] = { DL_OUT_SXP, DL_OUT_SIMPLE, DL_OUT_SIMPLE0, DL_OUT_XL,
					     DL_OUT_LIBVIRT };
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		struct dl_error err = { 0 };
		assert_null(dl_result_format(fs[i], "/boot/vmlinuz-\033]0;x\007", NULL, &r, &len, &err));
		assert_int_equal(err.code, DL_ESYNTAX);
		assert_string_equal(err.msg, "kernel path contains control byte 0x1b: not printed");
		struct dl_error e2 = { 0 };
		assert_null(dl_result_format(fs[i], "/k", "/i\x7f", &r, &len, &e2));
		assert_string_equal(e2.msg, "ramdisk path contains control byte 0x7f: not printed");
	}
	struct dl_error err = { 0 };
	char *s = dl_result_format(DL_OUT_JSON, "/boot/v\033[2J", NULL, &r, &len, &err);
	assert_non_null(s);
	assert_null(strchr(s, '\033'));
	assert_non_null(strstr(s, "/boot/v\\u001b[2J"));
	free(s);
}

static void test_json(void **state)
{
	(void)state;
	size_t len;
	struct dl_error err = { 0 };
	struct dl_result r = { .args = "a \"b\"\\", .title = "T", .entry_index = 3, .volume = "xvda1" };
	char *s = dl_result_format(DL_OUT_JSON, "/k", NULL, &r, &len, &err);
	assert_string_equal(s, "{\n"
			       "  \"kernel\": \"/k\",\n"
			       "  \"ramdisk\": null,\n"
			       "  \"args\": \"a \\\"b\\\"\\\\\",\n"
			       "  \"title\": \"T\",\n"
			       "  \"id\": null,\n"
			       "  \"index\": 3,\n"
			       "  \"edited\": false,\n"
			       "  \"config\": null,\n"
			       "  \"config_format\": null,\n"
			       "  \"volume\": \"xvda1\",\n"
			       "  \"guest_kernel\": null,\n"
			       "  \"guest_ramdisk\": null,\n"
			       "  \"kernel_format\": null,\n"
			       "  \"kernel_version\": null,\n"
			       "  \"kernel_compression\": null,\n"
			       "  \"kernel_arch\": null,\n"
			       "  \"xen_pv\": false,\n"
			       "  \"xen_pvh\": false,\n"
			       "  \"guest_type\": null,\n"
			       "  \"os\": null\n"
			       "}\n");
	assert_int_equal(len, strlen(s));
	free(s);
	/* the guest's OS as one object; a part unknown is null */
	r.os_id = "debian";
	r.os_pretty_name = "Debian \"12\"";
	r.os_arch = "x86_64";
	s = dl_result_format(DL_OUT_JSON, "/k", NULL, &r, &len, &err);
	assert_non_null(strstr(s, "  \"os\": {\n    \"id\": \"debian\",\n    \"version_id\": null,\n"
				  "    \"pretty_name\": \"Debian \\\"12\\\"\",\n    \"arch\": \"x86_64\"\n  }\n}\n"));
	free(s);
	char *j = dl_json_quote("\x01\xff\xc3\xa9");
	assert_string_equal(j, "\"\\u0001\\ufffd\xc3\xa9\"");
	free(j);
}

static void test_format_names(void **state)
{
	(void)state;
	enum dl_format f;
	assert_int_equal(dl_format_parse("simple0", &f), 0);
	assert_int_equal(f, DL_OUT_SIMPLE0);
	assert_int_equal(dl_format_parse("sxp", &f), 0);
	assert_int_equal(f, DL_OUT_SXP);
	assert_int_equal(dl_format_parse("SXP", &f), -EINVAL);
}

/* A multiboot result: modules in JSON and QEMU's form, refused elsewhere. */
static void test_modules(void **state)
{
	(void)state;
	size_t len;
	struct dl_error err = { 0 };
	const char *const mods[2] = { "xvda:/boot/vmlinuz", "xvda:/boot/initrd" };
	const char *const margs[2] = { "placeholder root=/dev/xvda ro, x", "" };
	const char *const files[2] = { "/o/boot_module.a", "/o/it's" };
	struct dl_result r = { .args = "dom0_mem=1G", .title = "Xen", .modules = mods, .nmodules = 2,
			       .module_args = margs, .nmodule_args = 2, .guest_type = "pvh" };
	char *s = dl_result_format_files(DL_OUT_QEMU, "/o/k", NULL, files, &r, &len, &err);
	assert_non_null(s);
	assert_string_equal(s, "-kernel /o/k -append dom0_mem=1G -initrd '/o/boot_module.a "
			       "placeholder root=/dev/xvda ro,, x,/o/it'\\''s'\n");
	free(s);
	s = dl_result_format_files(DL_OUT_JSON, "/o/k", NULL, files, &r, &len, &err);
	assert_non_null(strstr(s, "\"modules\": [\n    {\n      \"path\": \"/o/boot_module.a\",\n"
				  "      \"guest_path\": \"xvda:/boot/vmlinuz\",\n"
				  "      \"args\": \"placeholder root=/dev/xvda ro, x\"\n    },"));
	free(s);
	for (enum dl_format f = DL_OUT_SXP; f <= DL_OUT_LIBVIRT; f++) {
		if (f == DL_OUT_JSON)
			continue;
		memset(&err, 0, sizeof(err));
		assert_null(dl_result_format_files(f, "/o/k", NULL, files, &r, &len, &err));
		assert_int_equal(err.code, DL_EUNSUPPORTED);
		assert_non_null(strstr(err.msg, "is a multiboot entry with 2 modules"));
	}
	/* a Linux result in QEMU's form, and the type in xl's */
	r.nmodules = r.nmodule_args = 0;
	s = dl_result_format_files(DL_OUT_QEMU, "/o/k", "/o/r", NULL, &r, &len, &err);
	assert_string_equal(s, "-kernel /o/k -append dom0_mem=1G -initrd /o/r\n");
	free(s);
	s = dl_result_format(DL_OUT_XL, "/o/k", NULL, &r, &len, &err);
	assert_non_null(strstr(s, "type = \"pvh\"\n"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_py_repr),
		cmocka_unit_test(test_sxp),
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_simple_separator),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_format_names),
	};
	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
