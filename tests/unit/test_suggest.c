/* The "did you mean" of an option typo: the edit distance (with adjacent
 * swaps) and the choice of the closest name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "suggest.h"

static size_t dist(const char *a, const char *b) { return dl_edit_distance(a, strlen(a), b, strlen(b)); }

static void test_distance(void **st)
{
	(void)st;
	assert_int_equal(dist("", ""), 0);
	assert_int_equal(dist("output", "output"), 0);
	assert_int_equal(dist("outptu", "output"), 1);     /* a swap is one edit */
	assert_int_equal(dist("outpt", "output"), 1);      /* a deletion */
	assert_int_equal(dist("outpuut", "output"), 1);    /* an insertion */
	assert_int_equal(dist("oxtput", "output"), 1);     /* a substitution */
	assert_int_equal(dist("OUTPUT", "output"), 0);     /* case does not count */
	assert_int_equal(dist("kitten", "sitting"), 3);
	assert_int_equal(dist("ca", "abc"), 3);            /* OSA: no edit of a swapped pair */
	assert_int_equal(dist("", "abc"), 3);
	assert_int_equal(dist("abc", ""), 3);
	char big[DL_SUGGEST_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_true(dist(big, "a") == (size_t)-1);
}

static const char *const names[] = {
	"quiet", "interactive", "list-entries", "not-really", "output", "output-format",
	"output-directory", "kernel", "ramdisk", "args", "no-sandbox", "timeout", "entry",
};
#define N (sizeof(names) / sizeof(names[0]))

static const char *closest(const char *w) { return dl_closest(w, strlen(w), names, N); }

static void test_closest(void **st)
{
	(void)st;
	assert_string_equal(closest("outptu"), "output");
	assert_string_equal(closest("output-fromat"), "output-format");
	assert_string_equal(closest("output-dirctory"), "output-directory");
	assert_string_equal(closest("no-sandbx"), "no-sandbox");
	assert_string_equal(closest("kernle"), "kernel");
	assert_string_equal(closest("ramdsk"), "ramdisk");
	assert_string_equal(closest("entyr"), "entry");
	assert_string_equal(closest("Quiet"), "quiet");
	/* too far to be a typo of anything */
	assert_null(closest("frobnicate"));
	assert_null(closest("x"));
	assert_null(closest("zzzz"));
	/* a short word allows one edit, no more */
	assert_string_equal(closest("arg"), "args");
	assert_null(closest("agr"));   /* "agr" -> "args" is 2 edits */
	/* only the first len bytes count (the "=value" is cut off by the caller) */
	assert_string_equal(dl_closest("kernle=/vmlinuz", 6, names, N), "kernel");
	assert_null(dl_closest("output", 6, names, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_closest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
