/* Disks and volumes.
 *
 * A disk is an opened image (raw file or block device, later qcow2) with a
 * virtual size and a logical sector size.  Scanning disks yields volumes:
 * the whole disk, its partitions, guest LVM logical volumes.  A volume is a
 * list of extents on one or more disks; filesystem backends read volumes
 * only through dl_volume_pread(), so a striped LV reads like a partition.
 *
 * Every extent is checked against its disk's size with overflow-safe
 * arithmetic before a volume is published. */
#ifndef DL_PART_H
#define DL_PART_H

#include "common.h"

enum dl_disk_format { DL_FMT_RAW = 0, DL_FMT_QCOW2 = 1 };

/* How to open a disk.  The format is never guessed from guest bytes: a raw
 * disk whose first bytes look like qcow2 is still read as raw bytes. */
struct dl_disk_opts {
	enum dl_disk_format format;
	bool allow_backing;  /* qcow2: follow a backing file (host path named by the
	                        image!); refused unless set (CVE-2008-2004 class) */
	const char *backing_dir;  /* with allow_backing: backing files may also lie
	                             anywhere under this directory (else only a
	                             relative name under the image's own) */
	const char *vdev;    /* guest whole-disk name ("xvda"), or NULL */
};

struct dl_disk {
	char *path;          /* host path or description, for messages */
	char *vdev;          /* guest whole-disk name ("xvda", "hda"), or NULL */
	int fd;              /* read-only; -1 for memory-backed disks */
	const uint8_t *mem;  /* memory-backed disk (tests, fuzzing) */
	uint64_t size;       /* virtual size in bytes */
	uint64_t file_size;  /* bytes of the image file or device itself */
	unsigned sector;     /* logical sector size (512 or 4096) */
	enum dl_disk_format format;
	bool cdrom;          /* attached as a cdrom (domain configs) */
	bool readonly;       /* given read-only (access r/ro): never written */
	void *fmt;           /* format driver state (qcow2) */
	int index;           /* position in the disk set, 0-based */
	char table[8];       /* partition table found by the scan: "dos", "gpt", "" */
	char *note;          /* what the scan noticed (corrupt primary GPT...), or NULL */
};

enum dl_vol_kind { DL_VOL_DISK, DL_VOL_PART, DL_VOL_LV };

/* One stripe area of a striped extent. */
struct dl_stripe {
	struct dl_disk *disk;
	uint64_t disk_off;
};

struct dl_extent {
	uint64_t off;        /* offset within the volume */
	uint64_t len;
	struct dl_disk *disk;
	uint64_t disk_off;   /* offset on the disk */
	/* Striped (LVM stripe_count > 1): disk/disk_off are unused; chunk k of
	 * the extent (chunk bytes each) lies on stripe[k % nstripes] at
	 * (k / nstripes) * chunk.  nstripes == 0 for plain extents. */
	unsigned nstripes;
	uint64_t chunk;
	struct dl_stripe *stripe;
};

struct dl_volume {
	enum dl_vol_kind kind;
	char name[288];      /* guest name: "xvda2", "/dev/vg/root", or "disk.img" */
	char grub[528];      /* GRUB device: "hd0", "hd0,msdos5", "hd1,gpt2", "lvm/vg-root" */
	char vg[136], lv[136];/* LVs: volume group and logical volume names */
	struct dl_disk *disk;/* disk for DISK/PART volumes (NULL for LVs) */
	int partno;          /* partition number (1-based), 0 for whole disks */
	char scheme[8];      /* "dos", "gpt", "" */
	uint64_t size;
	struct dl_extent *ext;
	size_t nextents;     /* extents in ext[] */
	/* Filled by dl_volume_probe(): */
	char fstype[32];     /* libblkid TYPE ("ext4", "xfs", "crypto_LUKS", ...) */
	char uuid[64];
	char label[64];
	char partuuid[64];
	char partlabel[72];
	char note[200];      /* why it is skipped (encrypted, unsupported...) */
	bool skip;           /* not to be searched (note says why) */
	char parttype[40];   /* "0x83" (dos) or the GPT type GUID */
	bool bootable;       /* dos active flag */
	bool probed;         /* dl_volume_probe() already ran */
};

struct dl_disk_set {
	struct dl_disk **disks;
	size_t ndisks;
	struct dl_volume *vols;
	size_t nvols, capvols;
	bool no_probe;       /* skip libblkid content probes (fuzzing) */
};

/* Open path read-only (O_CLOEXEC|O_NOCTTY), find its size and sector size.
 * Same as dl_disk_open_opts() with only the format set. */
int dl_disk_open(struct dl_disk **dp, const char *path, enum dl_disk_format fmt,
		 struct dl_error *err);
int dl_disk_open_opts(struct dl_disk **dp, const char *path, const struct dl_disk_opts *o,
		      struct dl_error *err);
/* Wrap an already-open fd (the sandboxed child only has fds); takes the fd
 * on success.  A qcow2 backing file cannot be opened from an fd alone and is
 * refused even with allow_backing. */
int dl_disk_from_fd_opts(struct dl_disk **dp, int fd, const char *name,
			 const struct dl_disk_opts *o, struct dl_error *err);
/* Open a memory buffer as a qcow2 image (tests, fuzzing). */
int dl_disk_qcow2_from_mem(struct dl_disk **dp, const void *buf, size_t len, const char *name,
			   struct dl_error *err);
/* Wrap a memory buffer (tests, fuzzing); sector size 512 unless set after. */
struct dl_disk *dl_disk_from_mem(const void *buf, size_t len, const char *name);
void dl_disk_free(struct dl_disk *d);
/* Pointers to every fd field d reads through: its own, then those of its
 * qcow2 backing chain, stored in slots[0..max); returns how many there are
 * (may exceed max).  Matches dl_sandbox_fd_slots_fn: the sandbox keeps (and
 * renumbers through the pointers) exactly these fds. */
size_t dl_disk_fd_slots(struct dl_disk *d, int **slots, size_t max);
/* Read from the disk's virtual address space; short reads past the end. */
ssize_t dl_disk_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off);

/* Add a disk to the set (the set takes ownership).  vdev may be NULL; then
 * disk i is named after its position for messages only. */
void dl_diskset_add(struct dl_disk_set *set, struct dl_disk *d);
/* Scan all disks: partition tables, LVM; fill set->vols in search order
 * (disk order, then partitions in table order; a disk without a partition
 * table yields one whole-disk volume).  With offset != UINT64_MAX only one
 * volume at that byte offset of disk 0 is produced (--offset). */
int dl_diskset_scan(struct dl_disk_set *set, uint64_t offset, struct dl_error *err);
void dl_diskset_free(struct dl_disk_set *set);

/* Probe a volume's content with libblkid (TYPE, UUID, LABEL); sets note and
 * skip for encrypted, RAID member, swap and LVM PV volumes.  dl_diskset_scan()
 * already probes every volume. */
int dl_volume_probe(struct dl_volume *v, struct dl_error *err);
/* Read len bytes at off of the volume; returns bytes read (short at end), -1
 * with errno on I/O errors. */
ssize_t dl_volume_pread(const struct dl_volume *v, void *buf, size_t len, uint64_t off);
/* Bytes this thread read through dl_volume_pread, plus what backends
 * charged for reads their own caches answered (dl_volume_charge): the work
 * a lookup did, for the lookup budget. */
uint64_t dl_volume_work(void);
void dl_volume_charge(uint64_t n);
/* Map [off, off+len) of the volume to disk ranges, in order: cb(ctx, disk,
 * disk_off, len) says the bytes are at disk_off of disk's image file.  On
 * a qcow2 disk the plain data clusters are such ranges of the qcow2 file;
 * the other pieces (compressed, zero, unallocated, a backing file's) come
 * as cb(ctx, NULL, volume offset, len): bytes to read with
 * dl_volume_pread().  Fails (-ENOTSUP) before any callback for
 * memory-backed disks. */
typedef int (*dl_range_cb)(void *ctx, struct dl_disk *disk, uint64_t disk_off, uint64_t len);
int dl_volume_map(const struct dl_volume *v, uint64_t off, uint64_t len, dl_range_cb cb, void *ctx);

/* How a volume is named, by the guest, its fstab, its GRUB configuration
 * or the command line (--root, domUloader's --entry=dev:...):
 *   UUID=V, LABEL=V, PARTUUID=V, PARTLABEL=V   tags (any case; V may be quoted)
 *   /dev/disk/by-uuid/V ... /dev/disk/by-partlabel/V   the same four
 *   hd0, hd0,msdos1, hd1,gpt2, hd0,1, lvm/vg-lv, also in (parentheses)   GRUB
 *   /dev/mapper/vg-lv, mapper/vg-lv   device-mapper ("--" stands for '-')
 *   /dev/xvda2, xvda2, /dev/vg/lv, anything else   guest device names */
enum dl_volspec_kind {
	DL_VOLSPEC_UUID = 0,
	DL_VOLSPEC_LABEL,
	DL_VOLSPEC_PARTUUID,
	DL_VOLSPEC_PARTLABEL,
	DL_VOLSPEC_NTAGS,            /* the kinds above are tags */
	DL_VOLSPEC_GRUB = DL_VOLSPEC_NTAGS,
	DL_VOLSPEC_MAPPER,
	DL_VOLSPEC_NAME,             /* "/dev/" removed */
	DL_VOLSPEC_NONE,             /* names no volume ("", or fstab's tmpfs, proc...) */
};
struct dl_volspec {
	enum dl_volspec_kind kind;
	const char *value;           /* inside the parsed string: len bytes, not NUL-terminated */
	size_t len;
};
/* Parse s; sp->value points into s.  Every non-empty string is some kind. */
void dl_volspec_parse(const char *s, struct dl_volspec *sp);
/* "UUID", "LABEL", "PARTUUID", "PARTLABEL" for a tag kind, else NULL. */
const char *dl_volspec_tag(enum dl_volspec_kind k);
/* The value of tag kind k of v (v->uuid, v->label...), "" when unknown. */
const char *dl_volume_tag(const struct dl_volume *v, enum dl_volspec_kind k);
/* The first volume of set that sp names, or NULL.  A guest name of another
 * Linux driver (sda5, hda5, vda5 for xvda5) matches when the exact name
 * does not. */
struct dl_volume *dl_diskset_find(struct dl_disk_set *set, const struct dl_volspec *sp);
/* dl_volspec_parse() and dl_diskset_find() in one call. */
struct dl_volume *dl_diskset_find_name(struct dl_disk_set *set, const char *name);

/* Format the scanned volume tree (disks, partitions, LVs with size, fs type,
 * UUID, label, notes) as text or JSON into a malloc'd NUL-terminated string. */
char *dl_diskset_listing(const struct dl_disk_set *set, bool json);

/* What other image format a disk opened as raw is, for the hint of an
 * error (the format is never guessed for reading): "qcow2", "qcow" (v1),
 * "VMDK", "VMDK descriptor", "dynamic VHD", "fixed VHD", "VHDX", "VDI",
 * "QED", "Parallels", or NULL.  head: the first bytes (512 are enough),
 * tail: the last 512 (or fewer; VHD's footer).  A pure function. */
const char *dl_image_format_sniff(const uint8_t *head, size_t hn, const uint8_t *tail, size_t tn);
/* The same over a disk's first and last bytes (raw disks; NULL otherwise). */
const char *dl_disk_format_hint(struct dl_disk *d);

/* Partition-table, LVM and qcow2 parsers, exposed for unit tests and fuzzing. */
struct dl_ptable_entry {
	int partno;          /* 1-based; dos logical partitions from 5 */
	uint64_t start, size;/* bytes */
	char type[40];       /* "0x83" or a GPT type GUID */
	char uuid[40];       /* PARTUUID */
	char name[72];       /* GPT partition name (UTF-8) */
	bool bootable;
};
struct dl_ptable {
	char scheme[8];      /* "dos", "gpt", or "" when no table */
	unsigned sector;     /* sector size the table was found with */
	struct dl_ptable_entry *e;
	size_t n, cap;
	char note[200];      /* recoverable damage seen (backup GPT used, EBR loop) */
};
/* Read the partition table of d.  0 with t->scheme "" when there is none;
 * a negative errno on a table that cannot be trusted (err names the disk and
 * partition). */
int dl_ptable_read(struct dl_disk *d, struct dl_ptable *t, struct dl_error *err);
void dl_ptable_free(struct dl_ptable *t);

#endif
