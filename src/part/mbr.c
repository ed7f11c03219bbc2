/* MBR (dos) partition tables with extended/logical chains.
 *
 * Hand-written rather than taken from libblkid or libfdisk so that every
 * field is validated here against the disk: libblkid 2.38.1 (Debian 12)
 * accepts EBR links that overflow or loop (fixed by util-linux e9d544d01).
 *
 * Logical partitions follow the EBR chain inside the first extended
 * partition: every link must point forward inside the extended partition
 * (a backward link or a loop ends the chain with a note), and at most
 * DL_MAX_LOGICAL EBRs are read. */
#include "part/part_int.h"

#include <stdio.h>

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

struct dl_ptable_entry *dl_ptable_add(struct dl_ptable *t)
{
	return dl_array_push(&t->e, &t->n, &t->cap, sizeof(*t->e));
}

void dl_ptable_free(struct dl_ptable *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

int dl_ptable_check(struct dl_disk *d, const char *scheme, int partno, uint64_t start_sec,
		    uint64_t nsec, unsigned sector, uint64_t *off, uint64_t *len, struct dl_error *err)
{
	uint64_t end;
	if (ckd_mul(off, start_sec, (uint64_t)sector) || ckd_mul(len, nsec, (uint64_t)sector) ||
	    ckd_add(&end, *off, *len) || end > d->size)
		return dl_fail(err, DL_EBADIMAGE,
			       "%s: %s partition %d (sectors %llu-%llu of %u bytes) lies outside the disk (%llu bytes)",
			       dl_disk_name(d), scheme, partno, (unsigned long long)start_sec,
			       (unsigned long long)(start_sec + nsec - 1), sector, (unsigned long long)d->size);
	return 0;
}

static void add_entry(struct dl_ptable *t, uint32_t sig, int partno, uint64_t off, uint64_t len,
		      uint8_t type, bool boot)
{
	struct dl_ptable_entry *e = dl_ptable_add(t);
	e->partno = partno;
	e->start = off;
	e->size = len;
	e->bootable = boot;
	snprintf(e->type, sizeof(e->type), "0x%02x", type);
	if (sig)
		snprintf(e->uuid, sizeof(e->uuid), "%08x-%02x", sig, partno);
}

static int read_logical(struct dl_disk *d, struct dl_ptable *t, uint32_t sig, uint64_t ext_start,
			uint64_t ext_size, unsigned ss, struct dl_error *err)
{
	uint8_t *b = dl_malloc(ss);
	uint64_t cur = ext_start;
	int partno = 5;
	uint64_t visited[DL_MAX_LOGICAL];
	uint64_t ext_end = ext_start + ext_size; /* checked by the caller */
	int rc = 0;

	for (int hops = 0;; hops++) {
		if (hops >= DL_MAX_LOGICAL) {
			snprintf(t->note, sizeof(t->note),
				 "extended partition chain longer than %d; later logical partitions ignored",
				 DL_MAX_LOGICAL);
			break;
		}
		if ((rc = dl_disk_read_exact(d, b, ss, cur * ss, "extended boot record", err)) < 0)
			break;
		if (b[510] != 0x55 || b[511] != 0xaa) {
			snprintf(t->note, sizeof(t->note),
				 "extended boot record at sector %llu has no signature; later logical partitions ignored",
				 (unsigned long long)cur);
			break;
		}
		const uint8_t *p = b + 446;
		uint8_t type = p[4];
		uint64_t start = dl_le32(p + 8), n = dl_le32(p + 12);
		if (type && n && !is_extended(type)) {
			uint64_t off, len;
			if (t->n >= DL_MAX_PARTS) {
				rc = dl_fail(err, DL_ELIMIT, "%s: more than %d partitions", dl_disk_name(d), DL_MAX_PARTS);
				break;
			}
			/* Linux accepts a first entry reaching past the extended
			 * partition; so do we (with a warning), inside the disk. */
			if (cur + start + n > ext_end)
				dl_warn("%s: dos partition %d (sectors %llu-%llu) extends past its extended partition "
					"(sectors %llu-%llu)", dl_disk_name(d), partno, (unsigned long long)(cur + start),
					(unsigned long long)(cur + start + n - 1), (unsigned long long)ext_start,
					(unsigned long long)(ext_end - 1));
			if ((rc = dl_ptable_check(d, "dos", partno, cur + start, n, ss, &off, &len, err)) < 0)
				break;
			add_entry(t, sig, partno, off, len, type, p[0] == 0x80);
		}
		if (type && n)
			partno++;
		/* The link to the next EBR, relative to the extended partition. */
		const uint8_t *l = b + 446 + 16;
		uint64_t next = dl_le32(l + 8);
		if (!is_extended(l[4]) || dl_le32(l + 12) == 0)
			break;
		uint64_t nabs = ext_start + next;
		visited[hops] = cur;
		if (nabs <= cur) {
			bool loop = false;
			for (int i = 0; i <= hops; i++)
				loop |= visited[i] == nabs;
			snprintf(t->note, sizeof(t->note),
				 "extended partition chain %s at sector %llu (link to sector %llu); "
				 "later logical partitions ignored", loop ? "loops" : "links backwards",
				 (unsigned long long)cur, (unsigned long long)nabs);
			break;
		}
		cur = nabs;
	}
	free(b);
	return rc;
}

/* sec0: the first 512 bytes of the disk, with the 0x55AA signature. */
int dl_mbr_read(struct dl_disk *d, const uint8_t *sec0, struct dl_ptable *t, struct dl_error *err)
{
	unsigned ss = d->sector >= 512 && d->sector <= 4096 ? d->sector : 512;
	uint32_t sig = dl_le32(sec0 + 440);
	bool ext_done = false;

	snprintf(t->scheme, sizeof(t->scheme), "dos");
	t->sector = ss;
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = sec0 + 446 + 16 * i;
		uint8_t type = p[4];
		uint64_t start = dl_le32(p + 8), n = dl_le32(p + 12), off, len;
		if (!type || !n || !start || type == 0xee)
			continue;
		int r = dl_ptable_check(d, "dos", i + 1, start, n, ss, &off, &len, err);
		if (r < 0)
			return r;
		if (is_extended(type)) {
			if (ext_done) {
				dl_warn("%s: second extended partition %d ignored", dl_disk_name(d), i + 1);
				continue;
			}
			ext_done = true;
			if ((r = read_logical(d, t, sig, start, n, ss, err)) < 0)
				return r;
			continue;
		}
		add_entry(t, sig, i + 1, off, len, type, p[0] == 0x80);
	}
	/* Table order: primaries 1-4 then logicals; logicals were appended
	 * when the extended entry was met, so sort by number. */
	for (size_t i = 1; i < t->n; i++)
		for (size_t j = i; j > 0 && t->e[j - 1].partno > t->e[j].partno; j--) {
			struct dl_ptable_entry tmp = t->e[j];
			t->e[j] = t->e[j - 1];
			t->e[j - 1] = tmp;
		}
	return 0;
}
