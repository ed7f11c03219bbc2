/* TEMPORARY scaffolding until the boot branch lands (delete then). */
#include "boot/boot.h"
int dl_boot_find(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{ (void)io; (void)cfg; (void)err; return 1; }
int dl_boot_select(const struct dl_boot_config *cfg, const char *spec, struct dl_error *err)
{ (void)cfg; (void)spec; return dl_fail(err, DL_ENOTFOUND, "no entries"); }
void dl_boot_list(const struct dl_boot_config *cfg, FILE *out, bool json) { (void)cfg; (void)out; (void)json; }
void dl_boot_config_free(struct dl_boot_config *cfg) { (void)cfg; }
int dl_boot_parse(const char *format, const char *name, const char *buf, size_t len,
		  const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{ (void)format; (void)buf; (void)len; (void)io; (void)cfg; return dl_fail(err, DL_EUNSUPPORTED, "%s: no parser built", name); }
