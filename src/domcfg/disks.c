/* Which disks a bootloader opens, in which order, and by which host path. */
#include "domcfg/domcfg.h"

#include <string.h>

int dl_boot_char(int c)
{
	switch (c) {
	case 'a': case 'c': case 'd': case 'n': return c;
	default: return 0;
	}
}

static bool disk_class(const struct dl_domdisk *d, int c)
{
	switch (c) {
	case 'a': return d->floppy;
	case 'd': return d->cdrom && !d->floppy;
	case 'c': return !d->cdrom && !d->floppy;
	default: return false;
	}
}

static bool openable(const struct dl_domdisk *d)
{
	return d->target && d->target[0] && d->format != DL_DFMT_EMPTY;
}

size_t dl_domcfg_boot_order(const struct dl_domcfg *cfg, size_t *order)
{
	size_t n = 0;
	size_t nd = cfg->ndisks;
	bool *used = dl_calloc(nd ? nd : 1, sizeof(bool));
#define TAKE(i) do { if (!used[i] && openable(&cfg->disks[i])) { used[i] = true; order[n++] = (i); } } while (0)
	/* libvirt per-device <boot order='N'/>, ascending */
	for (;;) {
		int best = -1;
		for (size_t i = 0; i < nd; i++) {
			const struct dl_domdisk *d = &cfg->disks[i];
			if (d->boot_order > 0 && !used[i] && openable(d) &&
			    (best < 0 || d->boot_order < cfg->disks[best].boot_order))
				best = (int)i;
		}
		if (best < 0)
			break;
		TAKE((size_t)best);
	}
	/* the boot order is an HVM firmware setting: libxl, xend and libvirt
	 * ignore it for PV/PVH, whose bootloader gets disks[0] */
	const char *boot = "";
	if (cfg->type == DL_DOMTYPE_HVM)
		boot = cfg->boot[0] ? cfg->boot : "cda";
	for (const char *p = boot; *p; p++) {
		/* bootable disks of the class first, then the rest in order */
		for (size_t i = 0; i < nd; i++)
			if (cfg->disks[i].bootable && disk_class(&cfg->disks[i], *p))
				TAKE(i);
		for (size_t i = 0; i < nd; i++)
			if (disk_class(&cfg->disks[i], *p))
				TAKE(i);
	}
	for (size_t i = 0; i < nd; i++)
		if (cfg->disks[i].bootable)
			TAKE(i);
	for (size_t i = 0; i < nd; i++)
		TAKE(i);
#undef TAKE
	free(used);
	return n;
}

size_t dl_domcfg_boot_disks(const struct dl_domcfg *cfg, size_t *order)
{
	size_t n = dl_domcfg_boot_order(cfg, order);
	if (!n)
		return 0;
	const struct dl_domdisk *first = &cfg->disks[order[0]];
	if (first->cdrom || first->floppy)
		return 1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!cfg->disks[order[i]].cdrom && !cfg->disks[order[i]].floppy)
			order[k++] = order[i];
	return k;
}

char *dl_domdisk_path(const struct dl_domdisk *d)
{
	if (!openable(d))
		return NULL;
	if (d->script && d->script[0])
		return NULL;  /* iscsi:, nbd:, drbd: ... targets are not paths */
	if (d->source_type && strcmp(d->source_type, "file") && strcmp(d->source_type, "block"))
		return NULL;  /* libvirt network/volume sources */
	if (d->target[0] == '/')
		return dl_strdup(d->target);
	return dl_asprintf("/dev/%s", d->target);
}

const char *dl_domcfg_basename(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

bool dl_domcfg_bootloader_ours(const char *bootloader)
{
	static const char *const ours[] = { "pygrub", "domuloader", "domUloader", "domUloader.py" };
	const char *b = dl_domcfg_basename(bootloader);
	for (size_t i = 0; i < DL_ARRAY_SIZE(ours); i++)
		if (!strcmp(b, ours[i]))
			return true;
	return false;
}

/* PV-GRUB (pv-grub-x86_64.gz, pvgrub64.bin, grub-x86_64-xen.bin): a kernel
 * that boots the guest's own GRUB configuration off its disk. */
static bool pvgrub(const char *kernel)
{
	return strstr(dl_domcfg_basename(kernel), "grub") != NULL;
}

enum dl_domboot dl_domcfg_boot_kind(const struct dl_domcfg *cfg)
{
	bool kernel = cfg->kernel && cfg->kernel[0];
	if (cfg->type == DL_DOMTYPE_HVM) {
		if (kernel)
			return DL_DOMBOOT_KERNEL;    /* the loader stays; qemu -kernel */
		return cfg->boot[0] == 'n' ? DL_DOMBOOT_NETWORK : DL_DOMBOOT_DISK;
	}
	if (cfg->bootloader && cfg->bootloader[0])
		return !strcmp(dl_domcfg_basename(cfg->bootloader), "pypxeboot") ? DL_DOMBOOT_NETWORK
										  : DL_DOMBOOT_DISK;
	if (cfg->firmware && pvgrub(cfg->firmware))
		return DL_DOMBOOT_DISK;          /* xl firmware = "pvgrub64" */
	if (kernel && !pvgrub(cfg->kernel))
		return DL_DOMBOOT_KERNEL;
	return DL_DOMBOOT_DISK;
}
