/* Test-only (never installed): one disk image read by three independent
 * partition-table readers, printed in one normalised form so that
 * tests/cases/part_differential.sh can compare them line by line:
 *
 *   ours  - src/part (dl_ptable_read), what domuloader boots from;
 *   fdisk - util-linux libfdisk, what fdisk/sfdisk show an administrator;
 *   blkid - util-linux libblkid's partition prober, what the kernel-side
 *           tools (udev, lsblk, partx) see.
 *
 * Usage: dl_ptdiff [--sector=512|4096] IMAGE
 * Output: for each reader, a line "READER table=dos|gpt|none|error sector=N"
 * and then one line per partition, in partition-number order:
 *   "READER N start=BYTES size=BYTES type=T logical=0|1 boot=0|1 uuid=U name=NAME"
 * (uuid and name are GPT-only fields, "-" under dos).  Extended (container)
 * partitions are left out of every list: src/part never publishes one as a
 * volume, since it holds no filesystem, only the chain of logical ones.
 * Numbers are 1-based as Linux names partitions (sda5 is the first logical).
 *
 * Image files report no sector size: every reader uses --sector when given,
 * else the size src/part found the table with (it tries 4096 when LBA 1 has
 * no GPT header), so that all three read the same bytes the same way. */
#include <blkid.h>
#include <ctype.h>
#include <libfdisk.h>
#include <stdio.h>
#include <string.h>

#include "part/part.h"

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* "0x83" for dos types, the GUID in lower case for GPT. */
static void type_str(char *out, size_t n, const char *label, unsigned code, const char *guid)
{
	if (!strcmp(label, "dos"))
		snprintf(out, n, "0x%02x", code);
	else
		snprintf(out, n, "%s", guid ? guid : "?");
	lower(out);
}

static void field(char *out, size_t n, const char *label, const char *v)
{
	snprintf(out, n, "%s", strcmp(label, "gpt") || !v || !*v ? "-" : v);
	for (char *p = out; *p; p++)
		if (*p == ' ')
			*p = '_';
}

static void print_part(const char *who, int no, uint64_t start, uint64_t size, const char *type,
		       bool logical, bool boot, const char *uuid, const char *name)
{
	char u[64];
	snprintf(u, sizeof(u), "%s", uuid);
	lower(u);
	printf("%s %d start=%llu size=%llu type=%s logical=%d boot=%d uuid=%s name=%s\n", who, no,
	       (unsigned long long)start, (unsigned long long)size, type, logical, boot, u, name);
}

static unsigned ours(const char *path, unsigned sector)
{
	struct dl_error err = { 0 };
	struct dl_disk *d;
	struct dl_ptable t;
	if (dl_disk_open(&d, path, DL_FMT_RAW, &err) < 0) {
		printf("ours table=error sector=0 (%s)\n", err.msg);
		return sector ? sector : 512;
	}
	if (sector)
		d->sector = sector;
	if (dl_ptable_read(d, &t, &err) < 0) {
		printf("ours table=error sector=%u\n", d->sector);
		fprintf(stderr, "ours: %s\n", err.msg);
		dl_disk_free(d);
		return sector ? sector : 512;
	}
	unsigned ss = t.scheme[0] ? t.sector : d->sector;
	printf("ours table=%s sector=%u\n", t.scheme[0] ? t.scheme : "none", ss);
	for (size_t i = 0; i < t.n; i++) {
		const struct dl_ptable_entry *e = &t.e[i];
		char type[64], uuid[64], name[80];
		snprintf(type, sizeof(type), "%s", e->type);
		lower(type);
		field(uuid, sizeof(uuid), t.scheme, e->uuid);
		field(name, sizeof(name), t.scheme, e->name);
		print_part("ours", e->partno, e->start, e->size, type,
			   !strcmp(t.scheme, "dos") && e->partno > 4, e->bootable, uuid, name);
	}
	dl_ptable_free(&t);
	dl_disk_free(d);
	return ss;
}

static void fdisk(const char *path, unsigned ss)
{
	struct fdisk_context *cxt = fdisk_new_context();
	struct fdisk_table *tb = NULL;
	struct fdisk_iter *itr = NULL;
	struct fdisk_partition *pa = NULL;
	if (!cxt || fdisk_save_user_sector_size(cxt, ss, ss) < 0 ||
	    fdisk_assign_device(cxt, path, 1) < 0) {
		printf("fdisk table=error sector=%u\n", ss);
		goto out;
	}
	if (!fdisk_has_label(cxt)) {
		printf("fdisk table=none sector=%lu\n", fdisk_get_sector_size(cxt));
		goto out;
	}
	const char *label = fdisk_label_get_name(fdisk_get_label(cxt, NULL));
	printf("fdisk table=%s sector=%lu\n", label, fdisk_get_sector_size(cxt));
	if (fdisk_get_partitions(cxt, &tb) < 0 || !(itr = fdisk_new_iter(FDISK_ITER_FORWARD)))
		goto out;
	while (fdisk_table_next_partition(tb, itr, &pa) == 0) {
		if (fdisk_partition_is_container(pa) || !fdisk_partition_has_start(pa))
			continue;
		struct fdisk_parttype *pt = fdisk_partition_get_type(pa);
		char type[64], uuid[64], name[80];
		type_str(type, sizeof(type), label, pt ? fdisk_parttype_get_code(pt) : 0,
			 pt ? fdisk_parttype_get_string(pt) : NULL);
		field(uuid, sizeof(uuid), label, fdisk_partition_get_uuid(pa));
		field(name, sizeof(name), label, fdisk_partition_get_name(pa));
		print_part("fdisk", (int)fdisk_partition_get_partno(pa) + 1,
			   (uint64_t)fdisk_partition_get_start(pa) * ss,
			   (uint64_t)fdisk_partition_get_size(pa) * ss, type,
			   fdisk_partition_is_nested(pa), fdisk_partition_is_bootable(pa), uuid, name);
	}
out:
	fdisk_free_iter(itr);
	fdisk_unref_table(tb);
	fdisk_unref_context(cxt);
}

static void blkid(const char *path, unsigned ss)
{
	blkid_probe pr = blkid_new_probe_from_filename(path);
	if (!pr) {
		printf("blkid table=error sector=%u\n", ss);
		return;
	}
	blkid_probe_set_sectorsize(pr, ss);
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	blkid_partlist ls = blkid_probe_get_partitions(pr);
	blkid_parttable tab = ls ? blkid_partlist_get_table(ls) : NULL;
	if (!tab) {
		printf("blkid table=none sector=%u\n", ss);
		blkid_free_probe(pr);
		return;
	}
	const char *label = blkid_parttable_get_type(tab);
	printf("blkid table=%s sector=%u\n", label, ss);
	int n = blkid_partlist_numof_partitions(ls);
	for (int i = 0; i < n; i++) {
		blkid_partition par = blkid_partlist_get_partition(ls, i);
		/* A GPT's protective/hybrid MBR is a nested table of its own. */
		if (blkid_partition_get_table(par) != tab || blkid_partition_is_extended(par))
			continue;
		char type[64], uuid[64], name[80];
		type_str(type, sizeof(type), label, (unsigned)blkid_partition_get_type(par),
			 blkid_partition_get_type_string(par));
		field(uuid, sizeof(uuid), label, blkid_partition_get_uuid(par));
		field(name, sizeof(name), label, blkid_partition_get_name(par));
		/* libblkid counts start and size in 512-byte sectors always. */
		print_part("blkid", blkid_partition_get_partno(par),
			   (uint64_t)blkid_partition_get_start(par) * 512,
			   (uint64_t)blkid_partition_get_size(par) * 512, type,
			   blkid_partition_is_logical(par),
			   !strcmp(label, "dos") && (blkid_partition_get_flags(par) & 0x80), uuid, name);
	}
	blkid_free_probe(pr);
}

int main(int argc, char **argv)
{
	unsigned sector = 0;
	int a = 1;
	if (a < argc && !strncmp(argv[a], "--sector=", 9))
		sector = (unsigned)atoi(argv[a++] + 9);
	if (a + 1 != argc) {
		fputs("usage: dl_ptdiff [--sector=512|4096] IMAGE\n", stderr);
		return 2;
	}
	dl_log_set(NULL, NULL, 0);
	unsigned ss = ours(argv[a], sector);
	fdisk(argv[a], ss);
	blkid(argv[a], ss);
	return 0;
}
