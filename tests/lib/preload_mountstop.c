/* Test-only LD_PRELOAD library (never installed): with DL_TEST_MOUNTSTOP
 * set, the process stops itself (SIGSTOP) right after mount(2) has
 * mounted a guest volume on a --mount run directory, so that a test can
 * kill a run exactly while it holds loop devices, maps and mounts. */
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

int mount(const char *src, const char *target, const char *type, unsigned long flags, const void *data)
{
	int (*real)(const char *, const char *, const char *, unsigned long, const void *) =
		(int (*)(const char *, const char *, const char *, unsigned long, const void *))dlsym(RTLD_NEXT,
												     "mount");
	int r = real(src, target, type, flags, data);
	if (r == 0 && getenv("DL_TEST_MOUNTSTOP") && target && strstr(target, "/domuloader-"))
		raise(SIGSTOP);
	return r;
}
