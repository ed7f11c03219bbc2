/* Guest LVM2 without device-mapper: PV labels, metadata areas, VGs across
 * the disks of a set, LVs as volumes (linear and striped segments).
 *
 * Hand-written because no library reads a guest's LVM without activating
 * it through device-mapper on the host (lvm2's own liblvm2app, removed in
 * 2.03, needed that too), which exposes guest data to the host kernel.
 *
 * On-disk format (lib/format_text/layout.h, lib/label/label.h): a label in
 * one of the first four 512-byte sectors ("LABELONE", its sector number, a
 * CRC of the rest of the sector, "LVM2 001"), then the PV header (UUID,
 * size, data areas, metadata areas).  Each metadata area starts with an
 * mda_header (CRC, magic, version 1, its own offset) whose first raw_locn
 * points at the current metadata text in a circular buffer.  Every CRC is
 * LVM's variant (dl_lvm_crc). */
#include "part/part_int.h"

#include <errno.h>
#include <stdio.h>

#define LABEL_SCAN_SECTORS 4
#define MDA_HEADER_SIZE 512
static const char mda_magic[16] = " LVM2 x[5A%r0N*>";

struct lvm_label {
	char pv_uuid[33];
	uint64_t dev_size;
	uint64_t mda_off[2], mda_size[2];
	unsigned nmda;
};

/* The label in the first 2048 bytes of a volume: 1 found, 0 none, -1 bad. */
static int label_parse(const uint8_t *buf, size_t len, struct lvm_label *l)
{
	memset(l, 0, sizeof(*l));
	for (unsigned s = 0; s < LABEL_SCAN_SECTORS && (s + 1) * 512 <= len; s++) {
		const uint8_t *b = buf + s * 512;
		if (memcmp(b, "LABELONE", 8))
			continue;
		if (dl_le64(b + 8) != s || memcmp(b + 24, "LVM2 001", 8))
			return -1;
		if (dl_lvm_crc(DL_LVM_INITIAL_CRC, b + 20, 512 - 20) != dl_le32(b + 16))
			return -1;
		uint32_t off = dl_le32(b + 20);
		if (off < 32 || off > 512 - 48)
			return -1;
		const uint8_t *h = b + off, *end = b + 512;
		for (int i = 0; i < 32; i++)
			if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'z') ||
			      (h[i] >= 'A' && h[i] <= 'Z')))
				return -1;
		memcpy(l->pv_uuid, h, 32);
		l->pv_uuid[32] = '\0';
		l->dev_size = dl_le64(h + 32);
		const uint8_t *p = h + 40;
		/* Data areas, then metadata areas, each list ended by a zero offset. */
		for (int list = 0; list < 2; list++) {
			for (;;) {
				if (p + 16 > end)
					return -1;
				uint64_t o = dl_le64(p), sz = dl_le64(p + 8);
				p += 16;
				if (!o)
					break;
				if (list == 1 && l->nmda < 2) {
					l->mda_off[l->nmda] = o;
					l->mda_size[l->nmda] = sz;
					l->nmda++;
				}
			}
		}
		return 1;
	}
	return 0;
}

/* Validate an mda header (512 bytes) and return the current metadata
 * location: 1 found, 0 none/ignored, -1 bad. */
static int mda_parse(const uint8_t *h, uint64_t mda_off, uint64_t mda_size, uint64_t *text_off,
		     uint64_t *text_size, uint32_t *text_crc)
{
	if (dl_lvm_crc(DL_LVM_INITIAL_CRC, h + 4, MDA_HEADER_SIZE - 4) != dl_le32(h))
		return -1;
	if (memcmp(h + 4, mda_magic, 16) || dl_le32(h + 20) != 1 || dl_le64(h + 24) != mda_off)
		return -1;
	if (dl_le64(h + 32) != mda_size || mda_size <= MDA_HEADER_SIZE)
		return -1;
	const uint8_t *rl = h + 40;
	uint64_t off = dl_le64(rl), size = dl_le64(rl + 8);
	uint32_t flags = dl_le32(rl + 20);
	if (!off || !size || (flags & 1)) /* none, or RAW_LOCN_IGNORED */
		return 0;
	if (off < MDA_HEADER_SIZE || off >= mda_size || size > mda_size - MDA_HEADER_SIZE)
		return -1;
	*text_off = off;
	*text_size = size;
	*text_crc = dl_le32(rl + 16);
	return 1;
}

struct pvinfo {
	size_t vi;                 /* index in set->vols (which may move) */
	struct lvm_label l;
};

struct cand {
	struct dl_lvm_vg *vg;
	uint32_t crc;
	uint64_t size;
};

/* Read one metadata copy; returns a parsed VG or NULL (a warning says why). */
static struct dl_lvm_vg *read_mda(const struct dl_volume *v, uint64_t mo, uint64_t ms, uint32_t *crcp,
				  uint64_t *sizep, struct cand *c, size_t nc)
{
	uint8_t h[MDA_HEADER_SIZE];
	uint64_t toff, tsize, end;
	uint32_t tcrc;
	struct dl_error err = { 0 };

	if (ckd_add(&end, mo, ms) || end > v->size || ms < MDA_HEADER_SIZE * 2 ||
	    dl_volume_read_exact(v, h, sizeof(h), mo, "LVM metadata area", &err) < 0) {
		dl_warn("%s: LVM metadata area at %llu is unreadable", v->name, (unsigned long long)mo);
		return NULL;
	}
	int r = mda_parse(h, mo, ms, &toff, &tsize, &tcrc);
	if (r <= 0) {
		if (r < 0)
			dl_warn("%s: LVM metadata area at %llu has a bad header", v->name, (unsigned long long)mo);
		return NULL;
	}
	if (tsize > DL_LVM_MAX_TEXT) {
		dl_warn("%s: LVM metadata larger than %u bytes ignored", v->name, DL_LVM_MAX_TEXT);
		return NULL;
	}
	for (size_t i = 0; i < nc; i++)
		if (c[i].crc == tcrc && c[i].size == tsize) {
			*crcp = tcrc; /* a copy we already have */
			return NULL;
		}
	char *text = dl_malloc((size_t)tsize + 1);
	uint64_t first = DL_MIN(tsize, ms - toff);
	if (dl_volume_read_exact(v, text, (size_t)first, mo + toff, "LVM metadata", &err) < 0 ||
	    (tsize > first && dl_volume_read_exact(v, text + first, (size_t)(tsize - first),
						   mo + MDA_HEADER_SIZE, "LVM metadata", &err) < 0)) {
		dl_warn("%s", err.msg);
		free(text);
		return NULL;
	}
	if (dl_lvm_crc(DL_LVM_INITIAL_CRC, text, (size_t)tsize) != tcrc) {
		dl_warn("%s: LVM metadata copy at %llu has a bad checksum; ignored", v->name,
			(unsigned long long)(mo + toff));
		free(text);
		return NULL;
	}
	text[tsize] = '\0';
	struct dl_lvm_vg *vg = NULL;
	if (dl_lvm_vg_parse(text, strnlen(text, (size_t)tsize), &vg, &err) < 0) {
		dl_warn("%s: %s", v->name, err.msg);
		vg = NULL;
	}
	free(text);
	*crcp = tcrc;
	*sizep = tsize;
	return vg;
}

static void esc_dash(char *out, size_t n, const char *s)
{
	size_t o = 0;
	for (; *s && o + 3 < n; s++) {
		out[o++] = *s;
		if (*s == '-')
			out[o++] = '-';
	}
	out[o] = '\0';
}

/* Build the extents of an LV; a note (and no extents) when a PV is missing. */
static void build_lv(struct dl_volume *v, const struct dl_disk_set *set, const struct dl_lvm_vg *vg,
		     const struct dl_lvm_lv *lv, const size_t *pvidx)
{
	uint64_t es = vg->extent_size * 512, size;
	if (ckd_mul(&size, lv->extents, es)) {
		snprintf(v->note, sizeof(v->note), "unsupported: size overflows");
		v->skip = true;
		return;
	}
	v->size = size;
	for (size_t i = 0; i < lv->nseg; i++)
		for (uint32_t k = 0; k < lv->seg[i].stripes; k++) {
			uint32_t p = lv->seg[i].area[k].pv;
			if (pvidx[p] == SIZE_MAX || vg->pv[p].missing) {
				snprintf(v->note, sizeof(v->note), "incomplete: physical volume %.40s (%.32s) is missing",
					 vg->pv[p].name, vg->pv[p].uuid);
				v->skip = true;
				return;
			}
		}
	v->ext = dl_calloc(lv->nseg, sizeof(*v->ext));
	for (size_t i = 0; i < lv->nseg; i++) {
		const struct dl_lvm_seg *g = &lv->seg[i];
		struct dl_extent *e = &v->ext[v->nextents++];
		e->off = g->start * es; /* < size, no overflow */
		e->len = g->count * es;
		uint64_t per = g->count / g->stripes;
		if (g->stripes > 1) {
			e->nstripes = g->stripes;
			e->chunk = g->stripe_size * 512;
			e->stripe = dl_calloc(g->stripes, sizeof(*e->stripe));
		}
		for (uint32_t k = 0; k < g->stripes; k++) {
			const struct dl_volume *pv = &set->vols[pvidx[g->area[k].pv]];
			const struct dl_lvm_pv *mp = &vg->pv[g->area[k].pv];
			uint64_t o, a, end;
			/* pe_start + (pe + per) * es must lie inside the PV's volume. */
			if (ckd_mul(&o, mp->pe_start, 512) || ckd_mul(&a, g->area[k].pe, es) || ckd_add(&o, o, a) ||
			    ckd_mul(&a, per, es) || ckd_add(&end, o, a) || end > pv->size) {
				snprintf(v->note, sizeof(v->note),
					 "incomplete: segment %zu lies past the end of physical volume %.40s (%.60s)",
					 i + 1, mp->name, pv->name);
				v->skip = true;
				for (size_t j = 0; j < v->nextents; j++)
					free(v->ext[j].stripe);
				free(v->ext);
				v->ext = NULL;
				v->nextents = 0; /* no bytes: nothing half-built is readable */
				return;
			}
			struct dl_disk *disk = pv->ext[0].disk;
			uint64_t doff = pv->ext[0].disk_off + o;
			if (g->stripes > 1) {
				e->stripe[k].disk = disk;
				e->stripe[k].disk_off = doff;
			} else {
				e->disk = disk;
				e->disk_off = doff;
			}
		}
	}
}

/* What the scan found: PV labels and the metadata copies they point at. */
struct lvm_scan {
	struct pvinfo *pvs;
	size_t npvs, cappvs;
	struct cand *cands;
	size_t ncand, capcand;
};

/* Volume vi if it carries an LVM label: it becomes a PV (skipped for
 * filesystems) and each metadata copy not seen yet is a candidate. */
static void scan_pv(struct lvm_scan *sc, struct dl_disk_set *set, size_t vi)
{
	struct dl_volume *v = &set->vols[vi];
	uint8_t buf[LABEL_SCAN_SECTORS * 512];
	struct lvm_label l;
	if (v->kind == DL_VOL_LV || v->size < sizeof(buf) || v->nextents != 1 ||
	    dl_volume_pread(v, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return;
	int r = label_parse(buf, sizeof(buf), &l);
	if (r < 0)
		dl_warn("%s: bad LVM label ignored", v->name);
	if (r <= 0)
		return;
	struct pvinfo *p = dl_array_push(&sc->pvs, &sc->npvs, &sc->cappvs, sizeof(*p));
	p->vi = vi;
	p->l = l;
	v->skip = true;
	snprintf(v->note, sizeof(v->note), "LVM physical volume (no volume group found)");
	for (unsigned m = 0; m < l.nmda; m++) {
		uint32_t crc = 0;
		uint64_t size = 0;
		struct dl_lvm_vg *vg = read_mda(v, l.mda_off[m], l.mda_size[m], &crc, &size, sc->cands,
						sc->ncand);
		if (!vg)
			continue;
		struct cand *c = dl_array_push(&sc->cands, &sc->ncand, &sc->capcand, sizeof(*c));
		c->vg = vg;
		c->crc = crc;
		c->size = size;
	}
}

/* Keep in cands[ci] the newest copy (highest seqno) of its VG, dropping
 * the other copies found after it; warn when an earlier VG has its name. */
static struct dl_lvm_vg *newest_copy(struct lvm_scan *sc, size_t ci)
{
	struct dl_lvm_vg *vg = sc->cands[ci].vg;
	for (size_t cj = ci + 1; cj < sc->ncand; cj++) {
		struct dl_lvm_vg *o = sc->cands[cj].vg;
		if (!o || strcmp(o->uuid, vg->uuid))
			continue;
		if (o->seqno > vg->seqno) {
			sc->cands[ci].vg = o;
			dl_lvm_vg_free(vg);
			vg = o;
		} else {
			dl_lvm_vg_free(o);
		}
		sc->cands[cj].vg = NULL;
	}
	for (size_t cj = 0; cj < ci; cj++)
		if (sc->cands[cj].vg && !strcmp(sc->cands[cj].vg->name, vg->name)) {
			dl_warn("volume group %s: another volume group of that name was found first; "
				"its logical volumes are reached by the first", vg->name);
			break;
		}
	return vg;
}

/* The volume of each visible LV of vg, appended to set. */
static void add_lvs(struct lvm_scan *sc, struct dl_disk_set *set, const struct dl_lvm_vg *vg)
{
	/* pvidx[k]: the volume of the VG's PV k, SIZE_MAX when missing. */
	_cleanup_free_ size_t *pvidx = dl_calloc(vg->npv ? vg->npv : 1, sizeof(*pvidx));
	for (size_t k = 0; k < vg->npv; k++) {
		pvidx[k] = SIZE_MAX;
		for (size_t j = 0; j < sc->npvs; j++)
			if (!strcmp(sc->pvs[j].l.pv_uuid, vg->pv[k].uuid)) {
				struct dl_volume *pv = &set->vols[sc->pvs[j].vi];
				pvidx[k] = sc->pvs[j].vi;
				snprintf(pv->note, sizeof(pv->note), "LVM physical volume of volume group %.100s",
					 vg->name);
				break;
			}
	}
	for (size_t k = 0; k < vg->nlv; k++) {
		const struct dl_lvm_lv *lv = &vg->lv[k];
		if (!lv->visible)
			continue;
		struct dl_volume *v = dl_volume_new(set);
		v->kind = DL_VOL_LV;
		snprintf(v->vg, sizeof(v->vg), "%s", vg->name);
		snprintf(v->lv, sizeof(v->lv), "%s", lv->name);
		snprintf(v->name, sizeof(v->name), "/dev/%s/%s", vg->name, lv->name);
		char ev[260], el[260];
		esc_dash(ev, sizeof(ev), vg->name);
		esc_dash(el, sizeof(el), lv->name);
		snprintf(v->grub, sizeof(v->grub), "lvm/%s-%s", ev, el);
		if (lv->note[0]) {
			snprintf(v->note, sizeof(v->note), "%s", lv->note);
			v->skip = true;
			uint64_t sz;
			if (!ckd_mul(&sz, lv->extents, vg->extent_size * 512))
				v->size = sz;
			continue;
		}
		build_lv(v, set, vg, lv, pvidx);
	}
}

void dl_lvm_scan(struct dl_disk_set *set)
{
	struct lvm_scan sc = { 0 };
	for (size_t i = 0, nbase = set->nvols; i < nbase; i++)
		scan_pv(&sc, set, i);
	for (size_t ci = 0; ci < sc.ncand; ci++)
		if (sc.cands[ci].vg)
			add_lvs(&sc, set, newest_copy(&sc, ci));
	for (size_t i = 0; i < sc.ncand; i++)
		dl_lvm_vg_free(sc.cands[i].vg);
	free(sc.cands);
	free(sc.pvs);
}
