/* Test helper for the domain-configuration cases:
 *   domcfg_tool parse FILE           the model, one "key value" per line
 *                                    (boot_kind: disk, kernel or network)
 *   domcfg_tool rewrite FILE K R A   the direct-kernel-boot rewrite
 * Exit 0, or the error class with the message on stderr. */
#include <stdio.h>
#include <string.h>

#include "domcfg/domcfg.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = dl_malloc(DL_DOMCFG_MAX_SIZE + 1);
	*len = fread(buf, 1, DL_DOMCFG_MAX_SIZE + 1, f);
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct dl_error err = { 0 };
	size_t len;
	if (argc < 3)
		return 1;
	char *buf = slurp(argv[2], &len);
	if (!buf) {
		perror(argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "rewrite") && argc == 6) {
		size_t on;
		char *o = dl_domcfg_rewrite(DL_DIALECT_NONE, argv[2], buf, len, argv[3],
					    argv[4][0] ? argv[4] : NULL, argv[5][0] ? argv[5] : NULL, &on, &err);
		free(buf);
		if (!o)
			return fprintf(stderr, "%s\n", err.msg), err.code;
		fwrite(o, 1, on, stdout);
		free(o);
		return 0;
	}
	struct dl_domcfg c = { 0 };
	if (dl_domcfg_parse(&c, DL_DIALECT_NONE, argv[2], buf, len, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(buf);
		dl_domcfg_free(&c);
		return err.code;
	}
	static const char *const types[] = { "unset", "pv", "pvh", "hvm" };
	printf("dialect %s\nname %s\ntype %s\n", dl_domcfg_dialect_name(c.dialect),
	       c.name ? c.name : "", types[c.type]);
	if (c.have_uuid) {
		char u[37];
		dl_uuid_format(c.uuid, u);
		printf("uuid %s\n", u);
	}
	printf("kernel %s\nramdisk %s\ncmdline %s\nbootloader %s\n", c.kernel ? c.kernel : "",
	       c.ramdisk ? c.ramdisk : "", c.cmdline ? c.cmdline : "", c.bootloader ? c.bootloader : "");
	for (size_t i = 0; i < c.nbootloader_args; i++)
		printf("bootloader_arg %s\n", c.bootloader_args[i]);
	printf("boot %s\n", c.boot);
	static const char *const kinds[] = { "disk", "kernel", "network" };
	printf("boot_kind %s\n", kinds[dl_domcfg_boot_kind(&c)]);
	for (size_t i = 0; i < c.ndisks; i++) {
		const struct dl_domdisk *d = &c.disks[i];
		printf("disk %s %s %s %s%s\n", d->vdev ? d->vdev : "", d->target ? d->target : "-",
		       d->format ? dl_dformat_name(d->format) : "default", d->access == DL_ACCESS_RO ? "ro" : "rw",
		       d->cdrom ? " cdrom" : "");
	}
	size_t *order = dl_calloc(c.ndisks + 1, sizeof(size_t));
	size_t n = dl_domcfg_boot_disks(&c, order);
	printf("boot_disks");
	for (size_t i = 0; i < n; i++)
		printf(" %s", c.disks[order[i]].vdev);
	printf("\n");
	free(order);
	dl_domcfg_free(&c);
	free(buf);
	return 0;
}
