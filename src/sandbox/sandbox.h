/* The privilege boundary: a privileged broker and an unprivileged parser
 * child (docs/DESIGN.md, "The privilege boundary"; docs/SECURITY.md, "The
 * sandbox").
 *
 * The parent has opened the disks (their fds are in the set) and owns the
 * sink that writes payload files and the result.  dl_sandbox_run() forks a
 * child that confines itself (fds, environment, session, namespaces, empty
 * root, rlimits, unprivileged uid/gid, no_new_privs, Landlock, seccomp)
 * before it reads any guest byte, then runs the parsing pipeline, whose sink
 * calls travel as frames (proto.h).  The broker checks every frame, counts
 * payload bytes against the caps, validates copy ranges and the command
 * line, and forwards to the parent's sink.  A child that fails, dies or
 * runs out of time makes dl_sandbox_run() fail with the reason. */
#ifndef DL_SANDBOX_H
#define DL_SANDBOX_H

#include <sys/types.h>

#include "common.h"
#include "flow.h"

/* The child's work; dl_flow_run in the program, a fake in tests. */
typedef int (*dl_sandbox_body_fn)(const struct dl_request *req, struct dl_disk_set *set,
				  const struct dl_sink *sink, struct dl_error *err);

#define DL_SANDBOX_TIMEOUT_DEFAULT 60u     /* seconds of wall clock */
/* Seconds of parser CPU without --timeout: the largest legitimate guest
 * measured (a 512 MiB ramdisk, the cap, on zstd btrfs in a compressed
 * qcow2) takes about 3; hostile ones are cut by their own budgets first. */
#define DL_SANDBOX_CPU_DEFAULT 20u
#define DL_SANDBOX_USER "domuloader"       /* the configured default user */
/* Without --runas or the user above: the first of these ids that has no
 * passwd and no group entry.  Debian policy reserves 65000-65533 and
 * systemd's id ranges leave 65520-65533 unused, so no account or daemon
 * owns them (the man page, SECURITY). */
#define DL_SANDBOX_UID_FIRST 65520u
#define DL_SANDBOX_UID_LAST 65533u
#define DL_SANDBOX_MAX_DISKS 64u

/* Store pointers to every fd field disk d reads through (its own and those
 * of its qcow2 backing chain) in slots[0..max); return how many there are
 * (more than max is an error).  The child keeps exactly those fds. */
typedef size_t (*dl_sandbox_fd_slots_fn)(struct dl_disk *d, int **slots, size_t max);

struct dl_sandbox_opts {
	uid_t uid;               /* unprivileged identity; never 0 */
	gid_t gid;
	unsigned timeout_s;      /* wall clock; 0 = no timeout */
	unsigned cpu_s;          /* RLIMIT_CPU; 0 = timeout_s (or 60) */
	uint64_t max_as;         /* RLIMIT_AS bytes; 0 = derived from the kernel cap */
	dl_sandbox_body_fn body; /* required */
	dl_sandbox_fd_slots_fn fd_slots; /* NULL: each disk's fd only */
};

/* Defaults: timeout 60 s, body dl_flow_run is left to the caller (the
 * sandbox does not depend on the pipeline), identity unset. */
void dl_sandbox_opts_init(struct dl_sandbox_opts *o);

/* Choose the identity.  runas_uid != (uid_t)-1: that uid (0 refused with
 * DL_EUSAGE), its primary group when it has a passwd entry, else gid = uid
 * (pygrub's convention).  Otherwise the user DL_SANDBOX_USER if it exists,
 * else the first free id of DL_SANDBOX_UID_FIRST..LAST, silently.  Call in the parent (NSS lookups open
 * files; src/sandbox/users.c says when the files are read without NSS). */
int dl_sandbox_pick_user(struct dl_sandbox_opts *o, uid_t runas_uid, struct dl_error *err);
/* The same with the files (etc/nsswitch.conf, etc/passwd, etc/group, the
 * userdb directories) under root ("" for /), for tests. */
int dl_sandbox_pick_user_at(struct dl_sandbox_opts *o, uid_t runas_uid, const char *root,
			    struct dl_error *err);

/* Run o->body in the confined child (src/sandbox/run.c).  parent_sink gets
 * exactly the calls the child made, after checking; on failure (child
 * error, violation, death, timeout, sink failure) a negative errno value
 * with err set (a sink error it recorded itself in err wins) and the child
 * is reaped.  The caller removes the payload files on failure. */
int dl_sandbox_run(const struct dl_sandbox_opts *o, const struct dl_request *req,
		   struct dl_disk_set *set, const struct dl_sink *parent_sink,
		   struct dl_error *err);

/* The name of syscall nr on this architecture, NULL if unknown (from the
 * table generated with the seccomp filter). */
const char *dl_sandbox_syscall_name(long nr);

#endif
