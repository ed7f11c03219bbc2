/* The path walker (src/fs/walk.c) against an in-memory fake backend: a
 * static tree with nested directories, relative and absolute symlinks, a
 * loop, 40- and 41-hop chains, an escape attempt through "..", overlong
 * targets, and directories used as files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fs/fs.h"
#include "map_runs.h"

struct node {
	uint64_t ino, parent;
	const char *name;
	enum dl_ftype type;
	const char *data;     /* file content or link target */
};

#define ROOT 1
enum { BOOT = 2, ETC = 3, GRUB = 4, HOSTILE = 5, KERNEL = 10, PASSWD = 11, GRUBCFG = 12, FRAG = 13,
       INLINE = 14, BADMAP = 15, MIXED = 16, LATE = 17, CHAIN = 100 };

static char long_target[DL_FS_MAX_LINK + 2];     /* 4096 bytes: too long */
static char max_target[DL_FS_MAX_LINK + 1];      /* 4095 bytes: allowed */
static char dir_target[DL_FS_MAX_LINK + 1];      /* 4095 bytes, ends in a directory */
static char chain_names[42][16], chain_targets[42][16];
static char name256[257], name255[256];          /* filled in setup() */

static struct node nodes[200] = {
	{ ROOT, 0, "", DL_FT_DIR, NULL },
	{ BOOT, ROOT, "boot", DL_FT_DIR, NULL },
	{ ETC, ROOT, "etc", DL_FT_DIR, NULL },
	{ GRUB, BOOT, "grub", DL_FT_DIR, NULL },
	{ KERNEL, BOOT, "vmlinuz-1", DL_FT_REG, "KERNEL" },
	{ PASSWD, ETC, "passwd", DL_FT_REG, "root:x:0:0:guest:/root:/bin/sh\n" },
	{ GRUBCFG, GRUB, "grub.cfg", DL_FT_REG, "set default=0\n" },
	{ FRAG, ROOT, "frag", DL_FT_REG, NULL },
	{ INLINE, ROOT, "inline", DL_FT_REG, "tiny" },
	{ BADMAP, ROOT, "badmap", DL_FT_REG, NULL },
	{ MIXED, ROOT, "mixed", DL_FT_REG, NULL },
	{ LATE, ROOT, "late", DL_FT_REG, NULL },
	{ 20, ROOT, "vmlinuz", DL_FT_LNK, "boot/vmlinuz-1" },
	{ 21, ROOT, "loopa", DL_FT_LNK, "loopb" },
	{ 22, ROOT, "loopb", DL_FT_LNK, "./loopa" },
	{ 23, ROOT, "abs", DL_FT_LNK, "/etc/passwd" },
	{ 24, ROOT, "esc", DL_FT_LNK, "../../../../etc/passwd" },
	{ 25, ROOT, "long", DL_FT_LNK, long_target },
	{ 26, ROOT, "dirlink", DL_FT_LNK, "boot" },
	{ 27, ROOT, "empty", DL_FT_LNK, "" },
	{ 28, ROOT, "maxlink", DL_FT_LNK, max_target },
	{ 29, ROOT, "dirlong", DL_FT_LNK, dir_target },
	{ 30, ROOT, "bad", DL_FT_REG, NULL },
	{ 31, ROOT, "dev", DL_FT_OTHER, NULL },
	{ 40, BOOT, "up", DL_FT_LNK, ".." },
	{ 41, BOOT, "rel", DL_FT_LNK, "../etc/passwd" },
	{ 42, BOOT, "pw", DL_FT_LNK, "/etc/passwd" },
	{ 43, BOOT, "vmlinuz", DL_FT_LNK, "/boot/vmlinuz-1" },
	{ 44, GRUB, "deep", DL_FT_LNK, "../../boot/grub/grub.cfg" },
	{ 45, GRUB, "dotdot", DL_FT_LNK, "../.." },
	{ HOSTILE, ROOT, "hostile", DL_FT_DIR, NULL },
	{ 0 },
};

static const struct node *find(uint64_t ino)
{
	for (size_t i = 0; nodes[i].ino; i++)
		if (nodes[i].ino == ino)
			return &nodes[i];
	return NULL;
}

static int fake_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	assert_true(len >= 1 && len <= DL_FS_MAX_NAME);
	assert_null(memchr(name, '/', len));
	assert_false(len == 1 && name[0] == '.');
	assert_false(len == 2 && !memcmp(name, "..", 2));
	if (len == 3 && !memcmp(name, "bad", 3)) {
		snprintf(fs->detail, sizeof(fs->detail), "fake corruption");
		return -EUCLEAN;
	}
	for (size_t i = 0; nodes[i].ino; i++)
		if (nodes[i].parent == dir && strlen(nodes[i].name) == len &&
		    !memcmp(nodes[i].name, name, len)) {
			*ino = nodes[i].ino;
			return 0;
		}
	return -ENOENT;
}

static uint64_t node_size(const struct node *n)
{
	if (n->ino == FRAG || n->ino == BADMAP)
		return 10000;
	if (n->ino == MIXED || n->ino == LATE)
		return 400;
	return n->data ? strlen(n->data) : 0;
}

static int fake_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	(void)fs;
	const struct node *n = find(ino);
	if (!n)
		return -EUCLEAN;
	st->ino = ino;
	st->type = n->type;
	st->size = node_size(n);
	return 0;
}

static ssize_t fake_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	(void)fs;
	const struct node *n = find(ino);
	assert_non_null(n);
	assert_int_equal(n->type, DL_FT_REG);
	size_t size = strlen(n->data);
	if (off >= size)
		return 0;
	len = DL_MIN(len, size - (size_t)off);
	len = DL_MIN(len, (size_t)3);   /* short reads: the caller must loop */
	memcpy(buf, n->data + off, len);
	return (ssize_t)len;
}

static ssize_t fake_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	(void)fs;
	const struct node *n = find(ino);
	assert_non_null(n);
	assert_int_equal(n->type, DL_FT_LNK);
	size_t len = strlen(n->data);
	if (len > bufsz)
		return -ENAMETOOLONG;
	memcpy(buf, n->data, len);
	return (ssize_t)len;
}

/* The entries of /hostile: names a hostile image's directory may hold,
 * of which only the last two are path components. */
static const struct { const char *name; size_t len; } hostile[] = {
	{ "", 0 }, { ".", 1 }, { "..", 2 }, { "a/b", 3 }, { "x\0y", 3 }, { name256, 256 },
	{ name255, 255 }, { "ok", 2 },
};

static int fake_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	(void)fs;
	for (size_t i = 0; dir == HOSTILE && i < DL_ARRAY_SIZE(hostile); i++) {
		int r = cb(ctx, hostile[i].name, hostile[i].len, 50 + i, DL_FT_REG);
		if (r)
			return r;
	}
	for (size_t i = 0; nodes[i].ino; i++)
		if (nodes[i].parent == dir && nodes[i].ino != ROOT) {
			int r = cb(ctx, nodes[i].name, strlen(nodes[i].name), nodes[i].ino, nodes[i].type);
			if (r)
				return r;
		}
	return 0;
}

static int fake_extents(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx)
{
	int r;
	if (ino == INLINE)
		return -ENOTSUP;
	if (ino == LATE) {
		/* a map that gives up after a run */
		snprintf(fs->detail, sizeof(fs->detail), "fake feature");
		if ((r = cb(ctx, 0, 4096, 100)))
			return r;
		return -ENOTSUP;
	}
	if (ino == BADMAP) {
		if ((r = cb(ctx, 0, 4096, 100)))
			return r;
		return cb(ctx, 200, 8192, 9800);        /* gap: [100, 200) missing */
	}
	if (ino == MIXED) {
		/* verbatim, two encoded runs, verbatim, a hole, encoded */
		static const uint64_t mixed[][3] = {
			{ 0, 5000, 100 }, { 100, DL_ENCODED, 100 }, { 200, DL_ENCODED, 50 },
			{ 250, 5250, 50 }, { 300, DL_HOLE, 50 }, { 350, DL_ENCODED, 50 },
		};
		for (size_t i = 0; i < DL_ARRAY_SIZE(mixed); i++)
			if ((r = cb(ctx, mixed[i][0], mixed[i][1], mixed[i][2])))
				return r;
		return 0;
	}
	assert_int_equal(ino, FRAG);
	static const uint64_t runs[][3] = {
		{ 0, 5000, 100 }, { 100, 5100, 100 },            /* adjacent: merged */
		{ 200, DL_HOLE, 50 }, { 250, DL_HOLE, 50 },      /* holes: merged */
		{ 300, 9000, 9000 }, { 9300, 1000, 700 },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(runs); i++)
		if ((r = cb(ctx, runs[i][0], runs[i][1], runs[i][2])))
			return r;
	return 0;
}

/* Subvolumes: 0 is the top level (the root), 7 is /boot. */
static int fake_subvolume(struct dl_fs *fs, uint64_t id, uint64_t *ino)
{
	(void)fs;
	if (id != 0 && id != 7)
		return -ENOENT;
	*ino = id ? BOOT : ROOT;
	return 0;
}

static const struct dl_fs_ops fake_ops = {
	.name = "fake",
	.subvolume = fake_subvolume,
	.lookup = fake_lookup,
	.stat = fake_stat,
	.read = fake_read,
	.readlink = fake_readlink,
	.readdir = fake_readdir,
	.extents = fake_extents,
};

static struct dl_volume vol = { .name = "xvda1", .size = 1 << 20 };
static struct dl_fs fakefs = { .ops = &fake_ops, .vol = &vol, .root = ROOT };
static struct dl_fs *fs = &fakefs;

static int setup(void **state)
{
	(void)state;
	memset(name256, 'n', 256);
	memset(name255, 'm', 255);
	/* 4096 bytes of "a": one byte over the target cap. */
	memset(long_target, 'a', DL_FS_MAX_LINK + 1);
	/* "/" + "./" * 2042 + "etc/passwd" = 4095 bytes. */
	char *p = max_target;
	*p++ = '/';
	for (int i = 0; i < 2042; i++, p += 2)
		memcpy(p, "./", 2);
	memcpy(p, "etc/passwd", 11);
	assert_int_equal(strlen(max_target), DL_FS_MAX_LINK);
	/* "/" + "./" * 2045 + "boot" = 4095 bytes, a directory. */
	p = dir_target;
	*p++ = '/';
	for (int i = 0; i < 2045; i++, p += 2)
		memcpy(p, "./", 2);
	memcpy(p, "boot", 5);
	assert_int_equal(strlen(dir_target), DL_FS_MAX_LINK);
	/* c0 -> c1 -> ... -> c40 -> /boot/vmlinuz-1: 41 links from c0, 40 from c1. */
	size_t n = 0;
	while (nodes[n].ino)
		n++;
	for (int i = 0; i <= 40; i++) {
		snprintf(chain_names[i], sizeof(chain_names[i]), "c%d", i);
		if (i < 40)
			snprintf(chain_targets[i], sizeof(chain_targets[i]), "c%d", i + 1);
		nodes[n++] = (struct node){ CHAIN + (uint64_t)i, ROOT, chain_names[i], DL_FT_LNK,
					    i < 40 ? chain_targets[i] : "/boot/vmlinuz-1" };
	}
	nodes[n] = (struct node){ 0 };
	return 0;
}

/* Resolve and expect success with node ino. */
static void ok(const char *path, bool follow, uint64_t ino)
{
	struct dl_error err = { 0 };
	struct dl_stat st = { 0 };
	int r = dl_fs_resolve(fs, path, follow, &st, &err);
	if (r)
		fail_msg("%s: %d %s", path, r, err.msg);
	assert_int_equal(st.ino, ino);
	assert_int_equal(err.code, 0);
}

/* Resolve and expect failure r with message msg and code. */
static void bad(const char *path, bool follow, int r, int code, const char *msg)
{
	struct dl_error err = { 0 };
	struct dl_stat st;
	assert_int_equal(dl_fs_resolve(fs, path, follow, &st, &err), r);
	assert_string_equal(err.msg, msg);
	assert_int_equal(err.code, code);
}

static void test_plain(void **state)
{
	(void)state;
	ok("/", true, ROOT);
	ok("/boot/vmlinuz-1", true, KERNEL);
	ok("boot/vmlinuz-1", true, KERNEL);
	ok("//boot///vmlinuz-1", true, KERNEL);
	ok("/./boot/./grub/./grub.cfg", true, GRUBCFG);
	ok("/boot/grub/", true, GRUB);
	ok("/boot/grub/.", true, GRUB);
	ok("/boot/grub/..", true, BOOT);
	ok("/etc/../boot/grub/../vmlinuz-1", true, KERNEL);
	struct dl_stat st;
	struct dl_error err = { 0 };
	assert_int_equal(dl_fs_resolve(fs, "/etc/passwd", true, &st, &err), 0);
	assert_int_equal(st.type, DL_FT_REG);
	assert_int_equal(st.size, strlen("root:x:0:0:guest:/root:/bin/sh\n"));
}

static void test_dotdot_root(void **state)
{
	(void)state;
	ok("/..", true, ROOT);
	ok("/../../..", true, ROOT);
	ok("/../../boot/vmlinuz-1", true, KERNEL);
	ok("../etc/passwd", true, PASSWD);
	ok("/boot/../../../etc/passwd", true, PASSWD);
}

static void test_symlinks(void **state)
{
	(void)state;
	ok("/vmlinuz", true, KERNEL);
	ok("/vmlinuz", false, 20);
	ok("/boot/vmlinuz", true, KERNEL);          /* absolute target */
	ok("/boot/pw", true, PASSWD);
	ok("/boot/rel", true, PASSWD);              /* "../" from the link's directory */
	ok("/boot/up/etc/passwd", true, PASSWD);
	ok("/boot/up/boot/up/boot/vmlinuz-1", true, KERNEL);
	ok("/boot/grub/deep", true, GRUBCFG);
	ok("/boot/grub/dotdot/etc/passwd", true, PASSWD);
	ok("/dirlink", true, BOOT);
	ok("/dirlink", false, 26);
	ok("/dirlink/", false, BOOT);               /* a trailing slash follows */
	ok("/dirlink/grub/../vmlinuz-1", true, KERNEL);
	ok("/maxlink", true, PASSWD);               /* a 4095-byte target */
}

static void test_escape_stays_inside(void **state)
{
	(void)state;
	struct dl_error err = { 0 };
	char *buf;
	size_t len;
	ok("/esc", true, PASSWD);
	assert_int_equal(dl_fs_read_file(fs, "/esc", 4096, &buf, &len, &err), 0);
	assert_int_equal(len, strlen("root:x:0:0:guest:/root:/bin/sh\n"));
	assert_string_equal(buf, "root:x:0:0:guest:/root:/bin/sh\n");
	free(buf);
	assert_int_equal(dl_fs_read_file(fs, "/abs", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "root:x:0:0:guest:/root:/bin/sh\n");
	free(buf);
}

static void test_loops_and_hops(void **state)
{
	(void)state;
	bad("/loopa", true, -ELOOP, DL_ELIMIT, "/loopa: too many levels of symbolic links");
	bad("/loopa/x", false, -ELOOP, DL_ELIMIT, "/loopa/x: too many levels of symbolic links");
	ok("/loopa", false, 21);
	ok("/c1", true, KERNEL);                    /* 40 links: allowed */
	bad("/c0", true, -ELOOP, DL_ELIMIT, "/c0: too many levels of symbolic links");
	ok("/c0", false, CHAIN);
}

static void test_lengths(void **state)
{
	(void)state;
	bad("/long", true, -ENAMETOOLONG, DL_ELIMIT, "/long: symbolic link target too long");
	ok("/long", false, 25);
	/* 4095-byte target + "/vmlinuz-1": over 4095 bytes once expanded. */
	bad("/dirlong/vmlinuz-1", true, -ENAMETOOLONG, DL_ELIMIT, "/dirlong/vmlinuz-1: file name too long");
	ok("/dirlong", true, BOOT);

	char name[300];
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[256] = '\0';                           /* 255-byte name: looked up */
	struct dl_error err = { 0 };
	assert_int_equal(dl_fs_resolve(fs, name, true, NULL, &err), -ENOENT);
	name[256] = 'n';
	name[257] = '\0';                           /* 256 bytes: refused */
	assert_int_equal(dl_fs_resolve(fs, name, true, NULL, NULL), -ENAMETOOLONG);

	static char path[DL_FS_MAX_PATH + 1];
	memcpy(path, max_target, DL_FS_MAX_LINK + 1);  /* 4095 bytes: fine */
	ok(path, true, PASSWD);
	memmove(path + 1, path, DL_FS_MAX_LINK + 1);   /* 4096 bytes: refused */
	path[0] = '/';
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve(fs, path, true, NULL, &err), -ENAMETOOLONG);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_non_null(strstr(err.msg, ": file name too long"));
}

static void test_errors(void **state)
{
	(void)state;
	bad("/boot/vmlinuz-2", true, -ENOENT, DL_ENOTFOUND, "/boot/vmlinuz-2: no such file in xvda1");
	bad("/nope/vmlinuz", true, -ENOENT, DL_ENOTFOUND, "/nope/vmlinuz: no such file in xvda1");
	bad("", true, -ENOENT, DL_ENOTFOUND, ": no such file in xvda1");
	bad("/empty", true, -ENOENT, DL_ENOTFOUND, "/empty: no such file in xvda1");
	bad("/etc/passwd/x", true, -ENOTDIR, DL_ENOTFOUND, "/etc/passwd/x: not a directory");
	bad("/etc/passwd/", true, -ENOTDIR, DL_ENOTFOUND, "/etc/passwd/: not a directory");
	bad("/vmlinuz/", true, -ENOTDIR, DL_ENOTFOUND, "/vmlinuz/: not a directory");
	bad("/boot/pw/..", true, -ENOTDIR, DL_ENOTFOUND, "/boot/pw/..: not a directory");
	bad("/bad", true, -EUCLEAN, DL_EBADIMAGE,
	    "/bad: corrupt filesystem structure in xvda1 (fake corruption)");

	struct dl_error err = { 0 };
	struct dl_stat st;
	assert_int_equal(dl_fs_resolve_file(fs, "/boot", &st, &err), -EISDIR);
	assert_string_equal(err.msg, "/boot: is a directory");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve_file(fs, "/dirlink", &st, &err), -EISDIR);
	assert_string_equal(err.msg, "/dirlink: is a directory");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve_file(fs, "/dev", &st, &err), -EINVAL);
	assert_string_equal(err.msg, "/dev: not a regular file");
	dl_error_clear(&err);
	char *buf = (char *)1;
	size_t len = 7;
	assert_int_equal(dl_fs_read_file(fs, "/boot/grub", 100, &buf, &len, &err), -EISDIR);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_string_equal(err.msg, "/boot/grub: is a directory");
	assert_int_equal(dl_fs_resolve_file(fs, "/vmlinuz", &st, NULL), 0);
	assert_int_equal(st.ino, KERNEL);
}

static void test_read_file(void **state)
{
	(void)state;
	struct dl_error err = { 0 };
	char *buf;
	size_t len;
	assert_int_equal(dl_fs_read_file(fs, "/vmlinuz", 6, &buf, &len, &err), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, "KERNEL", 7);      /* NUL-terminated */
	free(buf);
	assert_int_equal(dl_fs_read_file(fs, "/vmlinuz", 5, &buf, &len, &err), -EFBIG);
	assert_null(buf);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "/vmlinuz: file too large (6 bytes, limit 5)");

	struct dl_stat st;
	char small[8] = { 0 };
	assert_int_equal(dl_fs_resolve_file(fs, "/boot/grub/grub.cfg", &st, NULL), 0);
	assert_int_equal(dl_fs_read(fs, &st, "/boot/grub/grub.cfg", small, 5, 4, NULL), 5);
	assert_memory_equal(small, "defau", 5);
	assert_int_equal(dl_fs_read(fs, &st, "/boot/grub/grub.cfg", small, 8, 10, NULL), 4);
	assert_memory_equal(small, "t=0\n", 4);
	assert_int_equal(dl_fs_read(fs, &st, "/boot/grub/grub.cfg", small, 8, 14, NULL), 0);
	assert_int_equal(dl_fs_read(fs, &st, "/boot/grub/grub.cfg", small, 8, 1000, NULL), 0);
}

/* One walk, three answers: found, absent (err untouched), unreadable. */
static void test_stat(void **state)
{
	(void)state;
	struct dl_stat st;
	struct dl_error err = { 0 };
	assert_int_equal(dl_fs_stat(fs, "/boot/vmlinuz", &st, &err), 0);
	assert_int_equal(st.ino, KERNEL);
	assert_int_equal(dl_fs_stat(fs, "/boot/grub", NULL, &err), 0);
	assert_int_equal(dl_fs_stat(fs, "/boot/grub/menu.lst", &st, &err), DL_ABSENT);
	assert_int_equal(dl_fs_stat(fs, "/empty", &st, &err), DL_ABSENT);
	assert_int_equal(err.code, 0);
	assert_int_equal(dl_fs_stat(fs, "/loopa", &st, &err), -ELOOP);
	assert_int_equal(err.code, DL_ELIMIT);
	assert_string_equal(err.msg, "/loopa: too many levels of symbolic links");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_stat(fs, "/etc/passwd/x", &st, &err), -ENOTDIR);
	assert_string_equal(err.msg, "/etc/passwd/x: not a directory");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_stat(fs, "/bad", &st, &err), -EUCLEAN);
	assert_int_equal(err.code, DL_EBADIMAGE);
}

/* What a caller needing a regular file makes of each answer. */
static void test_need_file(void **state)
{
	(void)state;
	struct dl_stat st;
	struct dl_error err = { 0 };
	int r = dl_fs_stat(fs, "/vmlinuz", &st, &err);
	assert_int_equal(dl_fs_need_file(fs, "/vmlinuz", r, &st, &err), 0);
	assert_int_equal(st.ino, KERNEL);
	r = dl_fs_stat(fs, "/boot/nope", &st, &err);
	assert_int_equal(dl_fs_need_file(fs, "/boot/nope", r, &st, &err), -ENOENT);
	assert_string_equal(err.msg, "/boot/nope: no such file in xvda1");
	dl_error_clear(&err);
	r = dl_fs_stat(fs, "/dirlink", &st, &err);
	assert_int_equal(dl_fs_need_file(fs, "/dirlink", r, &st, &err), -EISDIR);
	assert_string_equal(err.msg, "/dirlink: is a directory");
	dl_error_clear(&err);
	r = dl_fs_stat(fs, "/dev", &st, &err);
	assert_int_equal(dl_fs_need_file(fs, "/dev", r, &st, &err), -EINVAL);
	dl_error_clear(&err);
	r = dl_fs_stat(fs, "/loopa", &st, &err);
	assert_int_equal(dl_fs_need_file(fs, "/loopa", r, &st, &err), -ELOOP);
	assert_string_equal(err.msg, "/loopa: too many levels of symbolic links");
}

struct names {
	char buf[256];
};

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype type)
{
	struct names *n = ctx;
	(void)ino;
	size_t l = strlen(n->buf);
	snprintf(n->buf + l, sizeof(n->buf) - l, "%.*s:%d ", (int)len, name, (int)type);
	return 0;
}

static int stop_first(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype type)
{
	collect(ctx, name, len, ino, type);
	return 7;
}

static void test_readdir(void **state)
{
	(void)state;
	struct names n = { "" };
	struct dl_error err = { 0 };
	assert_int_equal(dl_fs_readdir(fs, "/dirlink", collect, &n, &err), 0);
	assert_string_equal(n.buf, "grub:2 vmlinuz-1:1 up:3 rel:3 pw:3 vmlinuz:3 ");
	memset(&n, 0, sizeof(n));
	assert_int_equal(dl_fs_readdir(fs, "/boot", stop_first, &n, &err), 7);
	assert_string_equal(n.buf, "grub:2 ");
	assert_int_equal(dl_fs_readdir(fs, "/etc/passwd", collect, &n, &err), -ENOTDIR);
	assert_string_equal(err.msg, "/etc/passwd: not a directory");
}

static int inos(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype type)
{
	struct names *n = ctx;
	(void)name, (void)type;
	size_t l = strlen(n->buf);
	snprintf(n->buf + l, sizeof(n->buf) - l, "%llu:%zu ", (unsigned long long)ino, len);
	return 0;
}

/* Whatever a backend passes on, a listing holds only path components. */
static void test_readdir_names(void **state)
{
	(void)state;
	struct names n = { "" };
	struct dl_error err = { 0 };
	assert_int_equal(dl_fs_readdir(fs, "/hostile", inos, &n, &err), 0);
	assert_string_equal(n.buf, "56:255 57:2 ");   /* name255, ok */
}

static int refuse(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	(void)ctx, (void)fo, (void)vo, (void)len;
	return -EPIPE;
}

static void test_extents(void **state)
{
	(void)state;
	struct dl_error err = { 0 };
	struct dl_stat st;
	struct runs x = { .n = 0 };
	assert_int_equal(dl_fs_resolve_file(fs, "/frag", &st, &err), 0);
	assert_int_equal(dl_fs_map(fs, &st, "/frag", record, &x, &err), 0);
	assert_int_equal(x.n, 4);
	const uint64_t want[4][3] = {
		{ 0, 5000, 200 }, { 200, DL_HOLE, 100 }, { 300, 9000, 9000 }, { 9300, 1000, 700 },
	};
	assert_memory_equal(x.r, want, sizeof(want));
	assert_int_equal(err.code, 0);

	assert_int_equal(dl_fs_map(fs, &st, "/frag", refuse, NULL, &err), -EPIPE);
	assert_int_equal(err.code, 0);              /* the caller's own failure */

	assert_int_equal(dl_fs_resolve_file(fs, "/inline", &st, &err), 0);
	assert_int_equal(dl_fs_map(fs, &st, "/inline", record, &x, &err), -ENOTSUP);
	assert_int_equal(err.code, 0);
	/* -ENOTSUP after a run is a failure like any other: the caller may
	 * have passed runs on, and must not take the file for unmapped */
	assert_int_equal(dl_fs_resolve_file(fs, "/late", &st, &err), 0);
	assert_int_equal(dl_fs_map(fs, &st, "/late", record, &x, &err), -ENOTSUP);
	assert_int_equal(err.code, DL_EUNSUPPORTED);
	assert_string_equal(err.msg, "/late: unsupported filesystem feature in xvda1 (fake feature)");
	dl_error_clear(&err);

	x.n = 0;
	assert_int_equal(dl_fs_resolve_file(fs, "/badmap", &st, &err), 0);
	assert_int_equal(dl_fs_map(fs, &st, "/badmap", record, &x, &err), -EUCLEAN);
	assert_string_equal(err.msg, "/badmap: corrupt filesystem structure in xvda1 (extent map out of order)");

	/* A file grown past what its map covers, and runs outside the volume. */
	struct dl_stat big = st;
	big.ino = FRAG;
	big.size = 20000;
	dl_error_clear(&err);
	assert_int_equal(dl_fs_map(fs, &big, "/frag", record, &x, &err), -EUCLEAN);
	assert_string_equal(err.msg, "/frag: corrupt filesystem structure in xvda1 (extent map does not cover the file)");
	vol.size = 9500;
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve_file(fs, "/frag", &st, &err), 0);
	assert_int_equal(dl_fs_map(fs, &st, "/frag", record, &x, &err), -EUCLEAN);
	assert_string_equal(err.msg, "/frag: corrupt filesystem structure in xvda1 (extent past the end of the volume)");
	vol.size = 1 << 20;
}

/* Encoded runs (compressed extents) are passed on with their file
 * offsets and lengths, adjacent ones merged, never merged with the
 * verbatim run that is adjacent on the volume by accident; the map's
 * checks hold for a map with encoded runs too. */
static void test_map_encoded(void **state)
{
	(void)state;
	struct dl_error err = { 0 };
	struct dl_stat st;
	struct runs x = { .n = 0 };
	assert_int_equal(dl_fs_resolve_file(fs, "/mixed", &st, &err), 0);
	assert_int_equal(dl_fs_map(fs, &st, "/mixed", record, &x, &err), 0);
	assert_int_equal(err.code, 0);
	const uint64_t want[5][3] = {
		{ 0, 5000, 100 }, { 100, DL_ENCODED, 150 }, { 250, 5250, 50 }, { 300, DL_HOLE, 50 },
		{ 350, DL_ENCODED, 50 },
	};
	assert_int_equal(x.n, 5);
	assert_memory_equal(x.r, want, sizeof(want));
	/* a map short of the file (all runs passed on first), one past its
	 * end (the hole at 300 ends past 320), and one whose verbatim run at
	 * 250 ends past the volume (the encoded runs before it are no volume
	 * offsets): the runs merged before the failure were passed on */
	static const struct {
		uint64_t size, vol;
		const char *why;
		size_t passed;
	} bad[] = {
		{ 500, 1 << 20, "extent map does not cover the file", 5 },
		{ 320, 1 << 20, "extent map out of order", 2 },
		{ 400, 5100, "extent past the end of the volume", 1 },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(bad); i++) {
		struct dl_stat other = st;
		char msg[160];
		other.size = bad[i].size;
		vol.size = bad[i].vol;
		x.n = 0;
		dl_error_clear(&err);
		assert_int_equal(dl_fs_map(fs, &other, "/mixed", record, &x, &err), -EUCLEAN);
		snprintf(msg, sizeof(msg), "/mixed: corrupt filesystem structure in xvda1 (%s)", bad[i].why);
		assert_string_equal(err.msg, msg);
		assert_int_equal(x.n, bad[i].passed);
		assert_memory_equal(x.r, want, bad[i].passed * sizeof(want[0]));
	}
	vol.size = 1 << 20;
}

/* A subvolume view: paths, ".." and absolute links stay inside it. */
static void test_subvol(void **state)
{
	(void)state;
	struct dl_fs *view, *byid;
	struct dl_error err = { 0 };
	struct dl_stat st;
	assert_int_equal(dl_fs_subvol(fs, "boot/", 0, &view, &err), 0);
	assert_ptr_equal(view->base, fs);
	assert_int_equal(dl_fs_stat(view, "/vmlinuz-1", &st, &err), 0);
	assert_int_equal(st.ino, KERNEL);
	assert_int_equal(dl_fs_stat(view, "/grub/grub.cfg", &st, &err), 0);
	assert_int_equal(st.ino, GRUBCFG);
	assert_int_equal(dl_fs_stat(view, "../../boot/vmlinuz-1", &st, &err), DL_ABSENT);
	/* /boot/vmlinuz -> /boot/vmlinuz-1: "/" is the view's root now. */
	assert_int_equal(dl_fs_stat(view, "/vmlinuz", &st, &err), DL_ABSENT);
	assert_int_equal(dl_fs_stat(view, "/up/vmlinuz-1", &st, &err), 0);
	assert_int_equal(dl_fs_subvol(fs, NULL, 7, &byid, &err), 0);
	assert_int_equal(byid->root, BOOT);
	dl_fs_unmount(byid);
	assert_int_equal(dl_fs_subvol(view, "", 0, &byid, &err), 0);   /* the top level */
	assert_int_equal(byid->root, ROOT);
	assert_ptr_equal(byid->base, fs);
	dl_fs_unmount(byid);
	dl_fs_unmount(view);
	assert_int_equal(err.code, 0);
	assert_int_equal(dl_fs_subvol(fs, NULL, 9, &view, &err), -ENOENT);
	assert_string_equal(err.msg, "xvda1: no subvolume 9");
	assert_null(view);
	dl_error_clear(&err);
	assert_int_equal(dl_fs_subvol(fs, "etc/passwd", 0, &view, &err), -ENOENT);
	assert_string_equal(err.msg, "xvda1: subvolume etc/passwd is not a directory");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_subvol(fs, "nope", 0, &view, &err), -ENOENT);
	assert_string_equal(err.msg, "nope: no such file in xvda1");
	dl_error_clear(&err);
	struct dl_fs_ops plain = fake_ops;
	plain.subvolume = NULL;
	struct dl_fs pfs = { .ops = &plain, .vol = &vol, .root = ROOT };
	assert_int_equal(dl_fs_subvol(&pfs, "boot", 0, &view, &err), -ENOTSUP);
	assert_string_equal(err.msg, "xvda1: fake filesystems have no subvolumes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_dotdot_root),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_escape_stays_inside),
		cmocka_unit_test(test_loops_and_hops),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_need_file),
		cmocka_unit_test(test_readdir),
		cmocka_unit_test(test_readdir_names),
		cmocka_unit_test(test_extents),
		cmocka_unit_test(test_map_encoded),
		cmocka_unit_test(test_subvol),
	};
	return cmocka_run_group_tests_name("fs_walk", tests, setup, NULL);
}
