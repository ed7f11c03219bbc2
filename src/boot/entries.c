/* The menu as a tree (entries[] in file order, each child after its
 * submenu): GRUB menu paths, pygrub's flattened index, choosing an entry,
 * and the -l listings. */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "boot/internal.h"

bool dl_boot_entry_bootable(const struct dl_boot_entry *e)
{
	return e && !e->submenu && e->kind == DL_ENTRY_LINUX && e->kernel.path;
}

bool dl_boot_entry_multiboot(const struct dl_boot_entry *e)
{
	return e && !e->submenu && e->kind == DL_ENTRY_MULTIBOOT && e->kernel.path;
}

size_t dl_cfg_leaves(const struct dl_boot_config *cfg)
{
	size_t n = 0;
	for (size_t i = 0; i < cfg->nentries; i++)
		n += !cfg->entries[i].submenu;
	return n;
}

int dl_boot_flat_index(const struct dl_boot_config *cfg, int idx)
{
	if (idx < 0 || (size_t)idx >= cfg->nentries || cfg->entries[idx].submenu)
		return -1;
	int n = 0;
	for (int i = 0; i < idx; i++)
		n += !cfg->entries[i].submenu;
	return n;
}

/* position of idx among its parent's children */
static int child_pos(const struct dl_boot_config *cfg, int idx)
{
	int n = 0, p = cfg->entries[idx].parent;
	for (int i = p + 1; i < idx; i++)
		n += cfg->entries[i].parent == p;
	return n;
}

char *dl_boot_entry_path(const struct dl_boot_config *cfg, int idx, char *buf, size_t size)
{
	int chain[64], n = 0;
	if (!size)
		return buf;
	buf[0] = '\0';
	for (int i = idx; i >= 0 && (size_t)i < cfg->nentries && n < 64; i = cfg->entries[i].parent)
		chain[n++] = i;
	size_t off = 0;
	while (n-- > 0 && off < size) {
		int w = snprintf(buf + off, size - off, "%s%d", off ? ">" : "", child_pos(cfg, chain[n]));
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

int dl_cfg_first_leaf(const struct dl_boot_config *cfg, int idx)
{
	while (idx >= 0 && (size_t)idx < cfg->nentries && cfg->entries[idx].submenu) {
		int c = -1;
		for (size_t i = (size_t)idx + 1; i < cfg->nentries; i++)
			if (cfg->entries[i].parent == idx) {
				c = (int)i;
				break;
			}
		idx = c;
	}
	return idx;
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool eqn(const char *a, const char *s, size_t n)
{
	return a && strlen(a) == n && memcmp(a, s, n) == 0;
}

/* The child of parent named by spec[0..n): an index, an id or a title
 * (exact; for --entry paths). */
static int find_child(const struct dl_boot_config *cfg, int parent, const char *s, size_t n)
{
	if (all_digits(s, n)) {
		if (n > 6)
			return -1;
		long want = strtol(s, NULL, 10), k = 0;
		for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
			if (cfg->entries[i].parent == parent && k++ == want)
				return (int)i;
		return -1;
	}
	for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
		if (cfg->entries[i].parent == parent &&
		    (eqn(cfg->entries[i].id, s, n) || eqn(cfg->entries[i].title, s, n)))
			return (int)i;
	return -1;
}

/* The spec's next level: after its first '>' that is not part of a ">>"
 * pair (grub_menu_execute_entry in grub-core/normal/menu.c), else NULL. */
static const char *grub_rest(const char *spec)
{
	for (const char *p = spec; *p; p++)
		if (*p == '>') {
			if (p[1] != '>')
				return p + 1;
			p++;
		}
	return NULL;
}

/* grub_strtoull (grub-core/kern/misc.c) with base 0, as get_entry_number
 * calls it: blanks skipped, "0x" hex, "0[0-7]" octal, digits up to the
 * first other character.  1 with *out set, 0 when no digit (GRUB's
 * GRUB_ERR_BAD_NUMBER), -1 on overflow (GRUB_ERR_OUT_OF_RANGE). */
static int grub_strtoul(const char *s, unsigned long long *out)
{
	unsigned base = 10;
	unsigned long long num = 0;
	bool found = false;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '7') {
		base = 8;
	}
	for (;; s++) {
		unsigned d = (unsigned)tolower((unsigned char)*s);
		if (d >= '0' && d <= '9')
			d -= '0';
		else if (d >= 'a' && d <= 'z')
			d = d - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (num > (ULLONG_MAX - d) / base || num * base + d > ULONG_MAX)
			return -1;
		num = num * base + d;
		found = true;
	}
	*out = num;
	return found;
}

/* menuentry_eq (grub-core/normal/menu.c): name equals spec up to spec's
 * first single '>', a ">>" in spec standing for one '>'. */
static bool grub_name_eq(const char *name, const char *spec)
{
	if (!name)
		return false;
	for (;; name++, spec++) {
		if (*spec == '>' && spec[1] != '>')
			return *name == '\0';
		if (*spec == '>')
			spec++;
		if (*name != *spec)
			return false;
		if (!*name)
			return true;
	}
}

static int grub_named(const struct dl_boot_config *cfg, int parent, const char *spec, bool id)
{
	for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
		if (cfg->entries[i].parent == parent &&
		    grub_name_eq(id ? cfg->entries[i].id : cfg->entries[i].title, spec))
			return (int)i;
	return -1;
}

/* The child of parent that a GRUB default names, as the GRUB that reads
 * blscfg entries does (Fedora/RHEL grub2 "Fix menu entry selection based
 * on ID and title", rhbz#1640979, on top of get_entry_number in
 * grub-core/normal/menu.c): an id, else a title, else a number prefix read
 * by grub_strtoul ("2fast" is 2, "0x1" is 1) as an index, truncated to int
 * as GRUB casts it.  The order matters for BLS ids and titles starting
 * with digits.  -1 when none. */
static int grub_child(const struct dl_boot_config *cfg, int parent, const char *spec)
{
	int idx = grub_named(cfg, parent, spec, true);
	if (idx < 0)
		idx = grub_named(cfg, parent, spec, false);
	unsigned long long num;
	if (idx >= 0 || grub_strtoul(spec, &num) <= 0)
		return idx;
	int want = (int)(unsigned)num, k = 0;
	for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
		if (cfg->entries[i].parent == parent && k++ == want)
			return (int)i;
	return -1;
}

/* A GRUB default (default, saved_entry, next_entry) as GRUB boots it: the
 * top level names an entry or fails (-1: GRUB then boots entry 0); inside a
 * submenu, a name or index that is not there is the submenu's entry 0
 * (show_menu: "If DEFAULT_ENTRY is not within the menu entries, fall back
 * to the default"), and a leaf ends the path whatever follows. */
int dl_cfg_resolve_path(const struct dl_boot_config *cfg, const char *spec)
{
	int idx = grub_child(cfg, -1, spec);
	for (const char *p = grub_rest(spec); idx >= 0 && p && cfg->entries[idx].submenu;
	     p = grub_rest(p)) {
		int c = grub_child(cfg, idx, p);
		if (c < 0)
			return idx;
		idx = c;
	}
	return idx;
}

/* An --entry path: every level must exist, exactly as named. */
static int resolve_exact(const struct dl_boot_config *cfg, const char *spec)
{
	int parent = -1;
	for (const char *p = spec;;) {
		const char *e = strchr(p, '>');
		int found = find_child(cfg, parent, p, e ? (size_t)(e - p) : strlen(p));
		if (found < 0 || !e)
			return found;
		if (!cfg->entries[found].submenu)
			return -1;
		parent = found;
		p = e + 1;
	}
}

static const char *title_of(const struct dl_boot_entry *e)
{
	return e->title ? e->title : "";
}

/* No --entry: the configured default, else the fallback, else the first
 * bootable entry. */
static int select_default(const struct dl_boot_config *cfg, const char *name,
			  struct dl_error *err)
{
	int cand[2] = {cfg->def, cfg->fallback};
	for (int k = 0; k < 2; k++) {
		int i = dl_cfg_first_leaf(cfg, cand[k]);
		if (i >= 0 && dl_boot_entry_bootable(&cfg->entries[i])) {
			if (k)
				dl_warn("%s: default entry is not bootable, using fallback '%s'", name,
					title_of(&cfg->entries[i]));
			return i;
		}
	}
	for (size_t i = 0; i < cfg->nentries; i++)
		if (dl_boot_entry_bootable(&cfg->entries[i])) {
			if (cfg->def >= 0)
				dl_warn("%s: default entry is not bootable, using '%s'", name,
					title_of(&cfg->entries[i]));
			return (int)i;
		}
	/* no Linux entry at all: a multiboot default is what the guest boots */
	int d = dl_cfg_first_leaf(cfg, cfg->def);
	if (d >= 0 && dl_boot_entry_multiboot(&cfg->entries[d]))
		return d;
	return dl_fail(err, DL_ENOTFOUND, "%s: no bootable Linux entry", name);
}

/* --entry=N: pygrub's index over the leaves in file order, submenus
 * flattened (pygrub's image_index() in tools/pygrub/src/pygrub). */
static int select_flat(const struct dl_boot_config *cfg, const char *name, const char *spec,
		       struct dl_error *err)
{
	size_t sl = strlen(spec);
	long want = sl > 6 ? -1 : strtol(spec, NULL, 10), k = 0;
	for (size_t i = 0; i < cfg->nentries && want >= 0; i++)
		if (!cfg->entries[i].submenu && k++ == want)
			return (int)i;
	return dl_fail(err, DL_ENOTFOUND, "%s: no entry %s (the menu has %zu)", name, spec,
		       dl_cfg_leaves(cfg));
}

/* --entry=NAME: a leaf's title, an id, a submenu's title, a GRUB path. */
static int select_named(const struct dl_boot_config *cfg, const char *name, const char *spec,
			struct dl_error *err)
{
	size_t sl = strlen(spec);
	int idx = -1;
	for (size_t i = 0; i < cfg->nentries && idx < 0; i++)
		if (!cfg->entries[i].submenu && eqn(cfg->entries[i].title, spec, sl))
			idx = (int)i;
	for (size_t i = 0; i < cfg->nentries && idx < 0; i++)
		if (eqn(cfg->entries[i].id, spec, sl))
			idx = (int)i;
	for (size_t i = 0; i < cfg->nentries && idx < 0; i++)
		if (eqn(cfg->entries[i].title, spec, sl))
			idx = (int)i;
	if (idx < 0 && strchr(spec, '>'))
		idx = resolve_exact(cfg, spec);
	idx = dl_cfg_first_leaf(cfg, idx);
	if (idx < 0)
		return dl_fail(err, DL_ENOTFOUND, "%s: no entry '%s'", name, spec);
	return idx;
}

int dl_boot_select(const struct dl_boot_config *cfg, const char *spec, struct dl_error *err)
{
	const char *name = cfg->path ? cfg->path : "configuration";
	if (!spec)
		return select_default(cfg, name, err);
	int idx = all_digits(spec, strlen(spec)) ? select_flat(cfg, name, spec, err)
						   : select_named(cfg, name, spec, err);
	if (idx < 0)
		return idx;
	const struct dl_boot_entry *e = &cfg->entries[idx];
	if (!dl_boot_entry_bootable(e) && !dl_boot_entry_multiboot(e))
		return dl_fail(err, DL_EUNSUPPORTED, "%s: entry '%s' %s", name,
			       e->title ? e->title : spec,
			       e->kind == DL_ENTRY_MULTIBOOT ? "is a multiboot entry without a kernel"
							     : "has no Linux kernel");
	return idx;
}

/* ---- listings ---- */

/* Submenu levels listed in JSON: each takes two of the 62 levels that
 * struct dl_json nests, an entry's modules four more; deeper submenus are
 * listed with no entries. */
#define LIST_MAX_LEVEL 28

static const char *kind_name(const struct dl_boot_entry *e)
{
	if (e->submenu)
		return "submenu";
	return e->kind == DL_ENTRY_LINUX ? "linux" : e->kind == DL_ENTRY_MULTIBOOT ? "multiboot" : "other";
}

static void json_path(struct dl_json *j, const char *key, const struct dl_boot_path *p)
{
	if (!p->path) {
		dl_json_str(j, key, NULL);
		return;
	}
	dl_json_obj(j, key);
	dl_json_str(j, "device", p->dev);
	dl_json_str(j, "path", p->path);
	dl_json_end(j);
}

static void json_files(struct dl_json *j, const struct dl_boot_entry *e)
{
	json_path(j, "kernel", &e->kernel);
	dl_json_arr(j, "initrds");
	for (size_t k = 0; k < e->ninitrds; k++)
		json_path(j, NULL, &e->initrds[k]);
	dl_json_end(j);
	dl_json_arr(j, "modules");
	for (size_t k = 0; k < e->nmodules; k++) {
		dl_json_obj(j, NULL);
		json_path(j, "file", &e->modules[k]);
		dl_json_str(j, "args", e->module_args[k]);
		dl_json_end(j);
	}
	dl_json_end(j);
	dl_json_str(j, "args", e->args);
}

/* The children of parent as a JSON array; def is the default leaf. */
static void json_entries(struct dl_json *j, const struct dl_boot_config *cfg, int parent,
			 int def, int level, const struct dl_boot_list_hook *hook)
{
	dl_json_arr(j, "entries");
	for (size_t i = (size_t)(parent + 1); i < cfg->nentries && level <= LIST_MAX_LEVEL; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		if (e->parent != parent)
			continue;
		char path[256];
		dl_json_obj(j, NULL);
		dl_json_str(j, "path", dl_boot_entry_path(cfg, (int)i, path, sizeof(path)));
		dl_json_int(j, "index", dl_boot_flat_index(cfg, (int)i));
		dl_json_str(j, "title", e->title);
		dl_json_str(j, "id", e->id);
		dl_json_str(j, "kind", kind_name(e));
		dl_json_bool(j, "default", (int)i == def);
		if (e->submenu)
			json_entries(j, cfg, (int)i, def, level + 1, hook);
		else
			json_files(j, e);
		if (!e->submenu && hook && hook->json)
			hook->json(hook->ctx, cfg, (int)i, j);
		dl_json_end(j);
	}
	dl_json_end(j);
}

static void list_json(struct dl_sbuf *b, const struct dl_boot_config *cfg, int def,
		      const struct dl_boot_list_hook *hook)
{
	struct dl_json j;
	char path[256] = "";
	dl_json_init(&j, b, false);
	dl_json_obj(&j, NULL);
	dl_json_str(&j, "config", cfg->path);
	dl_json_str(&j, "format", cfg->format);
	dl_json_str(&j, "default", def >= 0 ? dl_boot_entry_path(cfg, def, path, sizeof(path)) : NULL);
	dl_json_str(&j, "default_spec", cfg->default_spec);
	dl_json_int(&j, "timeout", cfg->timeout);
	if (hook && hook->head_json)
		hook->head_json(hook->ctx, cfg, def, &j);
	json_entries(&j, cfg, -1, def, 0, hook);
	dl_json_end(&j);
	dl_sbuf_addc(b, '\n');
}

/* One line per entry: the default marked '*', submenus indented. */
static void list_text(struct dl_sbuf *b, const struct dl_boot_config *cfg, int def,
		      const struct dl_boot_list_hook *hook)
{
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		char path[256];
		dl_boot_entry_path(cfg, (int)i, path, sizeof(path));
		dl_sbuf_printf(b, "%c %*s%-5s ", (int)i == def ? '*' : ' ', 2 * DL_MIN(e->depth, 32),
			       "", path);
		dl_sbuf_text(b, e->title);
		if (e->submenu)
			dl_sbuf_adds(b, " >");
		else if (e->kind == DL_ENTRY_MULTIBOOT)
			dl_sbuf_adds(b, " (multiboot)");
		else if (!dl_boot_entry_bootable(e))
			dl_sbuf_adds(b, " (not bootable)");
		dl_sbuf_addc(b, '\n');
		if (!e->submenu && hook && hook->text)
			hook->text(hook->ctx, cfg, (int)i, b);
	}
}

void dl_boot_list(const struct dl_boot_config *cfg, FILE *out, bool json)
{
	dl_boot_list_with(cfg, out, json, NULL);
}

void dl_boot_list_with(const struct dl_boot_config *cfg, FILE *out, bool json,
		       const struct dl_boot_list_hook *hook)
{
	struct dl_sbuf b = {0};
	int def = dl_cfg_first_leaf(cfg, cfg->def);
	if (json)
		list_json(&b, cfg, def, hook);
	else
		list_text(&b, cfg, def, hook);
	fwrite(dl_sbuf_str(&b), 1, b.len, out);
	dl_sbuf_free(&b);
}
