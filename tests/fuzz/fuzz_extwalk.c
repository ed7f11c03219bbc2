/* Fuzz the ext backend and the walker: the input is an ext image (a
 * memory-backed disk, one whole-disk volume; any backend mounts it, and
 * one seed is a btrfs).  Mount, resolve and read a few fixed paths, list
 * directories, and check that the extent map of every regular file
 * reproduces read() byte for byte, its encoded runs read through read()
 * on their own.  All work is capped: reads at 1 MiB per file, listings
 * at 1000 entries. */
#include <stdio.h>
#include <string.h>

#include "fs/fs.h"
#include "fuzz_common.h"

#define READ_CAP (1u << 20)

struct rebuild {
	struct dl_fs *fs;
	const struct dl_stat *st;
	const char *path;
	char *buf;
	uint64_t size;
};

static int rebuild_run(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	struct rebuild *r = ctx;
	struct dl_error err = { 0 };
	if (fo + len > r->size)
		__builtin_trap();   /* dl_fs_map promised runs inside the file */
	if (vo == DL_HOLE)
		memset(r->buf + fo, 0, len);
	else if (vo == DL_ENCODED && dl_fs_read(r->fs, r->st, r->path, r->buf + fo, len, fo, &err) != (ssize_t)len)
		__builtin_trap();   /* ... whose encoded bytes read as the whole file's do */
	else if (vo != DL_ENCODED && dl_volume_pread(r->fs->vol, r->buf + fo, len, vo) != (ssize_t)len)
		__builtin_trap();   /* ... and whose other runs lie inside the volume */
	return 0;
}

static int count_ent(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	unsigned *n = ctx;
	(void)name, (void)ino, (void)t;
	if (len == 0 || len > 255)
		__builtin_trap();
	return ++*n >= 1000;
}

static void file(struct dl_fs *fs, const char *path)
{
	struct dl_error err = { 0 };
	struct dl_stat st;
	char *buf;
	size_t len;

	if (dl_fs_resolve(fs, path, false, &st, &err) < 0)
		return;
	dl_error_clear(&err);
	if (dl_fs_resolve(fs, path, true, &st, &err) < 0 || st.type != DL_FT_REG) {
		if (st.type == DL_FT_DIR) {
			unsigned n = 0;
			dl_fs_readdir(fs, path, count_ent, &n, &err);
		}
		return;
	}
	if (dl_fs_read_file(fs, path, READ_CAP, &buf, &len, &err) < 0)
		return;
	if (len != st.size || buf[len])
		__builtin_trap();
	struct rebuild r = { .fs = fs, .st = &st, .path = path, .buf = dl_malloc(len + 1), .size = len };
	memset(r.buf, 0xA5, len);
	dl_error_clear(&err);
	if (dl_fs_map(fs, &st, path, rebuild_run, &r, &err) == 0 && memcmp(r.buf, buf, len))
		__builtin_trap();   /* the fast path must give the bytes read() gives */
	free(r.buf);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/boot/grub/grub.cfg", "/vmlinuz", "/boot/x/../y", "/link1", "/boot/vmlinuz",
		"/etc/passwd", "/boot/longlink", "/sparse", "/boot/initrd", "/boot", "/",
		"/a/../../b/./c//d", "lost+found",
	};
	struct dl_error err = { 0 };
	struct dl_fs *fs;

	const uint8_t *in = data;
	size_t ulen, insize = size;
	uint8_t *img = fuzz_unsparse(data, size, &ulen, 0);   /* compact seeds (seeds/mkfsseeds.sh) */
	if (img)
		data = img, size = ulen;
	if (size < 2048 || size > (4u << 20)) {
		fuzz_unsparse_done(in, insize, img);
		return 0;
	}
	dl_log_set(fuzz_quiet, NULL, 0);
	struct dl_disk *d = dl_disk_from_mem(data, size, "fuzz");
	struct dl_extent ext = { .off = 0, .len = size, .disk = d, .disk_off = 0 };
	struct dl_volume vol = { .kind = DL_VOL_DISK, .disk = d, .size = size, .ext = &ext, .nextents = 1 };
	snprintf(vol.name, sizeof(vol.name), "fuzz");
	if (dl_fs_mount(&fs, &vol, &err) == 0) {
		for (size_t i = 0; i < DL_ARRAY_SIZE(paths); i++)
			file(fs, paths[i]);
		dl_fs_unmount(fs);
	}
	dl_disk_free(d);
	fuzz_unsparse_done(in, insize, img);
	return 0;
}
