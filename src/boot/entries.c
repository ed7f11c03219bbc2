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
static int grub_strtoul(const char *s, unsigned long long *out, const char **end)
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
	*end = s;
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

static int grub_nth(const struct dl_boot_config *cfg, int parent, unsigned long long num)
{
	int want = (int)(unsigned)num, k = 0;   /* truncated to int as GRUB casts it */
	for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
		if (cfg->entries[i].parent == parent && k++ == want)
			return (int)i;
	return -1;
}

/* The child of parent that a GRUB default names.  GNU GRUB's
 * get_entry_number (grub-core/normal/menu.c): a value grub_strtoul reads
 * digits from is an index, whatever follows ("2fast" is 2, "1>2" is 1 and
 * then 2 inside it; "0x1" hex, "01" octal), even one out of range; only a
 * value without digits is matched, entry by entry, against titles and ids
 * (menuentry_eq).  The GRUB of Fedora and RHEL, which reads blscfg entries
 * (rhboot grub2 "Fix menu entry selection based on ID and title",
 * get_entry_number_helper): ids first, then titles, then a number that
 * nothing follows ("2fast" and "1>2" name nothing: entry 0).  -1 when
 * none. */
static int grub_child(const struct dl_boot_config *cfg, int parent, const char *spec)
{
	unsigned long long num = 0;
	const char *end = spec;
	int r = grub_strtoul(spec, &num, &end);
	if (!cfg->grub_rhboot) {
		if (r)
			return r > 0 ? grub_nth(cfg, parent, num) : -1;
		for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
			if (cfg->entries[i].parent == parent &&
			    (grub_name_eq(cfg->entries[i].title, spec) ||
			     grub_name_eq(cfg->entries[i].id, spec)))
				return (int)i;
		return -1;
	}
	int idx = grub_named(cfg, parent, spec, true);
	if (idx < 0)
		idx = grub_named(cfg, parent, spec, false);
	if (idx >= 0 || r <= 0 || *end)
		return idx;
	return grub_nth(cfg, parent, num);
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

int dl_boot_next_fallback(const struct dl_boot_config *cfg, const int *tried, size_t ntried)
{
	for (size_t k = 0; k < cfg->nfallbacks; k++) {
		int i = dl_cfg_first_leaf(cfg, cfg->fallbacks[k]);
		bool seen = false;
		for (size_t t = 0; t < ntried && !seen; t++)
			seen = tried[t] == i;
		if (!seen && i >= 0 && dl_boot_entry_bootable(&cfg->entries[i]))
			return i;
	}
	return -1;
}

/* No --entry: the configured default, else the first fallback we can
 * boot, else the first bootable entry. */
static int select_default(const struct dl_boot_config *cfg, const char *name,
			  struct dl_error *err)
{
	int d = dl_cfg_first_leaf(cfg, cfg->def);
	if (d >= 0 && dl_boot_entry_bootable(&cfg->entries[d]))
		return d;
	int f = dl_boot_next_fallback(cfg, &d, 1);
	if (f >= 0) {
		dl_warn("%s: default entry is not bootable, using fallback '%s'", name,
			title_of(&cfg->entries[f]));
		return f;
	}
	for (size_t i = 0; i < cfg->nentries; i++)
		if (dl_boot_entry_bootable(&cfg->entries[i])) {
			if (cfg->def >= 0)
				dl_warn("%s: default entry is not bootable, using '%s'", name,
					title_of(&cfg->entries[i]));
			return (int)i;
		}
	/* no Linux entry at all: a multiboot default is what the guest boots */
	if (d >= 0 && dl_boot_entry_multiboot(&cfg->entries[d]))
		return d;
	return dl_fail(err, DL_ENOTFOUND, "%s: no bootable Linux entry", name);
}

/* What --entry may name, for an error about one that is not there: each
 * leaf as "INDEX 'title'" (with its GRUB path when that differs: "1
 * (1>0) 'title'"), titles cut at 40 bytes, the whole cut at about 600
 * bytes with how many more there are. */
static void add_entries(const struct dl_boot_config *cfg, struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	size_t shown = 0, leaves = dl_cfg_leaves(cfg);
	for (size_t i = 0; i < cfg->nentries && b.len < 600; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		if (e->submenu)
			continue;
		char path[256], num[16];
		dl_boot_entry_path(cfg, (int)i, path, sizeof(path));
		snprintf(num, sizeof(num), "%d", dl_boot_flat_index(cfg, (int)i));
		dl_sbuf_printf(&b, "%s%s", shown++ ? ", " : "", num);
		if (strcmp(num, path))
			dl_sbuf_printf(&b, " (%s)", path);
		const char *t = title_of(e);
		size_t n = strlen(t);
		if (n > 40) {
			n = 40;
			while (n && ((unsigned char)t[n] & 0xc0) == 0x80)
				n--;   /* not inside a UTF-8 sequence */
		}
		dl_sbuf_printf(&b, " '%.*s%s'", (int)n, t, n < strlen(t) ? "..." : "");
	}
	if (shown < leaves)
		dl_sbuf_printf(&b, ", ... (%zu more)", leaves - shown);
	size_t l = strlen(err->msg);
	snprintf(err->msg + l, sizeof(err->msg) - l, "; %s: %s", leaves ? "entries" : "the menu is empty",
		 leaves ? dl_sbuf_str(&b) : "no entry");
	dl_sbuf_free(&b);
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
	int r = dl_fail(err, DL_ENOTFOUND, "%s: no entry %s", name, spec);
	add_entries(cfg, err);
	return r;
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
	if (idx < 0) {
		int r = dl_fail(err, DL_ENOTFOUND, "%s: no entry '%s'", name, spec);
		add_entries(cfg, err);
		return r;
	}
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

/* Where a file of entries[idx] is read from, as the hook finds it; false
 * when there is no hook (--isconfig: the path as written).  w->path is
 * freed by where_free. */
static bool where(const struct dl_boot_list_hook *hook, const struct dl_boot_config *cfg,
		  int idx, const struct dl_boot_path *bp, const char *what,
		  struct dl_boot_where *w)
{
	*w = (struct dl_boot_where){ 0 };
	if (!hook || !hook->where)
		return false;
	hook->where(hook->ctx, cfg, idx, bp, what, w);
	return true;
}

static void where_free(struct dl_boot_where *w)
{
	free(w->path);
	w->path = NULL;
}

/* A file as a JSON object: the device and path as the configuration
 * names them (the device, when it names none, that of the volume the file
 * is found on), and where it is read from. */
static void json_path(struct dl_json *j, const char *key, const struct dl_boot_config *cfg, int idx,
		      const struct dl_boot_path *p, const char *what,
		      const struct dl_boot_list_hook *hook)
{
	if (!p->path) {
		dl_json_str(j, key, NULL);
		return;
	}
	struct dl_boot_where w;
	where(hook, cfg, idx, p, what, &w);
	dl_json_obj(j, key);
	dl_json_str(j, "device", p->dev ? p->dev : w.path ? w.grub : NULL);
	dl_json_str(j, "path", p->path);
	dl_json_str(j, "volume", w.path ? w.volume : NULL);
	if (w.path) {
		_cleanup_free_ char *gp = dl_asprintf("%s:%s", w.volume, w.path);
		dl_json_str(j, "guest_path", gp);
	} else {
		dl_json_str(j, "guest_path", NULL);
	}
	dl_json_str(j, "error", !w.path && w.why[0] ? w.why : NULL);
	dl_json_end(j);
	where_free(&w);
}

static void json_files(struct dl_json *j, const struct dl_boot_config *cfg, int idx,
		       const struct dl_boot_list_hook *hook)
{
	const struct dl_boot_entry *e = &cfg->entries[idx];
	bool mb = e->kind == DL_ENTRY_MULTIBOOT;
	json_path(j, "kernel", cfg, idx, &e->kernel, mb ? "hypervisor" : "kernel", hook);
	dl_json_arr(j, "initrds");
	for (size_t k = 0; k < e->ninitrds; k++)
		json_path(j, NULL, cfg, idx, &e->initrds[k], "initrd", hook);
	dl_json_end(j);
	dl_json_arr(j, "modules");
	for (size_t k = 0; k < e->nmodules; k++) {
		dl_json_obj(j, NULL);
		json_path(j, "file", cfg, idx, &e->modules[k], "module", hook);
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
			json_files(j, cfg, (int)i, hook);
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
	const char *vol = hook ? hook->volume : NULL;
	_cleanup_free_ char *config = vol && cfg->path ? dl_asprintf("%s:%s", vol, cfg->path) : NULL;
	dl_json_init(&j, b, false);
	dl_json_obj(&j, NULL);
	dl_json_str(&j, "config", config ? config : cfg->path);
	dl_json_str(&j, "volume", vol);
	dl_json_str(&j, "config_path", cfg->path);
	dl_json_str(&j, "format", cfg->format);
	dl_json_str(&j, "default", def >= 0 ? dl_boot_entry_path(cfg, def, path, sizeof(path)) : NULL);
	dl_json_int(&j, "default_index", def >= 0 ? dl_boot_flat_index(cfg, def) : -1);
	dl_json_str(&j, "default_spec", cfg->default_spec);
	dl_json_int(&j, "timeout", cfg->timeout);
	static const char *const styles[] = { NULL, "menu", "countdown", "hidden" };
	dl_json_str(&j, "timeout_style", (unsigned)cfg->timeout_style < DL_ARRAY_SIZE(styles)
					 ? styles[cfg->timeout_style] : NULL);
	if (hook && hook->head_json)
		hook->head_json(hook->ctx, cfg, def, &j);
	json_entries(&j, cfg, -1, def, 0, hook);
	dl_json_end(&j);
	dl_sbuf_addc(b, '\n');
}

/* One detail line of a leaf: "kernel: xvda1:/vmlinuz-6.1 (bzImage, ...)",
 * the file where it is read from (as written without a hook), the kernel
 * with what it is, a module with its command line. */
static void text_file(struct dl_sbuf *b, int ind, const struct dl_boot_config *cfg, int idx,
		      const struct dl_boot_path *bp, const char *what, const char *args,
		      const struct dl_boot_list_hook *hook)
{
	struct dl_boot_where w;
	dl_sbuf_printf(b, "%*s%s: ", ind, "", what);
	if (where(hook, cfg, idx, bp, what, &w) && w.path) {
		dl_sbuf_text(b, w.volume);
		dl_sbuf_addc(b, ':');
		dl_sbuf_text(b, w.path);
	} else {
		if (bp->dev) {
			dl_sbuf_addc(b, '(');
			dl_sbuf_text(b, bp->dev);
			dl_sbuf_addc(b, ')');
		}
		dl_sbuf_text(b, bp->path);
	}
	if (args && *args) {
		dl_sbuf_addc(b, ' ');
		dl_sbuf_text(b, args);
	}
	if (!w.path && w.why[0]) {
		dl_sbuf_adds(b, " (");
		dl_sbuf_text(b, w.why);
		dl_sbuf_addc(b, ')');
	} else if (bp == &cfg->entries[idx].kernel && hook && hook->text) {
		hook->text(hook->ctx, cfg, idx, b);
	}
	dl_sbuf_addc(b, '\n');
	where_free(&w);
}

/* A leaf's files and command line, pygrub -l's kernel/initrd/args. */
static void text_files(struct dl_sbuf *b, int ind, const struct dl_boot_config *cfg, int idx,
		       const struct dl_boot_list_hook *hook)
{
	const struct dl_boot_entry *e = &cfg->entries[idx];
	if (!e->kernel.path)
		return;
	bool mb = e->kind == DL_ENTRY_MULTIBOOT;
	text_file(b, ind, cfg, idx, &e->kernel, mb ? "hypervisor" : "kernel", NULL, hook);
	for (size_t k = 0; k < e->ninitrds; k++)
		text_file(b, ind, cfg, idx, &e->initrds[k], "initrd", NULL, hook);
	for (size_t k = 0; k < e->nmodules; k++)
		text_file(b, ind, cfg, idx, &e->modules[k], "module", e->module_args[k], hook);
	dl_sbuf_printf(b, "%*sargs:%s", ind, "", e->args && *e->args ? " " : "");
	dl_sbuf_text(b, e->args);
	dl_sbuf_addc(b, '\n');
}

/* A column header, then one line per entry: the default marked '*',
 * pygrub's index ("-" for a submenu), the GRUB path, the title indented
 * by depth; each leaf's files below it. */
static void list_text(struct dl_sbuf *b, const struct dl_boot_config *cfg, int def,
		      const struct dl_boot_list_hook *hook)
{
	int wi = 5, wp = 4;   /* "index", "path" */
	char path[256], num[16];
	for (size_t i = 0; i < cfg->nentries; i++) {
		int pl = (int)strlen(dl_boot_entry_path(cfg, (int)i, path, sizeof(path)));
		int nl = snprintf(num, sizeof(num), "%d", dl_boot_flat_index(cfg, (int)i));
		wp = DL_MAX(wp, pl);
		wi = DL_MAX(wi, nl);
	}
	dl_sbuf_printf(b, "# %-*s  %-*s  title\n", wi, "index", wp, "path");
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		int flat = dl_boot_flat_index(cfg, (int)i), ind = 2 * DL_MIN(e->depth, 32);
		dl_boot_entry_path(cfg, (int)i, path, sizeof(path));
		snprintf(num, sizeof(num), flat >= 0 ? "%d" : "-", flat);
		dl_sbuf_printf(b, "%c %-*s  %-*s  %*s", (int)i == def ? '*' : ' ', wi, num, wp, path,
			       ind, "");
		dl_sbuf_text(b, e->title);
		if (e->submenu)
			dl_sbuf_adds(b, " >");
		else if (e->kind == DL_ENTRY_MULTIBOOT)
			dl_sbuf_adds(b, " (multiboot)");
		else if (!dl_boot_entry_bootable(e))
			dl_sbuf_adds(b, " (not bootable)");
		dl_sbuf_addc(b, '\n');
		if (!e->submenu)
			text_files(b, 2 + wi + 2 + wp + 2 + ind + 4, cfg, (int)i, hook);
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
