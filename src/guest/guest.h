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
	const char *cmdline;          /* a kernel command line known beforehand (--args,
	                                 a domain's extra=), or NULL */
	struct dl_fs **fs;            /* per volume of set, mounted on first use */
	signed char *state;           /* per volume: 0 untried, 1 mounted, -1 unreadable */
	struct dl_volume *rootvol;    /* set by dl_guest_fstab() */
	struct dl_fstab fstab;
	int fstab_state;              /* 0 not loaded, 1 loaded, -1 none */
	struct dl_fs **views;         /* per fstab entry with btrfs subvol=/subvolid=: */
	signed char *vstate;          /* its subvolume, opened on first use (as state) */
	struct dl_fs **top;           /* per volume: a btrfs's top level when its default */
	signed char *tstate;          /* subvolume is another one (as state) */
	struct dl_guest_saved {       /* the last parse's save_env calls, in order */
		int entry;            /* -1: the script; else the entry whose body ran */
		char *dev, *path, *name, *value;   /* value NULL: delete */
	} *saved;
	size_t nsaved, capsaved;
	/* --mount: mounts a volume in place of dl_fs_mount() (the kernel's
	 * view, src/mount), with mount_ctx; NULL for the default mode. */
	int (*mount)(void *mount_ctx, struct dl_fs **fsp, struct dl_volume *v, struct dl_error *err);
	void *mount_ctx;
};

/* At most this many other homes (dl_guest_homes) are searched per volume. */
#define DL_GUEST_MAX_HOMES 16

/* set must be scanned already; root may be NULL. */
void dl_guest_init(struct dl_guest *g, struct dl_disk_set *set, const char *root);
void dl_guest_free(struct dl_guest *g);

/* The filesystem of v, mounted on first use; NULL when v is skipped (its
 * note says why) or holds no filesystem domuloader can read. */
struct dl_fs *dl_guest_fs(struct dl_guest *g, struct dl_volume *v);

/* The top level of v's btrfs when its default subvolume is another one
 * (openSUSE: a snapshot): GRUB reads a btrfs from its top level
 * (grub-core/fs/btrfs.c reads subvolume 5), so its paths name subvolumes
 * ("/@/boot/vmlinuz").  NULL for any other filesystem, or when the default
 * subvolume is the top level. */
struct dl_fs *dl_guest_top(struct dl_guest *g, struct dl_volume *v);

/* path on v: on its filesystem as mounted (the default subvolume), else
 * from the top level (dl_guest_top).  0 with *fsp and *st (may be NULL)
 * set, DL_ABSENT when neither has it or v has no readable filesystem. */
int dl_guest_stat(struct dl_guest *g, struct dl_volume *v, const char *path, struct dl_fs **fsp,
		  struct dl_stat *st);

/* The other places on v a system's root may be, as paths that
 * dl_guest_stat() reads ("/@", "/root"): a btrfs's top-level subvolumes
 * other than the default one, in directory order (Debian/Ubuntu "@",
 * Fedora "root"), then the subvolumes the guest's fstab, when already
 * loaded, mounts from v with subvol= (nested ones), then the one
 * g->cmdline's rootflags=subvol= names.  At most
 * DL_GUEST_MAX_HOMES; none for a filesystem without subvolumes.  Appended
 * to out. */
void dl_guest_homes(struct dl_guest *g, struct dl_volume *v, struct dl_strv *out);

/* The guest's /etc/fstab, loaded on first use from the root volume: the
 * volume --root names, else the first volume holding /etc/fstab (on its
 * default subvolume, else in one of its homes: dl_guest_homes()).  NULL
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
	/* part: only bytes [part_off, part_off + part_len) of the file are
	 * meant (a unified kernel image's .linux or .initrd section) */
	bool part;
	uint64_t part_off, part_len;
};

/* The size of what l means: the file, or its part. */
static inline uint64_t dl_located_size(const struct dl_located *l)
{
	return l->part ? l->part_len : l->st.size;
}

/* Record in *out path in fs, which dl_fs_stat() found as st, when it is a
 * regular file: 0, else a negative errno with err set (dl_fs_need_file()). */
int dl_guest_take(struct dl_located *out, struct dl_fs *fs, const char *path,
		  const struct dl_stat *st, struct dl_error *err);

/* The volume a boot configuration's device name means, for a
 * configuration read from home: the volume of that name ("hd0,msdos1",
 * "hd0,1", "lvm/vg-root", a device or fstab-style name); a PV-GRUB name
 * "xen/xvda[,msdos1]" is the disk Xen presents as xvda (by its vdev, or by
 * its letter when no disk has a vdev), as GRUB's hdN is the Nth disk.  A
 * name that no presented volume has (a partition named on a disk Xen
 * presents as one partition or LV, a RAID array...) means home itself, as
 * GRUB inside that guest sees its own disk (-v says so); never a volume of
 * another disk. */
struct dl_volume *dl_guest_device(struct dl_guest *g, struct dl_volume *home, const char *dev);

/* Find the file a boot entry names (what: "kernel", "initrd"...) for a
 * configuration read from volume home, walking each candidate path once:
 *   1. bp->path on bp->dev if the entry names a device (dl_guest_device),
 *      else on home; on a btrfs, also from its top level (dl_guest_stat);
 *   2. without a device, through the guest's fstab: the path as the running
 *      system sees it (home mounted at its mount point), then the path
 *      taken as absolute (a configuration on a separate /boot written when
 *      /boot was part of /); an entry with btrfs subvol= or subvolid=
 *      maps its mount point to that subvolume (/boot/x under
 *      "/boot btrfs subvol=@boot" is /@boot/x from the top level);
 *   3. without a device, on each other volume with "/boot" removed from or
 *      added to the path (a configuration on / naming /boot/x with /boot
 *      separate, or the reverse);
 *   4. without a device, on home's btrfs inside the subvolume that
 *      g->cmdline (the entry's command line) mounts as root with
 *      rootflags=subvol= (/boot/x is /@/boot/x from the top level), as
 *      the running system would see it when no fstab says so.
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

/* An absolute path of the running guest (domuloader ls/cat): the
 * filesystem the guest's fstab mounts at its longest matching mount point
 * (a btrfs subvol= entry as its view) and the path inside it (*inner points
 * into path, "/" for the mount point itself).  Without an fstab, the first
 * volume holding the path.  0, or a negative errno with err set. */
int dl_guest_resolve_running(struct dl_guest *g, const char *path, struct dl_fs **fsp,
			     const char **inner, struct dl_error *err);

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

/* GRUB's environment block after booting entry of the configuration last
 * parsed through a dl_guest_io of home: what its save_env calls wrote (the
 * script's, then the entry's own, e.g. grub-mkconfig's "set next_entry=;
 * save_env next_entry" and "savedefault").  Only when one of them names
 * next_entry or saved_entry (a one-shot or saved default in play).  The
 * block is planned for an in-place rewrite: the file stored verbatim in
 * plain extents of raw disks, as GRUB's save_env requires. */
struct dl_grubenv_write {
	char *where;                  /* "xvda1:/boot/grub/grubenv", for messages */
	char *what;                   /* "next_entry= saved_entry=2" */
	uint8_t *old, *new;           /* the block before and after, size bytes */
	size_t size;
	struct dl_grubenv_range {
		uint32_t disk;        /* index in the disk set */
		uint64_t off, len;    /* bytes of that disk, in file order */
	} *ranges;
	size_t nranges;
};
/* 0 with *w filled; DL_ABSENT when nothing is in play or nothing changes;
 * a negative errno with err saying why the block cannot be rewritten
 * (missing, not stored verbatim, too small for the value). */
int dl_guest_grubenv(struct dl_guest *g, struct dl_volume *home, int entry,
		     struct dl_grubenv_write *w, struct dl_error *err);
void dl_grubenv_write_free(struct dl_grubenv_write *w);
/* Record one save_env (the parsers' dl_boot_io.save_env); forget them all. */
void dl_guest_save_env(struct dl_guest *g, int entry, const char *dev, const char *path,
		       const char *name, const char *value);
void dl_guest_saved_reset(struct dl_guest *g);
/* The request of DL_CALL_GRUBENV for w (malloc'd, *len bytes), and its
 * reading on the privileged side: 0, or -EINVAL with err set when req is
 * malformed.  *w points into req then (free only w->ranges). */
uint8_t *dl_grubenv_request(const struct dl_grubenv_write *w, size_t *len);
int dl_grubenv_request_parse(const uint8_t *req, size_t len, struct dl_grubenv_write *w,
			     struct dl_error *err);

/* The parsers' view when there is no guest (--isconfig reads one dom0
 * file): every file, directory and search is absent; self_dev "hd0". */
extern const struct dl_boot_io dl_guest_io_none;

#endif
