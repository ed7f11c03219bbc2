/* GPT partition tables.
 *
 * Hand-written rather than taken from libfdisk or libblkid so that every
 * field is validated here against the disk: libfdisk 2.38.1 (Debian 12)
 * over-reads entry arrays whose entries are under 128 bytes (fixed by
 * util-linux efb0dbd34).
 *
 * The header is validated as libblkid/GRUB do (signature, header size, CRC,
 * my_lba, usable range, entry size >= 128 and a multiple of 8, capped entry
 * count, entry-array CRC) and entries are read from the header's own
 * PartitionEntryLBA.  A corrupt primary falls back to the backup header at the
 * last LBA (or at the primary's AlternateLBA).  The logical sector size is
 * the disk's; when it is 512 and LBA 1 has no signature, 4096-byte sectors
 * are tried (images of 4Kn disks). */
#include "part/part_int.h"

#include <stdio.h>

static const uint8_t gpt_sig[8] = { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' };

struct gpt_hdr {
	uint64_t my_lba, alt_lba, first, last, entries_lba;
	uint32_t nent, esz, entries_crc;
};

/* Validate the header at lba; 0 ok, -1 with why set. */
static int check_header(struct dl_disk *d, unsigned ss, uint64_t lba, struct gpt_hdr *h, const char **why)
{
	uint8_t *b = dl_malloc(ss);
	int rc = -1;
	uint64_t nsec = d->size / ss, off;

	*why = "cannot be read";
	if (ckd_mul(&off, lba, (uint64_t)ss) || dl_disk_pread(d, b, ss, off) != (ssize_t)ss)
		goto out;
	*why = "has no signature";
	if (memcmp(b, gpt_sig, 8))
		goto out;
	uint32_t hsz = dl_le32(b + 12);
	*why = "has a bad header size";
	if (hsz < 92 || hsz > ss)
		goto out;
	uint32_t crc = dl_le32(b + 16);
	memset(b + 16, 0, 4);
	*why = "has a bad checksum";
	if (dl_crc32(b, hsz) != crc)
		goto out;
	h->my_lba = dl_le64(b + 24);
	h->alt_lba = dl_le64(b + 32);
	h->first = dl_le64(b + 40);
	h->last = dl_le64(b + 48);
	h->entries_lba = dl_le64(b + 72);
	h->nent = dl_le32(b + 80);
	h->esz = dl_le32(b + 84);
	h->entries_crc = dl_le32(b + 88);
	*why = "is not at the LBA it names";
	if (h->my_lba != lba)
		goto out;
	*why = "has a bad usable range";
	if (h->first > h->last || h->last >= nsec || h->first < 2)
		goto out;
	*why = "has a bad entry size";
	if (h->esz < 128 || h->esz % 8 || h->esz > DL_GPT_MAX_ESZ)
		goto out;
	*why = "has too many entries";
	if (h->nent > DL_GPT_MAX_ENTRIES)
		goto out;
	uint64_t asz = (uint64_t)h->nent * h->esz, asec = (asz + ss - 1) / ss, aend;
	*why = "has its entry array outside the disk";
	if (h->entries_lba < 2 || ckd_add(&aend, h->entries_lba, asec) || aend > nsec)
		goto out;
	/* The array must not overlap the header itself or the usable range. */
	*why = "has its entry array overlapping the partitions";
	if (!(aend <= h->first || h->entries_lba > h->last) || (lba >= h->entries_lba && lba < aend))
		goto out;
	rc = 0;
out:
	free(b);
	return rc;
}

static uint8_t *read_entries(struct dl_disk *d, unsigned ss, const struct gpt_hdr *h, const char **why)
{
	size_t asz = (size_t)h->nent * h->esz;
	uint64_t off;
	uint8_t *a = dl_malloc(asz ? asz : 1);
	*why = "entry array cannot be read";
	if (ckd_mul(&off, h->entries_lba, (uint64_t)ss) || dl_disk_pread(d, a, asz, off) != (ssize_t)asz)
		goto bad;
	*why = "entry array has a bad checksum";
	if (dl_crc32(a, asz) != h->entries_crc)
		goto bad;
	return a;
bad:
	free(a);
	return NULL;
}

static void guid_str(const uint8_t *g, char *out, size_t n)
{
	snprintf(out, n, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", dl_le32(g), dl_le16(g + 4),
		 dl_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* UTF-16LE name (36 code units) to UTF-8; invalid or control characters become '?'. */
static void name_utf8(const uint8_t *p, char *out, size_t n)
{
	size_t o = 0;
	for (int i = 0; i < 36; i++) {
		uint32_t c = dl_le16(p + 2 * i);
		if (!c)
			break;
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < 36) {
			uint32_t lo = dl_le16(p + 2 * i + 2);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				c = '?';
			}
		} else if ((c >= 0xd800 && c <= 0xdfff) || c < 0x20 || c == 0x7f) {
			c = '?';
		}
		char u[4];
		size_t k;
		if (c < 0x80) {
			u[0] = (char)c;
			k = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xc0 | c >> 6);
			u[1] = (char)(0x80 | (c & 0x3f));
			k = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | c >> 12);
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
			k = 3;
		} else {
			u[0] = (char)(0xf0 | c >> 18);
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
			k = 4;
		}
		if (o + k + 1 > n)
			break;
		memcpy(out + o, u, k);
		o += k;
	}
	out[o] = '\0';
}

/* The backup header of a disk of sector size ss: the last LBA, or the
 * primary's AlternateLBA when the primary header itself is intact. */
static int try_backup(struct dl_disk *d, unsigned ss, struct gpt_hdr *h, uint8_t **ents, const char **why)
{
	uint64_t nsec = d->size / ss;
	uint64_t alts[2] = { nsec - 1, 0 };
	struct gpt_hdr p;
	const char *dummy;
	if (check_header(d, ss, 1, &p, &dummy) == 0 && p.alt_lba != nsec - 1 && p.alt_lba < nsec && p.alt_lba > 1)
		alts[1] = p.alt_lba;
	for (int i = 0; i < 2; i++) {
		if (alts[i] && check_header(d, ss, alts[i], h, why) == 0 && (*ents = read_entries(d, ss, h, why)))
			return 0;
	}
	return -1;
}

int dl_gpt_read(struct dl_disk *d, bool protective, struct dl_ptable *t, struct dl_error *err)
{
	unsigned sizes[2] = { d->sector, d->sector == 512 ? 4096 : 0 };
	struct gpt_hdr h;
	uint8_t *ents = NULL;
	unsigned ss = 0;
	char note[200] = "";
	bool corrupt = false;

	const char *why[2] = { NULL, NULL };
	/* Primary headers first, for each candidate sector size. */
	for (int i = 0; i < 2 && !ents; i++) {
		if (sizes[i] < 512 || sizes[i] > 4096 || d->size / sizes[i] < 3)
			continue;
		if (check_header(d, sizes[i], 1, &h, &why[i]) == 0 && (ents = read_entries(d, sizes[i], &h, &why[i])))
			ss = sizes[i];
		else if (strcmp(why[i], "has no signature"))
			corrupt = true;
	}
	/* Then the backups, when the MBR says GPT or a primary was damaged. */
	for (int i = 0; i < 2 && !ents && (protective || corrupt); i++) {
		const char *bwhy;
		if (!why[i])
			continue;
		if (try_backup(d, sizes[i], &h, &ents, &bwhy) == 0) {
			ss = sizes[i];
			snprintf(note, sizeof(note), "primary GPT header %s; using the backup at LBA %llu", why[i],
				 (unsigned long long)h.my_lba);
		}
	}
	if (!ents) {
		if (corrupt)
			return dl_fail(err, DL_EBADIMAGE, "%s: GPT is corrupt (primary header %s, no valid backup)",
				       dl_disk_name(d), why[0] && strcmp(why[0], "has no signature") ? why[0] : why[1]);
		return 0;
	}
	snprintf(t->scheme, sizeof(t->scheme), "gpt");
	t->sector = ss;
	snprintf(t->note, sizeof(t->note), "%s", note);
	int rc = 1;
	for (uint32_t i = 0; i < h.nent; i++) {
		const uint8_t *e = ents + (size_t)i * h.esz;
		static const uint8_t zero[16];
		if (!memcmp(e, zero, 16))
			continue;
		uint64_t first = dl_le64(e + 32), last = dl_le64(e + 40), off, len;
		int partno = (int)i + 1;
		if (t->n >= DL_MAX_PARTS) {
			rc = dl_fail(err, DL_ELIMIT, "%s: more than %d partitions", dl_disk_name(d), DL_MAX_PARTS);
			break;
		}
		if (last < first) {
			rc = dl_fail(err, DL_EBADIMAGE, "%s: gpt partition %d ends (LBA %llu) before it starts (LBA %llu)",
				     dl_disk_name(d), partno, (unsigned long long)last, (unsigned long long)first);
			break;
		}
		rc = dl_ptable_check(d, "gpt", partno, first, last - first + 1, ss, &off, &len, err);
		if (rc < 0)
			break;
		rc = 1;
		if (first < h.first || last > h.last)
			dl_warn("%s: gpt partition %d lies outside the usable LBA range %llu-%llu", dl_disk_name(d),
				partno, (unsigned long long)h.first, (unsigned long long)h.last);
		struct dl_ptable_entry *pe = dl_ptable_add(t);
		pe->partno = partno;
		pe->start = off;
		pe->size = len;
		guid_str(e, pe->type, sizeof(pe->type));
		guid_str(e + 16, pe->uuid, sizeof(pe->uuid));
		name_utf8(e + 56, pe->name, sizeof(pe->name));
		pe->bootable = (dl_le64(e + 48) & 4) != 0; /* legacy BIOS bootable */
	}
	free(ents);
	return rc;
}
