/* Fuzz the ISO9660 backend through the walker: the input is a whole ISO
 * image.  Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_iso9660 \
 *   -max_total_time=$((N*60)) -max_len=1048576 tests/fuzz/corpus/iso9660
 * Corpus: tests/fuzz/gen_iso_corpus.sh (images cut after their last
 * non-zero sector). */
#include <string.h>

#include "fs/fs.h"

static int count_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	(void)name, (void)ino, (void)t;
	size_t *n = ctx;
	*n += len;
	return *n > (1u << 20);
}

static int ext_cb(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	(void)file_off, (void)vol_off, (void)len;
	(*(int *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/isolinux/isolinux.cfg", "/install.amd/vmlinuz", "/vmlinuz", "/abs-initrd",
		"/a/b/up/vmlinuz", "/boot/grub/grub.cfg", "/a/b/c/d/e/f/g/h/i/j/deep.txt",
	};
	if (size > (8u << 20))
		return 0;
	struct dl_disk *d = dl_disk_from_mem(data, size, "fuzz");
	struct dl_extent ext = { .off = 0, .len = size, .disk = d, .disk_off = 0 };
	struct dl_volume v = { .kind = DL_VOL_DISK, .size = size, .ext = &ext, .next = 1 };
	strcpy(v.name, "vol");
	strcpy(v.fstype, "iso9660");
	struct dl_fs *fs = NULL;
	struct dl_error err = { 0 };
	if (dl_fs_mount(&fs, &v, &err) == 0) {
		size_t n = 0;
		dl_fs_readdir(fs, "/", count_cb, &n, &err);
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			struct dl_stat st;
			char *buf = NULL;
			size_t len;
			int runs = 0;
			dl_error_clear(&err);
			if (dl_fs_read_file(fs, paths[i], 1u << 20, &buf, &len, &err) == 0)
				free(buf);
			dl_error_clear(&err);
			if (dl_fs_resolve_file(fs, paths[i], &st, &err) == 0)
				dl_fs_extents(fs, &st, paths[i], ext_cb, &runs, &err);
			dl_error_clear(&err);
		}
		dl_fs_unmount(fs);
	}
	dl_disk_free(d);
	return 0;
}
