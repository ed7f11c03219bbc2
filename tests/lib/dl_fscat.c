/* dl_fscat: read a guest filesystem through src/fs, for tests and by hand.
 *
 *   dl_fscat IMAGE[@OFFSET] PATH            print a file (streamed, 1 MiB reads)
 *   dl_fscat --extents IMAGE[@OFFSET] PATH  print its extent map, one run a line:
 *                                           "FILE_OFF VOL_OFF|hole|encoded LEN"
 *   dl_fscat --excat IMAGE[@OFFSET] PATH    print a file rebuilt from its extent
 *                                           map, reading the image directly (its
 *                                           encoded runs through the filesystem)
 *   dl_fscat --ls IMAGE[@OFFSET] DIR        list a directory: "TYPE NAME" lines,
 *                                           TYPE one of f d l o ?
 *   dl_fscat --stat IMAGE[@OFFSET] PATH     "TYPE SIZE" (final symlink not followed)
 *
 * Before the mode, --subvol=PATH or --subvolid=ID reads a btrfs subvolume
 * instead of the default one, as mount -o subvol=, subvolid= does.
 *
 * The image (or the slice from OFFSET to its end) is the whole volume; it
 * is named "vol" in messages.  Exit 0, or 1 with "dl_fscat: error: ..." */
#include "fs/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int die(const struct dl_error *e)
{
	fprintf(stderr, "dl_fscat: error: %s\n", e->msg);
	return 1;
}

static int cat(struct dl_fs *fs, const char *path, struct dl_error *err)
{
	struct dl_stat st;
	if (dl_fs_resolve_file(fs, path, &st, err) < 0)
		return -1;
	size_t chunk = 1 << 20;
	char *buf = dl_malloc(chunk);
	uint64_t off = 0;
	while (off < st.size) {
		ssize_t n = dl_fs_read(fs, &st, path, buf, chunk, off, err);
		if (n <= 0 || dl_write_full(1, buf, (size_t)n) < 0) {
			free(buf);
			if (n == 0)
				dl_fail(err, DL_EBADIMAGE, "%s: short file", path);
			return -1;
		}
		off += (uint64_t)n;
	}
	free(buf);
	return 0;
}

static int print_run(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	(void)ctx;
	if (vo == DL_HOLE || vo == DL_ENCODED)
		printf("%llu %s %llu\n", (unsigned long long)fo, vo == DL_HOLE ? "hole" : "encoded",
		       (unsigned long long)len);
	else
		printf("%llu %llu %llu\n", (unsigned long long)fo, (unsigned long long)vo,
		       (unsigned long long)len);
	return 0;
}

struct excat {
	struct dl_fs *fs;
	const struct dl_stat *st;
	const char *path;
	char *buf;
	struct dl_error *err;
};

static int copy_run(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	struct excat *x = ctx;
	while (len) {
		size_t n = (size_t)DL_MIN(len, (uint64_t)(1 << 20));
		if (vo == DL_HOLE) {
			memset(x->buf, 0, n);
		} else if (vo == DL_ENCODED) {
			ssize_t got = dl_fs_read(x->fs, x->st, x->path, x->buf, n, fo, x->err);
			if (got < 0)
				return (int)got;
			if ((size_t)got != n)
				return dl_fail(x->err, DL_EBADIMAGE, "%s: short file", x->path);
		} else if (dl_volume_pread(x->fs->vol, x->buf, n, vo) != (ssize_t)n) {
			return dl_fail(x->err, DL_EIO, "%s: extent copy failed", x->path);
		}
		if (dl_write_full(1, x->buf, n) < 0)
			return dl_fail(x->err, DL_EIO, "stdout: write failed");
		len -= n;
		fo += n;
		if (vo < DL_ENCODED)
			vo += n;
	}
	return 0;
}

static const char tchar[] = { [DL_FT_UNKNOWN] = '?', [DL_FT_REG] = 'f', [DL_FT_DIR] = 'd',
			      [DL_FT_LNK] = 'l', [DL_FT_OTHER] = 'o' };

static int print_ent(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	(void)ctx, (void)ino;
	printf("%c %.*s\n", tchar[t], (int)len, name);
	return 0;
}

int main(int argc, char **argv)
{
	struct dl_error err = { 0 };
	const char *mode = "cat", *subvol = NULL;
	uint64_t subvolid = 0;
	int i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strncmp(argv[i], "--subvol=", 9))
			subvol = argv[i] + 9;
		else if (!strncmp(argv[i], "--subvolid=", 11) && dl_parse_u64(argv[i] + 11, &subvolid) == 0)
			;
		else
			mode = argv[i] + 2;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: dl_fscat [--subvol=PATH|--subvolid=ID] "
			"[--extents|--excat|--ls|--stat] IMAGE[@OFFSET] PATH\n");
		return 2;
	}
	char *image = dl_strdup(argv[i]);
	uint64_t offset = 0;
	char *at = strrchr(image, '@');
	if (at) {
		*at = '\0';
		if (dl_parse_u64(at + 1, &offset) < 0) {
			fprintf(stderr, "dl_fscat: error: bad offset %s\n", at + 1);
			return 2;
		}
	}
	struct dl_disk *disk;
	if (dl_disk_open(&disk, image, DL_FMT_RAW, &err) < 0)
		return die(&err);
	if (offset > disk->size) {
		fprintf(stderr, "dl_fscat: error: offset past the end of %s\n", image);
		return 1;
	}
	struct dl_extent ext = { .off = 0, .len = disk->size - offset, .disk = disk, .disk_off = offset };
	struct dl_volume vol = { .kind = DL_VOL_DISK, .disk = disk, .size = ext.len, .ext = &ext, .nextents = 1 };
	snprintf(vol.name, sizeof(vol.name), "vol");

	struct dl_fs *mounted, *fs;
	int r = dl_fs_mount(&mounted, &vol, &err);
	if (r != 0)
		return die(&err);
	fs = mounted;
	if (subvol || subvolid)
		r = dl_fs_subvol(mounted, subvol, subvolid, &fs, &err);
	const char *path = argv[i + 1];
	struct dl_stat st;
	if (r < 0) {
		fs = mounted;
	} else if (!strcmp(mode, "cat")) {
		r = cat(fs, path, &err);
	} else if (!strcmp(mode, "extents")) {
		r = dl_fs_resolve_file(fs, path, &st, &err);
		if (r == 0)
			r = dl_fs_map(fs, &st, path, print_run, NULL, &err);
		if (r == -ENOTSUP)
			dl_fail(&err, DL_EUNSUPPORTED, "%s: no extent map (inline data?)", path);
	} else if (!strcmp(mode, "excat")) {
		struct excat x = { .fs = fs, .st = &st, .path = path, .buf = dl_malloc(1 << 20), .err = &err };
		r = dl_fs_resolve_file(fs, path, &st, &err);
		if (r == 0)
			r = dl_fs_map(fs, &st, path, copy_run, &x, &err);
		if (r == -ENOTSUP && !err.code)
			dl_fail(&err, DL_EUNSUPPORTED, "%s: no extent map (inline data?)", path);
		free(x.buf);
	} else if (!strcmp(mode, "ls")) {
		r = dl_fs_readdir(fs, path, print_ent, NULL, &err);
	} else if (!strcmp(mode, "stat")) {
		r = dl_fs_resolve(fs, path, false, &st, &err);
		if (r == 0)
			printf("%c %llu\n", tchar[st.type], (unsigned long long)st.size);
	} else {
		fprintf(stderr, "dl_fscat: unknown mode --%s\n", mode);
		r = -1;
	}
	fflush(stdout);
	if (fs != mounted)
		dl_fs_unmount(fs);
	dl_fs_unmount(mounted);
	dl_disk_free(disk);
	free(image);
	return r < 0 ? die(&err) : 0;
}
