/* No configuration: the newest kernel of /boot (or /) with its own initrd. */
#include <string.h>

#include "boot/internal.h"

static bool has_name(char **names, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], want))
			return true;
	return false;
}

static int fallback_in(const struct dl_boot_io *io, const char *dir, struct dl_boot_config *cfg,
		       struct dl_error *err)
{
	char **names = NULL;
	size_t n = 0;
	struct dl_error lerr = {0};
	if (!io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &n, &lerr) != 0)
		return DL_NOT_MINE;
	const char *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *v = names[i];
		if (strncmp(v, "vmlinuz-", 8) || !v[8])
			continue;
		char *p = dl_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", v);
		int t = io->test_file ? io->test_file(io->ctx, NULL, p, 'f') : 1;
		free(p);
		if (t != 1)
			continue;
		if (!best || dl_vercmp(v + 8, best + 8) > 0)
			best = v;
	}
	const char *kname = best, *iname = NULL;
	char *ibuf = NULL;
	if (best) {
		static const char *const pats[] = {"initrd.img-%s", "initramfs-%s.img", "initrd-%s",
						   "initrd-%s.img"};
		for (size_t k = 0; k < DL_ARRAY_SIZE(pats) && !iname; k++) {
			free(ibuf);
			ibuf = dl_asprintf(pats[k], best + 8);
			if (has_name(names, n, ibuf))
				iname = ibuf;
		}
	} else if (has_name(names, n, "vmlinuz")) {
		kname = "vmlinuz";
		iname = has_name(names, n, "initrd.img") ? "initrd.img"
			: has_name(names, n, "initrd") ? "initrd" : NULL;
	}
	int r = DL_NOT_MINE;
	if (kname) {
		char *kp = dl_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", kname);
		dl_cfg_init(cfg, "fallback", dir);
		struct dl_boot_entry *e = dl_cfg_add_entry(cfg, dir, 0, err);
		e->title = dl_strdup(kname);
		e->id = dl_strdup(kname);
		e->kind = DL_ENTRY_LINUX;
		dl_path_set(&e->kernel, NULL, kp, NULL, NULL);
		e->args = dl_strdup("");
		if (iname) {
			char *ip = dl_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", iname);
			dl_entry_add_initrd(e, NULL, ip, NULL, NULL);
			free(ip);
		}
		cfg->def = 0;
		free(kp);
		r = 0;
	}
	free(ibuf);
	dl_strings_free(names, n);
	return r;
}

int dl_boot_fallback(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	int r = fallback_in(io, "/boot", cfg, err);
	if (r == DL_NOT_MINE)
		r = fallback_in(io, "/", cfg, err);
	return r;
}
