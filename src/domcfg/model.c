/* struct dl_domcfg and struct dl_domdisk: freeing, and the names of disk
 * formats. */
#include "domcfg/domcfg.h"

#include <string.h>

void dl_domdisk_clear(struct dl_domdisk *d)
{
	free(d->target);
	free(d->format_name);
	free(d->vdev);
	free(d->driver);
	free(d->backendtype);
	free(d->script);
	free(d->bus);
	free(d->address);
	free(d->source_type);
	memset(d, 0, sizeof(*d));
}

void dl_domcfg_set_args(struct dl_domcfg *cfg, char **argv, size_t n)
{
	dl_strings_free(cfg->bootloader_args, cfg->nbootloader_args);
	cfg->bootloader_args = argv;
	cfg->nbootloader_args = n;
}

void dl_domcfg_free(struct dl_domcfg *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	free(cfg->kernel);
	free(cfg->ramdisk);
	free(cfg->cmdline);
	free(cfg->root);
	free(cfg->loader);
	free(cfg->firmware);
	free(cfg->bootloader);
	dl_domcfg_set_args(cfg, NULL, 0);
	for (size_t i = 0; i < cfg->ndisks; i++)
		dl_domdisk_clear(&cfg->disks[i]);
	free(cfg->disks);
	memset(cfg, 0, sizeof(*cfg));
}

const char *dl_dformat_name(enum dl_dformat f)
{
	static const char *const n[] = {
		[DL_DFMT_UNSET] = "", [DL_DFMT_RAW] = "raw", [DL_DFMT_QCOW] = "qcow",
		[DL_DFMT_QCOW2] = "qcow2", [DL_DFMT_VHD] = "vhd", [DL_DFMT_QED] = "qed",
		[DL_DFMT_EMPTY] = "empty", [DL_DFMT_OTHER] = "other",
	};
	return (unsigned)f < DL_ARRAY_SIZE(n) ? n[f] : "";
}
