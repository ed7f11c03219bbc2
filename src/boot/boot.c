/* Discovery (probe order), format dispatch, selection and listings. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "boot/internal.h"

static const struct probe {
	const char *path;
	const char *format;
} probes[] = {
	/* pygrub's order (reference/pygrub.md §3.1) */
	{"/boot/grub/grub.cfg", "grub2"},
	{"/grub/grub.cfg", "grub2"},
	{"/boot/grub2/grub.cfg", "grub2"},
	{"/grub2/grub.cfg", "grub2"},
	{"/boot/isolinux/isolinux.cfg", "extlinux"},
	{"/boot/extlinux/extlinux.conf", "extlinux"},
	{"/boot/extlinux.conf", "extlinux"},
	{"/extlinux/extlinux.conf", "extlinux"},
	{"/extlinux.conf", "extlinux"},
	{"/boot/grub/menu.lst", "grub-legacy"},
	{"/boot/grub/grub.conf", "grub-legacy"},
	{"/grub/menu.lst", "grub-legacy"},
	{"/grub/grub.conf", "grub-legacy"},
	/* beyond pygrub: the syslinux family's other homes */
	{"/boot/syslinux/syslinux.cfg", "extlinux"},
	{"/syslinux/syslinux.cfg", "extlinux"},
	{"/syslinux.cfg", "extlinux"},
	{"/isolinux/isolinux.cfg", "extlinux"},
	{"/isolinux.cfg", "extlinux"},
};

int dl_boot_parse(const char *format, const char *name, const char *buf, size_t len,
		  const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	if (len > DL_BOOT_MAX_FILE)
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", name, DL_BOOT_MAX_FILE);
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		/* a UTF-8 byte order mark from an editor */
		buf += 3;
		len -= 3;
	}
	if (strcmp(format, "grub2") == 0)
		return dl_grub2_parse(name, buf, len, io, cfg, err);
	if (strcmp(format, "grub-legacy") == 0 || strcmp(format, "legacy") == 0)
		return dl_legacy_parse(name, buf, len, io, cfg, err);
	if (strcmp(format, "extlinux") == 0 || strcmp(format, "syslinux") == 0 ||
	    strcmp(format, "isolinux") == 0)
		return dl_syslinux_parse(name, buf, len, io, cfg, err);
	if (strcmp(format, "bls") == 0) {
		struct dl_bls_entry e = {0};
		const char *base = strrchr(name, '/');
		dl_cfg_init(cfg, "bls", name);
		if (dl_bls_parse_entry(base ? base + 1 : name, buf, len, &e, err) < 0 ||
		    dl_bls_add_entries(cfg, &e, 1, -1, 0, NULL, NULL, NULL, NULL, name, err) < 0) {
			dl_bls_entry_free(&e);
			dl_boot_config_free(cfg);
			return -1;
		}
		dl_bls_entry_free(&e);
		cfg->def = cfg->nentries ? 0 : -1;
		return 0;
	}
	return dl_fail(err, DL_EUSAGE, "%s: unknown configuration format %s", name, format);
}

static size_t count_leaves(const struct dl_boot_config *cfg)
{
	size_t n = 0;
	for (size_t i = 0; i < cfg->nentries; i++)
		n += !cfg->entries[i].submenu;
	return n;
}

static bool has_conf(const struct dl_boot_io *io, const char *dir)
{
	char **names = NULL;
	size_t n = 0;
	struct dl_error e = {0};
	bool found = false;
	if (!io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &n, &e) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (l > 5 && strcmp(names[i] + l - 5, ".conf") == 0)
			found = true;
		free(names[i]);
	}
	free(names);
	return found;
}

int dl_boot_find(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	struct dl_boot_config empty;
	bool have_empty = false;
	memset(cfg, 0, sizeof(*cfg));
	cfg->def = cfg->fallback = cfg->timeout = -1;
	for (size_t i = 0; i < DL_ARRAY_SIZE(probes); i++) {
		char *buf;
		size_t len;
		int r = dl_io_read(io, NULL, probes[i].path, &buf, &len, err);
		if (r == DL_ABSENT)
			continue;
		if (r < 0)
			goto fail;
		r = dl_boot_parse(probes[i].format, probes[i].path, buf, len, io, cfg, err);
		free(buf);
		if (r < 0)
			goto fail;
		if (count_leaves(cfg))
			goto done;
		/* an empty menu (e.g. a stub, or blscfg with no entries): keep looking */
		dl_debug("%s: no menu entries", probes[i].path);
		if (!have_empty) {
			empty = *cfg;
			have_empty = true;
		} else {
			dl_boot_config_free(cfg);
		}
	}
	static const char *const bls_dirs[] = {"/loader/entries", "/boot/loader/entries"};
	for (size_t i = 0; i < DL_ARRAY_SIZE(bls_dirs); i++) {
		if (!has_conf(io, bls_dirs[i]))
			continue;
		if (dl_bls_config(io, bls_dirs[i], cfg, err) < 0)
			goto fail;
		if (count_leaves(cfg))
			goto done;
		dl_boot_config_free(cfg);
	}
	if (have_empty) {
		*cfg = empty;
		return 0;
	}
	return DL_NOT_MINE;
done:
	if (have_empty)
		dl_boot_config_free(&empty);
	return 0;
fail:
	if (have_empty)
		dl_boot_config_free(&empty);
	return -1;
}

bool dl_boot_entry_bootable(const struct dl_boot_entry *e)
{
	return e && !e->submenu && e->kind == DL_ENTRY_LINUX && e->kernel.path;
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

int dl_cfg_resolve_path(const struct dl_boot_config *cfg, const char *spec)
{
	int parent = -1;
	const char *p = spec;
	for (;;) {
		const char *e = strchr(p, '>');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int found = -1;
		if (all_digits(p, n)) {
			if (n > 6)
				return -1;
			long want = strtol(p, NULL, 10), k = 0;
			for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
				if (cfg->entries[i].parent == parent && k++ == want) {
					found = (int)i;
					break;
				}
		} else {
			for (size_t i = (size_t)(parent + 1); i < cfg->nentries; i++)
				if (cfg->entries[i].parent == parent &&
				    (eqn(cfg->entries[i].id, p, n) || eqn(cfg->entries[i].title, p, n))) {
					found = (int)i;
					break;
				}
		}
		if (found < 0)
			return -1;
		if (!e)
			return found;
		if (!cfg->entries[found].submenu)
			return -1;
		parent = found;
		p = e + 1;
	}
}

int dl_boot_select(const struct dl_boot_config *cfg, const char *spec, struct dl_error *err)
{
	const char *name = cfg->path ? cfg->path : "configuration";
	if (!spec) {
		int cand[2] = {cfg->def, cfg->fallback};
		for (int k = 0; k < 2; k++) {
			int i = dl_cfg_first_leaf(cfg, cand[k]);
			if (i >= 0 && dl_boot_entry_bootable(&cfg->entries[i])) {
				if (k)
					dl_warn("%s: default entry is not bootable, using fallback '%s'",
						name, cfg->entries[i].title ? cfg->entries[i].title : "");
				return i;
			}
		}
		for (size_t i = 0; i < cfg->nentries; i++)
			if (dl_boot_entry_bootable(&cfg->entries[i])) {
				if (cfg->def >= 0)
					dl_warn("%s: default entry is not bootable, using '%s'", name,
						cfg->entries[i].title ? cfg->entries[i].title : "");
				return (int)i;
			}
		return dl_fail(err, DL_ENOTFOUND, "%s: no bootable Linux entry", name);
	}
	int idx = -1;
	size_t sl = strlen(spec);
	if (all_digits(spec, sl)) {
		/* pygrub compatibility: an index over the leaves in file order,
		 * submenus flattened (pygrub.md §3.3). */
		long want = sl > 6 ? -1 : strtol(spec, NULL, 10), k = 0;
		for (size_t i = 0; i < cfg->nentries && want >= 0; i++)
			if (!cfg->entries[i].submenu && k++ == want) {
				idx = (int)i;
				break;
			}
		if (idx < 0)
			return dl_fail(err, DL_ENOTFOUND, "%s: no entry %s (the menu has %zu)", name,
				       spec, count_leaves(cfg));
	} else {
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
	}
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
