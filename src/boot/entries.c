/* The menu as a tree (entries[] in file order, each child after its
 * submenu): GRUB menu paths, pygrub's flattened index, choosing an entry,
 * and the -l listings. */
#include <ctype.h>
#include <string.h>

#include "boot/internal.h"

bool dl_boot_entry_bootable(const struct dl_boot_entry *e)
{
	return e && !e->submenu && e->kind == DL_ENTRY_LINUX && e->kernel.path;
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

/* The child of parent named by spec[0..n): an index, an id or a title. */
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

int dl_cfg_resolve_path(const struct dl_boot_config *cfg, const char *spec)
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
		idx = dl_cfg_resolve_path(cfg, spec);
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
	if (!dl_boot_entry_bootable(e))
		return dl_fail(err, DL_EUNSUPPORTED, "%s: entry '%s' %s", name,
			       e->title ? e->title : spec,
			       e->kind == DL_ENTRY_MULTIBOOT ? "is a multiboot (Xen) entry, not a Linux kernel"
							     : "has no Linux kernel");
	return idx;
}

/* ---- listings ---- */


/* JSON string; guest bytes that are not UTF-8 become U+FFFD */
static void json_str(FILE *out, const char *s)
{
	char *q = dl_json_quote(s);
	fputs(q, out);
	free(q);
}

static void json_path(FILE *out, const struct dl_boot_path *p)
{
	if (!p->path) {
		fputs("null", out);
		return;
	}
	fputs("{\"device\":", out);
	json_str(out, p->dev);
	fputs(",\"path\":", out);
	json_str(out, p->path);
	fputc('}', out);
}

static const char *kind_name(const struct dl_boot_entry *e)
{
	if (e->submenu)
		return "submenu";
	return e->kind == DL_ENTRY_LINUX ? "linux" : e->kind == DL_ENTRY_MULTIBOOT ? "multiboot" : "other";
}

/* printable title: control characters shown as '?' */
static void text_str(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

static void json_entries(const struct dl_boot_config *cfg, int parent, int def, FILE *out, int level)
{
	bool first = true;
	fputc('[', out);
	if (level > 64) {
		fputc(']', out);
		return;
	}
	for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		if (e->parent != parent)
			continue;
		char path[256];
		fputs(first ? "{" : ",{", out);
		first = false;
		fputs("\"path\":", out);
		json_str(out, dl_boot_entry_path(cfg, (int)i, path, sizeof(path)));
		fprintf(out, ",\"index\":%d,\"title\":", dl_boot_flat_index(cfg, (int)i));
		json_str(out, e->title);
		fputs(",\"id\":", out);
		json_str(out, e->id);
		fprintf(out, ",\"kind\":\"%s\",\"default\":%s", kind_name(e),
			(int)i == def ? "true" : "false");
		if (e->submenu) {
			fputs(",\"entries\":", out);
			json_entries(cfg, (int)i, def, out, level + 1);
		} else {
			fputs(",\"kernel\":", out);
			json_path(out, &e->kernel);
			fputs(",\"initrds\":[", out);
			for (size_t k = 0; k < e->ninitrds; k++) {
				if (k)
					fputc(',', out);
				json_path(out, &e->initrds[k]);
			}
			fputs("],\"modules\":[", out);
			for (size_t k = 0; k < e->nmodules; k++) {
				if (k)
					fputc(',', out);
				fputs("{\"file\":", out);
				json_path(out, &e->modules[k]);
				fputs(",\"args\":", out);
				json_str(out, e->module_args[k]);
				fputc('}', out);
			}
			fputs("],\"args\":", out);
			json_str(out, e->args);
		}
		fputc('}', out);
	}
	fputc(']', out);
}

void dl_boot_list(const struct dl_boot_config *cfg, FILE *out, bool json)
{
	int def = dl_cfg_first_leaf(cfg, cfg->def);
	if (json) {
		char path[256] = "";
		fputs("{\"config\":", out);
		json_str(out, cfg->path);
		fputs(",\"format\":", out);
		json_str(out, cfg->format);
		fputs(",\"default\":", out);
		json_str(out, def >= 0 ? dl_boot_entry_path(cfg, def, path, sizeof(path)) : NULL);
		fputs(",\"default_spec\":", out);
		json_str(out, cfg->default_spec);
		fprintf(out, ",\"timeout\":%d,\"entries\":", cfg->timeout);
		json_entries(cfg, -1, def, out, 0);
		fputs("}\n", out);
		return;
	}
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		char path[256];
		dl_boot_entry_path(cfg, (int)i, path, sizeof(path));
		fprintf(out, "%c %*s%-5s ", (int)i == def ? '*' : ' ', 2 * DL_MIN(e->depth, 32), "", path);
		text_str(out, e->title);
		if (e->submenu)
			fputs(" >", out);
		else if (e->kind == DL_ENTRY_MULTIBOOT)
			fputs(" (multiboot)", out);
		else if (!dl_boot_entry_bootable(e))
			fputs(" (not bootable)", out);
		fputc('\n', out);
	}
}
