/* Inside src/mount: the privileged side's devices and its teardown. */
#ifndef DL_MOUNT_INTERNAL_H
#define DL_MOUNT_INTERNAL_H

#include <sys/types.h>

#include "mount/mount.h"

#define DL_KM_PREFIX "domuloader-"

struct dl_km_loop {
	int fd;                   /* -1 when none */
	dev_t rdev;
	char path[32];
};

bool dl_km_dm_available(void);
int dl_km_loop_attach(int backing, uint64_t off, uint64_t size, const char *tag, struct dl_km_loop *lo,
		      struct dl_error *err);
void dl_km_loop_detach(struct dl_km_loop *lo);
/* Create map name read-only with table t; node gets its device node. */
int dl_km_dm_create(const char *name, const struct dl_dm_target *t, size_t n, char *node, size_t nsize,
		    struct dl_error *err);
int dl_km_dm_remove(const char *name);
int dl_km_dm_each(void (*fn)(void *ctx, const char *name), void *ctx);

/* The pid in a name "domuloader-<pid>-...", or -1. */
long dl_km_name_pid(const char *name);
/* Where run directories are made: /run when it is a directory, else /tmp. */
const char *dl_km_base(void);

/* One mounted (or failed) volume of a run. */
struct dl_km_vol {
	struct dl_sbuf key;       /* the volume part of its requests */
	char name[128];           /* domuloader-<pid>-<vol>: its map's and loop's name */
	char map[128];            /* device-mapper name, "" when none */
	char node[160];           /* the device mounted */
	struct dl_km_loop loop;   /* its own loop device (no device-mapper) */
	char dir[200];            /* mount point, "" when not made */
	bool mounted;
	int rootfd;               /* O_PATH of the mount's root, -1 */
	struct dl_error err;      /* why it cannot be mounted, code 0 when it is */
};

struct dl_kmount {
	struct dl_disk_set *set;
	long pid;
	char rundir[160];         /* base/domuloader-<pid>-XXXXXX, "" until made */
	struct dl_km_loop *disk_loop;   /* per disk, for maps over image files */
	char (*disk_dev)[32];           /* per disk "MAJ:MIN" for tables, "" unknown */
	struct dl_km_vol **v;
	size_t nv, cap;
};

/* Tear down what vol holds (unmount, unmap, detach, rmdir). */
void dl_km_vol_teardown(struct dl_km_vol *vol);
/* Signal handlers that tear km down and die of the signal. */
void dl_km_signals(struct dl_kmount *km);
void dl_km_signals_off(void);
/* Block or unblock the signals above around changes to km. */
void dl_km_block(bool block);

#endif
