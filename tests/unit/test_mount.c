/* src/mount's pure parts: the device-mapper table for each volume shape
 * (partition, logical partition, linear LV, LV over two disks, striped
 * LV), the call's request codec and its checks, map names and mount
 * options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mount/mount.h"

#define MIB (1024ull * 1024)

static uint8_t blank[4096];
static struct dl_disk_set set;
static const char *const devs[] = { "7:0", "253:4" };

static int setup(void **state)
{
	(void)state;
	memset(&set, 0, sizeof(set));
	for (int i = 0; i < 2; i++) {
		struct dl_disk *d = dl_disk_from_mem(blank, sizeof(blank), i ? "b.img" : "a.img");
		d->size = 64 * MIB;   /* only the size is read */
		dl_diskset_add(&set, d);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dl_diskset_free(&set);
	return 0;
}

static struct dl_volume vol(const char *name, struct dl_extent *ext, size_t n)
{
	struct dl_volume v = { .kind = DL_VOL_PART, .ext = ext, .nextents = n };
	snprintf(v.name, sizeof(v.name), "%s", name);
	snprintf(v.fstype, sizeof(v.fstype), "ext4");
	for (size_t i = 0; i < n; i++)
		v.size += ext[i].len;
	return v;
}

/* The table of v as dmsetup prints it, or the error message. */
static char *table_of(const struct dl_volume *v)
{
	struct dl_dm_target *t;
	size_t n;
	struct dl_error err = { 0 };
	if (dl_dm_table(v, devs, 2, &t, &n, &err) < 0)
		return dl_asprintf("error: %s", err.msg);
	char *s = dl_dm_table_text(t, n);
	dl_dm_table_free(t, n);
	return s;
}

static void expect_table(const struct dl_volume *v, const char *want)
{
	char *got = table_of(v);
	assert_string_equal(got, want);
	free(got);
}

static void test_partition(void **state)
{
	(void)state;
	struct dl_extent e[] = { { .off = 0, .len = 16 * MIB, .disk = set.disks[0], .disk_off = MIB } };
	struct dl_volume v = vol("xvda2", e, 1);
	expect_table(&v, "0 32768 linear 7:0 2048\n");
}

static void test_logical_partition(void **state)
{
	(void)state;
	/* xvda5: its EBR at sector 4096, the partition 63 sectors after it */
	struct dl_extent e[] = { { .off = 0, .len = 8 * MIB, .disk = set.disks[0], .disk_off = (4096 + 63) * 512ull } };
	struct dl_volume v = vol("xvda5", e, 1);
	expect_table(&v, "0 16384 linear 7:0 4159\n");
}

static void test_linear_lv(void **state)
{
	(void)state;
	struct dl_extent e[] = {
		{ .off = 0, .len = 4 * MIB, .disk = set.disks[0], .disk_off = 2 * MIB },
		{ .off = 4 * MIB, .len = 3 * MIB, .disk = set.disks[0], .disk_off = 20 * MIB },
	};
	struct dl_volume v = vol("/dev/vg/root", e, 2);
	expect_table(&v, "0 8192 linear 7:0 4096\n8192 6144 linear 7:0 40960\n");
}

static void test_lv_two_disks(void **state)
{
	(void)state;
	struct dl_extent e[] = {
		{ .off = 0, .len = 4 * MIB, .disk = set.disks[0], .disk_off = 2 * MIB },
		{ .off = 4 * MIB, .len = 4 * MIB, .disk = set.disks[1], .disk_off = MIB + 512 },
	};
	struct dl_volume v = vol("/dev/vg/data", e, 2);
	expect_table(&v, "0 8192 linear 7:0 4096\n8192 8192 linear 253:4 2049\n");
}

static void test_striped_lv(void **state)
{
	(void)state;
	struct dl_stripe s[] = { { set.disks[0], 4 * MIB }, { set.disks[1], 21 * MIB } };
	struct dl_extent e[] = { { .off = 0, .len = 16 * MIB, .nstripes = 2, .chunk = 65536, .stripe = s } };
	struct dl_volume v = vol("/dev/stripevg/data", e, 1);
	expect_table(&v, "0 32768 striped 2 128 7:0 8192 253:4 43008\n");
	/* a linear extent after a striped one (lvextend without -i) */
	struct dl_extent e2[] = { e[0], { .off = 16 * MIB, .len = MIB, .disk = set.disks[0], .disk_off = 40 * MIB } };
	v = vol("/dev/stripevg/data", e2, 2);
	expect_table(&v, "0 32768 striped 2 128 7:0 8192 253:4 43008\n32768 2048 linear 7:0 81920\n");
}

static void test_table_refusals(void **state)
{
	(void)state;
	struct dl_extent e[] = { { .off = 0, .len = 16 * MIB, .disk = set.disks[0], .disk_off = 1000 } };
	struct dl_volume v = vol("xvda1", e, 1);
	expect_table(&v, "error: xvda1: extent at 0 is not sector-aligned");
	static const char *const one[] = { "7:0" };
	e[0].disk = set.disks[1];
	e[0].disk_off = MIB;
	struct dl_dm_target *t;
	size_t n;
	struct dl_error err = { 0 };
	assert_true(dl_dm_table(&v, one, 1, &t, &n, &err) < 0);
	assert_string_equal(err.msg, "xvda1: extent at 0: no device for its disk");
	v.nextents = 0;
	expect_table(&v, "error: xvda1: no extents");
}

static void roundtrip(const struct dl_volume *v, const char *path)
{
	struct dl_sbuf b = { 0 };
	assert_int_equal(dl_kmount_req_encode(v, DL_KMOUNT_OPEN, path, &b), 0);
	struct dl_kmount_req r;
	struct dl_error err = { 0 };
	assert_int_equal(dl_kmount_req_decode(b.p, b.len, &set, &r, &err), 0);
	assert_int_equal(r.what, DL_KMOUNT_OPEN);
	assert_string_equal(r.path, path);
	assert_string_equal(r.vol.name, v->name);
	assert_string_equal(r.vol.fstype, v->fstype);
	char *a = table_of(v), *c = table_of(&r.vol);
	assert_string_equal(a, c);
	free(a);
	free(c);
	dl_kmount_req_free(&r);
	/* every shorter request is refused, none is read past */
	for (size_t len = 0; len < b.len; len++) {
		struct dl_error e2 = { 0 };
		uint8_t *cut = malloc(len ? len : 1);
		memcpy(cut, b.p, len);
		assert_true(dl_kmount_req_decode(cut, len, &set, &r, &e2) < 0);
		dl_kmount_req_free(&r);
		free(cut);
	}
	dl_sbuf_free(&b);
}

static void test_request_codec(void **state)
{
	(void)state;
	struct dl_stripe s[] = { { set.disks[0], 4 * MIB }, { set.disks[1], 21 * MIB } };
	struct dl_extent e[] = {
		{ .off = 0, .len = 16 * MIB, .nstripes = 2, .chunk = 65536, .stripe = s },
		{ .off = 16 * MIB, .len = MIB, .disk = set.disks[1], .disk_off = 40 * MIB },
	};
	struct dl_volume v = vol("/dev/stripevg/data", e, 2);
	roundtrip(&v, "/boot/vmlinuz");
}

static int decode_with(struct dl_extent *e, size_t n, const char *path, char *msg)
{
	struct dl_volume v = vol("xvda1", e, n);
	struct dl_sbuf b = { 0 };
	dl_kmount_req_encode(&v, DL_KMOUNT_STAT, path, &b);
	struct dl_kmount_req r;
	struct dl_error err = { 0 };
	int rc = dl_kmount_req_decode(b.p, b.len, &set, &r, &err);
	snprintf(msg, 200, "%.190s", err.msg);
	dl_kmount_req_free(&r);
	dl_sbuf_free(&b);
	return rc;
}

static void test_request_checks(void **state)
{
	(void)state;
	char msg[200];
	struct dl_extent past[] = { { .off = 0, .len = 16 * MIB, .disk = set.disks[0], .disk_off = 60 * MIB } };
	assert_true(decode_with(past, 1, "/", msg) < 0);
	assert_string_equal(msg, "mount request: range 62914560+16777216 outside a.img");
	struct dl_extent gap[] = {
		{ .off = 0, .len = MIB, .disk = set.disks[0], .disk_off = MIB },
		{ .off = 2 * MIB, .len = MIB, .disk = set.disks[0], .disk_off = 4 * MIB },
	};
	assert_true(decode_with(gap, 2, "/", msg) < 0);
	assert_string_equal(msg, "mount request: extents not contiguous");
	struct dl_extent ok[] = { { .off = 0, .len = MIB, .disk = set.disks[1], .disk_off = MIB } };
	assert_true(decode_with(ok, 1, "boot", msg) < 0);
	assert_string_equal(msg, "mount request: bad path");
	assert_int_equal(decode_with(ok, 1, "/boot", msg), 0);
	struct dl_disk other = { .index = 5, .size = 64 * MIB, .path = "c.img" };
	struct dl_extent nodisk[] = { { .off = 0, .len = MIB, .disk = &other, .disk_off = 0 } };
	assert_true(decode_with(nodisk, 1, "/", msg) < 0);
	assert_string_equal(msg, "mount request: no disk 5");
}

static void test_names_and_options(void **state)
{
	(void)state;
	char buf[128];
	struct dl_volume v = { .kind = DL_VOL_PART };
	snprintf(v.name, sizeof(v.name), "xvda2");
	dl_kmount_map_name(buf, sizeof(buf), 42, &v);
	assert_string_equal(buf, "domuloader-42-xvda2");
	v = (struct dl_volume){ .kind = DL_VOL_LV, .name = "/dev/vg/root", .vg = "vg", .lv = "root" };
	dl_kmount_map_name(buf, sizeof(buf), 42, &v);
	assert_string_equal(buf, "domuloader-42-vg-root");
	v = (struct dl_volume){ .kind = DL_VOL_DISK, .name = "my disk/../x.img" };
	dl_kmount_map_name(buf, sizeof(buf), 7, &v);
	assert_string_equal(buf, "domuloader-7-my_disk-..-x.img");
	assert_string_equal(dl_kmount_fstype("ext4")->data, "noload");
	assert_string_equal(dl_kmount_fstype("xfs")->data, "norecovery,nouuid");
	assert_string_equal(dl_kmount_fstype("btrfs")->data, "nologreplay");
	assert_string_equal(dl_kmount_fstype("f2fs")->data, "norecovery");
	assert_string_equal(dl_kmount_fstype("squashfs")->kernel, "squashfs");
	assert_null(dl_kmount_fstype("crypto_LUKS"));
	assert_null(dl_kmount_fstype(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_partition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logical_partition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linear_lv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lv_two_disks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_striped_lv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_codec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_and_options, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
