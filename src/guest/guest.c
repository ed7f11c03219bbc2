/* The guest view's state: lazy mounts, the root volume and its fstab. */
#include "guest/guest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dl_guest_init(struct dl_guest *g, struct dl_disk_set *set, const char *root)
{
	*g = (struct dl_guest){ .set = set, .root = root };
	g->fs = dl_calloc(set->nvols, sizeof(*g->fs));
	g->state = dl_calloc(set->nvols, 1);
	g->top = dl_calloc(set->nvols, sizeof(*g->top));
	g->tstate = dl_calloc(set->nvols, 1);
}

void dl_guest_free(struct dl_guest *g)
{
	for (size_t i = 0; g->views && i < g->fstab.n; i++)
		dl_fs_unmount(g->views[i]);
	free(g->views);
	free(g->vstate);
	for (size_t i = 0; g->top && i < g->set->nvols; i++)
		dl_fs_unmount(g->top[i]);
	free(g->top);
	free(g->tstate);
	for (size_t i = 0; g->fs && i < g->set->nvols; i++)
		dl_fs_unmount(g->fs[i]);
	free(g->fs);
	free(g->state);
	dl_fstab_free(&g->fstab);
	dl_guest_saved_reset(g);
	memset(g, 0, sizeof(*g));
}

/* The save_env calls of the last parse (dl_guest_grubenv() replays them). */
#define MAX_SAVED 64

static void saved_clear(struct dl_guest *g)
{
	for (size_t i = 0; i < g->nsaved; i++) {
		struct dl_guest_saved *s = &g->saved[i];
		free(s->dev);
		free(s->path);
		free(s->name);
		free(s->value);
	}
	g->nsaved = 0;
}

void dl_guest_saved_reset(struct dl_guest *g)
{
	saved_clear(g);
	free(g->saved);
	g->saved = NULL;
	g->capsaved = 0;
}

void dl_guest_save_env(struct dl_guest *g, int entry, const char *dev, const char *path,
		       const char *name, const char *value)
{
	if (g->nsaved >= MAX_SAVED)
		return;
	struct dl_guest_saved *s = dl_array_push(&g->saved, &g->nsaved, &g->capsaved, sizeof(*s));
	*s = (struct dl_guest_saved){ entry, dev ? dl_strdup(dev) : NULL, dl_strdup(path),
				      dl_strdup(name), value ? dl_strdup(value) : NULL };
}

/* -v: a volume probed, and why it is skipped (a note may name it already). */
static void say_skipped(const struct dl_volume *v)
{
	size_t n = strlen(v->name);
	bool named = !strncmp(v->note, v->name, n) && v->note[n] == ':';
	dl_info("%s%s%s%s", named ? "" : v->name, named ? "" : ": ", v->note,
		strstr(v->note, "skipped") ? "" : "; skipped");
}

struct dl_fs *dl_guest_fs(struct dl_guest *g, struct dl_volume *v)
{
	size_t i = (size_t)(v - g->set->vols);
	if (g->state[i] == 0 && v->skip) {
		g->state[i] = -1; /* LUKS, RAID member, swap, PV, thin LV...: the note says */
		say_skipped(v);
	}
	if (g->state[i] == 0) {
		struct dl_error e = { 0 };
		int r = g->mount ? g->mount(g->mount_ctx, &g->fs[i], v, &e) : dl_fs_mount(&g->fs[i], v, &e);
		g->state[i] = r == 0 ? 1 : -1;
		if (r != 0) {
			if (!v->note[0])
				snprintf(v->note, sizeof(v->note), "%.150s", e.code ? e.msg : "no supported filesystem");
			say_skipped(v);
		} else {
			dl_info("%s: %s filesystem%s%s%s", v->name, v->fstype[0] ? v->fstype : g->fs[i]->ops->name,
				v->label[0] ? " labelled '" : "", v->label, v->label[0] ? "'" : "");
		}
	}
	return g->state[i] == 1 ? g->fs[i] : NULL;
}

struct dl_fs *dl_guest_top(struct dl_guest *g, struct dl_volume *v)
{
	size_t i = (size_t)(v - g->set->vols);
	struct dl_fs *fs = dl_guest_fs(g, v);
	if (!fs || !fs->ops->subvolume)
		return NULL;
	if (!g->tstate[i]) {
		struct dl_error e = { 0 };
		g->tstate[i] = -1;
		if (dl_fs_subvol(fs, "", 0, &g->top[i], &e) < 0)
			dl_info("%s: the top level: %s", v->name, e.msg);
		else if (g->top[i]->root != fs->root)
			g->tstate[i] = 1;
	}
	return g->tstate[i] == 1 ? g->top[i] : NULL;
}

int dl_guest_stat(struct dl_guest *g, struct dl_volume *v, const char *path, struct dl_fs **fsp,
		  struct dl_stat *st)
{
	struct dl_fs *fs = dl_guest_fs(g, v);
	if (fs && dl_fs_stat(fs, path, st, NULL) == 0) {
		*fsp = fs;
		return 0;
	}
	fs = fs ? dl_guest_top(g, v) : NULL;
	if (fs && dl_fs_stat(fs, path, st, NULL) == 0) {
		*fsp = fs;
		return 0;
	}
	return DL_ABSENT;
}

struct homes {
	struct dl_fs *top;
	uint64_t skip;               /* the default subvolume's root */
	struct dl_strv *out;
	size_t n;
};

static int home_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct homes *h = ctx;
	if (t != DL_FT_DIR || ino == h->skip || !h->top->ops->is_subvolume(h->top, ino) ||
	    memchr(name, '\0', len))
		return 0;
	if (h->n >= DL_GUEST_MAX_HOMES)
		return 1;
	dl_strv_push(h->out, dl_asprintf("/%.*s", (int)len, name));
	h->n++;
	return 0;
}

/* Subvolume path sv (len bytes, from the top level) as a home, once. */
static void add_home(struct homes *h, const char *sv, size_t len)
{
	while (len && *sv == '/')
		sv++, len--;
	while (len && sv[len - 1] == '/')
		len--;
	if (!len || h->n >= DL_GUEST_MAX_HOMES)
		return;
	char *p = dl_asprintf("/%.*s", (int)len, sv);
	for (size_t k = 0; k < h->out->n; k++)
		if (!strcmp(h->out->v[k], p)) {
			free(p);
			return;
		}
	dl_strv_push(h->out, p);
	h->n++;
}

/* Directories the subvolid walk reads, at most, and how deep it goes:
 * installers nest subvolumes a few levels down (SUSE's
 * "@/.snapshots/1/snapshot"). */
#define SUBVOLID_WALK_DIRS 256
#define SUBVOLID_WALK_DEPTH 4

struct svwalk {
	uint64_t want;               /* the subvolume's root directory */
	const char *dir;             /* the directory being listed */
	struct dl_strv *queue;       /* directories still to list */
	char *found;
};

static int svwalk_cb(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct svwalk *w = ctx;
	if (t != DL_FT_DIR || memchr(name, '\0', len) || (len <= 2 && name[0] == '.' &&
							   (len == 1 || name[1] == '.')))
		return 0;
	char *p = dl_asprintf("%s/%.*s", strcmp(w->dir, "/") ? w->dir : "", (int)len, name);
	if (ino == w->want) {
		w->found = p;
		return 1;
	}
	size_t depth = 0;
	for (const char *c = p; *c; c++)
		depth += *c == '/';
	if (depth < SUBVOLID_WALK_DEPTH && w->queue->n < SUBVOLID_WALK_DIRS)
		dl_strv_push(w->queue, p);
	else
		free(p);
	return 0;
}

/* The path from the top level of subvolume id, for fstab's and rootflags'
 * subvolid=: a bounded breadth-first walk of the top level (btrfs keeps
 * the way back in ROOT_BACKREF items, which src/fs does not expose).
 * malloc'd, or NULL. */
static char *subvolid_path(struct dl_fs *top, uint64_t id)
{
	uint64_t want;
	if (!top->ops->subvolume || top->ops->subvolume(top, id, &want) < 0 || want == top->root)
		return NULL;
	struct dl_strv queue = { 0 };
	struct svwalk w = { .want = want, .queue = &queue };
	dl_strv_push(&queue, dl_strdup("/"));
	for (size_t k = 0; k < queue.n && k < SUBVOLID_WALK_DIRS && !w.found; k++) {
		const char *d = queue.v[k];
		struct dl_stat st;
		if (dl_fs_stat(top, d, &st, NULL) != 0)
			continue;
		w.dir = d;
		struct dl_error e = { 0 };
		dl_fs_list(top, &st, d, svwalk_cb, &w, &e);
	}
	dl_strv_free(&queue);
	return w.found;
}

static void add_home_id(struct homes *h, uint64_t id)
{
	char *p = subvolid_path(h->top, id ? id : 5);
	if (p)
		add_home(h, p, strlen(p));
	free(p);
}

/* rootflags=subvol=X or subvolid=N (rootflags=a,subvol=X,b) of a command
 * line, as Linux's btrfs reads its mount options. */
static void cmdline_homes(struct homes *h, const char *cmdline)
{
	for (const char *p = cmdline; p && (p = strstr(p, "rootflags=")) && h->n < DL_GUEST_MAX_HOMES;
	     p += 10) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		size_t n = strcspn(p + 10, " ");
		for (const char *o = p + 10; o < p + 10 + n; o += strcspn(o, ",") + 1) {
			if (!strncmp(o, "subvol=", 7))
				add_home(h, o + 7, strcspn(o + 7, ", "));
			else if (!strncmp(o, "subvolid=", 9) && isdigit((unsigned char)o[9]))
				add_home_id(h, strtoull(o + 9, NULL, 10));
		}
	}
}

void dl_guest_homes(struct dl_guest *g, struct dl_volume *v, struct dl_strv *out)
{
	struct dl_fs *fs = dl_guest_fs(g, v);
	if (!fs || !fs->ops->subvolume || !fs->ops->is_subvolume)
		return;
	struct dl_fs *top = dl_guest_top(g, v);
	struct homes h = { .top = top ? top : fs, .skip = fs->root, .out = out };
	struct dl_stat st;
	struct dl_error e = { 0 };
	if (dl_fs_stat(h.top, "/", &st, NULL) == 0 && dl_fs_list(h.top, &st, "/", home_cb, &h, &e) < 0)
		dl_info("%s: the top level: %s", v->name, e.msg);
	for (size_t i = 0; g->fstab_state > 0 && i < g->fstab.n && h.n < DL_GUEST_MAX_HOMES; i++) {
		const struct dl_fstab_entry *fe = &g->fstab.entries[i];
		if (dl_diskset_find(g->set, &fe->vol) != v)
			continue;
		if (fe->subvol)
			add_home(&h, fe->subvol, strlen(fe->subvol));
		else if (fe->subvolid)
			add_home_id(&h, fe->subvolid);
	}
	cmdline_homes(&h, g->cmdline);
}

int dl_guest_take(struct dl_located *out, struct dl_fs *fs, const char *path,
		  const struct dl_stat *st, struct dl_error *err)
{
	int r = dl_fs_need_file(fs, path, 0, st, err);
	if (r < 0)
		return r;
	*out = (struct dl_located){ .fs = fs, .st = *st, .path = dl_strdup(path) };
	return 0;
}

/* The root volume and the answer about its /etc/fstab: --root names the
 * volume, else the first volume holding the file is it. */
/* Where v keeps /etc/fstab: on its default subvolume, else in one of its
 * homes (Debian's "@"); *path is malloc'd. */
static int fstab_on(struct dl_guest *g, struct dl_volume *v, struct dl_fs **fs, struct dl_stat *st,
		    char **path)
{
	if (dl_guest_stat(g, v, "/etc/fstab", fs, st) == 0) {
		*path = dl_strdup("/etc/fstab");
		return 0;
	}
	struct dl_strv homes = { 0 };
	int r = DL_ABSENT;
	dl_guest_homes(g, v, &homes);
	for (size_t k = 0; k < homes.n && r; k++) {
		*path = dl_asprintf("%s/etc/fstab", homes.v[k]);
		r = dl_guest_stat(g, v, *path, fs, st);
		if (r) {   /* never left dangling: the caller frees it */
			free(*path);
			*path = NULL;
		}
	}
	dl_strv_free(&homes);
	return r;
}

static int find_root(struct dl_guest *g, struct dl_fs **fs, struct dl_stat *st, char **path)
{
	if (g->root && *g->root) {
		g->rootvol = dl_diskset_find_name(g->set, g->root);
		if (!g->rootvol)
			dl_warn("--root=%s: no such volume in the guest", g->root);
		if (g->rootvol)
			return fstab_on(g, g->rootvol, fs, st, path);
	}
	for (size_t i = 0; i < g->set->nvols && !g->rootvol; i++) {
		if (fstab_on(g, &g->set->vols[i], fs, st, path) == 0) {
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
	_cleanup_free_ char *path = NULL;
	if (find_root(g, &fs, &st, &path) != 0)
		return NULL;
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct dl_error e = { 0 };
	if (dl_fs_need_file(fs, path, 0, &st, &e) < 0 ||
	    dl_fs_read_all(fs, &st, path, DL_BOOT_MAX_FILE, &buf, &len, &e) < 0 ||
	    dl_fstab_parse("/etc/fstab", buf, len, &g->fstab, &e) < 0) {
		dl_warn("%s: %s: %s", g->rootvol->name, path, e.msg);
		return NULL;
	}
	if (strcmp(path, "/etc/fstab"))
		dl_debug("%s: the guest's fstab is %s", g->rootvol->name, path);
	g->fstab_state = 1;
	g->views = dl_calloc(g->fstab.n ? g->fstab.n : 1, sizeof(*g->views));
	g->vstate = dl_calloc(g->fstab.n ? g->fstab.n : 1, 1);
	return &g->fstab;
}

/* "; DISK is a VMDK image: ..." for a disk read as raw that is in another
 * image format, the way out included; what was added to out. */
static size_t format_hint(struct dl_disk *d, char *out, size_t size)
{
	const char *f = dl_disk_format_hint(d);
	int n = 0;
	if (!f)
		return 0;
	if (!strcmp(f, "qcow2"))
		n = snprintf(out, size, "; %s starts like a qcow2 image: if it is one, say --format=qcow2",
			     d->path);
	else if (!strcmp(f, "fixed VHD"))
		n = snprintf(out, size, "; %s is a fixed VHD image (raw data and a footer), which was "
			     "read as raw", d->path);
	else if (!strcmp(f, "VMDK descriptor"))
		n = snprintf(out, size, "; %s is a VMDK descriptor: give the raw extent file it names "
			     "(monolithicFlat), or convert it with qemu-img convert -O raw", d->path);
	else
		n = snprintf(out, size, "; %s is a %s image, which domuloader does not read: convert it "
			     "with qemu-img convert -O raw (or -O qcow2 and say --format=qcow2)", d->path,
			     !strcmp(f, "qcow") ? "qcow (version 1)" : f);
	return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
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
	for (size_t i = 0; i < set->ndisks && n < sizeof(msg) - 1; i++)
		n += format_hint(set->disks[i], msg + n, sizeof(msg) - n);
	dl_refail(err, DL_ENOTFOUND, "%s", msg);
}
