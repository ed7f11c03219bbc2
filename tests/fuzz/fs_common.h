/* Shared body of the filesystem fuzz harnesses: mount the input as a
 * whole-disk volume of the given type, list the root, and resolve, read and
 * map a fixed set of paths. */
#include <stdio.h>
#include <string.h>

#include "fs/fs.h"
#include "fuzz_common.h"

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

static void fuzz_disk(struct dl_disk *d, const char *type, const char *const *paths, size_t npaths)
{
	struct dl_extent ext = { .off = 0, .len = d->size, .disk = d, .disk_off = 0 };
	struct dl_volume v = { .kind = DL_VOL_DISK, .size = d->size, .ext = &ext, .nextents = 1 };
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
				dl_fs_map(fs, &st, paths[i], fuzz_ext_cb, &runs, &err);
			dl_error_clear(&err);
		}
		dl_fs_unmount(fs);
	}
	dl_disk_free(d);
}

/* The input is the whole image. */
static inline int fuzz_fs(const uint8_t *data, size_t size, const char *type, const char *const *paths,
		   size_t npaths)
{
	if (size > (8u << 20))
		return 0;
	fuzz_disk(dl_disk_from_mem(data, size, "fuzz"), type, paths, npaths);
	return 0;
}

#define fuzz_le32 fuzz_u32

/* Sparse input, for filesystems whose metadata is spread over many MiB:
 * "DLSP", u32 image size in 4 KiB blocks (at most 8192), then records
 * {u32 block index, u32 block count, count*4096 bytes}, little-endian.
 * Unparseable tails are ignored.  gen_*_corpus.sh write seeds in it. */
static inline int fuzz_fs_sparse(const uint8_t *data, size_t size, const char *type,
			  const char *const *paths, size_t npaths)
{
	size_t len;
	uint8_t *img = fuzz_unsparse(data, size, &len, 0);   /* the compact "DLSB" form */
	if (img) {
		dl_log_set(fuzz_quiet, NULL, 0);
		fuzz_disk(dl_disk_from_mem(img, len, "fuzz"), type, paths, npaths);
		fuzz_unsparse_done(data, size, img);
		return 0;
	}
	if (size < 8 || memcmp(data, "DLSP", 4))
		return 0;
	uint32_t nblocks = fuzz_le32(data + 4);
	if (!nblocks || nblocks > 8192)
		return 0;
	img = calloc(nblocks, 4096);
	if (!img)
		return 0;
	for (size_t pos = 8; pos + 8 <= size;) {
		uint32_t idx = fuzz_le32(data + pos), cnt = fuzz_le32(data + pos + 4);
		pos += 8;
		if (idx >= nblocks || cnt > nblocks - idx || (uint64_t)cnt * 4096 > size - pos)
			break;
		memcpy(img + (size_t)idx * 4096, data + pos, (size_t)cnt * 4096);
		pos += (size_t)cnt * 4096;
	}
	fuzz_disk(dl_disk_from_mem(img, (size_t)nblocks * 4096, "fuzz"), type, paths, npaths);
	free(img);
	return 0;
}
