/* Who the parser runs as (dl_sandbox_pick_user), and where the default
 * identity is looked up without NSS.
 *
 * getpwnam() and friends load the modules /etc/nsswitch.conf names: on a
 * systemd host (Debian's default "files systemd") libnss_systemd with
 * libcap and libm, then a userdb query, about 2.5 ms of every run here
 * (bench/startup.sh; a listing takes 9).  So when the passwd and group
 * databases come from "files" and "systemd" alone, the default identity
 * (the user DL_SANDBOX_USER, else a free id of DL_SANDBOX_UID_FIRST..LAST)
 * is read from /etc/passwd and /etc/group here, as the files module would
 * read them.  The systemd module adds only dynamic users (ids 61184-65519),
 * homed users (60001-60513), machines' ranges (from 524288) and userdb
 * drop-in records: none of its ids lies in our range, and where a drop-in
 * directory or a dynamic user exists (which could carry the name
 * DL_SANDBOX_USER) NSS answers as before.  Anything else in nsswitch.conf
 * (ldap, sss, compat, actions, a line this does not read), and --runas,
 * also go through NSS. */
#include "sandbox/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The directories systemd's NSS module reads records from (userdb(5)'s
 * drop-ins) and where systemd keeps its dynamic users. */
static const char *const userdb_dirs[] = {
	"/etc/userdb", "/run/userdb", "/run/host/userdb", "/usr/local/lib/userdb",
	"/usr/lib/userdb", "/run/systemd/dynamic-uid",
};

/* Does root+dir hold anything? */
static bool dir_has_entries(const char *root, const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s%s", root, dir);
	DIR *d = opendir(path);
	if (!d)
		return errno != ENOENT && errno != ENOTDIR;   /* unreadable: say yes */
	struct dirent *e;
	bool any = false;
	while (!any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return any;
}

/* The sources of database db ("passwd", "group") in nsswitch.conf, checked
 * to be only "files" and "systemd" (on every line naming db, whichever of
 * them glibc takes); *systemd says whether the latter is one.  false:
 * something else, or no line for db (glibc's defaults then apply, which
 * NSS knows). */
static bool only_files_systemd(FILE *f, const char *db, bool *systemd)
{
	char line[1024];
	size_t dl = strlen(db);
	bool found = false, ok = true;
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");
		if (strncasecmp(p, db, dl) || p[dl] != ':')
			continue;
		found = true;
		char *save = NULL;
		int words = 0;
		for (char *w = strtok_r(p + dl + 1, " \t\r\n", &save); w && *w != '#';
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			words++;
			if (!strcmp(w, "systemd"))
				*systemd = true;
			else if (strcmp(w, "files"))
				ok = false;   /* another module, or an [ACTION] */
		}
		ok = ok && words > 0;
	}
	return found && ok;
}

/* May the default identity be read from the files here (see the top)? */
static bool files_decide(const char *root)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/etc/nsswitch.conf", root);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool systemd = false;
	bool ok = only_files_systemd(f, "passwd", &systemd) && only_files_systemd(f, "group", &systemd);
	fclose(f);
	if (ok && systemd)
		for (size_t i = 0; ok && i < DL_ARRAY_SIZE(userdb_dirs); i++)
			ok = !dir_has_entries(root, userdb_dirs[i]);
	return ok;
}

/* Each entry of root+rel (a passwd or group file) to fn: its name, its
 * third field (a uid, or a group's gid) and its fourth (a passwd entry's
 * gid).  Lines are read as glibc's files module reads them: leading blanks,
 * empty and '#' lines skipped, an entry whose id is not a number skipped.
 * (glibc's fgetpwent reads the same, but seeks twice per line.)  -1 when
 * the file cannot be read. */
typedef void entry_fn(void *ctx, const char *name, uint32_t id, uint32_t id2);
static int each_entry(const char *root, const char *rel, entry_fn *fn, void *ctx)
{
	char path[512];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		char *p = line + strspn(line, " \t"), *field[4];
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		size_t n = 0;
		for (char *c = p; n < 4; c++) {
			field[n++] = c;
			if (!(c = strchr(c, ':')))
				break;
			*c = '\0';
		}
		if (n < 4)
			field[3] = NULL;   /* a group line ends after its gid */
		if (n < 3)
			continue;
		char *end;
		errno = 0;
		unsigned long id = strtoul(field[2], &end, 10), id2 = 0;
		if (end == field[2] || (*end && *end != ':' && *end != '\n') || errno)
			continue;
		if (field[3])
			id2 = strtoul(field[3], NULL, 10);
		fn(ctx, p, (uint32_t)id, (uint32_t)id2);
	}
	free(line);
	fclose(f);
	return 0;
}

/* Bit i set: DL_SANDBOX_UID_FIRST + i has an entry. */
struct files_state {
	uint32_t used;
	bool found;
	uint32_t uid, gid;
};
_Static_assert(DL_SANDBOX_UID_LAST - DL_SANDBOX_UID_FIRST < 32, "the id mask is too small");

static void mark(struct files_state *st, uint32_t id)
{
	if (id >= DL_SANDBOX_UID_FIRST && id <= DL_SANDBOX_UID_LAST)
		st->used |= 1u << (id - DL_SANDBOX_UID_FIRST);
}

static void passwd_entry(void *ctx, const char *name, uint32_t uid, uint32_t gid)
{
	struct files_state *st = ctx;
	mark(st, uid);
	if (!st->found && !strcmp(name, DL_SANDBOX_USER)) {
		st->found = true;   /* the first entry of a name, as getpwnam */
		st->uid = uid;
		st->gid = gid;
	}
}

static void group_entry(void *ctx, const char *name, uint32_t gid, uint32_t unused)
{
	(void)name, (void)unused;
	mark(ctx, gid);
}

static int use_account(struct dl_sandbox_opts *o, uid_t uid, gid_t gid, struct dl_error *err)
{
	if (uid == 0)
		return dl_fail(err, DL_EUSAGE, "user %s: has uid 0, refusing to parse guest data as root",
			       DL_SANDBOX_USER);
	o->uid = uid;
	o->gid = gid != 0 ? gid : (gid_t)uid;
	return 0;
}

int dl_sandbox_pick_user_at(struct dl_sandbox_opts *o, uid_t runas, const char *root,
			    struct dl_error *err)
{
	if (runas != (uid_t)-1) {
		if (runas == 0)
			return dl_fail(err, DL_EUSAGE, "--runas=0: refusing to parse guest data as root");
		struct passwd *pw = getpwuid(runas);
		o->uid = runas;
		o->gid = pw && pw->pw_gid != 0 ? pw->pw_gid : (gid_t)runas;
		return 0;
	}
	struct files_state st = { 0 };
	/* the group file matters only when there is no such user */
	bool files = files_decide(root) && each_entry(root, "/etc/passwd", passwd_entry, &st) == 0 &&
		     (st.found || each_entry(root, "/etc/group", group_entry, &st) == 0);
	if (files && st.found)
		return use_account(o, st.uid, st.gid, err);
	if (!files) {
		struct passwd *pw = getpwnam(DL_SANDBOX_USER);
		if (pw)
			return use_account(o, pw->pw_uid, pw->pw_gid, err);
	}
	/* No account needed: the first id of the range with no passwd or
	 * group entry. */
	for (uint32_t id = DL_SANDBOX_UID_FIRST; id <= DL_SANDBOX_UID_LAST; id++) {
		bool taken = files ? (st.used >> (id - DL_SANDBOX_UID_FIRST)) & 1
				   : getpwuid((uid_t)id) || getgrgid((gid_t)id);
		if (!taken) {
			o->uid = (uid_t)id;
			o->gid = (gid_t)id;
			return 0;
		}
	}
	return dl_fail(err, DL_EUSAGE,
		       "no user '%s' and every id from %u to %u has an account: create the user or pass --runas",
		       DL_SANDBOX_USER, DL_SANDBOX_UID_FIRST, DL_SANDBOX_UID_LAST);
}

int dl_sandbox_pick_user(struct dl_sandbox_opts *o, uid_t runas, struct dl_error *err)
{
	return dl_sandbox_pick_user_at(o, runas, "", err);
}
