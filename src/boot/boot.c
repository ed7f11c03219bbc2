/* Discovery (probe order) and format dispatch. */
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
		if (dl_cfg_leaves(cfg))
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
		if (dl_cfg_leaves(cfg))
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
