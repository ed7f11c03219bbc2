/* Where a boot entry's file is: the path-location heuristics of
 * dl_guest_locate() (documented in guest.h), over the guest's fstab. */
#include "guest/guest.h"

#include <stdio.h>
#include <string.h>

/* The volume an fstab entry names (its "/" entry is the root volume). */
static struct dl_volume *fstab_volume(struct dl_guest *g, const struct dl_fstab_entry *e)
{
	struct dl_volume *v = dl_diskset_find(g->set, &e->vol);
	if (!v && !strcmp(e->mountpoint, "/"))
		v = g->rootvol;
	return v;
}

/* Where v is mounted in the running guest ("/boot"), NULL if unknown. */
static const char *mountpoint(struct dl_guest *g, const struct dl_fstab *t, struct dl_volume *v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->entries[i].mountpoint[0] == '/' && fstab_volume(g, &t->entries[i]) == v)
			return t->entries[i].mountpoint;
	return v == g->rootvol ? "/" : NULL;
}

/* The subvolume fstab entry e mounts from fs (btrfs subvol=, subvolid=),
 * opened on first use; NULL when it cannot be (said at -v). */
static struct dl_fs *entry_view(struct dl_guest *g, const struct dl_fstab_entry *e,
				struct dl_fs *fs)
{
	size_t i = (size_t)(e - g->fstab.entries);
	if (!g->vstate[i]) {
		struct dl_error err = { 0 };
		int r = dl_fs_subvol(fs, e->subvol, e->subvolid, &g->views[i], &err);
		g->vstate[i] = r == 0 ? 1 : -1;
		if (r < 0)
			dl_info("/etc/fstab:%d: %s", e->line, err.msg);
	}
	return g->vstate[i] == 1 ? g->views[i] : NULL;
}

/* An absolute path of the running guest -> the filesystem holding it and
 * the path inside that filesystem; NULL when fstab maps it nowhere. */
static struct dl_fs *fstab_resolve(struct dl_guest *g, const struct dl_fstab *t, const char *path,
				   const char **rest)
{
	const struct dl_fstab_entry *e = dl_fstab_lookup(t, path, rest);
	struct dl_volume *v = e ? fstab_volume(g, e) : NULL;
	struct dl_fs *fs = v ? dl_guest_fs(g, v) : NULL;
	if (!fs || (!e->subvol && !e->subvolid))
		return fs;
	return entry_view(g, e, fs);
}

/* Symlinks followed from one filesystem of the running guest to another. */
#define MAX_MOUNT_HOPS 8

/* dir + "/" + rel with "." and ".." (stopping at "/") and empty names
 * removed: an absolute path of the running guest, malloc'd. */
static char *join_norm(const char *dir, size_t dlen, const char *rel)
{
	_cleanup_free_ char *in = dl_asprintf("%.*s/%s", (int)dlen, dir, rel);
	char *out = dl_malloc(strlen(in) + 2);
	size_t n = 0;
	for (char *save = NULL, *c = strtok_r(in, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (n && out[--n] != '/')
				;
			continue;
		}
		n += (size_t)sprintf(out + n, "/%s", c);
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	return out;
}

/* gpath (a path of the running guest, at rest in ofs) is a symlink: its
 * target as a path of the running guest, malloc'd; NULL when it is none. */
static char *link_target(struct dl_fs *ofs, const char *gpath, const char *rest)
{
	struct dl_stat st;
	char lnk[DL_FS_MAX_LINK + 1];
	if (dl_fs_resolve(ofs, rest, false, &st, NULL) != 0 || st.type != DL_FT_LNK)
		return NULL;
	ssize_t n = ofs->ops->readlink(ofs, st.ino, lnk, sizeof(lnk) - 1);
	if (n <= 0 || n > DL_FS_MAX_LINK)
		return NULL;
	lnk[n] = '\0';
	const char *slash = strrchr(gpath, '/');
	return lnk[0] ? join_norm(lnk[0] == '/' ? "" : gpath, lnk[0] == '/' ? 0 : (size_t)(slash - gpath),
				  lnk) : NULL;
}

/* Step 2: the path through fstab.  fs and its answer r were step 1's.  A
 * symlink whose target is on another volume (Debian's /vmlinuz ->
 * boot/vmlinuz-V with /boot separate: the walker stays in one filesystem)
 * is followed as the running guest would, MAX_MOUNT_HOPS times at most. */
static int through_fstab(struct dl_guest *g, struct dl_volume *v, struct dl_fs *fs,
			 const char *path, struct dl_located *out, struct dl_error *err)
{
	const struct dl_fstab *t = dl_guest_fstab(g);
	if (!t)
		return DL_ABSENT;
	const char *mp = mountpoint(g, t, v);
	_cleanup_free_ char *full = mp && strcmp(mp, "/") ? dl_asprintf("%s%s", mp, path) : NULL;
	const char *cands[2] = { full ? full : path, full ? path : NULL };
	for (int k = 0; k < 2 && cands[k]; k++) {
		const char *rest;
		_cleanup_free_ char *hop = NULL;
		struct dl_fs *ofs = fstab_resolve(g, t, cands[k], &rest);
		struct dl_stat st;
		for (int h = 0; ofs && h < MAX_MOUNT_HOPS && dl_fs_stat(ofs, rest, &st, NULL) != 0; h++) {
			char *next = link_target(ofs, hop ? hop : cands[k], rest);
			free(hop);
			hop = next;
			ofs = hop ? fstab_resolve(g, t, hop, &rest) : NULL;
		}
		if (!ofs || (ofs == fs && !strcmp(rest, path)) || dl_fs_stat(ofs, rest, &st, NULL) != 0)
			continue;
		dl_debug("%s: %s found through fstab as %s:%s", v->name, path, ofs->vol->name, rest);
		return dl_guest_take(out, ofs, rest, &st, err);
	}
	return DL_ABSENT;
}

/* Step 3: "/boot" removed or added, on the volumes other than v. */
static int other_volumes(struct dl_guest *g, struct dl_volume *v, const char *path,
			 struct dl_located *out, struct dl_error *err)
{
	_cleanup_free_ char *withboot = strncmp(path, "/boot/", 6) ? dl_asprintf("/boot%s", path) : NULL;
	const char *p = withboot ? withboot : path + 5;
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *o = &g->set->vols[i];
		struct dl_fs *ofs;
		struct dl_stat st;
		if (o != v && dl_guest_stat(g, o, p, &ofs, &st) == 0)
			return dl_guest_take(out, ofs, p, &st, err);
	}
	return DL_ABSENT;
}

/* The subvol= of a command line's rootflags= (the last one: Linux's
 * mount options, later wins), malloc'd, or NULL. */
static char *rootflags_subvol(const char *cmdline)
{
	char *sv = NULL;
	for (const char *p = cmdline; p && (p = strstr(p, "rootflags=")); p += 10) {
		if (p != cmdline && p[-1] != ' ' && p[-1] != '\t')
			continue;
		const char *o = p + 10, *end = o + strcspn(o, " \t");
		for (; o < end; o += strcspn(o, ",") + 1)
			if (!strncmp(o, "subvol=", 7)) {
				free(sv);
				sv = dl_strndup(o + 7, strcspn(o + 7, ", \t"));
			}
	}
	return sv;
}

/* Step 4: path inside the subvolume the command line mounts as root. */
static int rootflags_volume(struct dl_guest *g, struct dl_volume *v, const char *path,
			    struct dl_located *out, struct dl_error *err)
{
	_cleanup_free_ char *sv = rootflags_subvol(g->cmdline);
	if (!sv || !*sv)
		return DL_ABSENT;
	const char *name = sv + strspn(sv, "/");
	size_t n = strlen(name);
	while (n && name[n - 1] == '/')
		n--;
	if (!n)
		return DL_ABSENT;
	_cleanup_free_ char *full = dl_asprintf("/%.*s%s", (int)n, name, path);
	struct dl_fs *fs;
	struct dl_stat st;
	if (dl_guest_stat(g, v, full, &fs, &st) != 0)
		return DL_ABSENT;
	dl_info("%s: %s found as %s, in the subvolume the command line's rootflags=subvol= names",
		v->name, path, full);
	return dl_guest_take(out, fs, full, &st, err);
}

/* "xen/xvda,msdos1" -> "hd0,msdos1": PV-GRUB names disks by their vdev. */
static char *xen_name(struct dl_disk_set *set, const char *dev)
{
	const char *name = dev + 4, *comma = strchr(name, ',');
	size_t n = comma ? (size_t)(comma - name) : strlen(name);
	bool any_vdev = false;
	int idx = -1;
	for (size_t i = 0; i < set->ndisks && idx < 0; i++) {
		const char *vd = set->disks[i]->vdev;
		any_vdev |= vd != NULL;
		if (vd && strlen(vd) == n && !strncmp(vd, name, n))
			idx = set->disks[i]->index;
	}
	if (idx < 0 && !any_vdev && n == 4 && !strncmp(name, "xvd", 3) && name[3] >= 'a' &&
	    name[3] <= 'z')
		idx = name[3] - 'a';
	if (idx < 0)
		return NULL;
	return dl_asprintf("hd%d%s", idx, comma ? comma : "");
}

struct dl_volume *dl_guest_device(struct dl_guest *g, struct dl_volume *home, const char *dev)
{
	struct dl_volume *v = NULL;
	if (!strncmp(dev, "xen/", 4)) {
		_cleanup_free_ char *hd = xen_name(g->set, dev);
		v = hd ? dl_diskset_find_name(g->set, hd) : NULL;
	} else {
		v = dl_diskset_find_name(g->set, dev);
	}
	if (v)
		return v;
	dl_info("(%s): no such device in the guest's disks; reading %s, which holds the configuration",
		dev, home->name);
	return home;
}

int dl_guest_locate(struct dl_guest *g, struct dl_volume *home, const struct dl_boot_path *bp,
		    const char *what, struct dl_located *out, struct dl_error *err)
{
	struct dl_volume *v = bp->dev ? dl_guest_device(g, home, bp->dev) : home;
	/* 1. On its own volume, from a btrfs's top level too. */
	struct dl_fs *fs = dl_guest_fs(g, v), *top;
	struct dl_stat st;
	struct dl_error why = { 0 };
	int r = fs ? dl_fs_stat(fs, bp->path, &st, &why) : DL_ABSENT;
	if (r == 0)
		return dl_guest_take(out, fs, bp->path, &st, err);
	if (r == DL_ABSENT && (top = dl_guest_top(g, v)) && dl_fs_stat(top, bp->path, &st, NULL) == 0)
		return dl_guest_take(out, top, bp->path, &st, err);
	if (!bp->dev) {
		/* 2. and 3.: anywhere else the running guest would see it. */
		int o = through_fstab(g, v, fs, bp->path, out, err);
		if (o == DL_ABSENT)
			o = other_volumes(g, v, bp->path, out, err);
		if (o == DL_ABSENT)
			o = rootflags_volume(g, v, bp->path, out, err);
		if (o != DL_ABSENT)
			return o;
	}
	/* Not found elsewhere: why it is not on its own volume. */
	if (r < 0) {
		dl_fail(err, why.code, "%s", why.msg);
		return r;
	}
	if (fs)
		return dl_fs_need_file(fs, bp->path, r, &st, err);
	return dl_fail(err, DL_ENOTFOUND, "%s: %s %s: volume has no readable filesystem", v->name, what,
		       bp->path);
}

int dl_guest_locate_running(struct dl_guest *g, const char *path, struct dl_volume **vp,
			    struct dl_located *out, struct dl_error *err)
{
	struct dl_boot_path bp = { .path = (char *)path };
	dl_guest_fstab(g);
	if ((*vp = g->rootvol))
		return dl_guest_locate(g, *vp, &bp, "kernel", out, err);
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_fs *fs = dl_guest_fs(g, &g->set->vols[i]);
		struct dl_stat st;
		if (fs && dl_fs_stat(fs, path, &st, NULL) == 0) {
			*vp = &g->set->vols[i];
			return dl_guest_take(out, fs, path, &st, err);
		}
	}
	return DL_ABSENT;
}

int dl_guest_resolve_running(struct dl_guest *g, const char *path, struct dl_fs **fsp,
			     const char **inner, struct dl_error *err)
{
	const struct dl_fstab *t = dl_guest_fstab(g);
	const char *rest = path;
	struct dl_fs *fs = t ? fstab_resolve(g, t, path, &rest) : NULL;
	if (t && !fs && !dl_fstab_lookup(t, path, NULL) && (fs = dl_guest_fs(g, g->rootvol)))
		rest = path;          /* an fstab without a "/" line: the volume holding it */
	if (fs) {
		dl_debug("%s: through the guest's fstab: %s:%s", path, fs->vol->name, rest);
		*fsp = fs;
		*inner = rest;
		return 0;
	}
	const struct dl_fstab_entry *e = t ? dl_fstab_lookup(t, path, NULL) : NULL;
	if (e)
		return dl_fail(err, DL_ENOTFOUND, "%s: the guest's fstab (%s:/etc/fstab:%d) mounts %s "
			       "at %s, which is no readable volume; name one as VOLUME:%s", path,
			       g->rootvol->name, e->line, e->spec, e->mountpoint, path);
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_fs *ofs = NULL;
		if (dl_guest_stat(g, &g->set->vols[i], path, &ofs, NULL) == 0) {
			dl_debug("%s: no fstab in the guest; found on %s", path, ofs->vol->name);
			*fsp = ofs;
			*inner = path;
			return 0;
		}
	}
	return dl_fail(err, DL_ENOTFOUND, "%s: no such file on any volume (the guest has no "
		       "/etc/fstab to say where its volumes are mounted)", path);
}
