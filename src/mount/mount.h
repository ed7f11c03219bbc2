/* Kernel-mount mode (--mount): the guest's volumes mounted by dom0's
 * kernel, read-only, in a private mount namespace, the domUloader way.
 *
 * Two halves across the privilege boundary (docs/DESIGN.md):
 *  - the parsing side (the sandboxed child) reads a volume through a
 *    struct dl_fs whose operations are DL_CALL_OPEN calls: it describes
 *    the volume (name, filesystem type, extents as src/part found them)
 *    and a path; it never learns a dom0 path;
 *  - the privileged side checks the description against its disks,
 *    attaches loop devices, maps the volume with device-mapper (or, with
 *    one extent and no device-mapper, a loop device with offset and size
 *    limit), mounts it, resolves the path with openat2(RESOLVE_IN_ROOT |
 *    RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV) and answers with the file's
 *    type, size, link target, directory entries or an opened descriptor.
 *
 * Everything attached, mapped, mounted or created is named
 * domuloader-<pid>-..., torn down on every exit path (signals included),
 * and recognised by --cleanup-stale once its pid is dead. */
#ifndef DL_MOUNT_H
#define DL_MOUNT_H

#include "common.h"
#include "fs/fs.h"
#include "part/part.h"
#include "result.h"

/* ---- the call's wire format (both sides are the same binary) ---- */

enum dl_kmount_what {
	DL_KMOUNT_STAT = 0,   /* lstat path: type, size, link target */
	DL_KMOUNT_OPEN = 1,   /* open the regular file path: the reply carries its fd */
	DL_KMOUNT_LIST = 2,   /* the entries of directory path */
};

#define DL_KMOUNT_MAX_EXTENTS 4096u
#define DL_KMOUNT_MAX_STRIPES 128u

/* A decoded request: the volume rebuilt over the answering side's disks
 * (ext[].disk and stripes point into its set), and a path. */
struct dl_kmount_req {
	enum dl_kmount_what what;
	struct dl_volume vol;     /* name, fstype, size, ext, nextents */
	char *path;               /* absolute guest path, malloc'd */
};
void dl_kmount_req_free(struct dl_kmount_req *r);

/* Encode a request about path of v (the parsing side).  0, or -E2BIG when
 * it does not fit in a call. */
int dl_kmount_req_encode(const struct dl_volume *v, enum dl_kmount_what what, const char *path,
			 struct dl_sbuf *out);
/* Decode and check a request against set: every extent and stripe inside
 * its disk, 512-byte aligned, contiguous from 0, at most the caps above;
 * path absolute, without NUL.  0 or a negative errno with err set. */
int dl_kmount_req_decode(const void *buf, size_t len, struct dl_disk_set *set,
			 struct dl_kmount_req *r, struct dl_error *err);

/* The reply's fixed part; a link target (STAT) or entries (LIST: a byte
 * type, a byte length, the name) follow. */
struct dl_kmount_rep {
	uint32_t type;            /* enum dl_ftype */
	uint32_t pad;
	uint64_t size;
	uint64_t ino;
};

/* ---- device-mapper tables (pure) ---- */

struct dl_dm_target {
	uint64_t start, len;      /* 512-byte sectors */
	const char *type;         /* "linear", "striped" */
	char *params;             /* malloc'd */
};

/* The device-mapper table that maps volume v: one linear target per plain
 * extent ("DEV SECTOR"), one striped target per striped extent ("N CHUNK
 * DEV SECTOR..."), where DEV is dev[disk->index] ("7:3").  0 with *t, *n
 * set (free with dl_dm_table_free), or a negative errno with err set
 * (misaligned extent, unknown disk). */
int dl_dm_table(const struct dl_volume *v, const char *const *dev, size_t ndev,
		struct dl_dm_target **t, size_t *n, struct dl_error *err);
void dl_dm_table_free(struct dl_dm_target *t, size_t n);
/* The table as dmsetup prints it, one "START LEN TYPE PARAMS" per line. */
char *dl_dm_table_text(const struct dl_dm_target *t, size_t n);

/* The device-mapper name of volume v in run pid: "domuloader-<pid>-<vol>"
 * with the volume's name without "/dev/", '/' as '-', anything but
 * [A-Za-z0-9._+-] as '_' ("xvda2", "vg-root"), into buf (at most 127
 * bytes). */
void dl_kmount_map_name(char *buf, size_t size, long pid, const struct dl_volume *v);

/* How the kernel is asked to mount fstype: its name for mount(2) and the
 * options that keep it from writing (no journal replay), or NULL when
 * --mount does not mount that type. */
struct dl_kmount_fstype {
	const char *blkid;        /* libblkid TYPE */
	const char *kernel;       /* mount(2) type */
	const char *data;         /* options, "" for none */
};
const struct dl_kmount_fstype *dl_kmount_fstype(const char *blkid_type);

/* ---- the parsing side ---- */

/* The filesystem of v as the privileged side's kernel mount shows it,
 * through sink's calls.  0 with *fsp set, or a negative errno with err
 * set (the answering side's message: the kernel cannot mount it, no
 * device-mapper...). */
int dl_kmount_fs(struct dl_fs **fsp, struct dl_volume *v, const struct dl_sink *sink,
		 struct dl_error *err);

/* --list-volumes --mount: note on each volume with a filesystem what the
 * kernel makes of it (mounted, and how many entries its root has; or why
 * it cannot mount it). */
void dl_kmount_annotate(struct dl_disk_set *set, const struct dl_sink *sink);

/* ---- the privileged side ---- */

struct dl_kmount;
/* Set up a run over set's disks: a private mount namespace for this
 * process, the signal handlers that tear down.  NULL with err set. */
struct dl_kmount *dl_kmount_new(struct dl_disk_set *set, struct dl_error *err);
/* The DL_CALL_OPEN handler (dl_call_fn); hctx is the struct dl_kmount. */
int dl_kmount_answer(void *hctx, const void *req, size_t len, const struct dl_asker *back,
		     struct dl_reply *rep, struct dl_error *err);
/* Unmount, remove the maps, detach the loop devices, remove the
 * directories; then free. */
void dl_kmount_free(struct dl_kmount *km);

/* --cleanup-stale: remove the device-mapper maps, loop devices and mount
 * directories of runs whose pid is dead; print what was removed when
 * verbose.  0, or a negative errno with err naming what could not be
 * removed. */
int dl_kmount_cleanup_stale(struct dl_error *err);

#endif
