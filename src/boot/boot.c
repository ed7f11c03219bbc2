/* Which parser reads which file: the probe order of a volume, --isconfig's
 * guess from a file name, and the dispatch to the parsers. */
#include <fnmatch.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "boot/internal.h"

/* Every parser, in the order dl_boot_parser_for_path() tries their globs. */
static const struct dl_boot_parser *const parsers[] = {
	&dl_grub2_parser, &dl_legacy_parser, &dl_syslinux_parser, &dl_bls_parser,
};

/* Where a volume's configuration is looked for, first found first. */
static const struct probe {
	const char *path;
	const struct dl_boot_parser *parser;
	bool dir;       /* a directory of entries, read when it holds a *.conf */
} probes[] = {
	/* pygrub's order: Grub.read_config in Xen's tools/pygrub/src/pygrub */
	{"/boot/grub/grub.cfg", &dl_grub2_parser, false},
	{"/grub/grub.cfg", &dl_grub2_parser, false},
	{"/boot/grub2/grub.cfg", &dl_grub2_parser, false},
	{"/grub2/grub.cfg", &dl_grub2_parser, false},
	{"/boot/isolinux/isolinux.cfg", &dl_syslinux_parser, false},
	{"/boot/extlinux/extlinux.conf", &dl_syslinux_parser, false},
	{"/boot/extlinux.conf", &dl_syslinux_parser, false},
	{"/extlinux/extlinux.conf", &dl_syslinux_parser, false},
	{"/extlinux.conf", &dl_syslinux_parser, false},
	{"/boot/grub/menu.lst", &dl_legacy_parser, false},
	{"/boot/grub/grub.conf", &dl_legacy_parser, false},
	{"/grub/menu.lst", &dl_legacy_parser, false},
	{"/grub/grub.conf", &dl_legacy_parser, false},
	/* beyond pygrub: the syslinux family's other homes */
	{"/boot/syslinux/syslinux.cfg", &dl_syslinux_parser, false},
	{"/syslinux/syslinux.cfg", &dl_syslinux_parser, false},
	{"/syslinux.cfg", &dl_syslinux_parser, false},
	{"/isolinux/isolinux.cfg", &dl_syslinux_parser, false},
	{"/isolinux.cfg", &dl_syslinux_parser, false},
	/* BLS entries without a grub.cfg that reads them (systemd-boot's,
	 * with loader.conf's default and timeout) */
	{"/loader/entries", &dl_bls_parser, true},
	{"/boot/loader/entries", &dl_bls_parser, true},
	/* systemd-boot's unified kernel images alone (BLS type #2) */
	{"/EFI/Linux", &dl_bls_parser, true},
	{"/boot/EFI/Linux", &dl_bls_parser, true},
	/* UEFI GRUB's configuration on the EFI system partition (often a stub
	 * that searches for the volume of the real one and configfiles it),
	 * and the same seen from the root filesystem: the vendor directories
	 * the boot entries name (EFI/debian, EFI/fedora...) in name order,
	 * then the removable-media path EFI/BOOT.  '*' is one directory. */
	{"/EFI/*/grub.cfg", &dl_grub2_parser, false},
	{"/boot/efi/EFI/*/grub.cfg", &dl_grub2_parser, false},
};

#define MAX_GLOB 32   /* directories one '*' of a probe stands for */

const struct dl_boot_parser *dl_boot_parser_named(const char *name)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(parsers); i++) {
		const struct dl_boot_parser *p = parsers[i];
		if (strcmp(p->name, name) == 0)
			return p;
		for (const char *const *a = p->aliases; a && *a; a++)
			if (strcmp(*a, name) == 0)
				return p;
	}
	return NULL;
}

const struct dl_boot_parser *dl_boot_parser_for_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < DL_ARRAY_SIZE(parsers); i++)
		for (const char *const *g = parsers[i]->globs; g && *g; g++)
			if (fnmatch(*g, strchr(*g, '/') ? path : base, 0) == 0)
				return parsers[i];
	return &dl_grub2_parser;
}

int dl_boot_parse_as(const struct dl_boot_parser *parser, const char *name, const char *buf,
		     size_t len, const struct dl_boot_io *io, struct dl_boot_config *cfg,
		     struct dl_error *err)
{
	if (len > DL_BOOT_MAX_FILE)
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", name, DL_BOOT_MAX_FILE);
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		/* a UTF-8 byte order mark from an editor */
		buf += 3;
		len -= 3;
	}
	return parser->parse(name, buf, len, io, cfg, err);
}

int dl_boot_parse(const char *format, const char *name, const char *buf, size_t len,
		  const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	const struct dl_boot_parser *parser = dl_boot_parser_named(format);
	if (!parser)
		return dl_fail(err, DL_EUSAGE, "%s: unknown configuration format %s", name, format);
	return dl_boot_parse_as(parser, name, buf, len, io, cfg, err);
}

/* 1 when dir holds a .conf file (EFI/Linux: a .efi file), 0 when not (or
 * no such dir), or the error of a directory over the entry cap: never "no
 * configuration". */
static int has_conf(const struct dl_boot_io *io, const char *dir, struct dl_error *err)
{
	size_t dl = strlen(dir);
	const char *suf = dl >= 10 && !strcasecmp(dir + dl - 10, "/EFI/Linux") ? ".efi" : ".conf";
	size_t sl = strlen(suf);
	char **names = NULL;
	size_t n = 0;
	struct dl_error e = {0};
	bool found = false;
	if (!io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &n, &e) != 0)
		return e.code == DL_ELIMIT ? dl_fail(err, e.code, "%s", e.msg) : 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (l > sl && strcasecmp(names[i] + l - sl, suf) == 0)
			found = true;
	}
	dl_strings_free(names, n);
	return found;
}

/* Vendor directories in name order, EFI/BOOT (the removable-media
 * fallback, which shim's fallback.efi turns into vendor entries) last. */
static int efi_order(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	bool bx = !strcasecmp(x, "BOOT"), by = !strcasecmp(y, "BOOT");
	if (bx != by)
		return bx ? 1 : -1;
	return strcmp(x, y);
}

/* The paths probe p stands for under home ("" or a directory of
 * dl_boot_io.homes), first tried first. */
static void probe_paths(const struct dl_boot_io *io, const char *home, const struct probe *p,
			struct dl_strv *out)
{
	const char *star = strstr(p->path, "/*/");
	if (!star) {
		dl_strv_push(out, dl_asprintf("%s%s", home, p->path));
		return;
	}
	_cleanup_free_ char *dir = dl_asprintf("%s%.*s", home, (int)(star - p->path), p->path);
	char **names = NULL;
	size_t n = 0;
	struct dl_error e = {0};
	if (!io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &n, &e) != 0)
		return;
	qsort(names, n, sizeof(*names), efi_order);
	for (size_t i = 0; i < n && i < MAX_GLOB; i++)
		dl_strv_push(out, dl_asprintf("%s/%s%s", dir, names[i], star + 2));
	dl_strings_free(names, n);
}

/* Parse path as p says: 0, DL_ABSENT when it is not there, or a negative
 * errno. */
static int probe(const struct dl_boot_io *io, const char *path, const struct probe *p,
		 struct dl_boot_config *cfg, struct dl_error *err)
{
	if (p->dir) {
		int r = has_conf(io, path, err);
		return r > 0 ? p->parser->parse_dir(io, path, cfg, err) : r < 0 ? r : DL_ABSENT;
	}
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = dl_io_read(io, NULL, path, &buf, &len, err);
	if (r != 0)
		return r;
	return dl_boot_parse_as(p->parser, path, buf, len, io, cfg, err);
}

/* One probe's path: 0 with a menu, DL_ABSENT, or a negative errno; the
 * first empty menu is kept in *empty. */
static int probe_one(const struct dl_boot_io *io, const char *path, const struct probe *p,
		     struct dl_boot_config *cfg, struct dl_boot_config *empty, bool *have_empty,
		     struct dl_error *err)
{
	int r = probe(io, path, p, cfg, err);
	if (r != 0)
		return r;
	if (dl_cfg_leaves(cfg))
		return 0;
	/* an empty menu (e.g. a stub, or blscfg with no entries): keep looking */
	if (!p->dir)
		dl_debug("%s: no menu entries", path);
	if (p->dir || *have_empty) {
		dl_boot_config_free(cfg);
		return DL_ABSENT;
	}
	*empty = *cfg;
	*have_empty = true;
	dl_cfg_init(cfg, NULL, NULL);
	return DL_ABSENT;
}

/* The probes under one home: 0 with a menu, DL_ABSENT, or a negative
 * errno; the first empty menu is kept in *empty. */
static int find_in(const struct dl_boot_io *io, const char *home, struct dl_boot_config *cfg,
		   struct dl_boot_config *empty, bool *have_empty, struct dl_error *err)
{
	int r = DL_ABSENT;
	for (size_t i = 0; i < DL_ARRAY_SIZE(probes) && r == DL_ABSENT; i++) {
		const struct probe *p = &probes[i];
		struct dl_strv paths = {0};
		probe_paths(io, home, p, &paths);
		for (size_t k = 0; k < paths.n && r == DL_ABSENT; k++)
			r = probe_one(io, paths.v[k], p, cfg, empty, have_empty, err);
		dl_strv_free(&paths);
	}
	return r;
}

int dl_boot_find(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	/* the first file whose menu came out empty, returned if nothing better exists */
	_cleanup_(dl_boot_config_free) struct dl_boot_config empty = {0};
	bool have_empty = false;
	dl_cfg_init(cfg, NULL, NULL);
	int r = find_in(io, "", cfg, &empty, &have_empty, err);
	if (r == DL_ABSENT && io->homes) {
		/* a system in a subvolume the volume's root does not show */
		char **homes = NULL;
		size_t n = 0;
		if (io->homes(io->ctx, &homes, &n) == 0)
			for (size_t k = 0; k < n && r == DL_ABSENT; k++)
				r = find_in(io, homes[k], cfg, &empty, &have_empty, err);
		dl_strings_free(homes, n);
	}
	if (r == 0 && have_empty && cfg->timeout < 0 && empty.format &&
	    !strcmp(empty.format, "grub2") && !strcmp(cfg->format, "bls")) {
		/* a grub.cfg whose blscfg found nothing itself, with BLS entries
		 * on the volume: GRUB's timeout is the one that applies */
		cfg->timeout = empty.timeout;
		if (cfg->timeout_style == DL_TIMEOUT_UNSET)
			cfg->timeout_style = empty.timeout_style;
	}
	if (r != DL_ABSENT)
		return r;
	if (!have_empty)
		return DL_NOT_MINE;
	*cfg = empty;
	dl_cfg_init(&empty, NULL, NULL);
	return 0;
}
