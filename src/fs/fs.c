/* TEMPORARY scaffolding until the fs branch lands (it replaces this file). */
#include "fs/fs.h"
#include <errno.h>
const struct dl_fs_ops *const dl_fs_backends[] = { NULL };
int dl_fs_mount(struct dl_fs **fsp, struct dl_volume *vol, struct dl_error *err)
{
	(void)fsp;
	dl_fail(err, DL_EUNSUPPORTED, "%s: no filesystem backend built", vol->name);
	return DL_NOT_MINE;
}
void dl_fs_unmount(struct dl_fs *fs) { (void)fs; }
int dl_fs_exists(struct dl_fs *fs, const char *path, struct dl_stat *st) { (void)fs; (void)path; (void)st; return -1; }
int dl_fs_resolve_file(struct dl_fs *fs, const char *path, struct dl_stat *st, struct dl_error *err)
{ (void)fs; (void)st; return dl_fail(err, DL_ENOTFOUND, "%s: not found", path); }
int dl_fs_read_file(struct dl_fs *fs, const char *path, size_t cap, char **buf, size_t *len, struct dl_error *err)
{ (void)fs; (void)cap; (void)buf; (void)len; return dl_fail(err, DL_ENOTFOUND, "%s: not found", path); }
