/* The menu's wire codec (src/menu/wire.c): a menu and a choice survive the
 * trip; a choice the user edited is refused with a control byte, a
 * relative path, an index out of range or bytes after the end; a menu too
 * large for one call is refused on the sending side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "menu/menu.h"

static const char *const ird[] = { "/initrd-1", "(hd0,gpt1)/initrd-2" };
static const struct dl_menu_item items[] = {
	{ "A \033[2J", -1, false, true, "/vmlinuz-1", ird, 2, "root=/dev/xvda1 ro" },
	{ "Sub", -1, true, false, NULL, NULL, 0, NULL },
	{ "B", 1, false, true, "(hd0,gpt2)/vmlinuz-2", NULL, 0, "b" },
	{ "C", -1, false, false, NULL, NULL, 0, "" },
};
static const struct dl_menu menu = { items, 4, 2, 7, DL_MENU_COUNTDOWN, true, "t" };

static void test_menu_round_trip(void **st)
{
	(void)st;
	struct dl_error err = { 0 };
	struct dl_sbuf b = { 0 };
	assert_int_equal(dl_menu_pack(&menu, &b, &err), 0);
	struct dl_menu m;
	assert_int_equal(dl_menu_unpack((uint8_t *)b.p, b.len, &m, &err), 0);
	assert_int_equal(m.n, 4);
	assert_int_equal(m.def, 2);
	assert_int_equal(m.timeout_s, 7);
	assert_int_equal(m.style, DL_MENU_COUNTDOWN);
	assert_true(m.locked);
	assert_string_equal(m.title_line, "t");
	assert_string_equal(m.items[0].title, "A \033[2J");
	assert_int_equal(m.items[0].ninitrds, 2);
	assert_string_equal(m.items[0].initrds[1], "(hd0,gpt1)/initrd-2");
	assert_true(m.items[1].submenu);
	assert_null(m.items[1].kernel);
	assert_string_equal(m.items[1].args, "");
	assert_int_equal(m.items[2].parent, 1);
	assert_false(m.items[3].bootable);
	dl_menu_free(&m);
	/* every shorter prefix, and one byte more, is refused */
	for (size_t n = 0; n < b.len; n++)
		assert_true(dl_menu_unpack((uint8_t *)b.p, n, &m, &err) < 0);
	dl_sbuf_addc(&b, 0);
	assert_true(dl_menu_unpack((uint8_t *)b.p, b.len, &m, &err) < 0);
	assert_int_equal(err.code, DL_ESANDBOX);
	dl_sbuf_free(&b);
}

static void test_menu_checked(void **st)
{
	(void)st;
	struct dl_error err = { 0 };
	struct dl_sbuf b = { 0 };
	struct dl_menu bad = menu;
	bad.def = 1;   /* a submenu */
	assert_int_equal(dl_menu_pack(&bad, &b, &err), 0);
	struct dl_menu m;
	assert_true(dl_menu_unpack((uint8_t *)b.p, b.len, &m, &err) < 0);
	dl_sbuf_free(&b);
	/* too large for one call: refused where it is made */
	static struct dl_menu_item many[DL_MENU_MAX_ITEMS];
	static char big[DL_MENU_MAX_ARGS + 1];
	memset(big, 'x', DL_MENU_MAX_ARGS);
	for (size_t i = 0; i < DL_ARRAY_SIZE(many); i++)
		many[i] = (struct dl_menu_item){ "t", -1, false, true, "/k", NULL, 0, big };
	struct dl_menu huge = { many, DL_ARRAY_SIZE(many), 0, 1, DL_MENU_SHOW, false, NULL };
	dl_error_clear(&err);
	assert_true(dl_menu_pack(&huge, &b, &err) < 0);
	assert_int_equal(err.code, DL_ELIMIT);
	dl_sbuf_free(&b);
}

static int choice_trip(const struct dl_menu_choice *c, size_t nitems, struct dl_menu_choice *out,
		       struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	int r = dl_menu_choice_pack(c, &b, err);
	if (r == 0)
		r = dl_menu_choice_unpack((uint8_t *)b.p, b.len, nitems, out, err);
	dl_sbuf_free(&b);
	return r;
}

static void test_choice(void **st)
{
	(void)st;
	struct dl_error err = { 0 };
	struct dl_menu_choice out;
	char *k = "/vmlinuz-1", *i0 = "/initrd-1";
	struct dl_menu_choice c = { 0, false, k, &i0, 1, "ro" };
	/* not edited: the index alone */
	assert_int_equal(choice_trip(&c, 4, &out, &err), 0);
	assert_int_equal(out.index, 0);
	assert_false(out.edited);
	assert_null(out.kernel);
	assert_int_equal(out.ninitrds, 0);
	dl_menu_choice_free(&out);
	/* edited */
	c.edited = true;
	c.args = "ro single";
	assert_int_equal(choice_trip(&c, 4, &out, &err), 0);
	assert_string_equal(out.kernel, "/vmlinuz-1");
	assert_string_equal(out.initrds[0], "/initrd-1");
	assert_string_equal(out.args, "ro single");
	dl_menu_choice_free(&out);
	/* the command line */
	struct dl_menu_choice cl = { -1, true, "(hd0,gpt2)/vmlinuz-X", NULL, 0, "root=/dev/xvda2" };
	assert_int_equal(choice_trip(&cl, 4, &out, &err), 0);
	assert_int_equal(out.index, -1);
	dl_menu_choice_free(&out);
	/* refused: index out of range, a control byte, a relative path */
	c.index = 4;
	assert_true(choice_trip(&c, 4, &out, &err) < 0);
	c.index = 0;
	c.args = "ro\033[2J";
	assert_true(choice_trip(&c, 4, &out, &err) < 0);
	c.args = "ro";
	c.kernel = "vmlinuz";
	assert_true(choice_trip(&c, 4, &out, &err) < 0);
	assert_int_equal(err.code, DL_ESANDBOX);
	c.kernel = k;
	i0 = "/i\n";
	assert_true(choice_trip(&c, 4, &out, &err) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_menu_round_trip),
		cmocka_unit_test(test_menu_checked),
		cmocka_unit_test(test_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
