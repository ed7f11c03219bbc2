/* Boot Loader Specification Type #1 entries (uapi-group
 * specs/boot_loader_specification.md): parsing one entry file, loading a
 * directory of them in the spec's order, and GRUB's blscfg view of them
 * ($var expansion from the GRUB environment, id = file name).
 * Hand-written: systemd reads these in bootctl and systemd-boot
 * (src/shared/bootspec.c), which libsystemd does not export. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <string.h>

#include "boot/internal.h"

#define BLS_MAX_LINE (64u << 10)
#define BLS_MAX_TOTAL (16u << 20)   /* all entry files of one directory */

void dl_bls_entry_free(struct dl_bls_entry *e)
{
	free(e->id);
	free(e->fname);
	free(e->title);
	free(e->version);
	free(e->machine_id);
	free(e->sort_key);
	free(e->linux);
	free(e->architecture);
	for (size_t i = 0; i < e->ninitrds; i++)
		free(e->initrds[i]);
	free(e->initrds);
	free(e->options);
	memset(e, 0, sizeof(*e));
}

void dl_bls_entries_free(struct dl_bls_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dl_bls_entry_free(&v[i]);
	free(v);
}

static void set_str(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = dl_strndup(s, n);
}

/* id from the file name: drop ".conf" and a boot counter "+LEFT[-DONE]" */
static void parse_fname(struct dl_bls_entry *e, const char *fname)
{
	size_t n = strlen(fname);
	if (n > 5 && strcasecmp(fname + n - 5, ".conf") == 0)
		n -= 5;
	e->tries_left = e->tries_done = -1;
	const char *plus = NULL;
	for (size_t i = n; i > 0; i--)
		if (fname[i - 1] == '+') {
			plus = fname + i - 1;
			break;
		}
	if (plus) {
		const char *p = plus + 1, *end = fname + n;
		char *q;
		if (p < end && isdigit((unsigned char)*p)) {
			long left = strtol(p, &q, 10), done = -1;
			bool ok = q == end;
			if (!ok && *q == '-' && q + 1 < end && isdigit((unsigned char)q[1])) {
				done = strtol(q + 1, &q, 10);
				ok = q == end;
			}
			if (ok && left < 100000 && done < 100000) {
				e->tries_left = (int)left;
				e->tries_done = (int)done;
				e->bad = left == 0;
				n = (size_t)(plus - fname);
			}
		}
	}
	e->id = dl_strndup(fname, n);
	e->fname = dl_strdup(fname);
}

/* The keys of an entry that hold one string (the last line wins). */
static const struct {
	const char *key;
	size_t off;
} string_keys[] = {
	{"title", offsetof(struct dl_bls_entry, title)},
	{"version", offsetof(struct dl_bls_entry, version)},
	{"machine-id", offsetof(struct dl_bls_entry, machine_id)},
	{"sort-key", offsetof(struct dl_bls_entry, sort_key)},
	{"linux", offsetof(struct dl_bls_entry, linux)},
	{"architecture", offsetof(struct dl_bls_entry, architecture)},
};

/* One "key value" line.  sd-boot: the last line of a key wins and
 * options lines are joined into opts; GRUB's blscfg (bls_get_val) takes the
 * first line of a key, options included. */
static int set_key(struct dl_bls_entry *e, struct dl_sbuf *opts, bool grub, const char *key,
		   size_t klen, const char *v, size_t vlen)
{
#define KEY(x) (klen == strlen(x) && memcmp(key, x, klen) == 0)
	for (size_t i = 0; i < DL_ARRAY_SIZE(string_keys); i++)
		if (KEY(string_keys[i].key)) {
			char **dst = (char **)((char *)e + string_keys[i].off);
			if (!grub || !*dst)
				set_str(dst, v, vlen);
			return 0;
		}
	if (KEY("initrd")) {
		if (e->ninitrds < 256) {
			e->initrds = dl_reallocarray(e->initrds, e->ninitrds + 1, sizeof(char *));
			e->initrds[e->ninitrds++] = dl_strndup(v, vlen);
		}
		return 0;
	}
	/* sd-boot: "uki PATH" boots a unified kernel image (LOADER_UKI), as
	 * "linux" does one (the image's sections are found when booting) */
	if (KEY("uki") && !grub) {
		set_str(&e->linux, v, vlen);
		return 0;
	}
	if (KEY("options") && grub && e->has_options)
		return 0;
	if (KEY("options")) {
		e->has_options = true;
		return (opts->len && dl_sbuf_addc(opts, ' ') < 0) || dl_sbuf_add(opts, v, vlen) < 0
			       ? -E2BIG : 0;
	}
	/* efi, uki, devicetree, grub_users, grub_arg, grub_class, ... */
	return DL_NOT_MINE;
#undef KEY
}

/* GRUB's blscfg read_entry(): the key ends at the line's first space, or
 * at its first tab when it has no space.  end when the line has neither or
 * nothing after it: GRUB stops reading the file there (an empty line too). */
static size_t grub_key_end(const char *buf, size_t s, size_t end)
{
	const char *sp = memchr(buf + s, ' ', end - s);
	if (!sp)
		sp = memchr(buf + s, '\t', end - s);
	return sp && (size_t)(sp - buf) + 1 < end ? (size_t)(sp - buf) : end;
}

int dl_bls_parse_entry_as(enum dl_bls_order order, const char *fname, const char *buf,
			  size_t len, struct dl_bls_entry *e, struct dl_error *err)
{
	bool grub = order == DL_BLS_GRUB;
	memset(e, 0, sizeof(*e));
	parse_fname(e, fname);
	struct dl_sbuf opts = {0};
	int line = 0, r = 0;
	if (len > DL_BOOT_MAX_FILE)
		r = dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", fname, DL_BOOT_MAX_FILE);
	for (size_t i = 0; i < len && r >= 0;) {
		size_t s, end = dl_next_line(buf, len, &i, &s);
		end += s;
		line++;
		if (end - s > BLS_MAX_LINE) {
			r = dl_fail(err, DL_ELIMIT, "%s:%d: line longer than %u bytes", fname, line,
				    BLS_MAX_LINE);
			break;
		}
		while (s < end && isspace((unsigned char)buf[s]))
			s++;
		if (grub && end > s && buf[end - 1] == '\r')
			end--;
		size_t k = s;
		if (grub && (s == end || buf[s] != '#') && (k = grub_key_end(buf, s, end)) == end)
			break;
		while (end > s && isspace((unsigned char)buf[end - 1]))
			end--;
		if (s == end || buf[s] == '#')
			continue;
		while (!grub && k < end && !isspace((unsigned char)buf[k]))
			k++;
		size_t klen = k - s;
		while (k < end && isspace((unsigned char)buf[k]))
			k++;
		r = set_key(e, &opts, grub, buf + s, klen, buf + k, end - k);
		if (r == -E2BIG)
			r = dl_fail(err, DL_ELIMIT, "%s:%d: options too long", fname, line);
		else if (r == DL_NOT_MINE)
			dl_debug("%s:%d: key %.*s ignored", fname, line, (int)DL_MIN(klen, 64), buf + s);
	}
	if (r < 0) {
		dl_sbuf_free(&opts);
		dl_bls_entry_free(e);
		return r;
	}
	e->options = e->has_options ? dl_sbuf_take(&opts) : NULL;
	dl_sbuf_free(&opts);
	e->grub = grub;
	if (grub) {   /* blscfg's id is the file name without .conf, counter kept */
		size_t n = strlen(fname);
		free(e->id);
		e->id = dl_strndup(fname, n > 5 && !strcmp(fname + n - 5, ".conf") ? n - 5 : n);
	}
	return 0;
}

int dl_bls_parse_entry(const char *fname, const char *buf, size_t len, struct dl_bls_entry *e,
		       struct dl_error *err)
{
	return dl_bls_parse_entry_as(DL_BLS_UAPI, fname, buf, len, e, err);
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* systemd-boot's id: the file name with .conf, boot counter removed, in
 * lower case (boot.c boot_entry_add_type1). */
static char *sd_id(const struct dl_bls_entry *e)
{
	char *s = e->uki ? dl_strdup(e->id) : dl_asprintf("%s.conf", e->id);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* systemd's src/boot/efi/boot.c boot_entry_compare(). */
static int bls_cmp(const struct dl_bls_entry *a, const struct dl_bls_entry *b)
{
	int r;
	if ((r = (a->bad > b->bad) - (a->bad < b->bad)))
		return r;
	if ((r = (!a->sort_key) - (!b->sort_key)))
		return r;
	if (a->sort_key && b->sort_key) {
		if ((r = strcmp(a->sort_key, b->sort_key)))
			return r;
		if ((r = strcmp0(a->machine_id, b->machine_id)))
			return r;
		if ((r = -dl_vercmp(a->version, b->version)))
			return r;
	}
	char *ia = sd_id(a), *ib = sd_id(b);
	r = -dl_vercmp(ia, ib);
	free(ia), free(ib);
	if (r || a->tries_left < 0 || b->tries_left < 0)
		return r;
	/* more tries left first, then fewer done */
	if ((r = (a->tries_left < b->tries_left) - (a->tries_left > b->tries_left)))
		return r;
	return (a->tries_done > b->tries_done) - (a->tries_done < b->tries_done);
}

static int cmp_q(const void *a, const void *b)
{
	return bls_cmp(a, b);
}

/* blscfg's split_package_string(): release after the last '-', version
 * after the one before, the rest the name; missing parts bubble up. */
static void split_nvr(char *s, const char **n, const char **v, const char **rel)
{
	char *p = strrchr(s, '-');
	*rel = NULL;
	*v = NULL;
	if (p) {
		*p = '\0';
		*rel = p + 1;
		if ((p = strrchr(s, '-'))) {
			*p = '\0';
			*v = p + 1;
		}
	}
	*n = s;
	if (!*v) {
		*v = *rel;
		*rel = NULL;
	}
}

int dl_bls_grub_cmp(const char *a, const char *b)
{
	char *x = dl_strdup(a), *y = dl_strdup(b);
	const char *p[3], *q[3];
	split_nvr(x, &p[0], &p[1], &p[2]);
	split_nvr(y, &q[0], &q[1], &q[2]);
	int r = 0;
	for (int i = 0; i < 3 && !r; i++)
		r = dl_rpmvercmp(p[i] ? p[i] : "", q[i] ? q[i] : "");
	free(x), free(y);
	return r;
}

/* blscfg's bls_add_entry(): insert e before the first entry it is newer
 * than; one that compares equal to an entry already there is dropped. */
static bool grub_insert(struct dl_bls_entry *v, size_t *n, struct dl_bls_entry *e)
{
	size_t i = 0;
	for (; i < *n; i++) {
		int c = dl_bls_grub_cmp(e->id, v[i].id);
		if (c == 0)
			return false;
		if (c > 0)
			break;
	}
	memmove(&v[i + 1], &v[i], (*n - i) * sizeof(*v));
	v[i] = *e;
	(*n)++;
	return true;
}

/* RHEL 8's blscfg (rhboot grub2 branches rhel-8.0.0 ... rhel-8-main,
 * bls_cmp and find_entry): entries qsorted oldest first and made into
 * menu entries from the last, so newest first; when every entry has a
 * version key, by that version first (split_cmp without a name: version
 * and release at its last '-'), then by the file name as
 * name-version-release, whose ".conf" its inverted strip test leaves on.
 * No entry is dropped for comparing equal.  1 when a is newer. */
static int el8_cmp_v(const struct dl_bls_entry *a, const struct dl_bls_entry *b, bool use_version)
{
	int r = 0;
	if (use_version) {
		char *x = dl_strdup(a->version), *y = dl_strdup(b->version);
		char *rx = strrchr(x, '-'), *ry = strrchr(y, '-');
		if (rx)
			*rx++ = '\0';
		if (ry)
			*ry++ = '\0';
		r = dl_rpmvercmp(x, y);
		if (!r)
			r = dl_rpmvercmp(rx ? rx : "", ry ? ry : "");
		free(x), free(y);
	}
	return r ? r : dl_bls_grub_cmp(a->fname, b->fname);
}

static bool el8_use_version;   /* qsort has no context argument */

static int el8_cmp_q(const void *a, const void *b)
{
	return -el8_cmp_v(a, b, el8_use_version);
}

/* Read by RHEL 8's GRUB (its family: RHEL, CentOS, Rocky, Alma, Oracle
 * 8): an entry's kernel version or file name says ".el8". */
static bool el8_entries(const struct dl_bls_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((v[i].version && strstr(v[i].version, ".el8")) || strstr(v[i].fname, ".el8"))
			return true;
	return false;
}

/* GRUB's order of the entries v[0..*n) read in directory order. */
static void grub_order(const char *dir, struct dl_bls_entry *v, size_t *n)
{
	if (el8_entries(v, *n)) {
		el8_use_version = true;
		for (size_t i = 0; i < *n; i++)
			el8_use_version = el8_use_version && v[i].version;
		qsort(v, *n, sizeof(*v), el8_cmp_q);
		dl_debug("%s: ordered as RHEL 8's blscfg (%s, then file names)", dir,
			 el8_use_version ? "version keys" : "no version in every entry");
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		struct dl_bls_entry e = v[i];
		if (!grub_insert(v, &k, &e)) {
			dl_debug("%s/%s: sorts equal to another entry, dropped as GRUB does", dir, e.fname);
			dl_bls_entry_free(&e);
		}
	}
	*n = k;
}

static bool arch_ok(const char *a)
{
	return !a || !strcasecmp(a, "x64") || !strcasecmp(a, "ia32");
}

/* Read and parse dir/nm into *e; *total counts the bytes read.  1 when
 * the entry is usable, 0 when it is skipped (with a note), or a negative
 * errno at the cap on the total. */
static int load_entry(const struct dl_boot_io *io, const char *dev, const char *dir,
		      enum dl_bls_order order, const char *nm, size_t *total,
		      struct dl_bls_entry *e, struct dl_error *err)
{
	_cleanup_free_ char *path = dl_asprintf("%s/%s", dir, nm);
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct dl_error ferr = {0};
	int r = dl_io_read(io, dev, path, &buf, &len, &ferr);
	if (r != 0) {
		dl_warn("%s: %s", path, r > 0 ? "cannot read" : ferr.msg);
		return 0;
	}
	*total += len;
	if (*total > BLS_MAX_TOTAL)
		return dl_fail(err, DL_ELIMIT, "%s: entries larger than %u MiB in total", dir,
			       BLS_MAX_TOTAL >> 20);
	if (dl_bls_parse_entry_as(order, nm, buf, len, e, &ferr) < 0) {
		dl_warn("%s", ferr.msg);
		return 0;
	}
	/* GRUB skips an entry without linux only when it makes the menu
	 * entries (create_entry), after sorting, and never looks at the
	 * architecture */
	if (order == DL_BLS_GRUB)
		return 1;
	if (!e->linux)
		dl_debug("%s: no linux key, skipped", path);
	else if (!arch_ok(e->architecture))
		dl_debug("%s: architecture %s, skipped", path, e->architecture);
	else
		return 1;
	dl_bls_entry_free(e);
	return 0;
}

/* An entry file: *.conf.  sd-boot (boot.c valid_type1_filename) takes
 * the suffix in any case and never a name starting with "auto-" (its own
 * automatic entries' ids); GRUB's blscfg wants ".conf" exactly. */
static bool is_conf(const char *nm, enum dl_bls_order order)
{
	size_t l = strlen(nm);
	if (nm[0] == '.' || l <= 5)
		return false;
	if (order == DL_BLS_GRUB)
		return strcmp(nm + l - 5, ".conf") == 0;
	return strcasecmp(nm + l - 5, ".conf") == 0 && strncasecmp(nm, "auto-", 5) != 0;
}

/* GRUB: entries without linux made no menu entry (create_entry). */
static void drop_unbootable(struct dl_bls_entry *v, size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (v[i].linux)
			v[k++] = v[i];
		else {
			dl_debug("%s: no linux key, skipped", v[i].fname);
			dl_bls_entry_free(&v[i]);
		}
	}
	*n = k;
}

int dl_bls_load_dir(const struct dl_boot_io *io, const char *dev, const char *dir,
		    enum dl_bls_order order, struct dl_bls_entry **out, size_t *n,
		    struct dl_error *err)
{
	*out = NULL;
	*n = 0;
	char **names = NULL;
	size_t nn = 0, cap = 0;
	struct dl_error lerr = {0};
	if (!io || !io->list_dir || io->list_dir(io->ctx, dev, dir, &names, &nn, &lerr) != 0)
		return lerr.code == DL_ELIMIT ? dl_fail(err, lerr.code, "%s", lerr.msg) : 0;
	int r = 0;
	size_t total = 0;   /* bytes read from the directory, capped */
	for (size_t i = 0; i < nn && r >= 0; i++) {
		struct dl_bls_entry e;
		if (!is_conf(names[i], order))
			continue;
		if (*n >= DL_BOOT_MAX_ENTRIES)
			r = dl_fail(err, DL_ELIMIT, "%s: more than %u entries", dir, DL_BOOT_MAX_ENTRIES);
		else if ((r = load_entry(io, dev, dir, order, names[i], &total, &e, err)) > 0)
			*(struct dl_bls_entry *)dl_array_push(out, n, &cap, sizeof(e)) = e;
	}
	dl_strings_free(names, nn);
	if (r < 0) {
		dl_bls_entries_free(*out, *n);
		*out = NULL;
		*n = 0;
		return r;
	}
	if (order == DL_BLS_GRUB) {
		grub_order(dir, *out, n);
		drop_unbootable(*out, n);
	} else if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_q);
	return 0;
}

static char *bls_expand(const char *s, dl_var_lookup lookup, void *ctx)
{
	struct dl_sbuf sb = {.max = 1u << 20};
	for (const char *p = s; *p; p++) {
		if (*p == '$' && lookup) {
			const char *q = p + 1, *ne;
			bool br = *q == '{';
			if (br)
				q++;
			ne = q;
			while (isalnum((unsigned char)*ne) || *ne == '_')
				ne++;
			if (ne > q && (!br || *ne == '}')) {
				char *name = dl_strndup(q, (size_t)(ne - q));
				const char *v = lookup(ctx, name);
				free(name);
				if (v)
					dl_sbuf_add(&sb, v, strlen(v));
				p = br ? ne : ne - 1;
				continue;
			}
		}
		dl_sbuf_addc(&sb, *p);
	}
	return dl_sbuf_take(&sb);
}

/* split on blanks, collapsing runs; returns the joined normalised text */
static char *squeeze(const char *s)
{
	struct dl_sbuf sb = {0};
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *b = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p > b) {
			if (sb.len)
				dl_sbuf_addc(&sb, ' ');
			dl_sbuf_add(&sb, b, (size_t)(p - b));
		}
	}
	return dl_sbuf_take(&sb);
}

static void add_path_words(struct dl_boot_entry *e, struct dl_boot_path *single, const char *s,
			   const char *dev, const char *self)
{
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *b = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p == b)
			continue;
		char *w = dl_strndup(b, (size_t)(p - b)), *d, *path;
		dl_path_split_dev(w, &d, &path);
		if (single) {
			dl_path_set(single, d ? d : dev, path, NULL, self);
			free(w), free(d), free(path);
			return;
		}
		struct dl_boot_path tmp = {0};
		dl_path_set(&tmp, d ? d : dev, path, NULL, self);
		e->initrds = dl_reallocarray(e->initrds, e->ninitrds + 1, sizeof(*e->initrds));
		e->initrds[e->ninitrds++] = tmp;
		free(w), free(d), free(path);
	}
}

int dl_bls_add_entries(struct dl_boot_config *cfg, const struct dl_bls_entry *v, size_t n,
		       int parent, int depth, const char *dev, const char *self,
		       dl_var_lookup lookup, void *ctx, const char *name, struct dl_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct dl_bls_entry *b = &v[i];
		struct dl_boot_entry *e = dl_cfg_add_entry(cfg, name, 0, err);
		if (!e)
			return -E2BIG;
		e->parent = parent;
		e->depth = depth;
		e->id = dl_strdup(b->id);
		if (b->title)
			e->title = dl_strdup(b->title);
		else if (b->grub && b->linux)   /* blscfg: argv[0] = title ? title : clinux */
			e->title = dl_strdup(b->linux);
		else if (b->machine_id && b->version)
			e->title = dl_asprintf("%s %s", b->machine_id, b->version);
		else
			e->title = dl_strdup(b->version ? b->version : b->linux ? b->linux : b->id);
		if (b->linux) {
			char *k = bls_expand(b->linux, lookup, ctx);
			add_path_words(e, &e->kernel, k, dev, self);
			free(k);
		}
		for (size_t j = 0; j < b->ninitrds; j++) {
			char *s = bls_expand(b->initrds[j], lookup, ctx);
			add_path_words(e, NULL, s, dev, self);
			free(s);
		}
		char *o = bls_expand(b->options ? b->options : "", lookup, ctx);
		e->args = squeeze(o);
		free(o);
		/* blscfg: options that expand to nothing give way to $default_kernelopts */
		const char *dk = !*e->args && lookup ? lookup(ctx, "default_kernelopts") : NULL;
		if (dk) {
			free(e->args);
			o = bls_expand(dk, lookup, ctx);
			e->args = squeeze(o);
			free(o);
		}
		e->kind = e->kernel.path ? DL_ENTRY_LINUX : DL_ENTRY_OTHER;
		if (dev)
			e->root = dl_strdup(dev);
	}
	return 0;
}

/* ---- stand-alone BLS (no grub.cfg) ---- */

struct vars {
	char **names, **values;
	size_t n;
};

static void vars_set(void *ctx, const char *name, const char *value)
{
	struct vars *v = ctx;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0) {
			free(v->values[i]);
			v->values[i] = dl_strdup(value);
			return;
		}
	if (v->n >= 1024)
		return;
	v->names = dl_reallocarray(v->names, v->n + 1, sizeof(char *));
	v->values = dl_reallocarray(v->values, v->n + 1, sizeof(char *));
	v->names[v->n] = dl_strdup(name);
	v->values[v->n++] = dl_strdup(value);
}

static const char *vars_get(void *ctx, const char *name)
{
	struct vars *v = ctx;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return v->values[i];
	return NULL;
}

static void vars_free(struct vars *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->names[i]);
		free(v->values[i]);
	}
	free(v->names);
	free(v->values);
}

/* The value of key on line *pos onwards (malloc'd), *pos past it; NULL at
 * the end.  Lines are read in order, as sd-boot's
 * config_defaults_load_from_file does. */
static char *loader_conf_next(const char *buf, size_t len, const char *key, size_t *pos)
{
	size_t kl = strlen(key), i = *pos;
	char *res = NULL;
	while (i < len && !res) {
		size_t s;
		size_t e = dl_next_line(buf, len, &i, &s);
		e += s;
		while (s < e && isspace((unsigned char)buf[s]))
			s++;
		while (e > s && isspace((unsigned char)buf[e - 1]))
			e--;
		if (e - s > kl && memcmp(buf + s, key, kl) == 0 && isspace((unsigned char)buf[s + kl])) {
			size_t v = s + kl;
			while (v < e && isspace((unsigned char)buf[v]))
				v++;
			res = dl_strndup(buf + v, e - v);
		}
	}
	*pos = i;
	return res;
}

/* The last value of key. */
static char *loader_conf_value(const char *buf, size_t len, const char *key)
{
	char *res = NULL, *v;
	for (size_t pos = 0; (v = loader_conf_next(buf, len, key, &pos));) {
		free(res);
		res = v;
	}
	return res;
}

/* The GRUB environment blscfg would see: the first grubenv that reads.
 * false when there is none. */
static bool load_grubenv(const struct dl_boot_io *io, struct vars *vars)
{
	static const char *const envs[] = {"/boot/grub2/grubenv", "/grub2/grubenv",
					   "/boot/grub/grubenv", "/grub/grubenv"};
	for (size_t i = 0; i < DL_ARRAY_SIZE(envs); i++) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		struct dl_error lerr = {0};
		if (dl_io_read(io, NULL, envs[i], &buf, &len, &lerr) != 0)
			continue;
		if (dl_grubenv_parse(envs[i], buf, len, vars_set, vars, &lerr) == 0)
			return true;
		dl_warn("%s", lerr.msg);
	}
	return false;
}

/* The partition root that dir ("<root>/loader/entries") is in, malloc'd;
 * NULL when dir is not such a directory. */
static char *esp_root(const char *dir)
{
	size_t l = strlen(dir), t = strlen("/loader/entries");
	while (l > 1 && dir[l - 1] == '/')
		l--;
	if (l < t || strncmp(dir + l - t, "/loader/entries", t))
		return NULL;
	return dl_strndup(dir, l - t);
}

/* sd-boot's loader.conf, malloc'd, or NULL when there is none: beside the
 * entries (the same ESP, which may be a btrfs subvolume's /boot that the
 * guest view's homes found), else at the volume's usual places. */
static char *read_loader_conf(const struct dl_boot_io *io, const char *dir, size_t *len)
{
	static const char *const lc[] = {"/loader/loader.conf", "/boot/loader/loader.conf"};
	_cleanup_free_ char *root = esp_root(dir);
	if (root) {
		_cleanup_free_ char *p = dl_asprintf("%s/loader/loader.conf", root);
		char *buf = NULL;
		struct dl_error lerr = {0};
		if (dl_io_read(io, NULL, p, &buf, len, &lerr) == 0)
			return buf;
	}
	for (size_t k = 0; k < DL_ARRAY_SIZE(lc); k++) {
		char *buf = NULL;
		struct dl_error lerr = {0};
		if (dl_io_read(io, NULL, lc[k], &buf, len, &lerr) == 0)
			return buf;
	}
	return NULL;
}

/* Whether an entry's linux file is there: on the entries' partition root,
 * or as the volume names it. */
static bool linux_present(const struct dl_boot_io *io, const char *root, const char *linux)
{
	_cleanup_free_ char *p = dl_asprintf("%s%s%s", root ? root : "", linux[0] == '/' ? "" : "/",
					     linux);
	return io->test_file(io->ctx, NULL, p, 'f') == 1 ||
	       (root && *root && io->test_file(io->ctx, NULL, linux, 'f') == 1);
}

/* sd-boot adds no entry whose linux (or efi) file it cannot open (boot.c
 * config_entry_add_type1: "check existence"), before it picks the
 * default.  When none would be left the entries stay, so that locating the
 * kernel names the missing file. */
static void drop_missing_linux(const struct dl_boot_io *io, const char *dir,
			       struct dl_bls_entry *v, size_t *n)
{
	if (!io || !io->test_file)
		return;
	_cleanup_free_ char *root = esp_root(dir);
	size_t have = 0;
	for (size_t i = 0; i < *n; i++)
		have += linux_present(io, root, v[i].linux);
	if (!have || have == *n)
		return;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (linux_present(io, root, v[i].linux))
			v[k++] = v[i];
		else {
			dl_info("%s/%s: %s is missing, skipped as systemd-boot does", dir, v[i].fname,
				v[i].linux);
			dl_bls_entry_free(&v[i]);
		}
	}
	*n = k;
}

/* loader.conf's timeout (boot.c config_timeout_sec_from_string): seconds,
 * "menu-force" (wait for a key: we never wait forever, so unset, the menu
 * shown), "menu-hidden" and 0 (boot at once unless a key is held),
 * "menu-disabled" (no menu at all); anything else is ignored. */
static void loader_conf_timeout(const char *t, struct dl_boot_config *cfg)
{
	char *end;
	long tv = strtol(t, &end, 10);
	if (!strcmp(t, "menu-force")) {
		cfg->timeout = -1;
		cfg->timeout_style = DL_TIMEOUT_MENU;
	} else if (!strcmp(t, "menu-hidden") || !strcmp(t, "menu-disabled")) {
		cfg->timeout = 0;
		cfg->timeout_style = DL_TIMEOUT_HIDDEN;
	} else if (isdigit((unsigned char)*t) && !*end) {
		cfg->timeout = tv > 1000000 ? 1000000 : (int)tv;
		cfg->timeout_style = tv ? DL_TIMEOUT_MENU : DL_TIMEOUT_HIDDEN;
	} else {
		dl_info("loader.conf: timeout %s not understood, ignored as systemd-boot does", t);
	}
}

/* sd-boot's default (boot.c config_load_defaults, config_find_entry and
 * config_select_default_entry): "default GLOB", lower-cased, matched
 * against the entry ids, which are the file names with .conf (boot counter
 * removed) in lower case, the first match in menu order; "@saved" (the
 * LoaderEntryLastBooted EFI variable, which we cannot see) and no match
 * mean the first entry.  The last line of a key wins. */
static void loader_conf_default(const char *buf, size_t len, struct dl_boot_config *cfg)
{
	char *d = loader_conf_value(buf, len, "default"), *t;
	/* each line in turn: one not understood leaves the one before */
	for (size_t pos = 0; (t = loader_conf_next(buf, len, "timeout", &pos)); free(t))
		loader_conf_timeout(t, cfg);
	if (!d)
		return;
	cfg->default_spec = d;
	for (size_t i = 0; i < cfg->nentries; i++) {
		const char *id = cfg->entries[i].id;
		size_t il = strlen(id);
		_cleanup_free_ char *withconf = il > 4 && !strcasecmp(id + il - 4, ".efi")
							? dl_strdup(id) : dl_asprintf("%s.conf", id);
		if (fnmatch(d, withconf, FNM_CASEFOLD) == 0) {
			cfg->def = (int)i;
			return;
		}
	}
	if (strcasecmp(d, "@saved"))
		dl_info("loader.conf: default %s names no entry (ids are file names with .conf); "
			"the first entry, as systemd-boot does", d);
}

/* GRUB's default for blscfg entries: next_entry, else saved_entry, by id
 * or title; else the first entry. */
static void grubenv_default(struct vars *vars, struct dl_boot_config *cfg)
{
	const char *want = vars_get(vars, "next_entry");
	if (!want || !*want)
		want = vars_get(vars, "saved_entry");
	if (!want || !*want)
		return;
	cfg->default_spec = dl_strdup(want);
	for (size_t i = 0; i < cfg->nentries; i++)
		if (strcmp(cfg->entries[i].id, want) == 0 || strcmp(cfg->entries[i].title, want) == 0) {
			cfg->def = (int)i;
			break;
		}
}

/* The root of the partition whose EFI/Linux dir is, malloc'd, or NULL. */
static char *uki_root(const char *dir)
{
	size_t l = strlen(dir), t = strlen("/EFI/Linux");
	while (l > 1 && dir[l - 1] == '/')
		l--;
	if (l < t || strncasecmp(dir + l - t, "/EFI/Linux", t))
		return NULL;
	return dl_strndup(dir, l - t);
}

/* systemd-boot's type #2 entries (boot.c config_load_type2_entries):
 * each *.efi in EFI/Linux of the partition root, not a dot file; the id
 * is the file name in lower case, the title the image's (its .osrel's
 * PRETTY_NAME, which we do not read: the file name).  Appended to *v. */
static void load_ukis(const struct dl_boot_io *io, const char *root, struct dl_bls_entry **v,
		      size_t *n)
{
	_cleanup_free_ char *dir = dl_asprintf("%s/EFI/Linux", root);
	char **names = NULL;
	size_t nn = 0, cap = *n;
	struct dl_error lerr = {0};
	if (!io || !io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &nn, &lerr) != 0)
		return;
	for (size_t i = 0; i < nn && *n < DL_BOOT_MAX_ENTRIES; i++) {
		size_t l = strlen(names[i]);
		if (names[i][0] == '.' || l <= 4 || strcasecmp(names[i] + l - 4, ".efi"))
			continue;
		_cleanup_free_ char *path = dl_asprintf("%s/%s", dir, names[i]);
		if (io->test_file && io->test_file(io->ctx, NULL, path, 'f') != 1)
			continue;
		struct dl_bls_entry *e = dl_array_push(v, n, &cap, sizeof(*e));
		memset(e, 0, sizeof(*e));
		e->id = dl_strdup(names[i]);
		for (char *c = e->id; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		e->fname = dl_strdup(names[i]);
		e->title = dl_strndup(names[i], l - 4);
		e->linux = TAKE_PTR(path);
		e->uki = true;
		e->tries_left = e->tries_done = -1;
	}
	dl_strings_free(names, nn);
}

/* Stand-alone BLS (no grub.cfg).  Which loader reads the entries decides
 * their order, $var expansion and the default: a loader.conf means
 * systemd-boot (UAPI order, no $vars); else a grubenv means GRUB's blscfg
 * (its order, $vars and saved_entry from grubenv); else the UAPI spec. */
static int bls_parse_dir(const struct dl_boot_io *io, const char *dir, struct dl_boot_config *cfg,
			 struct dl_error *err)
{
	struct dl_bls_entry *v = NULL;
	size_t n = 0, lclen = 0;
	struct vars vars = {0};
	dl_cfg_init(cfg, dl_bls_parser.name, dir);
	/* EFI/Linux (unified kernel images without type #1 entries): the
	 * entries beside them, read as systemd-boot does */
	_cleanup_free_ char *uroot = uki_root(dir);
	_cleanup_free_ char *edir = uroot ? dl_asprintf("%s/loader/entries", uroot) : NULL;
	if (edir)
		dir = edir;
	_cleanup_free_ char *lc = read_loader_conf(io, dir, &lclen);
	bool grub = !lc && !uroot && load_grubenv(io, &vars);
	int r = dl_bls_load_dir(io, NULL, dir, grub ? DL_BLS_GRUB : DL_BLS_UAPI, &v, &n, err);
	if (r == 0 && !grub)
		drop_missing_linux(io, dir, v, &n);
	if (r == 0 && !grub) {
		_cleanup_free_ char *root = esp_root(dir);
		load_ukis(io, root ? root : "", &v, &n);
		if (n > 1)
			qsort(v, n, sizeof(*v), cmp_q);
	}
	if (r == 0) {
		r = dl_bls_add_entries(cfg, v, n, -1, 0, NULL, io ? io->self_dev : NULL,
				       grub ? vars_get : NULL, &vars, dir, err);
		dl_bls_entries_free(v, n);
	}
	if (r == 0) {
		cfg->def = cfg->nentries ? 0 : -1;
		if (grub)
			grubenv_default(&vars, cfg);
		else if (lc)
			loader_conf_default(lc, lclen, cfg);
	} else
		dl_boot_config_free(cfg);
	vars_free(&vars);
	return r;
}

/* One entry file, named by --isconfig. */
static int bls_parse_file(const char *name, const char *buf, size_t len,
			  const struct dl_boot_io *io, struct dl_boot_config *cfg,
			  struct dl_error *err)
{
	(void)io;
	struct dl_bls_entry e = {0};
	const char *base = strrchr(name, '/');
	dl_cfg_init(cfg, dl_bls_parser.name, name);
	int r = dl_bls_parse_entry(base ? base + 1 : name, buf, len, &e, err);
	if (r == 0)
		r = dl_bls_add_entries(cfg, &e, 1, -1, 0, NULL, NULL, NULL, NULL, name, err);
	dl_bls_entry_free(&e);
	if (r < 0) {
		dl_boot_config_free(cfg);
		return r;
	}
	cfg->def = cfg->nentries ? 0 : -1;
	return 0;
}

static const char *const bls_globs[] = {"*loader/entries/*", NULL};

const struct dl_boot_parser dl_bls_parser = {
	.name = "bls",
	.globs = bls_globs,
	.parse = bls_parse_file,
	.parse_dir = bls_parse_dir,
};
