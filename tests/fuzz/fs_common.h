/* Shared body of the filesystem fuzz harnesses: mount the input as a
 * whole-disk volume of the given type, list the root, and resolve, read and
 * map a fixed set of paths. */
#include <stdio.h>
#include <string.h>

#include "fs/fs.h"

static int fuzz_count_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	(void)name, (void)ino, (void)t;
	size_t *n = ctx;
	*n += len;
	return *n > (1u << 20);
}

static int fuzz_ext_cb(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	(void)file_off, (void)vol_off, (void)len;
	(*(int *)ctx)++;
	return 0;
}

static int fuzz_fs(const uint8_t *data, size_t size, const char *type, const char *const *paths,
		   size_t npaths)
{
	if (size > (8u << 20))
		return 0;
	struct dl_disk *d = dl_disk_from_mem(data, size, "fuzz");
	struct dl_extent ext = { .off = 0, .len = size, .disk = d, .disk_off = 0 };
	struct dl_volume v = { .kind = DL_VOL_DISK, .size = size, .ext = &ext, .next = 1 };
	strcpy(v.name, "vol");
	snprintf(v.fstype, sizeof(v.fstype), "%s", type);
	struct dl_fs *fs = NULL;
	struct dl_error err = { 0 };
	if (dl_fs_mount(&fs, &v, &err) == 0) {
		size_t n = 0;
		dl_fs_readdir(fs, "/", fuzz_count_cb, &n, &err);
		for (size_t i = 0; i < npaths; i++) {
			struct dl_stat st;
			char *buf = NULL;
			size_t len;
			int runs = 0;
			dl_error_clear(&err);
			if (dl_fs_read_file(fs, paths[i], 1u << 20, &buf, &len, &err) == 0)
				free(buf);
			dl_error_clear(&err);
			if (dl_fs_resolve_file(fs, paths[i], &st, &err) == 0)
				dl_fs_extents(fs, &st, paths[i], fuzz_ext_cb, &runs, &err);
			dl_error_clear(&err);
		}
		dl_fs_unmount(fs);
	}
	dl_disk_free(d);
	return 0;
}
