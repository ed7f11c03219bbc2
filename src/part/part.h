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

struct dl_disk {
	char *path;          /* host path or description, for messages */
	char *vdev;          /* guest whole-disk name ("xvda", "hda"), or NULL */
	int fd;              /* read-only; -1 for memory-backed disks */
	const uint8_t *mem;  /* memory-backed disk (tests, fuzzing) */
	uint64_t size;       /* virtual size in bytes */
	unsigned sector;     /* logical sector size (512 or 4096) */
	enum dl_disk_format format;
	bool cdrom;          /* attached as a cdrom (domain configs) */
	void *fmt;           /* format driver state (qcow2) */
	int index;           /* position in the disk set, 0-based */
};

enum dl_vol_kind { DL_VOL_DISK, DL_VOL_PART, DL_VOL_LV };

struct dl_extent {
	uint64_t off;        /* offset within the volume */
	uint64_t len;
	struct dl_disk *disk;
	uint64_t disk_off;   /* offset on the disk */
};

struct dl_volume {
	enum dl_vol_kind kind;
	char name[96];       /* guest name: "xvda2", "/dev/vg/root", or "disk.img" */
	char grub[32];       /* GRUB device: "hd0", "hd0,msdos5", "hd1,gpt2", "lvm/vg-root" */
	struct dl_disk *disk;/* disk for DISK/PART volumes (NULL for LVs) */
	int partno;          /* partition number (1-based), 0 for whole disks */
	char scheme[8];      /* "dos", "gpt", "" */
	uint64_t size;
	struct dl_extent *ext;
	size_t next;
	/* Filled by dl_volume_probe(): */
	char fstype[32];     /* libblkid TYPE ("ext4", "xfs", "crypto_LUKS", ...) */
	char uuid[64];
	char label[64];
	char partuuid[64];
	char partlabel[72];
	char note[160];      /* why it is skipped (encrypted, unsupported...) */
};

struct dl_disk_set {
	struct dl_disk **disks;
	size_t ndisks;
	struct dl_volume *vols;
	size_t nvols, capvols;
};

/* Open path read-only (O_CLOEXEC|O_NOCTTY), find its size and sector size. */
int dl_disk_open(struct dl_disk **dp, const char *path, enum dl_disk_format fmt,
		 struct dl_error *err);
/* Wrap an already-open fd (the sandboxed child only has fds). */
int dl_disk_from_fd(struct dl_disk **dp, int fd, const char *name,
		    enum dl_disk_format fmt, struct dl_error *err);
/* Wrap a memory buffer (tests, fuzzing); sector size 512 unless set after. */
struct dl_disk *dl_disk_from_mem(const void *buf, size_t len, const char *name);
void dl_disk_free(struct dl_disk *d);
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

/* Probe a volume's content with libblkid (TYPE, UUID, LABEL). */
int dl_volume_probe(struct dl_volume *v, struct dl_error *err);
/* Read len bytes at off of the volume; returns bytes read (short at end), -1
 * with errno on I/O errors. */
ssize_t dl_volume_pread(const struct dl_volume *v, void *buf, size_t len, uint64_t off);
/* Map [off, off+len) of the volume to disk ranges, in order.  Fails
 * (-ENOTSUP) for disks whose bytes are not stored verbatim (qcow2). */
typedef int (*dl_range_cb)(void *ctx, struct dl_disk *disk, uint64_t disk_off, uint64_t len);
int dl_volume_map(const struct dl_volume *v, uint64_t off, uint64_t len, dl_range_cb cb, void *ctx);

/* Find a volume by guest name ("xvda2", "/dev/xvda2", "/dev/vg/lv",
 * "/dev/mapper/vg-lv"), GRUB device ("hd0,msdos1", "hd1,gpt2"), or
 * UUID=/LABEL=/PARTUUID=/PARTLABEL= spec.  NULL if none. */
struct dl_volume *dl_diskset_find(struct dl_disk_set *set, const char *spec);

#endif
