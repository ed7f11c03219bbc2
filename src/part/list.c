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


static void json_str(FILE *f, const char *s)
{
	char *q = dl_json_quote(s);
	fputs(q, f);
	free(q);
}

/* Text values: control characters shown as '?' so a label cannot forge lines. */
static void text_str(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

static const char *kind_name(enum dl_vol_kind k)
{
	return k == DL_VOL_DISK ? "disk" : k == DL_VOL_PART ? "partition" : "lv";
}

static void text_vol(FILE *f, const struct dl_volume *v, const char *indent)
{
	char sz[32];
	human(sz, sizeof(sz), v->size);
	fprintf(f, "%s", indent);
	text_str(f, v->name);
	fprintf(f, "  %s  %s  %s", v->grub, sz, v->fstype[0] ? v->fstype : "-");
	static const struct { const char *tag; size_t off; } t[] = {
		{ "UUID", offsetof(struct dl_volume, uuid) },
		{ "LABEL", offsetof(struct dl_volume, label) },
		{ "PARTUUID", offsetof(struct dl_volume, partuuid) },
		{ "PARTLABEL", offsetof(struct dl_volume, partlabel) },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(t); i++) {
		const char *s = (const char *)v + t[i].off;
		if (*s) {
			fprintf(f, "  %s=\"", t[i].tag);
			text_str(f, s);
			fputc('"', f);
		}
	}
	if (v->note[0]) {
		fputs("  (", f);
		text_str(f, v->note);
		fputc(')', f);
	}
	fputc('\n', f);
}

static void json_vol(FILE *f, const struct dl_volume *v)
{
	fprintf(f, "{\"kind\":\"%s\",\"name\":", kind_name(v->kind));
	json_str(f, v->name);
	fputs(",\"grub\":", f);
	json_str(f, v->grub);
	if (v->disk)
		fprintf(f, ",\"disk\":%d", v->disk->index);
	if (v->partno)
		fprintf(f, ",\"partno\":%d,\"scheme\":\"%s\"", v->partno, v->scheme);
	if (v->kind == DL_VOL_LV) {
		fputs(",\"vg\":", f);
		json_str(f, v->vg);
		fputs(",\"lv\":", f);
		json_str(f, v->lv);
	}
	fprintf(f, ",\"size\":%llu", (unsigned long long)v->size);
	if (v->nextents == 1 && !v->ext[0].nstripes && v->kind != DL_VOL_LV)
		fprintf(f, ",\"offset\":%llu", (unsigned long long)v->ext[0].disk_off);
	static const struct { const char *tag; size_t off; } t[] = {
		{ "fstype", offsetof(struct dl_volume, fstype) },
		{ "uuid", offsetof(struct dl_volume, uuid) },
		{ "label", offsetof(struct dl_volume, label) },
		{ "partuuid", offsetof(struct dl_volume, partuuid) },
		{ "partlabel", offsetof(struct dl_volume, partlabel) },
		{ "parttype", offsetof(struct dl_volume, parttype) },
		{ "note", offsetof(struct dl_volume, note) },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(t); i++) {
		const char *s = (const char *)v + t[i].off;
		fprintf(f, ",\"%s\":", t[i].tag);
		if (*s)
			json_str(f, s);
		else
			fputs("null", f);
	}
	fprintf(f, ",\"skip\":%s}", v->skip ? "true" : "false");
}

char *dl_diskset_listing(const struct dl_disk_set *set, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return dl_strdup("");
	if (json) {
		fputs("{\"disks\":[", f);
		for (size_t i = 0; i < set->ndisks; i++) {
			const struct dl_disk *d = set->disks[i];
			fprintf(f, "%s{\"index\":%d,\"name\":", i ? "," : "", d->index);
			json_str(f, d->vdev ? d->vdev : d->path);
			fputs(",\"path\":", f);
			json_str(f, d->path);
			fprintf(f, ",\"format\":\"%s\",\"size\":%llu,\"sector\":%u,\"table\":",
				d->format == DL_FMT_QCOW2 ? "qcow2" : "raw", (unsigned long long)d->size, d->sector);
			if (d->table[0])
				fprintf(f, "\"%s\"", d->table);
			else
				fputs("null", f);
			fputs(",\"note\":", f);
			if (d->note)
				json_str(f, d->note);
			else
				fputs("null", f);
			fputc('}', f);
		}
		fputs("],\"volumes\":[", f);
		for (size_t i = 0; i < set->nvols; i++) {
			if (i)
				fputc(',', f);
			json_vol(f, &set->vols[i]);
		}
		fputs("]}\n", f);
	} else {
		for (size_t i = 0; i < set->ndisks; i++) {
			const struct dl_disk *d = set->disks[i];
			char sz[32];
			human(sz, sizeof(sz), d->size);
			fputs("disk ", f);
			text_str(f, d->vdev ? d->vdev : d->path);
			fputs(" (", f);
			text_str(f, d->path);
			fprintf(f, ")  hd%d  %s  %s  %s", d->index, sz, d->format == DL_FMT_QCOW2 ? "qcow2" : "raw",
				d->table[0] ? d->table : "no partition table");
			if (d->sector != 512)
				fprintf(f, "  %u-byte sectors", d->sector);
			if (d->note) {
				fputs("  (", f);
				text_str(f, d->note);
				fputc(')', f);
			}
			fputc('\n', f);
			for (size_t j = 0; j < set->nvols; j++)
				if (set->vols[j].kind != DL_VOL_LV && set->vols[j].disk == d)
					text_vol(f, &set->vols[j], "  ");
		}
		const char *vg = NULL;
		for (size_t j = 0; j < set->nvols; j++) {
			const struct dl_volume *v = &set->vols[j];
			if (v->kind != DL_VOL_LV)
				continue;
			if (!vg || strcmp(vg, v->vg)) {
				vg = v->vg;
				fputs("volume group ", f);
				text_str(f, vg);
				fputc('\n', f);
			}
			text_vol(f, v, "  ");
		}
	}
	fclose(f);
	return out;
}
