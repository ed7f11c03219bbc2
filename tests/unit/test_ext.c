/* The ext backend on real ext2/ext3/ext4 images built at test time with
 * `mke2fs -d` from a staging directory: exact bytes through read(), the
 * extent map replayed against the image equals read(), symlinks (relative,
 * absolute, fast, slow, inline), holes, inline data, a volume at an
 * offset, a memory-backed disk, and mount failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fs/fs.h"

struct file {
	const char *path;
	char *data;
	size_t len;
	bool sparse;             /* write with holes (only nonzero 4 KiB chunks) */
	bool not_inline;         /* skipped on inline_data images (see below) */
};

static char tmpdir[] = "/tmp/dl-test-ext.XXXXXX";
static char longname[200], longlink[220];

#define KSIZE (200 * 1024 + 123)
#define ISIZE (3 * 1024 * 1024 + 77)
#define HSIZE (2 * 1024 * 1024 + 5000)

static struct file files[] = {
	{ "/etc/passwd", "guest-root:x:0:0:GUEST ONLY:/root:/bin/sh\n", 0, false, false },
	{ "/boot/grub/grub.cfg", "set default=0\nmenuentry 'x' { linux /vmlinuz-1 }\n", 0, false, false },
	{ "/boot/vmlinuz-1", NULL, KSIZE, false, false },
	{ "/boot/initrd.img-1", NULL, ISIZE, false, false },
	{ "/holes", NULL, HSIZE, true, false },
	/* mke2fs 1.47.0 -d drops a trailing hole when inline_data is on (the
	 * file comes out shorter), so this one is not checked there. */
	{ "/tailhole", NULL, 300 * 1024, true, true },
	{ "/tiny", "tiny\n", 0, false, false },
	{ "/six", "sixsix", 0, false, false },
	{ "/empty", "", 0, false, false },
	{ "/block", NULL, 4096, false, false },
	{ NULL, NULL, 0, false, false },   /* longname, filled in setup */
};
#define NFILES (DL_ARRAY_SIZE(files))

static uint32_t rng = 12345;
static char rbyte(void)
{
	rng = rng * 1103515245 + 12345;
	return (char)(rng >> 16);
}

static void write_file(const char *root, const struct file *f)
{
	char p[512];
	snprintf(p, sizeof(p), "%s%s", root, f->path);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	if (f->sparse) {
		for (size_t off = 0; off < f->len; off += 4096) {
			size_t n = DL_MIN((size_t)4096, f->len - off);
			bool zero = true;
			for (size_t i = 0; i < n && zero; i++)
				zero = !f->data[off + i];
			if (!zero)
				assert_int_equal(pwrite(fd, f->data + off, n, (off_t)off), (ssize_t)n);
		}
		assert_int_equal(ftruncate(fd, (off_t)f->len), 0);
	} else {
		assert_int_equal(write(fd, f->data, f->len), (ssize_t)f->len);
	}
	close(fd);
}

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

enum { IMG_EXT2, IMG_EXT3, IMG_EXT4, IMG_INLINE, NIMG };
static const char *const mkfs_args[NIMG] = {
	"-t ext2 -b 1024",
	"-t ext3 -b 1024",
	"-t ext4 -b 4096",
	"-t ext4 -b 4096 -I 256 -O inline_data",
};
static bool have_mke2fs;

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	char stage[256];
	snprintf(stage, sizeof(stage), "%s/stage", tmpdir);
	assert_int_equal(sh("mkdir -p %s/etc %s/boot/grub %s/emptydir", stage, stage, stage), 0);

	memset(longname, 'L', 150);
	memcpy(longname, "/boot/", 6);
	longname[150] = '\0';
	/* An absolute 150-byte target: a slow symlink, or inline with inline_data. */
	snprintf(longlink, sizeof(longlink), "%s", longname);
	files[NFILES - 1] = (struct file){ longname, "long name\n", 0, false, false };

	for (size_t i = 0; i < NFILES; i++) {
		struct file *f = &files[i];
		if (f->data) {
			f->len = strlen(f->data);
			f->data = dl_strdup(f->data);
			continue;
		}
		f->data = dl_calloc(1, f->len);
		if (f->sparse && f->not_inline) {
			/* data, then a hole to the end */
			for (size_t j = 0; j < 5000; j++)
				f->data[j] = (char)(j % 13 + 1);
		} else if (f->sparse) {
			/* data, hole, data at 1 MiB, hole, data in the last block */
			for (size_t j = 0; j < 6000; j++)
				f->data[j] = (char)(j % 251 + 1);
			for (size_t j = 1 << 20; j < (1 << 20) + 70000; j++)
				f->data[j] = rbyte() | 1;
			for (size_t j = f->len - 100; j < f->len; j++)
				f->data[j] = 'T';
		} else {
			for (size_t j = 0; j < f->len; j++)
				f->data[j] = rbyte();
		}
	}
	for (size_t i = 0; i < NFILES; i++)
		write_file(stage, &files[i]);
	assert_int_equal(sh("ln -s boot/vmlinuz-1 %s/vmlinuz && ln -s /etc/passwd %s/boot/vmlinuz && "
			    "ln -s ../etc/passwd %s/boot/rel && ln -s tiny %s/tinylink && "
			    "ln -s %s %s/longlink && ln -s loop2 %s/loop1 && ln -s loop1 %s/loop2 && "
			    "ln -s ../../../../../etc/passwd %s/boot/grub/escape",
			    stage, stage, stage, stage, longlink, stage, stage, stage, stage), 0);

	have_mke2fs = sh("PATH=$PATH:/sbin:/usr/sbin command -v mke2fs >/dev/null") == 0;
	if (!have_mke2fs)
		return 0;
	for (int i = 0; i < NIMG; i++)
		assert_int_equal(sh("PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F %s -d %s %s/img%d 16M >/dev/null",
				    mkfs_args[i], stage, tmpdir, i), 0);
	/* Hostile variants, edited with debugfs (it keeps inode checksums right):
	 * the symlink shapes that break ext2fs_follow_link in libext2fs 1.47.0,
	 * an inline file whose size overstates its data, an extent pointing
	 * outside the filesystem. */
	const char *dbg = "PATH=$PATH:/sbin:/usr/sbin debugfs -w";
	assert_int_equal(sh("cp %s/img%d %s/evil-inline && cp %s/img%d %s/evil-ext4", tmpdir, IMG_INLINE,
			    tmpdir, tmpdir, IMG_EXT4, tmpdir), 0);
	assert_int_equal(sh("%s -R 'sif /longlink size 0' %s/evil-inline 2>/dev/null && "
			    "%s -R 'sif /tinylink flags 0x10000000' %s/evil-inline 2>/dev/null && "
			    "%s -R 'sif /tinylink size 100' %s/evil-inline 2>/dev/null && "
			    "%s -R 'sif /six size 1000' %s/evil-inline 2>/dev/null && "
			    "%s -R 'sif /boot/vmlinuz-1 block[5] 0xFFFFFF0' %s/evil-inline 2>/dev/null && "
			    "%s -R 'sif /longlink size 3000' %s/evil-ext4 2>/dev/null && "
			    "%s -R 'sif /emptydir size 0' %s/evil-ext4 2>/dev/null && "
			    "%s -R 'fallocate /holes 10 20' %s/evil-ext4 2>/dev/null && "
			    "%s -R 'sif /boot/rel size 3000' %s/evil-ext4 2>/dev/null && "
			    "cp %s/img%d %s/evil-ext3 && %s -R 'sif /longlink size 2000' %s/evil-ext3 2>/dev/null && "
			    "%s -R 'sif /vmlinuz size 5000' %s/evil-ext3 2>/dev/null",
			    dbg, tmpdir, dbg, tmpdir, dbg, tmpdir, dbg, tmpdir, dbg, tmpdir, dbg, tmpdir,
			    dbg, tmpdir, dbg, tmpdir, dbg, tmpdir, tmpdir, IMG_EXT3, tmpdir, dbg, tmpdir, dbg, tmpdir), 0);
	/* ... and fill the unwritten blocks with garbage, as a reused disk would */
	assert_int_equal(sh("p=$(PATH=$PATH:/sbin:/usr/sbin debugfs -R 'stat /holes' %s/evil-ext4 2>/dev/null | "
			    "grep -o '(10-20\\[u\\]):[0-9]*' | cut -d: -f2) && [ -n \"$p\" ] && "
			    "head -c 45056 /dev/urandom | dd of=%s/evil-ext4 bs=4096 seek=$p conv=notrunc status=none",
			    tmpdir, tmpdir), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", tmpdir);
	for (size_t i = 0; i < NFILES; i++)
		free(files[i].data);
	return 0;
}

/* A disk and one volume over [off, end) of it. */
struct env {
	struct dl_disk *disk;
	struct dl_extent ext;
	struct dl_volume vol;
	struct dl_fs *fs;
	void *mem;
};

static void vol_init(struct env *e, uint64_t off)
{
	e->ext = (struct dl_extent){ .off = 0, .len = e->disk->size - off, .disk = e->disk,
				     .disk_off = off };
	e->vol = (struct dl_volume){ .kind = DL_VOL_DISK, .disk = e->disk, .size = e->ext.len,
				     .ext = &e->ext, .nextents = 1 };
	snprintf(e->vol.name, sizeof(e->vol.name), "xvda1");
}

static void env_open(struct env *e, const char *path, uint64_t off, bool mem)
{
	struct dl_error err = { 0 };
	memset(e, 0, sizeof(*e));
	if (mem) {
		int fd = open(path, O_RDONLY);
		struct stat st;
		assert_true(fd >= 0 && fstat(fd, &st) == 0);
		e->mem = dl_malloc((size_t)st.st_size);
		assert_int_equal(dl_pread_full(fd, e->mem, (size_t)st.st_size, 0), st.st_size);
		close(fd);
		e->disk = dl_disk_from_mem(e->mem, (size_t)st.st_size, path);
	} else {
		assert_int_equal(dl_disk_open(&e->disk, path, DL_FMT_RAW, &err), 0);
	}
	vol_init(e, off);
	int r = dl_fs_mount(&e->fs, &e->vol, &err);
	if (r)
		fail_msg("mount %s: %d %s", path, r, err.msg);
}

static void env_close(struct env *e)
{
	dl_fs_unmount(e->fs);
	dl_disk_free(e->disk);
	free(e->mem);
}

struct rebuild {
	struct env *e;
	char *buf;
	uint64_t size, next;
	unsigned runs, holes;
};

static int rebuild_run(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	struct rebuild *r = ctx;
	assert_int_equal(fo, r->next);
	assert_true(len > 0 && fo + len <= r->size);
	if (vo == DL_HOLE) {
		memset(r->buf + fo, 0, len);
		r->holes++;
	} else {
		assert_true(vo < DL_ENCODED);          /* ext stores no file bytes encoded */
		assert_true(vo + len <= r->e->vol.size);
		assert_int_equal(dl_volume_pread(&r->e->vol, r->buf + fo, len, vo), (ssize_t)len);
	}
	r->runs++;
	r->next = fo + len;
	return 0;
}

/* Every file: exact bytes via read_file, via chunked reads at odd offsets,
 * and via the extent map (where there is one). */
static void check_files(struct env *e, bool inline_fs)
{
	struct dl_error err = { 0 };
	for (size_t i = 0; i < NFILES; i++) {
		const struct file *f = &files[i];
		char *buf;
		size_t len;
		if (inline_fs && f->not_inline)
			continue;
		if (dl_fs_read_file(e->fs, f->path, 16 << 20, &buf, &len, &err))
			fail_msg("%s: %s", f->path, err.msg);
		assert_int_equal(len, f->len);
		assert_memory_equal(buf, f->data, f->len);
		assert_int_equal(buf[len], '\0');
		free(buf);

		struct dl_stat st;
		assert_int_equal(dl_fs_resolve_file(e->fs, f->path, &st, &err), 0);
		assert_int_equal(st.size, f->len);
		/* chunked reads that straddle blocks */
		char *got = dl_calloc(1, f->len + 1);
		uint64_t off = 0;
		size_t step = 1;
		while (off < f->len) {
			ssize_t n = dl_fs_read(e->fs, &st, f->path, got + off, step, off, &err);
			assert_true(n > 0);
			off += (uint64_t)n;
			step = step * 3 + 1000;
		}
		assert_int_equal(off, f->len);
		assert_memory_equal(got, f->data, f->len);
		/* a read far past the end returns nothing; one larger than the file is clamped */
		assert_int_equal(dl_fs_read(e->fs, &st, f->path, got, 10, f->len + 5, &err), 0);
		char small[100];
		if (f->len < sizeof(small)) {
			memset(small, 'Z', sizeof(small));
			assert_int_equal(dl_fs_read(e->fs, &st, f->path, small, sizeof(small), 0, &err),
					 (ssize_t)f->len);
			assert_memory_equal(small, f->data, f->len);
			assert_int_equal(small[f->len], 'Z');   /* nothing past i_size */
		}
		free(got);

		struct rebuild rb = { .e = e, .buf = dl_calloc(1, f->len + 1), .size = f->len };
		memset(rb.buf, 0x55, f->len);
		int r = dl_fs_map(e->fs, &st, f->path, rebuild_run, &rb, &err);
		bool tiny = f->len > 0 && f->len <= 60;
		if (inline_fs && tiny) {
			/* inline data: no extent map, bytes via read() only */
			assert_int_equal(r, -ENOTSUP);
		} else {
			if (r)
				fail_msg("%s: extents %d %s", f->path, r, err.msg);
			assert_int_equal(rb.next, f->len);
			assert_memory_equal(rb.buf, f->data, f->len);
		}
		if (f->sparse) {
			assert_true(rb.holes >= 1);
			assert_true(rb.runs >= (f->not_inline ? 2 : 4));
		}
		free(rb.buf);
	}
}

static void check_links(struct env *e)
{
	struct dl_error err = { 0 };
	struct dl_stat st, want;
	char *buf;
	size_t len;

	/* /boot/vmlinuz -> /etc/passwd: the guest's file, not dom0's */
	assert_int_equal(dl_fs_read_file(e->fs, "/boot/vmlinuz", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "guest-root:x:0:0:GUEST ONLY:/root:/bin/sh\n");
	free(buf);
	assert_int_equal(dl_fs_read_file(e->fs, "/boot/grub/escape", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "guest-root:x:0:0:GUEST ONLY:/root:/bin/sh\n");
	free(buf);
	assert_int_equal(dl_fs_read_file(e->fs, "/boot/rel", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "guest-root:x:0:0:GUEST ONLY:/root:/bin/sh\n");
	free(buf);

	assert_int_equal(dl_fs_resolve_file(e->fs, "/boot/vmlinuz-1", &want, &err), 0);
	assert_int_equal(dl_fs_resolve_file(e->fs, "/vmlinuz", &st, &err), 0);
	assert_int_equal(st.ino, want.ino);
	assert_int_equal(dl_fs_resolve(e->fs, "/vmlinuz", false, &st, &err), 0);
	assert_int_equal(st.type, DL_FT_LNK);
	assert_int_equal(st.size, strlen("boot/vmlinuz-1"));

	assert_int_equal(dl_fs_read_file(e->fs, "/tinylink", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "tiny\n");
	free(buf);
	/* 150-byte target: slow symlink (inline on inline_data filesystems) */
	assert_int_equal(dl_fs_resolve(e->fs, "/longlink", false, &st, &err), 0);
	assert_int_equal(st.size, 150);
	assert_int_equal(dl_fs_read_file(e->fs, "/longlink", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "long name\n");
	free(buf);

	assert_int_equal(dl_fs_resolve(e->fs, "/loop1", true, &st, &err), -ELOOP);
	assert_string_equal(err.msg, "/loop1: too many levels of symbolic links");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve_file(e->fs, "/boot/grub", &st, &err), -EISDIR);
	assert_string_equal(err.msg, "/boot/grub: is a directory");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve_file(e->fs, "/boot/vmlinuz-2", &st, &err), -ENOENT);
	assert_string_equal(err.msg, "/boot/vmlinuz-2: no such file in xvda1");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve_file(e->fs, "/tiny/x", &st, &err), -ENOTDIR);
	assert_string_equal(err.msg, "/tiny/x: not a directory");
	dl_error_clear(&err);
	assert_int_equal(dl_fs_resolve(e->fs, "/emptydir", true, &st, &err), 0);
	assert_int_equal(st.type, DL_FT_DIR);
}

struct listing {
	char names[1024];
};

static int add_name(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct listing *l = ctx;
	static const char tc[] = "?fdlo";
	(void)ino;
	if (len > 20)
		len = 20;
	size_t n = strlen(l->names);
	snprintf(l->names + n, sizeof(l->names) - n, "%c:%.*s ", tc[t], (int)len, name);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted listing, as directory order is a hash order on ext4. */
static void check_ls(struct env *e, const char *dir, const char *want)
{
	struct listing l = { "" };
	struct dl_error err = { 0 };
	assert_int_equal(dl_fs_readdir(e->fs, dir, add_name, &l, &err), 0);
	char *v[32], *save = NULL;
	size_t n = 0;
	for (char *t = strtok_r(l.names, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	qsort(v, n, sizeof(*v), cmp_str);
	char out[1024] = "";
	for (size_t i = 0; i < n; i++) {
		strcat(out, v[i]);
		strcat(out, " ");
	}
	assert_string_equal(out, want);
}

static void check_image(int idx, uint64_t off, bool mem)
{
	if (!have_mke2fs)
		skip();
	char path[256];
	snprintf(path, sizeof(path), "%s/img%d", tmpdir, idx);
	if (off) {
		char disk[256];
		snprintf(disk, sizeof(disk), "%s/disk%d", tmpdir, idx);
		assert_int_equal(sh("{ head -c %llu /dev/zero; cat %s; } > %s", (unsigned long long)off,
				    path, disk), 0);
		snprintf(path, sizeof(path), "%s", disk);
	}
	struct env e;
	env_open(&e, path, off, mem);
	check_files(&e, idx == IMG_INLINE);
	check_links(&e);
	check_ls(&e, "/boot", "d:grub f:LLLLLLLLLLLLLLLLLLLL f:initrd.img-1 f:vmlinuz-1 l:rel l:vmlinuz ");
	check_ls(&e, "/emptydir", "");
	check_ls(&e, "/boot/grub/", "f:grub.cfg l:escape ");
	env_close(&e);
}

static void test_ext2(void **state) { (void)state; check_image(IMG_EXT2, 0, false); }
static void test_ext3(void **state) { (void)state; check_image(IMG_EXT3, 0, false); }
static void test_ext4(void **state) { (void)state; check_image(IMG_EXT4, 0, false); }
static void test_inline(void **state) { (void)state; check_image(IMG_INLINE, 0, false); }
static void test_offset(void **state) { (void)state; check_image(IMG_EXT4, 1 << 20, false); }
static void test_mem(void **state) { (void)state; check_image(IMG_EXT3, 0, true); }

static int first_run(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	uint64_t *first = ctx;
	(void)len;
	if (fo == 0)
		*first = vo;
	return 0;
}

static void expect_bad(struct dl_fs *fs, const char *path, bool follow, int r, const char *msg)
{
	struct dl_error err = { 0 };
	char *buf = NULL;
	size_t len;
	struct dl_stat st;
	if (follow)
		assert_int_equal(dl_fs_read_file(fs, path, 1 << 20, &buf, &len, &err), r);
	else
		assert_int_equal(dl_fs_resolve(fs, path, true, &st, &err), r);
	assert_null(buf);
	assert_string_equal(err.msg, msg);
}

static void test_hostile(void **state)
{
	(void)state;
	if (!have_mke2fs)
		skip();
	char path[256];
	struct env e;
	struct dl_error err = { 0 };
	char *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/evil-inline", tmpdir);
	env_open(&e, path, 0, false);
	/* inline-data symlink with i_size 0: heap overflow in ext2fs_follow_link */
	expect_bad(e.fs, "/longlink", false, -EUCLEAN,
		   "/longlink: corrupt filesystem structure in xvda1 (empty symbolic link)");
	expect_bad(e.fs, "/tinylink", false, -EUCLEAN,
		   "/tinylink: corrupt filesystem structure in xvda1 (inline symbolic link shorter than its size)");
	/* inline file claiming more than it stores: never read past the data */
	expect_bad(e.fs, "/six", true, -EUCLEAN,
		   "/six: corrupt filesystem structure in xvda1 (inline data shorter than the file size)");
	expect_bad(e.fs, "/boot/vmlinuz-1", true, -EUCLEAN,
		   "/boot/vmlinuz-1: corrupt filesystem structure in xvda1 (block number out of range)");
	/* the rest of the filesystem still reads */
	assert_int_equal(dl_fs_read_file(e.fs, "/tiny", 100, &buf, &len, &err), 0);
	assert_string_equal(buf, "tiny\n");
	free(buf);
	env_close(&e);

	snprintf(path, sizeof(path), "%s/evil-ext4", tmpdir);
	env_open(&e, path, 0, false);
	/* a slow symlink with i_size 3000 for a 150-byte target: the NUL
	 * after the target ends it */
	assert_int_equal(dl_fs_read_file(e.fs, "/longlink", 4096, &buf, &len, &err), 0);
	assert_string_equal(buf, "long name\n");
	free(buf);
	/* a fast symlink grown to 3000 bytes is read as a slow one: its
	 * "block number" is text, out of range */
	expect_bad(e.fs, "/boot/rel", false, -EUCLEAN,
		   "/boot/rel: corrupt filesystem structure in xvda1 (block number out of range)");
	/* unwritten (fallocated) extents inside the hole read as zeros */
	const struct file *h = &files[4];
	assert_string_equal(h->path, "/holes");
	struct dl_stat st;
	assert_int_equal(dl_fs_read_file(e.fs, "/holes", 16 << 20, &buf, &len, &err), 0);
	assert_int_equal(len, h->len);
	assert_memory_equal(buf, h->data, len);
	free(buf);
	struct rebuild rb = { .e = &e, .buf = dl_malloc(h->len), .size = h->len };
	assert_int_equal(dl_fs_resolve_file(e.fs, "/holes", &st, &err), 0);
	assert_int_equal(dl_fs_map(e.fs, &st, "/holes", rebuild_run, &rb, &err), 0);
	assert_memory_equal(rb.buf, h->data, h->len);
	free(rb.buf);
	/* a directory whose blocks lie beyond its size is not handed to libext2fs */
	expect_bad(e.fs, "/emptydir/x", false, -EUCLEAN,
		   "/emptydir/x: corrupt filesystem structure in xvda1 (directory blocks beyond its size)");
	env_close(&e);

	/* slow symlink with i_size > block size (1 KiB here): over-read in
	 * ext2fs_follow_link */
	snprintf(path, sizeof(path), "%s/evil-ext3", tmpdir);
	env_open(&e, path, 0, false);
	expect_bad(e.fs, "/longlink", false, -EUCLEAN,
		   "/longlink: corrupt filesystem structure in xvda1 (symbolic link larger than a block)");
	expect_bad(e.fs, "/vmlinuz", false, -ENAMETOOLONG, "/vmlinuz: symbolic link target too long");
	env_close(&e);
}

static void test_mount_failures(void **state)
{
	(void)state;
	struct dl_error err = { 0 };
	struct dl_fs *fs;
	struct env e;

	/* Not a filesystem at all. */
	static uint8_t zeros[64 * 1024];
	e.disk = dl_disk_from_mem(zeros, sizeof(zeros), "zeros");
	vol_init(&e, 0);
	assert_int_equal(dl_fs_mount(&fs, &e.vol, &err), DL_NOT_MINE);
	assert_null(fs);
	assert_int_equal(err.code, DL_EUNSUPPORTED);
	assert_string_equal(err.msg, "xvda1: no supported filesystem found");
	dl_error_clear(&err);
	snprintf(e.vol.fstype, sizeof(e.vol.fstype), "ntfs");
	assert_int_equal(dl_fs_mount(&fs, &e.vol, &err), DL_NOT_MINE);
	assert_string_equal(err.msg, "xvda1: ntfs filesystems are not supported");
	dl_error_clear(&err);
	snprintf(e.vol.fstype, sizeof(e.vol.fstype), "ext4");
	assert_int_equal(dl_fs_mount(&fs, &e.vol, &err), DL_NOT_MINE);
	assert_string_equal(err.msg, "xvda1: not a valid ext4 filesystem");
	dl_disk_free(e.disk);

	if (!have_mke2fs)
		skip();
	/* Truncated images.  The image's first kernel run tells where to cut. */
	char path[256];
	snprintf(path, sizeof(path), "%s/img%d", tmpdir, IMG_EXT4);
	struct env full;
	env_open(&full, path, 0, false);
	struct dl_stat st;
	uint64_t first = DL_HOLE;
	assert_int_equal(dl_fs_resolve_file(full.fs, "/boot/vmlinuz-1", &st, &err), 0);
	assert_int_equal(dl_fs_map(full.fs, &st, "/boot/vmlinuz-1", first_run, &first, &err), 0);
	env_close(&full);
	assert_true(first < DL_ENCODED && first > 8192);   /* a volume offset: no hole, not encoded */

	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	size_t cut = (size_t)first + 1000;
	char *buf = dl_malloc(cut);
	assert_int_equal(dl_pread_full(fd, buf, cut, 0), (ssize_t)cut);
	close(fd);
	/* cut inside the kernel: the filesystem is larger than its volume,
	 * which Linux refuses to mount too */
	e.disk = dl_disk_from_mem(buf, cut, "cut");
	vol_init(&e, 0);
	dl_error_clear(&err);
	assert_true(dl_fs_mount(&fs, &e.vol, &err) < 0);
	assert_null(fs);
	assert_int_equal(err.code, DL_EBADIMAGE);
	assert_non_null(strstr(err.msg, "xvda1: ext filesystem ("));
	assert_non_null(strstr(err.msg, "is larger than its volume"));
	assert_non_null(strstr(err.msg, "truncated image?"));
	dl_disk_free(e.disk);

	/* cut inside the group descriptors: does not mount */
	e.disk = dl_disk_from_mem(buf, 4096 + 10, "cut");
	vol_init(&e, 0);
	dl_error_clear(&err);
	assert_true(dl_fs_mount(&fs, &e.vol, &err) < 0);
	assert_int_equal(err.code, DL_EBADIMAGE);
	assert_string_equal(err.msg, "xvda1: ext filesystem metadata past the end of the volume: truncated image?");
	dl_disk_free(e.disk);
	size_t half = cut;

	/* A superblock claiming 4 G groups: refused before libext2fs allocates
	 * their descriptors. */
	char save[8];
	memcpy(save, buf + 1024 + 0x04, 4);
	memcpy(save + 4, buf + 1024 + 0x20, 4);
	memcpy(buf + 1024 + 0x04, "\xff\xff\xff\xff", 4);
	memcpy(buf + 1024 + 0x20, "\x01\x00\x00\x00", 4);
	e.disk = dl_disk_from_mem(buf, half, "huge");
	vol_init(&e, 0);
	dl_error_clear(&err);
	assert_true(dl_fs_mount(&fs, &e.vol, &err) < 0);
	assert_int_equal(err.code, DL_EBADIMAGE);
	assert_string_equal(err.msg, "xvda1: corrupt ext superblock (more group descriptors than the volume holds)");
	dl_disk_free(e.disk);
	memcpy(buf + 1024 + 0x04, save, 4);
	memcpy(buf + 1024 + 0x20, save + 4, 4);

	/* A corrupted superblock (inodes per group zeroed): an error, not "not mine". */
	buf[1024 + 0x28] = buf[1024 + 0x29] = buf[1024 + 0x2a] = buf[1024 + 0x2b] = 0;
	e.disk = dl_disk_from_mem(buf, half, "bad");
	vol_init(&e, 0);
	dl_error_clear(&err);
	assert_true(dl_fs_mount(&fs, &e.vol, &err) < 0);
	assert_int_equal(err.code, DL_EBADIMAGE);
	assert_non_null(strstr(err.msg, "xvda1: cannot open ext filesystem: "));
	dl_disk_free(e.disk);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext2),
		cmocka_unit_test(test_ext3),
		cmocka_unit_test(test_ext4),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_mount_failures),
	};
	return cmocka_run_group_tests_name("ext", tests, setup, teardown);
}
