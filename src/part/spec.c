/* Volume names: the one vocabulary a guest, its fstab, its GRUB
 * configuration and the command line use to name a volume, parsed once
 * into a struct dl_volspec, and the disk set's lookup by it. */
#include "part/part_int.h"

#include <stdio.h>
#include <strings.h>

/* The identifier tags, as fstab(5) and blkid write them and as udev links
 * them under /dev/disk.  Labels match exactly; UUIDs ignore case (blkid
 * prints them in lower case, some fstabs carry them in upper case). */
static const struct {
	const char *tag, *link;
	size_t field;        /* the value in struct dl_volume */
	bool exact;
} tags[DL_VOLSPEC_NTAGS] = {
	[DL_VOLSPEC_UUID] = { "UUID", "/dev/disk/by-uuid/", offsetof(struct dl_volume, uuid), false },
	[DL_VOLSPEC_LABEL] = { "LABEL", "/dev/disk/by-label/", offsetof(struct dl_volume, label), true },
	[DL_VOLSPEC_PARTUUID] = { "PARTUUID", "/dev/disk/by-partuuid/",
				  offsetof(struct dl_volume, partuuid), false },
	[DL_VOLSPEC_PARTLABEL] = { "PARTLABEL", "/dev/disk/by-partlabel/",
				   offsetof(struct dl_volume, partlabel), true },
};

const char *dl_volspec_tag(enum dl_volspec_kind k)
{
	return k < DL_VOLSPEC_NTAGS ? tags[k].tag : NULL;
}

const char *dl_volume_tag(const struct dl_volume *v, enum dl_volspec_kind k)
{
	return k < DL_VOLSPEC_NTAGS ? (const char *)v + tags[k].field : "";
}

static void set(struct dl_volspec *sp, enum dl_volspec_kind k, const char *v, size_t len)
{
	sp->kind = k;
	sp->value = v;
	sp->len = len;
}

/* A tag's value, without the quotes fstab allows around it. */
static void set_tag(struct dl_volspec *sp, enum dl_volspec_kind k, const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		set(sp, k, v + 1, n - 2);
	else
		set(sp, k, v, n);
}

void dl_volspec_parse(const char *s, struct dl_volspec *sp)
{
	size_t n = strlen(s);
	if (!n) {
		set(sp, DL_VOLSPEC_NONE, s, 0);
		return;
	}
	for (int k = 0; k < DL_VOLSPEC_NTAGS; k++) {
		size_t tl = strlen(tags[k].tag), ll = strlen(tags[k].link);
		if (!strncasecmp(s, tags[k].tag, tl) && s[tl] == '=')
			return set_tag(sp, (enum dl_volspec_kind)k, s + tl + 1);
		if (!strncmp(s, tags[k].link, ll))
			return set_tag(sp, (enum dl_volspec_kind)k, s + ll);
	}
	/* GRUB: (hd0,msdos1), hd1,gpt2, hd0,1 (GRUB 2 numbering), lvm/vg-lv. */
	if (n >= 2 && s[0] == '(' && s[n - 1] == ')')
		return set(sp, DL_VOLSPEC_GRUB, s + 1, n - 2);
	if ((!strncmp(s, "hd", 2) && s[2] >= '0' && s[2] <= '9') || !strncmp(s, "lvm/", 4))
		return set(sp, DL_VOLSPEC_GRUB, s, n);
	if (!strncmp(s, "/dev/", 5))
		s += 5, n -= 5;
	if (!strncmp(s, "mapper/", 7))
		return set(sp, DL_VOLSPEC_MAPPER, s + 7, n - 7);
	set(sp, DL_VOLSPEC_NAME, s, n);
}

static bool equal(const char *a, const struct dl_volspec *sp, bool exact)
{
	return strlen(a) == sp->len &&
	       (exact ? !memcmp(a, sp->value, sp->len) : !strncasecmp(a, sp->value, sp->len));
}

static struct dl_volume *find_tag(struct dl_disk_set *set, const struct dl_volspec *sp)
{
	for (size_t i = 0; i < set->nvols; i++) {
		const char *f = dl_volume_tag(&set->vols[i], sp->kind);
		if (*f && equal(f, sp, tags[sp->kind].exact))
			return &set->vols[i];
	}
	return NULL;
}

static struct dl_volume *find_grub(struct dl_disk_set *set, const struct dl_volspec *sp)
{
	for (size_t i = 0; i < set->nvols; i++) {
		struct dl_volume *v = &set->vols[i];
		if (equal(v->grub, sp, true))
			return v;
		/* hd0,1 means the first partition whatever the scheme */
		if (v->disk && v->partno) {
			char alt[32];
			snprintf(alt, sizeof(alt), "hd%d,%d", v->disk->index, v->partno);
			if (equal(alt, sp, true))
				return v;
		}
	}
	return NULL;
}

/* "vg--x-lv": split at the single '-', undoubling "--". */
static bool mapper_match(const struct dl_volume *v, const char *m, const char *end)
{
	const char *parts[2] = { v->vg, v->lv };
	for (int i = 0; i < 2; i++) {
		for (const char *p = parts[i]; *p; p++) {
			if (m == end || *m++ != *p)
				return false;
			if (*p == '-' && (m == end || *m++ != '-'))
				return false;
		}
		if (i == 0 && (m == end || *m++ != '-'))
			return false;
	}
	return m == end;
}

static struct dl_volume *find_mapper(struct dl_disk_set *set, const struct dl_volspec *sp)
{
	for (size_t i = 0; i < set->nvols; i++)
		if (set->vols[i].kind == DL_VOL_LV &&
		    mapper_match(&set->vols[i], sp->value, sp->value + sp->len))
			return &set->vols[i];
	return NULL;
}

static struct dl_volume *find_name(struct dl_disk_set *set, const struct dl_volspec *sp)
{
	for (size_t i = 0; i < set->nvols; i++) {
		const char *name = set->vols[i].name;
		if (equal(strncmp(name, "/dev/", 5) ? name : name + 5, sp, true))
			return &set->vols[i];
	}
	/* Xen's block frontend presents hdX/sdX/vdX devices as xvdX with the
	 * same letters (a guest installed under another name still boots):
	 * try the other prefixes when the exact name is not there. */
	static const char *const pfx[] = { "xvd", "sd", "hd", "vd" };
	const char *s = sp->value;
	for (size_t p = 0; p < DL_ARRAY_SIZE(pfx); p++) {
		size_t pl = strlen(pfx[p]);
		if (sp->len <= pl || strncmp(s, pfx[p], pl) || s[pl] < 'a' || s[pl] > 'z')
			continue;
		for (size_t q = 0; q < DL_ARRAY_SIZE(pfx); q++) {
			char alt[64];
			if (q == p || snprintf(alt, sizeof(alt), "%s%.*s", pfx[q], (int)(sp->len - pl),
					       s + pl) >= (int)sizeof(alt))
				continue;
			for (size_t i = 0; i < set->nvols; i++)
				if (set->vols[i].kind != DL_VOL_LV && !strcmp(set->vols[i].name, alt))
					return &set->vols[i];
		}
	}
	/* A whole-disk guest name given for a disk that has partitions is
	 * not a volume; a partition name of a disk without a table neither. */
	return NULL;
}

struct dl_volume *dl_diskset_find(struct dl_disk_set *set, const struct dl_volspec *sp)
{
	switch (sp->kind) {
	case DL_VOLSPEC_UUID:
	case DL_VOLSPEC_LABEL:
	case DL_VOLSPEC_PARTUUID:
	case DL_VOLSPEC_PARTLABEL:
		return find_tag(set, sp);
	case DL_VOLSPEC_GRUB:
		return find_grub(set, sp);
	case DL_VOLSPEC_MAPPER:
		return find_mapper(set, sp);
	case DL_VOLSPEC_NAME:
		return find_name(set, sp);
	case DL_VOLSPEC_NONE:
		break;
	}
	return NULL;
}

struct dl_volume *dl_diskset_find_name(struct dl_disk_set *set, const char *s)
{
	struct dl_volspec sp;
	dl_volspec_parse(s, &sp);
	return dl_diskset_find(set, &sp);
}
