/* The shared helpers of src/common.c: string builder caps, string vectors,
 * error values, the JSON writer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "common.h"

static void test_sbuf_cap(void **st)
{
	(void)st;
	struct dl_sbuf b = { .max = 5 };
	assert_int_equal(dl_sbuf_adds(&b, "abc"), 0);
	assert_int_equal(dl_sbuf_adds(&b, "def"), -E2BIG);   /* unchanged */
	assert_string_equal(dl_sbuf_str(&b), "abc");
	assert_int_equal(dl_sbuf_addc(&b, 'd'), 0);
	assert_int_equal(dl_sbuf_printf(&b, "%d", 5), 0);
	assert_int_equal(dl_sbuf_addc(&b, 'x'), -E2BIG);
	char *s = dl_sbuf_take(&b);
	assert_string_equal(s, "abcd5");
	free(s);
	s = dl_sbuf_take(&b);   /* empty: "" */
	assert_string_equal(s, "");
	free(s);
}

static void test_strv(void **st)
{
	(void)st;
	struct dl_strv v = { 0 };
	for (int i = 0; i < 100; i++)
		dl_strv_push(&v, dl_asprintf("s%d", i));
	assert_int_equal(v.n, 100);
	assert_string_equal(v.v[99], "s99");
	dl_strv_free(&v);
	assert_null(v.v);
	assert_int_equal(v.n, 0);
}

static void test_errors(void **st)
{
	(void)st;
	struct dl_error err = { 0 };
	assert_int_equal(dl_fail(&err, DL_ENOTFOUND, "a: %s", "gone"), -ENOENT);
	assert_int_equal(dl_fail(&err, DL_ELIMIT, "second"), -E2BIG);   /* first wins */
	assert_int_equal(err.code, DL_ENOTFOUND);
	assert_string_equal(err.msg, "a: gone");
	assert_int_equal(dl_refail(&err, DL_EBADIMAGE, "b"), -EUCLEAN);
	assert_string_equal(err.msg, "b");
	assert_int_equal(dl_fail(NULL, DL_ESYNTAX, "x"), -EBADMSG);
	for (int c = DL_EUSAGE; c <= DL_EDIRECT; c++)
		for (int d = c + 1; d <= DL_EDIRECT; d++)
			assert_int_not_equal(dl_code_errno(c), dl_code_errno(d));
	assert_int_equal(dl_errno_code(-ELOOP), DL_ELIMIT);
	assert_int_equal(dl_errno_code(-EUCLEAN), DL_EBADIMAGE);
	assert_int_equal(dl_errno_code(-ECANCELED), DL_EDIRECT);
	assert_int_equal(dl_errno_code(-EIO), DL_EIO);
	assert_true(DL_ABSENT > 0 && DL_NOT_MINE > 0);
}

static char *json(bool pretty)
{
	struct dl_sbuf b = { 0 };
	struct dl_json j;
	dl_json_init(&j, &b, pretty);
	dl_json_obj(&j, NULL);
	dl_json_str(&j, "s", "a\"b\n\x01\xff");
	dl_json_str(&j, "null", NULL);
	dl_json_int(&j, "i", -3);
	dl_json_uint(&j, "u", 18446744073709551615ull);
	dl_json_bool(&j, "t", true);
	dl_json_arr(&j, "a");
	dl_json_obj(&j, NULL);
	dl_json_end(&j);
	dl_json_arr(&j, NULL);
	dl_json_end(&j);
	dl_json_int(&j, NULL, 1);
	dl_json_end(&j);
	dl_json_obj(&j, "o");
	dl_json_bool(&j, "f", false);
	dl_json_end(&j);
	dl_json_end(&j);
	return dl_sbuf_take(&b);
}

static void test_json(void **st)
{
	(void)st;
	char *c = json(false);
	assert_string_equal(c, "{\"s\":\"a\\\"b\\n\\u0001\\ufffd\",\"null\":null,\"i\":-3,"
			       "\"u\":18446744073709551615,\"t\":true,\"a\":[{},[],1],\"o\":{\"f\":false}}");
	free(c);
	char *p = json(true);
	assert_string_equal(p, "{\n  \"s\": \"a\\\"b\\n\\u0001\\ufffd\",\n  \"null\": null,\n  \"i\": -3,\n"
			       "  \"u\": 18446744073709551615,\n  \"t\": true,\n  \"a\": [\n    {},\n    [],\n"
			       "    1\n  ],\n  \"o\": {\n    \"f\": false\n  }\n}");
	free(p);
}

/* Control bytes of guest text cannot reach a terminal or forge a line. */
static void test_text(void **st)
{
	(void)st;
	char s[] = "a\x1b[1mb\r\nc\x7f\t\xc3\xa9\xff";
	assert_int_equal(dl_sanitize_text(s, strlen(s)), 14);
	assert_string_equal(s, "a?[1mb??c??\xc3\xa9\xff");
	struct dl_sbuf b = { .max = 8 };
	assert_int_equal(dl_sbuf_text(&b, "x\ny"), 0);
	assert_int_equal(dl_sbuf_text(&b, NULL), 0);
	assert_int_equal(dl_sbuf_text(&b, "\001\002"), 0);
	assert_string_equal(dl_sbuf_str(&b), "x?y??");
	assert_int_equal(dl_sbuf_text(&b, "\n\n\n\n"), -E2BIG);   /* unchanged */
	assert_string_equal(dl_sbuf_str(&b), "x?y??");
	dl_sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf_cap),
		cmocka_unit_test(test_strv),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
