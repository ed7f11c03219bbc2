/* Internal interfaces of src/part: byte access, checksums, the qcow2 driver
 * and the LVM metadata model.  Not for use outside src/part (tests and fuzz
 * harnesses excepted). */
#ifndef DL_PART_INT_H
#define DL_PART_INT_H

#include "part/part.h"

/* Open a file the user or an image names, read-only, without ever blocking
 * (a FIFO would block the root process in open or read): anything but a
 * regular file (or, if blk, a block device) is refused before a byte is
 * read.  The fd, or a negative errno with err set. */
int dl_disk_open_path(const char *path, bool blk, struct dl_error *err);

#include <string.h>

#define DL_MAX_PARTS 256          /* partitions kept per disk */
#define DL_MAX_LOGICAL 128        /* EBRs followed in one extended partition */
#define DL_GPT_MAX_ENTRIES 4096   /* entries in a GPT partition array */
#define DL_GPT_MAX_ESZ 4096       /* GPT entry size */
#define DL_LVM_MAX_TEXT (16u << 20) /* one copy of LVM metadata text */
#define DL_LVM_MAX_DEPTH 16
#define DL_LVM_MAX_NODES 400000
#define DL_LVM_MAX_LVS 4096
#define DL_LVM_MAX_PVS 1024
#define DL_LVM_MAX_SEGS 4096      /* segments of one LV */
#define DL_LVM_MAX_STRIPES 128
#define DL_QCOW2_MAX_L1 (32u << 20) /* bytes of L1 table (qemu's limit) */
#define DL_QCOW2_MAX_BACKING 8    /* backing chain depth */

/* Standard CRC-32 (GPT, zlib). */
uint32_t dl_crc32(const void *buf, size_t len);
/* LVM2's variant: initial value, no final inversion (lib/misc/crc.c). */
#define DL_LVM_INITIAL_CRC 0xf597a6cfu
uint32_t dl_lvm_crc(uint32_t crc, const void *buf, size_t len);

/* Read exactly len bytes at off of the disk; a negative errno (err filled)
 * on I/O error or short read. */
int dl_disk_read_exact(struct dl_disk *d, void *buf, size_t len, uint64_t off, const char *what,
		       struct dl_error *err);
int dl_volume_read_exact(const struct dl_volume *v, void *buf, size_t len, uint64_t off,
			 const char *what, struct dl_error *err);
/* The name of the disk for messages: guest name if any, else the path. */
const char *dl_disk_name(const struct dl_disk *d);

/* Partition tables (mbr.c, gpt.c). */
int dl_mbr_read(struct dl_disk *d, const uint8_t *sec0, struct dl_ptable *t, struct dl_error *err);
/* 1 found (t filled), 0 no GPT, a negative errno with err set. */
int dl_gpt_read(struct dl_disk *d, bool protective, struct dl_ptable *t, struct dl_error *err);
struct dl_ptable_entry *dl_ptable_add(struct dl_ptable *t);
/* Check an entry against the disk; a negative errno with a message naming
 * disk and partition. */
int dl_ptable_check(struct dl_disk *d, const char *scheme, int partno, uint64_t start_sec,
		    uint64_t nsec, unsigned sector, uint64_t *off, uint64_t *len, struct dl_error *err);

/* qcow2 (qcow2.c). */
/* by_path: d was opened by path, so a backing file may be opened relative to it. */
int dl_qcow2_open(struct dl_disk *d, const struct dl_disk_opts *o, bool by_path, int depth,
		  struct dl_error *err);
ssize_t dl_qcow2_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off);
/* dl_volume_map() over [off, off + len) of qcow2 disk d (volume offset
 * vol_off): plain data clusters as ranges of the image file, the rest as
 * cb(ctx, NULL, volume offset, len).  0, the callback's value, or -EIO. */
int dl_qcow2_map(struct dl_disk *d, uint64_t off, uint64_t len, uint64_t vol_off, dl_range_cb cb, void *ctx);
void dl_qcow2_free(struct dl_disk *d);
struct dl_disk *dl_qcow2_backing(const struct dl_disk *d);
/* Read bytes of the image file itself (not the virtual disk). */
ssize_t dl_disk_file_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off);

/* LVM metadata text (lvmmeta.c). */
enum dl_lvm_type { DL_LVM_SECTION, DL_LVM_INT, DL_LVM_STR, DL_LVM_ARRAY };
struct dl_lvm_node {
	enum dl_lvm_type type;
	char *key;               /* NULL for array elements */
	int64_t ival;
	char *sval;
	struct dl_lvm_node *child, *next; /* sections and arrays */
};
int dl_lvm_parse(const char *text, size_t len, struct dl_lvm_node **root, struct dl_error *err);

struct dl_lvm_area { uint32_t pv; uint64_t pe; };
struct dl_lvm_seg {
	uint64_t start, count;    /* extents */
	uint32_t stripes;
	uint64_t stripe_size;     /* sectors */
	struct dl_lvm_area *area;
};
struct dl_lvm_pv {
	char *name;               /* "pv0" */
	char uuid[33];            /* without dashes */
	uint64_t pe_start;        /* sectors */
	uint64_t pe_count;
	bool missing;             /* flagged MISSING in the metadata */
};
struct dl_lvm_lv {
	char *name;
	bool visible;
	char note[160];           /* why it cannot be read; "" when fine */
	struct dl_lvm_seg *seg;
	size_t nseg;
	uint64_t extents;
};
struct dl_lvm_vg {
	char *name;
	char uuid[33];
	uint64_t seqno;
	uint64_t extent_size;     /* sectors */
	struct dl_lvm_pv *pv;
	size_t npv;
	struct dl_lvm_lv *lv;
	size_t nlv;
};
/* Build the VG model from one metadata text; validates names, extents and
 * stripe areas against the PV sizes.  Unsupported LVs get a note. */
int dl_lvm_vg_parse(const char *text, size_t len, struct dl_lvm_vg **vgp, struct dl_error *err);
void dl_lvm_vg_free(struct dl_lvm_vg *vg);

/* LVM on-disk structures (lvm.c). */
/* Assemble VGs from the PVs among set->vols and append LV volumes; what
 * cannot be read is said in warnings and volume notes. */
void dl_lvm_scan(struct dl_disk_set *set);

/* Signature check for volumes libblkid cannot read by fd (sniff.c). */
void dl_volume_sniff(struct dl_volume *v);

/* A new volume appended to set->vols (volume.c). */
struct dl_volume *dl_volume_new(struct dl_disk_set *set);

#endif
