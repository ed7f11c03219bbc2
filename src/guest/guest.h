/* The guest view: a guest's disks as its own running system sees them.
 *
 * Over a scanned disk set it keeps each volume's filesystem, mounted on
 * first use (read in user space by src/fs, never by the kernel); the root
 * volume (--root, else the first volume holding /etc/fstab) and its
 * /etc/fstab, which maps the running system's absolute paths to volumes;
 * one locate() that finds a boot entry's file wherever the guest keeps it;
 * and the struct dl_boot_io through which the boot parsers read the guest.
 *
 * It reads guest data only through src/part and src/fs, and prints
 * nothing but dl_info/dl_debug notes. */
#ifndef DL_GUEST_H
#define DL_GUEST_H

#include "boot/boot.h"
#include "common.h"
#include "fs/fs.h"
#include "guest/fstab.h"
#include "part/part.h"

struct dl_guest {
	struct dl_disk_set *set;
	const char *root;             /* --root: names the root volume, or NULL */
	struct dl_fs **fs;            /* per volume of set, mounted on first use */
	signed char *state;           /* per volume: 0 untried, 1 mounted, -1 unreadable */
	struct dl_volume *rootvol;    /* set by dl_guest_fstab() */
	struct dl_fstab fstab;
	int fstab_state;              /* 0 not loaded, 1 loaded, -1 none */
	struct dl_fs **views;         /* per fstab entry with btrfs subvol=/subvolid=: */
	signed char *vstate;          /* its subvolume, opened on first use (as state) */
	/* --mount: mounts a volume in place of dl_fs_mount() (the kernel's
	 * view, src/mount), with mount_ctx; NULL for the default mode. */
	int (*mount)(void *mount_ctx, struct dl_fs **fsp, struct dl_volume *v, struct dl_error *err);
	void *mount_ctx;
};

/* set must be scanned already; root may be NULL. */
void dl_guest_init(struct dl_guest *g, struct dl_disk_set *set, const char *root);
void dl_guest_free(struct dl_guest *g);

/* The filesystem of v, mounted on first use; NULL when v is skipped (its
 * note says why) or holds no filesystem domuloader can read. */
struct dl_fs *dl_guest_fs(struct dl_guest *g, struct dl_volume *v);

/* The guest's /etc/fstab, loaded on first use from the root volume: the
 * volume --root names, else the first volume holding /etc/fstab.  NULL
 * when there is none (or it cannot be read: a warning says so);
 * g->rootvol is set either way when a root volume was found. */
const struct dl_fstab *dl_guest_fstab(struct dl_guest *g);

/* Nothing bootable was found (err says DL_ENOTFOUND): add to err's line
 * which volumes were skipped and why, and that a raw disk looks like
 * qcow2; for a cdrom boot device, name its filesystem (or the lack of a
 * reader for it) instead, since nothing else was opened. */
void dl_guest_explain(const struct dl_guest *g, struct dl_error *err);

/* A file of the guest: its filesystem, its path there and its stat. */
struct dl_located {
	struct dl_fs *fs;
	struct dl_stat st;
	char *path;                   /* malloc'd */
};

/* Record in *out path in fs, which dl_fs_stat() found as st, when it is a
 * regular file: 0, else a negative errno with err set (dl_fs_need_file()). */
int dl_guest_take(struct dl_located *out, struct dl_fs *fs, const char *path,
		  const struct dl_stat *st, struct dl_error *err);

/* Find the file a boot entry names (what: "kernel", "initrd"...) for a
 * configuration read from volume home, walking each candidate path once:
 *   1. bp->path on bp->dev if the entry names a device, else on home;
 *   2. without a device, through the guest's fstab: the path as the running
 *      system sees it (home mounted at its mount point), then the path
 *      taken as absolute (a configuration on a separate /boot written when
 *      /boot was part of /); an entry with btrfs subvol= or subvolid=
 *      maps its mount point to that subvolume (/boot/x under
 *      "/boot btrfs subvol=@boot" is /@boot/x from the top level);
 *   3. without a device, on each other volume with "/boot" removed from or
 *      added to the path (a configuration on / naming /boot/x with /boot
 *      separate, or the reverse).
 * 0 with *out filled, or a negative errno with err saying why the path is
 * not on its own volume (missing, unreadable, not a regular file). */
int dl_guest_locate(struct dl_guest *g, struct dl_volume *home, const struct dl_boot_path *bp,
		    const char *what, struct dl_located *out, struct dl_error *err);

/* A path of the running guest, named without a device (domUloader's
 * --entry=kernel): located (as a kernel) from the root volume, else taken
 * from the first volume that has it.  0 with *vp and *out set, DL_ABSENT
 * when there is no root volume and no volume has it, or a negative errno
 * with err set. */
int dl_guest_locate_running(struct dl_guest *g, const char *path, struct dl_volume **vp,
			    struct dl_located *out, struct dl_error *err);

/* The boot parsers' view of volume v (struct dl_boot_io over the guest):
 * files and directories of v or of any volume named by a GRUB device, file
 * tests, and GRUB's search by UUID, label or file.  A path that cannot be
 * walked (corrupt directory, symlink loop) reads as absent, as a missing
 * one does: the parsers go on to their next candidate. */
struct dl_guest_io {
	struct dl_boot_io io;
	struct dl_guest *g;
	struct dl_volume *self;
};
/* gio->io.ctx is gio: gio must stay in place while io is used. */
void dl_guest_io_init(struct dl_guest_io *gio, struct dl_guest *g, struct dl_volume *v);

/* The parsers' view when there is no guest (--isconfig reads one dom0
 * file): every file, directory and search is absent; self_dev "hd0". */
extern const struct dl_boot_io dl_guest_io_none;

#endif
