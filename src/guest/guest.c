/* The guest view's state: lazy mounts, the root volume and its fstab. */
#include "guest/guest.h"

#include <stdio.h>
#include <string.h>

void dl_guest_init(struct dl_guest *g, struct dl_disk_set *set, const char *root)
{
	*g = (struct dl_guest){ .set = set, .root = root };
	g->fs = dl_calloc(set->nvols, sizeof(*g->fs));
	g->state = dl_calloc(set->nvols, 1);
}

void dl_guest_free(struct dl_guest *g)
{
	for (size_t i = 0; g->views && i < g->fstab.n; i++)
		dl_fs_unmount(g->views[i]);
	free(g->views);
	free(g->vstate);
	for (size_t i = 0; g->fs && i < g->set->nvols; i++)
		dl_fs_unmount(g->fs[i]);
	free(g->fs);
	free(g->state);
	dl_fstab_free(&g->fstab);
	memset(g, 0, sizeof(*g));
}

struct dl_fs *dl_guest_fs(struct dl_guest *g, struct dl_volume *v)
{
	size_t i = (size_t)(v - g->set->vols);
	if (g->state[i] == 0 && v->skip) {
		g->state[i] = -1; /* LUKS, RAID member, swap, PV, thin LV...: the note says */
		dl_info("%s: skipped: %s", v->name, v->note);
	}
	if (g->state[i] == 0) {
		struct dl_error e = { 0 };
		int r = g->mount ? g->mount(g->mount_ctx, &g->fs[i], v, &e) : dl_fs_mount(&g->fs[i], v, &e);
		g->state[i] = r == 0 ? 1 : -1;
		if (r != 0) {
			if (!v->note[0])
				snprintf(v->note, sizeof(v->note), "%.150s", e.code ? e.msg : "no supported filesystem");
			dl_info("skipped: %s", v->note);
		}
	}
	return g->state[i] == 1 ? g->fs[i] : NULL;
}

int dl_guest_take(struct dl_located *out, struct dl_fs *fs, const char *path,
		  const struct dl_stat *st, struct dl_error *err)
{
	int r = dl_fs_need_file(fs, path, 0, st, err);
	if (r < 0)
		return r;
	out->fs = fs;
	out->st = *st;
	out->path = dl_strdup(path);
	return 0;
}

/* The root volume and the answer about its /etc/fstab: --root names the
 * volume, else the first volume holding the file is it. */
static int find_root(struct dl_guest *g, struct dl_fs **fs, struct dl_stat *st)
{
	if (g->root && *g->root) {
		g->rootvol = dl_diskset_find_name(g->set, g->root);
		if (!g->rootvol)
			dl_warn("--root=%s: no such volume in the guest", g->root);
		*fs = g->rootvol ? dl_guest_fs(g, g->rootvol) : NULL;
		if (*fs)
			return dl_fs_stat(*fs, "/etc/fstab", st, NULL);
	}
	for (size_t i = 0; i < g->set->nvols && !g->rootvol; i++) {
		*fs = dl_guest_fs(g, &g->set->vols[i]);
		if (*fs && dl_fs_stat(*fs, "/etc/fstab", st, NULL) == 0) {
			g->rootvol = &g->set->vols[i];
			return 0;
		}
	}
	return DL_ABSENT;
}

const struct dl_fstab *dl_guest_fstab(struct dl_guest *g)
{
	if (g->fstab_state)
		return g->fstab_state > 0 ? &g->fstab : NULL;
	g->fstab_state = -1;
	struct dl_fs *fs = NULL;
	struct dl_stat st;
	if (find_root(g, &fs, &st) != 0)
		return NULL;
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct dl_error e = { 0 };
	if (dl_fs_need_file(fs, "/etc/fstab", 0, &st, &e) < 0 ||
	    dl_fs_read_all(fs, &st, "/etc/fstab", DL_BOOT_MAX_FILE, &buf, &len, &e) < 0 ||
	    dl_fstab_parse("/etc/fstab", buf, len, &g->fstab, &e) < 0) {
		dl_warn("%s: /etc/fstab: %s", g->rootvol->name, e.msg);
		return NULL;
	}
	g->fstab_state = 1;
	g->views = dl_calloc(g->fstab.n ? g->fstab.n : 1, sizeof(*g->views));
	g->vstate = dl_calloc(g->fstab.n ? g->fstab.n : 1, 1);
	return &g->fstab;
}

void dl_guest_explain(const struct dl_guest *g, struct dl_error *err)
{
	const struct dl_disk_set *set = g->set;
	char msg[sizeof(err->msg)];
	size_t n = 0;
	if (err->code != DL_ENOTFOUND || !set->ndisks)
		return;
	const struct dl_disk *d = set->disks[0];
	if (d->cdrom) {
		const struct dl_volume *v = NULL;
		bool readable = false;
		for (size_t i = 0; i < set->nvols; i++) {
			if (set->vols[i].disk != d)
				continue;
			readable |= !set->vols[i].note[0];
			if (!v && (set->vols[i].fstype[0] || set->vols[i].note[0]))
				v = &set->vols[i];
		}
		if (readable) {
			snprintf(msg, sizeof(msg), "%.900s (boot device: cdrom %.32s)", err->msg,
				 d->vdev ? d->vdev : "?");
			dl_refail(err, DL_ENOTFOUND, "%s", msg);
		} else {
			snprintf(msg, sizeof(msg), "%.600s: boot device is cdrom %.32s, %.40s%s%.200s%s", d->path,
				 d->vdev ? d->vdev : "?",
				 v && v->fstype[0] ? v->fstype : "no filesystem domuloader can read",
				 v && v->note[0] ? " (" : "", v ? v->note : "", v && v->note[0] ? ")" : "");
			dl_refail(err, DL_EUNSUPPORTED, "%s", msg);
		}
		return;
	}
	n = (size_t)snprintf(msg, sizeof(msg), "%s", err->msg);
	const char *sep = " (skipped: ";
	for (size_t i = 0; i < set->nvols && n < sizeof(msg) - 1; i++) {
		const struct dl_volume *v = &set->vols[i];
		if (!v->note[0])
			continue;
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s", sep, v->note);
		sep = "; ";
	}
	if (sep[0] == ';' && n < sizeof(msg) - 1)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, ")");
	/* The format is never guessed (CVE-2008-2004), but a hint is safe. */
	for (size_t i = 0; i < set->ndisks && n < sizeof(msg) - 1; i++) {
		uint8_t magic[4];
		struct dl_disk *dk = set->disks[i];
		if (dk->format == DL_FMT_RAW && dl_disk_pread(dk, magic, 4, 0) == 4 &&
		    !memcmp(magic, "QFI\xfb", 4))
			n += (size_t)snprintf(msg + n, sizeof(msg) - n,
					      "; %s starts like a qcow2 image: if it is one, say --format=qcow2",
					      dk->path);
	}
	dl_refail(err, DL_ENOTFOUND, "%s", msg);
}
