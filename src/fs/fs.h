/* One read-only filesystem interface with one backend per filesystem.
 *
 * Backends supply primitives (lookup one name, stat, read, readlink,
 * readdir, extent map); src/fs/walk.c owns path resolution, symlinks and
 * caps.  Node ids are opaque 64-bit values chosen by the backend.
 *
 * Backend return conventions: 0 success, >0 "not mine" (mount only),
 * negative errno on failure (-ENOENT, -ENOTDIR, -EUCLEAN for corrupt
 * structures, -EIO, -ENOTSUP...).  Backends never print; they may leave a
 * short explanation of their last failure in fs->detail, which the walker
 * appends to its messages.
 *
 * Callers outside src/fs use the dl_fs_* functions below, never the ops. */
#ifndef DL_FS_H
#define DL_FS_H

#include <errno.h>

#include "common.h"
#include "part/part.h"

#define DL_FS_MAX_HOPS 40      /* symlinks followed per resolution */
#define DL_FS_MAX_PATH 4096    /* bytes with the NUL: at most 4095 path bytes, after expanding links */
#define DL_FS_MAX_LINK 4095    /* bytes of one symlink target */
#define DL_FS_MAX_NAME 255     /* bytes of one path component */

enum dl_ftype { DL_FT_UNKNOWN = 0, DL_FT_REG, DL_FT_DIR, DL_FT_LNK, DL_FT_OTHER };

struct dl_stat {
	uint64_t ino;
	uint64_t size;
	enum dl_ftype type;
	uint32_t mode;       /* st_mode as stored (file type and permission bits), 0 when
	                        the filesystem keeps none (FAT, a kernel mount) */
};

struct dl_fs;

/* Return 0 to continue, >0 to stop iteration (returned to the caller), <0 error.
 * Every name is a valid path component: 1..DL_FS_MAX_NAME bytes, no '/' or
 * NUL, not "." or ".." (an entry whose name is not is skipped); type may be
 * DL_FT_UNKNOWN. */
typedef int (*dl_dirent_cb)(void *ctx, const char *name, size_t len, uint64_t ino,
			    enum dl_ftype type);
/* A run of file bytes [file_off, file_off+len) stored verbatim at volume
 * offset vol_off; vol_off == DL_HOLE for a hole (reads as zeros), or
 * DL_ENCODED for bytes stored otherwise (compressed, inline: read them
 * with dl_fs_read).  Return 0 to continue, <0 to abort (the value is
 * returned by the extents call). */
#define DL_HOLE UINT64_MAX
#define DL_ENCODED (UINT64_MAX - 1)
typedef int (*dl_fextent_cb)(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len);

struct dl_fs_ops {
	const char *name;
	const char *const *types;   /* libblkid TYPE values this backend handles, NULL-terminated */
	/* Validate and open fs->vol; set fs->root and fs->priv.  0, DL_NOT_MINE
	 * (not this filesystem), or -errno with err filled. */
	int (*mount)(struct dl_fs *fs, struct dl_error *err);
	void (*unmount)(struct dl_fs *fs);
	/* Look one name (no '/', not "." or "..", 1..255 bytes) up in dir. */
	int (*lookup)(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino);
	int (*stat)(struct dl_fs *fs, uint64_t ino, struct dl_stat *st);
	/* Read up to len bytes at off of a regular file, clamped to the file
	 * size; returns bytes read (0 at or past the end). */
	ssize_t (*read)(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off);
	/* Copy the link target (not NUL-terminated) into buf; returns its
	 * length, -ENAMETOOLONG if it does not fit in bufsz. */
	ssize_t (*readlink)(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz);
	int (*readdir)(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx);
	/* Optional: map a regular file's bytes to volume ranges, in file order,
	 * covering exactly [0, size): DL_ENCODED runs for bytes that are not
	 * verbatim (and for the rest of a file from an extent of an encoding
	 * read will refuse), or -ENOTSUP before any run when the file has no
	 * map at all. */
	int (*extents)(struct dl_fs *fs, uint64_t ino, dl_fextent_cb cb, void *ctx);
	/* Optional (btrfs): the root directory node of subvolume id, 0 for the
	 * top level; -ENOENT when there is no such subvolume. */
	int (*subvolume)(struct dl_fs *fs, uint64_t id, uint64_t *ino);
	/* Optional (btrfs): whether node ino is the root directory of a subvolume. */
	bool (*is_subvolume)(struct dl_fs *fs, uint64_t ino);
};

struct dl_fs {
	const struct dl_fs_ops *ops;
	struct dl_volume *vol;
	uint64_t root;       /* node id of the root directory */
	void *priv;
	char detail[160];    /* backend's note on its last failure, or "" */
	struct dl_fs *base;  /* a view (dl_fs_subvol): the mounted fs whose
	                        backend state it shares; NULL for a mount */
	struct dl_fs_budget *budget;  /* budget.c, on the mount (not a view) */
};

/* What one run may spend on lookups per filesystem (budget.c): bytes its
 * lookups read or scanned (what the backend did: a hashed directory costs a
 * few blocks, a linear scan the directory up to the name; at least
 * DL_FS_LOOKUP_MIN each) and lookups, answers already known not counted.
 * Over either, every further lookup fails with -E2BIG (DL_FS_BUDGET_SPENT
 * in the message). */
#define DL_FS_SCAN_BUDGET (512ull << 20)
#define DL_FS_LOOKUP_BUDGET 32768u
#define DL_FS_LOOKUP_MIN 1024u
#define DL_FS_NAME_CACHE 65536u      /* answers remembered per filesystem */
#define DL_FS_BUDGET_SPENT "lookup budget of this run spent"
/* The budget's size for messages: printf format and its arguments. */
#define DL_FS_BUDGET_SIZE "(%u MiB read by lookups or %u lookups)"
#define DL_FS_BUDGET_SIZE_ARGS (unsigned)(DL_FS_SCAN_BUDGET >> 20), DL_FS_LOOKUP_BUDGET
/* fs->ops->lookup through the cache and the budget (the walker's only way
 * to look a name up); dl_fs_budget_free at unmount. */
int dl_fs_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino);
void dl_fs_budget_free(struct dl_fs *fs);
/* Whether fs's budget ran out this run: every answer about a file after
 * that (a GRUB "[ -f ]" false, a search that found nothing) may be wrong. */
bool dl_fs_budget_spent(const struct dl_fs *fs);

/* For backends: read exactly len bytes at off of fs's volume.  0, -EIO on
 * an I/O error, -EUCLEAN when the volume ends first (truncated image). */
static inline int dl_fs_pread_exact(struct dl_fs *fs, uint64_t off, void *buf, size_t len)
{
	ssize_t r = dl_volume_pread(fs->vol, buf, len, off);
	if (r < 0)
		return -EIO;
	return (size_t)r == len ? 0 : -EUCLEAN;
}

extern const struct dl_fs_ops *const dl_fs_backends[];   /* NULL-terminated */

/* Mount vol read-only with the backend matching vol->fstype (or trying each
 * backend's validating mount when the type is empty).  Returns 0, DL_NOT_MINE
 * when no backend can read it (err filled with DL_EUNSUPPORTED saying why;
 * dl_error_clear() it to go on probing), a negative errno on error
 * (corrupt or truncated filesystem, I/O error). */
int dl_fs_mount(struct dl_fs **fsp, struct dl_volume *vol, struct dl_error *err);
void dl_fs_unmount(struct dl_fs *fs);   /* also a view, before its base */

/* A view of fs rooted at one of its subvolumes, as Linux mounts a btrfs
 * subvolume with subvol=PATH (PATH from the top level; "" is the top
 * level itself) or, when path is NULL, subvolid=ID.  Paths, ".." and
 * absolute symlinks resolve inside the view; every dl_fs_* function takes
 * it.  0 with *view set, or a negative errno with err set (-ENOTSUP: the
 * filesystem has no subvolumes; -ENOENT: no such subvolume). */
int dl_fs_subvol(struct dl_fs *fs, const char *path, uint64_t id, struct dl_fs **view,
		 struct dl_error *err);

/* Resolve an absolute or relative (to root) guest path inside fs.  Symlinks
 * resolve inside fs (absolute targets restart at fs's root), at most
 * DL_FS_MAX_HOPS, total DL_FS_MAX_PATH; ".." stops at the root.  follow:
 * whether a final symlink is followed.  Returns 0, or a negative errno
 * (-ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EUCLEAN, -EIO, ...) with err
 * naming the path ("/boot/vmlinuz: no such file in xvda1"). */
int dl_fs_resolve(struct dl_fs *fs, const char *path, bool follow, struct dl_stat *st,
		  struct dl_error *err);
/* Look path up once, following symlinks: 0 with *st filled (st may be
 * NULL); DL_ABSENT when nothing is there (the walk ends in -ENOENT; err
 * untouched); or a negative errno with err naming the path, as
 * dl_fs_resolve() fills it (-ENOTDIR, -ELOOP, -EUCLEAN, -EIO...). */
int dl_fs_stat(struct dl_fs *fs, const char *path, struct dl_stat *st, struct dl_error *err);
/* What a caller that needs a regular file makes of dl_fs_stat()'s answer r
 * about path: 0 when r is 0 and st a regular file, else a negative errno
 * with err set: r itself when negative, -ENOENT ("PATH: no such file in
 * VOLUME") for DL_ABSENT, -EISDIR ("PATH: is a directory"), -EINVAL ("PATH:
 * not a regular file"). */
int dl_fs_need_file(struct dl_fs *fs, const char *path, int r, const struct dl_stat *st,
		    struct dl_error *err);
/* dl_fs_stat() and dl_fs_need_file() in one call. */
int dl_fs_resolve_file(struct dl_fs *fs, const char *path, struct dl_stat *st,
		       struct dl_error *err);
/* Read the whole regular file st (found at path) of at most cap bytes into a
 * NUL-terminated malloc'd buffer.  0 or negative errno (-EFBIG over the cap). */
int dl_fs_read_all(struct dl_fs *fs, const struct dl_stat *st, const char *path, size_t cap,
		   char **buf, size_t *len, struct dl_error *err);
/* dl_fs_resolve_file() and dl_fs_read_all() in one call. */
int dl_fs_read_file(struct dl_fs *fs, const char *path, size_t cap, char **buf,
		    size_t *len, struct dl_error *err);

/* Read up to len bytes at off of the regular file st (from dl_fs_resolve_file);
 * returns bytes read (short only at the end of the file) or -errno with
 * err naming path. */
ssize_t dl_fs_read(struct dl_fs *fs, const struct dl_stat *st, const char *path, void *buf,
		   size_t len, uint64_t off, struct dl_error *err);
/* The extent map of the regular file st, checked: runs are contiguous from
 * 0, cover exactly st->size, lie inside the volume (DL_HOLE and DL_ENCODED
 * runs aside), and adjacent runs are merged (holes with holes, encoded
 * with encoded, verbatim runs that follow each other on the volume).
 * DL_ENCODED runs are bytes to read with dl_fs_read: a file whose
 * compressed extents are few (a kernel on compress=zstd btrfs: its first
 * 128 KiB) keeps the rest as volume ranges.  -ENOTSUP (err untouched, no
 * run passed on) when the backend has no extent map for this file at all
 * (ext or xfs inline data, an encrypted ext file, zisofs): read it with
 * dl_fs_read.  Other negative errno values fill err (-ENOTSUP too, from a
 * backend that reported runs first); the callback's own negative value is
 * returned as is. */
int dl_fs_map(struct dl_fs *fs, const struct dl_stat *st, const char *path,
	      dl_fextent_cb cb, void *ctx, struct dl_error *err);
/* Where dl_fs_stream() passes a file on.  Each returns 0 or a negative
 * errno, which stops the stream and is returned as is (err untouched). */
struct dl_fs_stream {
	void *ctx;
	int (*data)(void *ctx, const void *buf, size_t len);
	/* len bytes of the file stored verbatim at byte off of disk's image
	 * file (a raw disk's bytes; a qcow2 image's plain data clusters) */
	int (*copy)(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len);
	/* Optional: where to read the next bytes for data() into (data() of
	 * them then copies nothing); *len: in, the bytes meant; out, the room
	 * (at most that).  NULL: use your own. */
	void *(*buffer)(void *ctx, size_t *len);
};
/* Pass the regular file st (found at path) on, in file order: as disk
 * ranges (holes as zeros) when dl_fs_map() maps it and its disks store
 * bytes verbatim, else as its bytes.  0 or a negative errno. */
int dl_fs_stream(struct dl_fs *fs, const struct dl_stat *st, const char *path,
		 const struct dl_fs_stream *out, struct dl_error *err);
/* List the directory st (found at path); -ENOTDIR when st is none.  The
 * callback's negative value is returned as is, err untouched. */
int dl_fs_list(struct dl_fs *fs, const struct dl_stat *st, const char *path, dl_dirent_cb cb,
	       void *ctx, struct dl_error *err);
/* The target of the symlink st (found at path, not followed) into buf
 * (NUL-terminated, at most DL_FS_MAX_LINK bytes): its length, or a negative
 * errno with err naming path (-EINVAL: st is no symlink). */
ssize_t dl_fs_readlink(struct dl_fs *fs, const struct dl_stat *st, const char *path, char *buf,
		       size_t bufsz, struct dl_error *err);
/* dl_fs_resolve() and dl_fs_list() in one call. */
int dl_fs_readdir(struct dl_fs *fs, const char *path, dl_dirent_cb cb, void *ctx,
		  struct dl_error *err);

/* Backends, for tests that want one directly. */
extern const struct dl_fs_ops dl_fs_ext;
extern const struct dl_fs_ops dl_fs_iso9660;
extern const struct dl_fs_ops dl_fs_fat;
extern const struct dl_fs_ops dl_fs_xfs;
extern const struct dl_fs_ops dl_fs_btrfs;

#endif
