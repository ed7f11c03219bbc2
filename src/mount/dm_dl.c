/* libdevmapper's functions that --mount calls, forwarded to the library
 * loaded on first use (src/dlib.h says why it is not linked).  Each
 * forwarder has the header's own prototype; the versions are those the
 * linker recorded when it was linked directly. */
#include "dlib.h"

#include <libdevmapper.h>

#define SYM(name, ver) \
	static __typeof__(&name) fp; \
	if (!fp) \
		fp = (__typeof__(&name))dl_lib_sym(&dl_libdevmapper, #name, ver)
#define B "Base"

void dm_log_with_errno_init(dm_log_with_errno_fn f)
{
	SYM(dm_log_with_errno_init, B);
	fp(f);
}

void dm_udev_set_sync_support(int sync_with_udev)
{
	SYM(dm_udev_set_sync_support, B);
	fp(sync_with_udev);
}

int dm_udev_wait(uint32_t cookie)
{
	SYM(dm_udev_wait, B);
	return fp(cookie);
}

int dm_driver_version(char *version, size_t size)
{
	SYM(dm_driver_version, B);
	return fp(version, size);
}

const char *dm_dir(void)
{
	SYM(dm_dir, B);
	return fp();
}

struct dm_task *dm_task_create(int type)
{
	SYM(dm_task_create, B);
	return fp(type);
}

void dm_task_destroy(struct dm_task *dmt)
{
	SYM(dm_task_destroy, B);
	fp(dmt);
}

int dm_task_set_name(struct dm_task *dmt, const char *name)
{
	SYM(dm_task_set_name, B);
	return fp(dmt, name);
}

int dm_task_set_ro(struct dm_task *dmt)
{
	SYM(dm_task_set_ro, B);
	return fp(dmt);
}

int dm_task_set_cookie(struct dm_task *dmt, uint32_t *cookie, uint16_t flags)
{
	SYM(dm_task_set_cookie, B);
	return fp(dmt, cookie, flags);
}

int dm_task_retry_remove(struct dm_task *dmt)
{
	SYM(dm_task_retry_remove, B);
	return fp(dmt);
}

int dm_task_add_target(struct dm_task *dmt, uint64_t start, uint64_t size, const char *ttype,
		       const char *params)
{
	SYM(dm_task_add_target, B);
	return fp(dmt, start, size, ttype, params);
}

int dm_task_run(struct dm_task *dmt)
{
	SYM(dm_task_run, B);
	return fp(dmt);
}

int dm_task_get_info(struct dm_task *dmt, struct dm_info *dmi)
{
	SYM(dm_task_get_info, "DM_1_02_97");
	return fp(dmt, dmi);
}

struct dm_names *dm_task_get_names(struct dm_task *dmt)
{
	SYM(dm_task_get_names, B);
	return fp(dmt);
}
