/* The result record described once (src/result.h): every field of the
 * table goes through the child's packing, the broker's checks, the payload
 * side's copy and the JSON output without any code naming it, and each
 * kind of field (a list included, on a record of this test's own) keeps
 * its value and its checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output/output.h"
#include "part/part.h"
#include "result.h"
#include "sandbox/proto.h"

/* Member access by the table's offsets, as the codec does. */
#define AT(rec, off, type) ((type *)((char *)(rec) + (off)))

/* A value for every field of t in rec, distinct per field; strings and
 * list items from the static pool below. */
static char pool[64][64];

static const char *const two_items[2] = { "item one\t\xc3\xa9", "item two" };

static void fill(const struct dl_record_type *t, void *rec, const char *const **lists)
{
	memset(rec, 0, t->size);
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		snprintf(pool[i], sizeof(pool[i]), "%s value\t%zu \xc3\xa9", f->name, i);
		switch (f->kind) {
		case DL_RK_STR:
			*AT(rec, f->off, const char *) = pool[i];
			break;
		case DL_RK_INT:
			*AT(rec, f->off, int) = (int)i + 7;
			break;
		case DL_RK_BOOL:
			*AT(rec, f->off, bool) = true;
			break;
		case DL_RK_LIST:
			*AT(rec, f->off, const char *const *) = lists ? lists[i] : two_items;
			*AT(rec, f->count_off, size_t) = 2;
			break;
		}
	}
}

/* a and b hold the same values in every field of t. */
static void assert_same(const struct dl_record_type *t, const void *a, const void *b)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		switch (f->kind) {
		case DL_RK_STR: {
			const char *x = *AT(a, f->off, const char *), *y = *AT(b, f->off, const char *);
			assert_true((x == NULL) == (y == NULL));
			if (x) {
				assert_string_equal(x, y);
				assert_ptr_not_equal(x, y);   /* a copy, not the sender's bytes */
			}
			break;
		}
		case DL_RK_INT:
			assert_int_equal(*AT(a, f->off, int), *AT(b, f->off, int));
			break;
		case DL_RK_BOOL:
			assert_int_equal(*AT(a, f->off, bool), *AT(b, f->off, bool));
			break;
		case DL_RK_LIST: {
			size_t n = *AT(a, f->count_off, size_t);
			assert_int_equal(n, *AT(b, f->count_off, size_t));
			for (size_t k = 0; k < n; k++)
				assert_string_equal((*AT(a, f->off, const char *const *))[k],
						    (*AT(b, f->off, const char *const *))[k]);
			break;
		}
		}
	}
}

/* Every field with a json key appears in json with its value. */
static void assert_json_has(const struct dl_record_type *t, const void *rec, const char *json)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		if (!f->json)
			continue;
		char want[512];
		char *q = NULL;
		switch (f->kind) {
		case DL_RK_STR:
			q = dl_json_quote(*AT(rec, f->off, const char *));
			snprintf(want, sizeof(want), "\"%s\": %s", f->json, q);
			break;
		case DL_RK_INT:
			snprintf(want, sizeof(want), "\"%s\": %d", f->json, *AT(rec, f->off, int));
			break;
		case DL_RK_BOOL:
			snprintf(want, sizeof(want), "\"%s\": true", f->json);
			break;
		case DL_RK_LIST:
			q = dl_json_quote((*AT(rec, f->off, const char *const *))[1]);
			snprintf(want, sizeof(want), "\"%s\": [", f->json);
			assert_non_null(strstr(json, q));
			break;
		}
		free(q);
		if (!strstr(json, want))
			fail_msg("JSON lacks %s in\n%s", want, json);
	}
}

/* ---- the real result: child -> broker -> payload -> JSON ---- */

struct frames {
	struct dl_broker b;
	struct dl_framer f;
	struct dl_disk_set set;
	struct dl_payload pay;
	struct dl_sink sink;
	struct dl_error err;
};

static void frames_init(struct frames *x)
{
	memset(x, 0, sizeof(*x));
	dl_payload_init(&x->pay, "/nonexistent", &x->set, 1 << 20, 1 << 20, &x->err);
	x->pay.dry = true;
	dl_payload_sink(&x->pay, &x->sink);
	dl_broker_init(&x->b, &x->sink, &x->set, 1 << 20, 1 << 20, &x->err);
}

/* One RESULT frame whose payload is body, through the broker's length
 * check and dispatch into the payload sink. */
static int send_result(struct frames *x, const struct dl_sbuf *body)
{
	struct dl_msg_hdr h = { .type = DL_MSG_RESULT, .len = (uint32_t)body->len };
	int r = dl_broker_check(&x->b, &h, &x->err);
	return r < 0 ? r : dl_broker_dispatch(&x->b, &h, (const uint8_t *)dl_sbuf_str(body));
}

static void frames_free(struct frames *x)
{
	dl_payload_free(&x->pay);
}

static void test_every_field_crosses(void **state)
{
	(void)state;
	const struct dl_record_type *t = &dl_result_type;
	assert_true(t->nfields >= 12);
	struct dl_result in;
	fill(t, &in, NULL);
	struct dl_sbuf body = { 0 };
	struct dl_error err = { 0 };
	assert_int_equal(dl_record_pack(t, &in, &body, &err), 0);
	assert_true(body.len >= DL_MSG_RESULT_MIN && body.len <= DL_MSG_RESULT_MAX);

	struct frames x;
	frames_init(&x);
	assert_int_equal(send_result(&x, &body), 0);
	assert_int_equal(x.err.code, 0);
	assert_true(x.pay.have_result);
	assert_same(t, &in, &x.pay.res);

	size_t len;
	char *json = dl_result_format(DL_OUT_JSON, "/k", NULL, &x.pay.res, &len, &x.err);
	assert_non_null(json);
	assert_json_has(t, &in, json);
	free(json);
	frames_free(&x);
	dl_sbuf_free(&body);
}

/* Every string at its cap still fits one frame and passes; one byte more
 * is the child's DL_ELIMIT. */
static void test_caps(void **state)
{
	(void)state;
	const struct dl_record_type *t = &dl_result_type;
	struct dl_result in;
	fill(t, &in, NULL);
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		if (f->kind != DL_RK_STR)
			continue;
		char *s = dl_malloc(f->cap + 1);
		memset(s, 'a' + (int)i, f->cap);
		s[f->cap] = '\0';
		*AT(&in, f->off, const char *) = s;
	}
	struct dl_sbuf body = { 0 };
	struct dl_error err = { 0 };
	assert_int_equal(dl_record_pack(t, &in, &body, &err), 0);
	assert_true(body.len <= DL_MSG_RESULT_MAX);
	struct frames x;
	frames_init(&x);
	assert_int_equal(send_result(&x, &body), 0);
	assert_same(t, &in, &x.pay.res);
	frames_free(&x);
	dl_sbuf_free(&body);

	char *args = dl_malloc(DL_RESULT_ARGS_MAX + 2);
	memset(args, 'a', DL_RESULT_ARGS_MAX + 1);
	args[DL_RESULT_ARGS_MAX + 1] = '\0';
	const char *saved = in.args;
	in.args = args;
	assert_int_equal(dl_record_pack(t, &in, &body, &err), -E2BIG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "boot entry command line: longer than 4096 bytes");
	in.args = saved;
	free(args);
	dl_sbuf_free(&body);
	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].kind == DL_RK_STR)
			free((void *)*AT(&in, t->fields[i].off, const char *));
}

/* ---- every kind, on a record of this test's own ---- */

#define TEST_FIELDS(STR, INT, BOOL, LIST)                                      \
	STR(name, "name", 16, 0, "name")                                        \
	LIST(files, "files", 16, 3, 0, "file list")                              \
	INT(count, "count", -1, 100, "count")                                    \
	LIST(args, "args", 16, 3, DL_RF_CMDLINE, "module command line")          \
	BOOL(flag, "flag", "flag")                                               \
	STR(hidden, NULL, 16, DL_RF_JSON_EMPTY, "hidden")

struct test_rec {
	TEST_FIELDS(DL_RECORD_MEMBER_STR, DL_RECORD_MEMBER_INT, DL_RECORD_MEMBER_BOOL,
		    DL_RECORD_MEMBER_LIST)
};
#define T_STR(...) DL_RECORD_FIELD_STR(struct test_rec, __VA_ARGS__)
#define T_INT(...) DL_RECORD_FIELD_INT(struct test_rec, __VA_ARGS__)
#define T_BOOL(...) DL_RECORD_FIELD_BOOL(struct test_rec, __VA_ARGS__)
#define T_LIST(...) DL_RECORD_FIELD_LIST(struct test_rec, __VA_ARGS__)
static const struct dl_record_field test_fields[] = { TEST_FIELDS(T_STR, T_INT, T_BOOL, T_LIST) };
static const struct dl_record_type test_type = { test_fields, DL_ARRAY_SIZE(test_fields),
						 sizeof(struct test_rec) };

static const char *const files[] = { "/boot/a", "/boot/b" };
static const char *const margs[] = { "console=hvc0", "x=1\ty" };
static const char *const *lists[] = { NULL, files, NULL, margs, NULL, NULL };

static void test_every_kind(void **state)
{
	(void)state;
	struct test_rec in, out, copy;
	fill(&test_type, &in, lists);
	in.name = "short";
	in.hidden = NULL;
	struct dl_sbuf body = { 0 };
	struct dl_error err = { 0 };
	assert_int_equal(dl_record_pack(&test_type, &in, &body, &err), 0);
	assert_int_equal(dl_record_unpack(&test_type, (const uint8_t *)body.p, body.len, &out, &err), 0);
	assert_same(&test_type, &in, &out);
	dl_record_copy(&test_type, &copy, &out);
	dl_record_clear(&test_type, &out);
	assert_null(out.files);
	assert_int_equal(out.nfiles, 0);
	assert_same(&test_type, &in, &copy);

	struct dl_sbuf js = { 0 };
	struct dl_json j;
	dl_json_init(&j, &js, false);
	dl_json_obj(&j, NULL);
	dl_record_json(&test_type, &j, &copy);
	dl_json_end(&j);
	assert_string_equal(js.p, "{\"name\":\"short\",\"files\":[\"/boot/a\",\"/boot/b\"],\"count\":9,"
			    "\"args\":[\"console=hvc0\",\"x=1\\ty\"],\"flag\":true}");
	dl_sbuf_free(&js);
	dl_record_clear(&test_type, &copy);
	dl_sbuf_free(&body);

	/* Negative ints are "none"; the empty list an empty array. */
	struct test_rec none = { .count = -1 };
	dl_json_init(&j, &js, false);
	dl_json_obj(&j, NULL);
	dl_record_json(&test_type, &j, &none);
	dl_json_end(&j);
	assert_string_equal(js.p, "{\"name\":null,\"files\":[],\"count\":null,\"args\":[],\"flag\":false}");
	dl_sbuf_free(&js);
}

/* Encode by hand: a list of u32 and byte runs. */
static size_t enc(uint8_t *buf, const char *spec, ...)
{
	va_list ap;
	size_t n = 0;
	va_start(ap, spec);
	for (const char *c = spec; *c; c++) {
		if (*c == 'u') {
			uint32_t v = va_arg(ap, uint32_t);
			memcpy(buf + n, &v, 4);
			n += 4;
		} else {
			const char *s = va_arg(ap, const char *);
			size_t len = va_arg(ap, size_t);
			memcpy(buf + n, s, len);
			n += len;
		}
	}
	va_end(ap);
	return n;
}

static void expect_unpack(const uint8_t *buf, size_t n, int code, const char *msg)
{
	struct test_rec out;
	struct dl_error err = { 0 };
	int r = dl_record_unpack(&test_type, buf, n, &out, &err);
	if (!code) {
		assert_int_equal(r, 0);
		dl_record_clear(&test_type, &out);
		return;
	}
	assert_int_equal(r, -dl_code_errno(code));
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
	/* Nothing half-built is left behind. */
	assert_null(out.name);
	assert_null(out.files);
	assert_int_equal(out.nfiles, 0);
}

#define ABSENT DL_RECORD_ABSENT
static void test_unpack_checks(void **state)
{
	(void)state;
	uint8_t b[512];
	size_t n;
	/* name "ab", files ["x"], count 5, args [], flag 1, hidden absent */
	n = enc(b, "usuusuuuu", 2u, "ab", (size_t)2, 1u, 1u, "x", (size_t)1, 5u, 0u, 1u, ABSENT);
	expect_unpack(b, n, 0, NULL);
	expect_unpack(b, n - 1, DL_ESANDBOX, "parser child: protocol violation: result length mismatch");
	b[n] = 0;
	expect_unpack(b, n + 1, DL_ESANDBOX, "parser child: protocol violation: result length mismatch");

	n = enc(b, "uuuuu", 17u, ABSENT, 0u, 0u, 0u);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: result string too long");
	n = enc(b, "uuuuuu", ABSENT, 4u, 0u, 0u, 0u, ABSENT);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: result list too long");
	n = enc(b, "uuuuuuu", ABSENT, 1u, ABSENT, 0u, 0u, 0u, ABSENT);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: malformed result");
	n = enc(b, "uuus", ABSENT, 1u, 10u, "x", (size_t)1);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: result length mismatch");
	n = enc(b, "uuusuuuu", ABSENT, 1u, 3u, "a\0b", (size_t)3, 0u, 0u, 0u, ABSENT);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: NUL byte inside a result string");
	n = enc(b, "uuuuuu", ABSENT, 0u, (uint32_t)-2, 0u, 0u, ABSENT);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: malformed result");
	n = enc(b, "uuuuuu", ABSENT, 0u, 101u, 0u, 0u, ABSENT);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: malformed result");
	n = enc(b, "uuuuuu", ABSENT, 0u, 0u, 0u, 2u, ABSENT);
	expect_unpack(b, n, DL_ESANDBOX, "parser child: protocol violation: malformed result");
	/* The command-line rules apply to every item of a DL_RF_CMDLINE list. */
	n = enc(b, "uuuuususuu", ABSENT, 0u, 0u, 2u, 1u, "a", (size_t)1, 3u, "a\nb", (size_t)3, 0u, ABSENT);
	expect_unpack(b, n, DL_ESYNTAX, "module command line contains a newline");
	n = enc(b, "uuuuusuu", ABSENT, 0u, 0u, 1u, 2u, "\x1b[", (size_t)2, 0u, ABSENT);
	expect_unpack(b, n, DL_ESYNTAX, "module command line contains control byte 0x1b");
	n = enc(b, "uuuuuuu", ABSENT, 0u, 0u, 1u, 17u, 0u, ABSENT);
	expect_unpack(b, n, DL_ELIMIT, "module command line: longer than 16 bytes");
}

static void test_pack_checks(void **state)
{
	(void)state;
	static const char *const four[] = { "a", "b", "c", "d" };
	static const char *const with_null[] = { "a", NULL };
	struct test_rec in = { .files = four, .nfiles = 4 };
	struct dl_sbuf body = { 0 };
	struct dl_error err = { 0 };
	assert_int_equal(dl_record_pack(&test_type, &in, &body, &err), -E2BIG);
	assert_string_equal(err.msg, "file list: more than 3 items");
	dl_error_clear(&err);
	in.files = with_null;
	in.nfiles = 2;
	assert_true(dl_record_pack(&test_type, &in, &body, &err) < 0);
	assert_string_equal(err.msg, "file list: item 1 is NULL");
	dl_sbuf_free(&body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field_crosses),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_unpack_checks),
		cmocka_unit_test(test_pack_checks),
	};
	return cmocka_run_group_tests_name("result", tests, NULL, NULL);
}
