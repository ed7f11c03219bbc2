/* The lookup budget (src/fs/budget.c) against a fake backend whose lookups
 * charge a chosen number of bytes of work: answers are remembered per
 * (directory, name), found or not; a lookup costs the work its backend
 * did (at least DL_FS_LOOKUP_MIN), so cheap hashed lookups fit far more
 * often than whole-directory scans; once either budget is spent every
 * new lookup fails, remembered answers still come back, and a view
 * shares its mount's budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fs/fs.h"

static uint64_t work;       /* bytes each backend lookup charges */
static unsigned calls;      /* backend lookups made */

static int fake_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	(void)fs;
	calls++;
	dl_volume_charge(work);
	if (len && name[0] == 'x')
		return -ENOENT;
	*ino = dir * 1000 + len;
	return 0;
}

static const struct dl_fs_ops ops = { .lookup = fake_lookup };

static void name_of(char *buf, size_t sz, unsigned i)
{
	snprintf(buf, sz, "n%u", i);
}

static void test_remembered(void **state)
{
	(void)state;
	struct dl_fs fs = { .ops = &ops };
	uint64_t ino = 0;
	work = 1u << 20;
	calls = 0;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(dl_fs_lookup(&fs, 2, "s", 1, &ino), 0);
		assert_int_equal(ino, 2001);
		assert_int_equal(dl_fs_lookup(&fs, 2, "xmissing", 8, &ino), -ENOENT);
	}
	assert_int_equal(calls, 2);
	assert_int_equal(dl_fs_lookup(&fs, 3, "s", 1, &ino), 0);   /* another directory */
	assert_int_equal(calls, 3);
	assert_false(dl_fs_budget_spent(&fs));
	dl_fs_budget_free(&fs);
}

/* n lookups of distinct names, each charging w bytes: how many succeed. */
static unsigned until_spent(struct dl_fs *fs, uint64_t w, unsigned n)
{
	char name[16];
	uint64_t ino;
	work = w;
	for (unsigned i = 0; i < n; i++) {
		name_of(name, sizeof(name), i);
		int r = dl_fs_lookup(fs, 2, name, strlen(name), &ino);
		if (r == -E2BIG) {
			assert_string_equal(fs->detail, DL_FS_BUDGET_SPENT);
			return i;
		}
		assert_int_equal(r, 0);
	}
	return n;
}

static void test_charged_by_work(void **state)
{
	(void)state;
	/* A scan of a 1 MiB directory per lookup: the byte budget ends it. */
	struct dl_fs scan = { .ops = &ops };
	unsigned n = until_spent(&scan, 1u << 20, 100000);
	assert_int_equal(n, (unsigned)(DL_FS_SCAN_BUDGET >> 20) + 1);
	assert_true(dl_fs_budget_spent(&scan));
	uint64_t ino;
	assert_int_equal(dl_fs_lookup(&scan, 2, "n0", 2, &ino), 0);    /* remembered */
	assert_int_equal(dl_fs_lookup(&scan, 9, "n0", 2, &ino), -E2BIG);
	dl_fs_budget_free(&scan);

	/* Hashed lookups reading a few blocks: the lookup count ends it. */
	struct dl_fs hashed = { .ops = &ops };
	assert_int_equal(until_spent(&hashed, 8192, 100000), DL_FS_LOOKUP_BUDGET);
	dl_fs_budget_free(&hashed);

	/* Lookups that read nothing (cached) still cost DL_FS_LOOKUP_MIN. */
	struct dl_fs free_ = { .ops = &ops };
	calls = 0;
	unsigned k = until_spent(&free_, 0, 100000);
	assert_int_equal(k, DL_FS_LOOKUP_BUDGET);
	assert_true((uint64_t)k * DL_FS_LOOKUP_MIN <= DL_FS_SCAN_BUDGET);
	dl_fs_budget_free(&free_);
}

static void test_view_shares(void **state)
{
	(void)state;
	struct dl_fs mount = { .ops = &ops };
	struct dl_fs view = { .ops = &ops, .base = &mount };
	until_spent(&view, 1u << 20, 100000);
	assert_true(dl_fs_budget_spent(&mount));
	uint64_t ino;
	work = 0;
	assert_int_equal(dl_fs_lookup(&mount, 7, "fresh", 5, &ino), -E2BIG);
	dl_fs_budget_free(&mount);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remembered),
		cmocka_unit_test(test_charged_by_work),
		cmocka_unit_test(test_view_shares),
	};
	return cmocka_run_group_tests_name("fs_budget", tests, NULL, NULL);
}
