/* Which parser reads which file: the probe order of a volume, --isconfig's
 * guess from a file name, and the dispatch to the parsers. */
#include <fnmatch.h>
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
	/* BLS entries without a grub.cfg that reads them */
	{"/loader/entries", &dl_bls_parser, true},
	{"/boot/loader/entries", &dl_bls_parser, true},
};

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

/* 1 when dir holds a .conf file, 0 when not (or no such dir), or the
 * error of a directory over the entry cap: never "no configuration". */
static int has_conf(const struct dl_boot_io *io, const char *dir, struct dl_error *err)
{
	char **names = NULL;
	size_t n = 0;
	struct dl_error e = {0};
	bool found = false;
	if (!io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &n, &e) != 0)
		return e.code == DL_ELIMIT ? dl_fail(err, e.code, "%s", e.msg) : 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (l > 5 && strcmp(names[i] + l - 5, ".conf") == 0)
			found = true;
	}
	dl_strings_free(names, n);
	return found;
}

/* Parse what p names: 0, DL_ABSENT when it is not there, or a negative errno. */
static int probe(const struct dl_boot_io *io, const struct probe *p, struct dl_boot_config *cfg,
		 struct dl_error *err)
{
	if (p->dir) {
		int r = has_conf(io, p->path, err);
		return r > 0 ? p->parser->parse_dir(io, p->path, cfg, err) : r < 0 ? r : DL_ABSENT;
	}
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = dl_io_read(io, NULL, p->path, &buf, &len, err);
	if (r != 0)
		return r;
	return dl_boot_parse_as(p->parser, p->path, buf, len, io, cfg, err);
}

int dl_boot_find(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	/* the first file whose menu came out empty, returned if nothing better exists */
	_cleanup_(dl_boot_config_free) struct dl_boot_config empty = {0};
	bool have_empty = false;
	dl_cfg_init(cfg, NULL, NULL);
	for (size_t i = 0; i < DL_ARRAY_SIZE(probes); i++) {
		const struct probe *p = &probes[i];
		int r = probe(io, p, cfg, err);
		if (r == DL_ABSENT)
			continue;
		if (r < 0)
			return r;
		if (dl_cfg_leaves(cfg))
			return 0;
		/* an empty menu (e.g. a stub, or blscfg with no entries): keep looking */
		if (!p->dir)
			dl_debug("%s: no menu entries", p->path);
		if (p->dir || have_empty) {
			dl_boot_config_free(cfg);
			continue;
		}
		empty = *cfg;
		have_empty = true;
		dl_cfg_init(cfg, NULL, NULL);
	}
	if (!have_empty)
		return DL_NOT_MINE;
	*cfg = empty;
	dl_cfg_init(&empty, NULL, NULL);
	return 0;
}
