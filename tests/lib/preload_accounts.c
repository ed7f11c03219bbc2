/* Test-only LD_PRELOAD library (never installed): getpwnam, getpwuid and
 * getgrgid read the passwd and group files named by DL_TEST_PASSWD and
 * DL_TEST_GROUP instead of the system's, and so does fopen of /etc/passwd
 * and /etc/group (where the program reads them without NSS,
 * src/sandbox/users.c), so that a test can show the
 * program accounts that do not exist on the machine without touching its
 * real account database or needing a mount namespace (which a chroot
 * cannot make private).  Unset variables leave the real functions. */
#include <dlfcn.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct passwd *pw_find(const char *name, uid_t uid)
{
	FILE *f = fopen(getenv("DL_TEST_PASSWD"), "re");
	struct passwd *p = NULL;
	while (f && (p = fgetpwent(f)))
		if (name ? !strcmp(p->pw_name, name) : p->pw_uid == uid)
			break;
	if (f)
		fclose(f);
	return p;
}

struct passwd *getpwnam(const char *name)
{
	if (getenv("DL_TEST_PASSWD"))
		return pw_find(name, 0);
	struct passwd *(*real)(const char *) = (struct passwd * (*)(const char *))dlsym(RTLD_NEXT, "getpwnam");
	return real(name);
}

struct passwd *getpwuid(uid_t uid)
{
	if (getenv("DL_TEST_PASSWD"))
		return pw_find(NULL, uid);
	struct passwd *(*real)(uid_t) = (struct passwd * (*)(uid_t))dlsym(RTLD_NEXT, "getpwuid");
	return real(uid);
}

struct group *getgrgid(gid_t gid)
{
	if (!getenv("DL_TEST_GROUP")) {
		struct group *(*real)(gid_t) = (struct group * (*)(gid_t))dlsym(RTLD_NEXT, "getgrgid");
		return real(gid);
	}
	FILE *f = fopen(getenv("DL_TEST_GROUP"), "re");
	struct group *g = NULL;
	while (f && (g = fgetgrent(f)))
		if (g->gr_gid == gid)
			break;
	if (f)
		fclose(f);
	return g;
}

/* fopen("/etc/passwd"/"/etc/group") opens the test's files instead. */
static FILE *redirected(const char *path, const char *mode, const char *sym)
{
	const char *p = !strcmp(path, "/etc/passwd") ? getenv("DL_TEST_PASSWD")
		      : !strcmp(path, "/etc/group") ? getenv("DL_TEST_GROUP") : NULL;
	FILE *(*real)(const char *, const char *) = (FILE * (*)(const char *, const char *))dlsym(RTLD_NEXT, sym);
	return real(p ? p : path, mode);
}

FILE *fopen(const char *path, const char *mode)
{
	return redirected(path, mode, "fopen");
}

FILE *fopen64(const char *path, const char *mode)
{
	return redirected(path, mode, "fopen64");
}
