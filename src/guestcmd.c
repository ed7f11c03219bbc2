/* domuloader ls / cat / copy-out, the parsing side (see guestcmd.h).  The
 * admin's way into a guest that domuloader rejects, as virt-ls and
 * virt-cat are libguestfs's, with the same readers, caps and sandbox as a
 * boot. */
#include "guestcmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/guest.h"

void dl_guestcmd_escape(struct dl_sbuf *b, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '\\')
			dl_sbuf_adds(b, "\\\\");
		else if (c == '\n')
			dl_sbuf_adds(b, "\\n");
		else if (c == '\t')
			dl_sbuf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			dl_sbuf_printf(b, "\\%03o", c);
		else
			dl_sbuf_addc(b, (char)c);
	}
}

/* ls -l's first column: the type letter, then rwx bits with set-id and
 * sticky bits; "?" where the filesystem keeps no mode (FAT). */
static void mode_string(const struct dl_stat *st, char out[11])
{
	static const struct {
		uint32_t fmt;
		char c;
	} fmts[] = { { 0140000, 's' }, { 0120000, 'l' }, { 0100000, '-' }, { 060000, 'b' },
		     { 040000, 'd' }, { 020000, 'c' }, { 010000, 'p' } };
	uint32_t m = st->mode;
	char t = st->type == DL_FT_REG ? '-' : st->type == DL_FT_DIR ? 'd'
		 : st->type == DL_FT_LNK ? 'l' : '?';
	for (size_t i = 0; m && i < DL_ARRAY_SIZE(fmts); i++)
		if ((m & 0170000) == fmts[i].fmt)
			t = fmts[i].c;
	out[0] = t;
	for (int k = 0; k < 3; k++) {
		uint32_t bits = m >> (6 - 3 * k);
		bool special = m & (04000u >> k);
		out[1 + 3 * k] = !m ? '?' : bits & 4 ? 'r' : '-';
		out[2 + 3 * k] = !m ? '?' : bits & 2 ? 'w' : '-';
		char x = k == 2 ? 't' : 's';
		out[3 + 3 * k] = !m ? '?' : special ? (bits & 1 ? x : (char)(x - 32)) : bits & 1 ? 'x' : '-';
	}
	out[10] = '\0';
}

static const char *type_name(const struct dl_stat *st)
{
	char m[11];
	mode_string(st, m);
	switch (m[0]) {
	case '-': return "file";
	case 'd': return "directory";
	case 'l': return "symlink";
	case 'b': return "block";
	case 'c': return "char";
	case 'p': return "fifo";
	case 's': return "socket";
	default: return st->type == DL_FT_OTHER ? "other" : "unknown";
	}
}

void dl_guestcmd_line(struct dl_sbuf *b, const char *name, const struct dl_stat *st,
		      const char *target)
{
	char m[11];
	mode_string(st, m);
	dl_sbuf_printf(b, "%s %12llu ", m, (unsigned long long)st->size);
	dl_guestcmd_escape(b, name, strlen(name));
	if (target) {
		dl_sbuf_adds(b, " -> ");
		dl_guestcmd_escape(b, target, strlen(target));
	}
	dl_sbuf_addc(b, '\n');
}

/* path with "//", "." and ".." taken out, absolute; malloc'd. */
static char *normalise(const char *path)
{
	size_t n = strlen(path);
	char *out = dl_malloc(n + 2);
	size_t o = 0;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t l = strcspn(p, "/");
		if (!l)
			break;
		if (l == 2 && !strncmp(p, "..", 2)) {
			while (o && out[--o] != '/')
				;
		} else if (!(l == 1 && *p == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, l);
			o += l;
		}
		p += l;
	}
	if (!o)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

char *dl_guestcmd_split(const char *spec, bool (*is_vol)(void *ctx, const char *name), void *ctx,
			char **vol)
{
	const char *first = NULL, *close;
	*vol = NULL;
	/* GRUB's "(hd0,gpt1)/grub" */
	if (spec[0] == '(' && (close = strchr(spec, ')'))) {
		*vol = dl_strndup(spec + 1, (size_t)(close - spec - 1));
		return normalise(close + 1);
	}
	/* "/dev/vg/root": the volume, not the guest's (empty) /dev */
	if (spec[0] == '/' && is_vol(ctx, spec)) {
		*vol = dl_strdup(spec);
		return normalise("/");
	}
	for (const char *p = spec; (p = strchr(p, ':')); p++) {
		if (p == spec || (p[1] && p[1] != '/'))
			continue;
		_cleanup_free_ char *name = dl_strndup(spec, (size_t)(p - spec));
		if (is_vol(ctx, name)) {
			*vol = TAKE_PTR(name);
			return normalise(p + 1);
		}
		if (!first)
			first = p;
	}
	if (spec[0] == '/')
		return normalise(spec);
	/* "xvdz9:/x" or "xvdz9" naming no volume: the caller says so */
	*vol = first ? dl_strndup(spec, (size_t)(first - spec)) : dl_strdup(spec);
	return normalise(first ? first + 1 : "/");
}

/* ---- the run ---- */

struct cmd {
	const struct dl_request *req;
	const struct dl_sink *sink;
	struct dl_guest g;
	struct dl_fs *fs;
	char *path;               /* in fs, normalised */
};

static bool names_volume(void *ctx, const char *name)
{
	return dl_diskset_find_name(ctx, name) != NULL;
}

/* The filesystem and the path the user's guest path names. */
static int resolve(struct cmd *c, struct dl_error *err)
{
	const char *spec = c->req->guest_path;
	_cleanup_free_ char *vname = NULL;
	_cleanup_free_ char *path = dl_guestcmd_split(spec, names_volume, c->g.set, &vname);
	if (!vname) {
		const char *inner;
		int r = dl_guest_resolve_running(&c->g, path, &c->fs, &inner, err);
		if (r < 0)
			return r;
		c->path = dl_strdup(inner);
		return 0;
	}
	struct dl_volume *v = dl_diskset_find_name(c->g.set, vname);
	if (!v)
		return dl_fail(err, DL_ENOTFOUND, "%s: no volume %s in the guest (domuloader ls IMAGE "
			       "lists them)", spec, vname);
	c->fs = dl_guest_fs(&c->g, v);
	if (!c->fs)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: %s holds no filesystem domuloader can read%s%s",
			       spec, v->name, v->note[0] ? ": " : "", v->note);
	/* on a btrfs whose default subvolume is another, the top level too */
	struct dl_fs *top = dl_guest_top(&c->g, v);
	if (top && dl_fs_stat(c->fs, path, NULL, NULL) == DL_ABSENT &&
	    dl_fs_stat(top, path, NULL, NULL) == 0)
		c->fs = top;
	c->path = TAKE_PTR(path);
	return 0;
}

static int add_name(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype type)
{
	struct dl_strv *names = ctx;
	(void)ino, (void)type;
	if (names->n >= DL_LS_MAX_ENTRIES)
		return -E2BIG;
	dl_strv_push(names, dl_strndup(name, len));
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One entry of a listing, as a text line or a JSON object. */
static void ls_entry(struct cmd *c, const char *path, const char *name, const struct dl_stat *st0,
		     struct dl_sbuf *b, struct dl_json *j)
{
	struct dl_stat st = { 0 };
	struct dl_error e = { 0 };
	char target[DL_FS_MAX_LINK + 1];
	bool have = st0 || dl_fs_resolve(c->fs, path, false, &st, &e) == 0;
	if (st0)
		st = *st0;
	bool link = have && st.type == DL_FT_LNK &&
		    dl_fs_readlink(c->fs, &st, path, target, sizeof(target), &e) >= 0;
	if (j) {
		dl_json_obj(j, NULL);
		dl_json_str(j, "name", name);
		dl_json_str(j, "type", have ? type_name(&st) : NULL);
		char mode[8];
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.mode & 07777));
		dl_json_str(j, "mode", have && st.mode ? mode : NULL);
		if (have)
			dl_json_uint(j, "size", st.size);
		else
			dl_json_str(j, "size", NULL);
		dl_json_str(j, "target", link ? target : NULL);
		dl_json_str(j, "error", e.msg[0] ? e.msg : NULL);
		dl_json_end(j);
		return;
	}
	if (have) {
		dl_guestcmd_line(b, name, &st, link ? target : NULL);
		return;
	}
	dl_sbuf_printf(b, "?????????? %12s ", "?");
	dl_guestcmd_escape(b, name, strlen(name));
	dl_sbuf_adds(b, "  (");
	dl_guestcmd_escape(b, e.msg, strlen(e.msg));
	dl_sbuf_adds(b, ")\n");
}

/* The directory's entries, sorted by name as ls sorts in the C locale. */
static int ls_dir(struct cmd *c, const struct dl_stat *st, struct dl_sbuf *b, struct dl_json *j,
		  struct dl_error *err)
{
	struct dl_strv names = { 0 };
	int r = dl_fs_list(c->fs, st, c->path, add_name, &names, err);
	if (r == -E2BIG)
		r = dl_fail(err, DL_ELIMIT, "%s: more than %u entries", c->req->guest_path,
			    DL_LS_MAX_ENTRIES);
	if (r == 0 && names.n)
		qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	const char *sep = strcmp(c->path, "/") ? "/" : "";
	for (size_t i = 0; r == 0 && i < names.n; i++) {
		_cleanup_free_ char *child = dl_asprintf("%s%s%s", c->path, sep, names.v[i]);
		ls_entry(c, child, names.v[i], NULL, b, j);
	}
	dl_strv_free(&names);
	return r;
}

static int run_ls(struct cmd *c, struct dl_error *err)
{
	struct dl_stat st;
	size_t n = strlen(c->req->guest_path);
	bool follow = !strcmp(c->path, "/") || (n && c->req->guest_path[n - 1] == '/');
	int r = dl_fs_resolve(c->fs, c->path, follow, &st, err);
	if (r < 0)
		return r;
	struct dl_stat to;
	if (st.type == DL_FT_LNK && dl_fs_resolve(c->fs, c->path, true, &to, NULL) == 0 &&
	    to.type == DL_FT_DIR)
		st = to;   /* "ls /lib" where /lib -> usr/lib lists usr/lib, as ls -l /lib/ */
	struct dl_sbuf b = { 0 };   /* the broker caps a listing (16 MiB) */
	struct dl_json j;
	if (c->req->json) {
		dl_json_init(&j, &b, false);
		dl_json_obj(&j, NULL);
		dl_json_str(&j, "volume", c->fs->vol->name);
		dl_json_str(&j, "path", c->path);
		dl_json_arr(&j, "entries");
	}
	if (st.type == DL_FT_DIR)
		r = ls_dir(c, &st, &b, c->req->json ? &j : NULL, err);
	else
		ls_entry(c, c->path, c->req->guest_path, &st, &b, c->req->json ? &j : NULL);
	if (c->req->json) {
		dl_json_end(&j);
		dl_json_end(&j);
		dl_sbuf_addc(&b, '\n');
	}
	if (r == 0)
		r = c->sink->listing(c->sink->ctx, dl_sbuf_str(&b), b.len);
	dl_sbuf_free(&b);
	return r;
}

static int run_cat(struct cmd *c, struct dl_error *err)
{
	const char *spec = c->req->guest_path;
	struct dl_stat st;
	int r = dl_fs_stat(c->fs, c->path, &st, err);
	if (r == DL_ABSENT)
		return dl_fail(err, DL_ENOTFOUND, "%s: no such file in the guest (%s:%s)", spec,
			       c->fs->vol->name, c->path);
	if (r < 0)
		return r;
	if (st.type == DL_FT_DIR)
		return dl_fail(err, DL_EUSAGE, "%s: is a directory (domuloader ls lists it)", spec);
	if (st.type != DL_FT_REG)
		return dl_fail(err, DL_EUSAGE, "%s: not a regular file", spec);
	if (st.size > c->req->max_kernel)
		return dl_fail(err, DL_ELIMIT, "%s: larger than the %llu MiB limit (--max-kernel-size)",
			       spec, (unsigned long long)(c->req->max_kernel >> 20));
	dl_info("%s: %s:%s, %llu bytes", spec, c->fs->vol->name, c->path,
		(unsigned long long)st.size);
	const struct dl_sink *s = c->sink;
	if ((r = s->begin(s->ctx, DL_PAYLOAD_KERNEL)) < 0)
		return r;
	struct dl_located l = { .fs = c->fs, .st = st, .path = c->path };
	if ((r = dl_flow_emit(s, &l, err)) < 0)
		return r;
	return s->end(s->ctx);
}

int dl_guestcmd_run(const struct dl_request *req, struct dl_disk_set *set,
		    const struct dl_sink *sink, struct dl_error *err)
{
	struct cmd c = { .req = req, .sink = sink };
	if (req->mode == DL_MODE_LIST_VOLUMES)
		return dl_flow_run(req, set, sink, err);
	int r = dl_flow_scan(req, set, err);
	if (r < 0)
		return r;
	dl_guest_init(&c.g, set, req->root);
	c.g.cmdline = req->args;
	r = resolve(&c, err);
	if (r == 0)
		r = req->mode == DL_MODE_LS ? run_ls(&c, err) : run_cat(&c, err);
	free(c.path);
	dl_guest_free(&c.g);
	return r;
}
