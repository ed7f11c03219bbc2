/* Teardown of --mount when the run is interrupted, and --cleanup-stale
 * for a run that could not tear down (SIGKILL). */
#include "mount/internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <linux/loop.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static const int teardown_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
					SIGALRM };
static struct dl_kmount *active;

long dl_km_name_pid(const char *name)
{
	size_t n = strlen(DL_KM_PREFIX);
	if (strncmp(name, DL_KM_PREFIX, n) || name[n] < '1' || name[n] > '9')
		return -1;
	char *end;
	long pid = strtol(name + n, &end, 10);
	return *end == '-' && pid > 0 ? pid : -1;
}

const char *dl_km_base(void)
{
	struct stat st;
	return stat("/run", &st) == 0 && S_ISDIR(st.st_mode) && access("/run", W_OK) == 0 ? "/run" : "/tmp";
}

void dl_km_block(bool block)
{
	sigset_t s;
	sigemptyset(&s);
	for (size_t i = 0; i < DL_ARRAY_SIZE(teardown_signals); i++)
		sigaddset(&s, teardown_signals[i]);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
}

/* Remove map name with the raw ioctl: libdevmapper is not
 * async-signal-safe. */
static void dm_remove_raw(const char *name)
{
	int fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	struct dm_ioctl io;
	memset(&io, 0, sizeof(io));
	io.version[0] = DM_VERSION_MAJOR;
	io.data_size = sizeof(io);
	io.data_start = sizeof(io);
	strncpy(io.name, name, sizeof(io.name) - 1);
	ioctl(fd, DM_DEV_REMOVE, &io);
	close(fd);
	char node[160] = "/dev/mapper/";
	strncat(node, name, sizeof(node) - strlen(node) - 1);
	unlink(node);
}

/* Only system calls: unmount, unmap, detach, rmdir; then die of sig.
 * The parsing child dies with us (PR_SET_PDEATHSIG). */
static void on_signal(int sig)
{
	struct dl_kmount *km = active;
	for (size_t i = km ? km->nv : 0; i-- > 0;) {
		struct dl_km_vol *v = km->v[i];
		if (v->rootfd >= 0)
			close(v->rootfd);
		if (v->mounted)
			umount2(v->dir, MNT_DETACH);
		if (v->map[0])
			dm_remove_raw(v->map);
		if (v->loop.fd >= 0)
			ioctl(v->loop.fd, LOOP_CLR_FD, 0);
		if (v->dir[0])
			rmdir(v->dir);
	}
	for (size_t i = 0; km && i < km->set->ndisks; i++)
		if (km->disk_loop[i].fd >= 0)
			ioctl(km->disk_loop[i].fd, LOOP_CLR_FD, 0);
	if (km && km->rundir[0])
		rmdir(km->rundir);
	signal(sig, SIG_DFL);
	raise(sig);
}

static struct sigaction saved[DL_ARRAY_SIZE(teardown_signals)];

/* Signals that would end the process tear down first; one ignored
 * (SIGPIPE, often) stays ignored. */
void dl_km_signals(struct dl_kmount *km)
{
	active = km;
	struct sigaction sa = { .sa_handler = on_signal };
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < DL_ARRAY_SIZE(teardown_signals); i++) {
		sigaction(teardown_signals[i], NULL, &saved[i]);
		if (saved[i].sa_handler == SIG_DFL)
			sigaction(teardown_signals[i], &sa, NULL);
	}
}

void dl_km_signals_off(void)
{
	active = NULL;
	for (size_t i = 0; i < DL_ARRAY_SIZE(teardown_signals); i++)
		if (saved[i].sa_handler == SIG_DFL)
			sigaction(teardown_signals[i], &saved[i], NULL);
}

/* ---- --cleanup-stale ---- */

static bool dead(long pid)
{
	return pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

struct stale {
	int failed;
	char what[200];
};

static void stale_map(void *ctx, const char *name)
{
	struct stale *s = ctx;
	if (!dead(dl_km_name_pid(name)))
		return;
	if (dl_km_dm_remove(name) < 0 && !s->failed++)   /* it says what it removed */
		snprintf(s->what, sizeof(s->what), "map %s", name);
}

/* Loop devices whose name (LOOP_GET_STATUS64's lo_file_name) is a dead
 * run's. */
static void stale_loops(struct stale *s)
{
	DIR *d = opendir("/sys/block");
	for (struct dirent *de; d && (de = readdir(d));) {
		if (strncmp(de->d_name, "loop", 4))
			continue;
		char path[300];
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		struct loop_info64 li;
		if (fd < 0)
			continue;
		if (ioctl(fd, LOOP_GET_STATUS64, &li) == 0 && dead(dl_km_name_pid((char *)li.lo_file_name))) {
			if (ioctl(fd, LOOP_CLR_FD, 0) < 0 && errno != ENXIO && !s->failed++)
				snprintf(s->what, sizeof(s->what), "loop device %.150s", path);
			else
				dl_info("--cleanup-stale: detached %s (%s)", path, (char *)li.lo_file_name);
		}
		close(fd);
	}
	if (d)
		closedir(d);
}

/* Run directories base/domuloader-<dead pid>-XXXXXX: rmdir only, so a
 * directory with anything left in it stays (and is reported). */
static void stale_dirs(const char *base, struct stale *s)
{
	DIR *d = opendir(base);
	for (struct dirent *de; d && (de = readdir(d));) {
		if (!dead(dl_km_name_pid(de->d_name)))
			continue;
		char dir[400];
		snprintf(dir, sizeof(dir), "%s/%s", base, de->d_name);
		DIR *sub = opendir(dir);
		for (struct dirent *e; sub && (e = readdir(sub));) {
			char p[700];
			if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			rmdir(p);
		}
		if (sub)
			closedir(sub);
		if (rmdir(dir) < 0 && !s->failed++)
			snprintf(s->what, sizeof(s->what), "directory %.140s: %.40s", dir, strerror(errno));
		else
			dl_info("--cleanup-stale: removed %s", dir);
	}
	if (d)
		closedir(d);
}

int dl_kmount_cleanup_stale(struct dl_error *err)
{
	struct stale s = { 0 };
	if (dl_km_dm_available())
		dl_km_dm_each(stale_map, &s);
	stale_loops(&s);
	stale_dirs("/run", &s);
	stale_dirs("/tmp", &s);
	if (s.failed)
		return dl_fail(err, DL_EIO, "--cleanup-stale: cannot remove %s%s", s.what,
			       s.failed > 1 ? " (and others; -v says which)" : "");
	return 0;
}
