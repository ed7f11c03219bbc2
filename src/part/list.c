/* The volume tree as text or JSON (--list-volumes). */
#include "part/part_int.h"

#include <stdio.h>

static void human(char *out, size_t n, uint64_t b)
{
	static const char *u[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int i = 0;
	double v = (double)b;
	while (v >= 1024 && i < 6) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(out, n, "%llu B", (unsigned long long)b);
	else
		snprintf(out, n, "%.1f %s", v, u[i]);
}

static const char *kind_name(enum dl_vol_kind k)
{
	return k == DL_VOL_DISK ? "disk" : k == DL_VOL_PART ? "partition" : "lv";
}

static const char *format_name(const struct dl_disk *d)
{
	return d->format == DL_FMT_QCOW2 ? "qcow2" : "raw";
}

static void text_vol(struct dl_sbuf *b, const struct dl_volume *v)
{
	char sz[32];
	human(sz, sizeof(sz), v->size);
	dl_sbuf_adds(b, "  ");
	dl_sbuf_text(b, v->name);
	dl_sbuf_printf(b, "  %s  %s  %s", v->grub, sz, v->fstype[0] ? v->fstype : "-");
	for (int k = 0; k < DL_VOLSPEC_NTAGS; k++) {
		const char *s = dl_volume_tag(v, (enum dl_volspec_kind)k);
		if (*s) {
			dl_sbuf_printf(b, "  %s=\"", dl_volspec_tag((enum dl_volspec_kind)k));
			dl_sbuf_text(b, s);
			dl_sbuf_addc(b, '"');
		}
	}
	if (v->note[0]) {
		dl_sbuf_adds(b, "  (");
		dl_sbuf_text(b, v->note);
		dl_sbuf_addc(b, ')');
	}
	dl_sbuf_addc(b, '\n');
}

static void text_disk(struct dl_sbuf *b, const struct dl_disk_set *set, const struct dl_disk *d)
{
	char sz[32];
	human(sz, sizeof(sz), d->size);
	dl_sbuf_adds(b, "disk ");
	dl_sbuf_text(b, d->vdev ? d->vdev : d->path);
	dl_sbuf_adds(b, " (");
	dl_sbuf_text(b, d->path);
	dl_sbuf_printf(b, ")  hd%d  %s  %s  %s", d->index, sz, format_name(d),
		       d->table[0] ? d->table : "no partition table");
	if (d->sector != 512)
		dl_sbuf_printf(b, "  %u-byte sectors", d->sector);
	if (d->note) {
		dl_sbuf_adds(b, "  (");
		dl_sbuf_text(b, d->note);
		dl_sbuf_addc(b, ')');
	}
	dl_sbuf_addc(b, '\n');
	for (size_t j = 0; j < set->nvols; j++)
		if (set->vols[j].kind != DL_VOL_LV && set->vols[j].disk == d)
			text_vol(b, &set->vols[j]);
}

/* Disks with their partitions, then LVs under their volume groups. */
static void text_listing(struct dl_sbuf *b, const struct dl_disk_set *set)
{
	for (size_t i = 0; i < set->ndisks; i++)
		text_disk(b, set, set->disks[i]);
	const char *vg = NULL;
	for (size_t j = 0; j < set->nvols; j++) {
		const struct dl_volume *v = &set->vols[j];
		if (v->kind != DL_VOL_LV)
			continue;
		if (!vg || strcmp(vg, v->vg)) {
			vg = v->vg;
			dl_sbuf_adds(b, "volume group ");
			dl_sbuf_text(b, vg);
			dl_sbuf_addc(b, '\n');
		}
		text_vol(b, v);
	}
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static void json_vol(struct dl_json *j, const struct dl_volume *v)
{
	dl_json_obj(j, NULL);
	dl_json_str(j, "kind", kind_name(v->kind));
	dl_json_str(j, "name", v->name);
	dl_json_str(j, "grub", v->grub);
	if (v->disk)
		dl_json_int(j, "disk", v->disk->index);
	if (v->partno) {
		dl_json_int(j, "partno", v->partno);
		dl_json_str(j, "scheme", v->scheme);
	}
	if (v->kind == DL_VOL_LV) {
		dl_json_str(j, "vg", v->vg);
		dl_json_str(j, "lv", v->lv);
	}
	dl_json_uint(j, "size", v->size);
	if (v->nextents == 1 && !v->ext[0].nstripes && v->kind != DL_VOL_LV)
		dl_json_uint(j, "offset", v->ext[0].disk_off);
	dl_json_str(j, "fstype", or_null(v->fstype));
	dl_json_str(j, "uuid", or_null(v->uuid));
	dl_json_str(j, "label", or_null(v->label));
	dl_json_str(j, "partuuid", or_null(v->partuuid));
	dl_json_str(j, "partlabel", or_null(v->partlabel));
	dl_json_str(j, "parttype", or_null(v->parttype));
	dl_json_str(j, "note", or_null(v->note));
	dl_json_bool(j, "skip", v->skip);
	dl_json_end(j);
}

static void json_listing(struct dl_sbuf *b, const struct dl_disk_set *set)
{
	struct dl_json j;
	dl_json_init(&j, b, false);
	dl_json_obj(&j, NULL);
	dl_json_arr(&j, "disks");
	for (size_t i = 0; i < set->ndisks; i++) {
		const struct dl_disk *d = set->disks[i];
		dl_json_obj(&j, NULL);
		dl_json_int(&j, "index", d->index);
		dl_json_str(&j, "name", d->vdev ? d->vdev : d->path);
		dl_json_str(&j, "path", d->path);
		dl_json_str(&j, "format", format_name(d));
		dl_json_uint(&j, "size", d->size);
		dl_json_uint(&j, "sector", d->sector);
		dl_json_str(&j, "table", or_null(d->table));
		dl_json_str(&j, "note", d->note);
		dl_json_end(&j);
	}
	dl_json_end(&j);
	dl_json_arr(&j, "volumes");
	for (size_t i = 0; i < set->nvols; i++)
		json_vol(&j, &set->vols[i]);
	dl_json_end(&j);
	dl_json_end(&j);
	dl_sbuf_addc(b, '\n');
}

char *dl_diskset_listing(const struct dl_disk_set *set, bool json)
{
	struct dl_sbuf b = { 0 };
	if (json)
		json_listing(&b, set);
	else
		text_listing(&b, set);
	return dl_sbuf_take(&b);
}
