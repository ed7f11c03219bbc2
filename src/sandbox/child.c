/* The unprivileged side: demote in a fixed order, then parse.
 *
 * Order (docs/SECURITY.md, "The sandbox"; OpenSSH's privsep_child_demote()):
 * parent-death signal, fds, stderr to the log pipe, environment, session,
 * namespaces, empty root, rlimits, identity, no_new_privs + non-dumpable,
 * Landlock, seccomp.  Only then does the child run the pipeline, whose
 * sink writes frames (proto.h) to the broker.  Any setup failure ends the
 * child before it has read a guest byte. */
#include "sandbox/sandbox.h"
#include "sandbox/proto.h"
#include "sandbox/layout.h"
#include "part/part.h"
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <linux/magic.h>
#include <sched.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>

#define DL_UNSHARE (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWUTS)

/* Fixed fd layout inside the child (sandbox/layout.h). */
enum {
	FD_NULL = DL_CHILD_FD_NULL, FD_OUT = DL_CHILD_FD_OUT, FD_LOG = DL_CHILD_FD_LOG,
	FD_FRAME = DL_CHILD_FD_FRAME, FD_DISK0 = DL_CHILD_FD_DISK0
};
/* Descriptors that call replies may bring, open at the same time. */
#define DL_CHILD_RECEIVED_FDS 256

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define DL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define DL_SANITIZED 1
#endif
#endif
#ifndef DL_SANITIZED
#define DL_SANITIZED 0
#endif

/* Setup failures before the pipeline runs: a plain note on the log pipe
 * (the broker quotes the last line) and a distinct exit status. */
__attribute__((noreturn, format(printf, 1, 2)))
static void die_setup(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(msg) - 2)
		n = (int)sizeof(msg) - 2;
	msg[n++] = '\n';
	ssize_t w = write(FD_LOG, msg, (size_t)n);
	(void)w;
	_exit(DL_ESANDBOX);
}

/* ---- the frame-writing sink ---- */

struct child_sink {
	int fd;
	struct dl_error *err;
	size_t n;                 /* bytes queued in outbuf */
	struct dl_window *win;    /* payload bytes go here (proto.h); NULL: in DATA frames */
};

/* Small frames are queued and written in batches: each write wakes the
 * broker, and on a loaded dom0 every wakeup costs a scheduling delay.  The
 * queue goes out when full, before DATA (payload bytes stream), at the END
 * of each payload file (the broker copies it while the child goes on), and
 * with DONE or ERROR. */
#define OUTBUF_SIZE (64u * 1024)
static uint8_t outbuf[OUTBUF_SIZE];

/* 0, or a negative errno value (the pipe is gone: the broker has stopped). */
static int flush_frames(struct child_sink *c)
{
	int r = c->n ? dl_write_full(c->fd, outbuf, c->n) : 0;
	c->n = 0;
	return r;
}

static int queue_frame(struct child_sink *c, uint32_t type, const void *a, size_t alen,
		       const void *b, size_t blen)
{
	size_t need = sizeof(struct dl_msg_hdr) + alen + blen;
	bool direct = type == DL_MSG_DATA || type == DL_MSG_WDATA || need > OUTBUF_SIZE;
	if (direct || need > OUTBUF_SIZE - c->n) {
		int r = flush_frames(c);
		if (r < 0)
			return r;
	}
	if (direct)
		return dl_frame_write(c->fd, type, a, alen, b, blen);
	struct dl_msg_hdr h = { .type = type, .len = (uint32_t)(alen + blen) };
	memcpy(outbuf + c->n, &h, sizeof(h));
	c->n += sizeof(h);
	if (alen)
		memcpy(outbuf + c->n, a, alen);
	c->n += alen;
	if (blen)
		memcpy(outbuf + c->n, b, blen);
	c->n += blen;
	return 0;
}

static int send_frame(struct child_sink *c, uint32_t type, const void *a, size_t alen,
		      const void *b, size_t blen)
{
	int r = queue_frame(c, type, a, alen, b, blen);
	if (r < 0)
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: cannot write to the broker: %s",
			       strerror(-r));
	return 0;
}

static int cs_listing(void *ctx, const char *text, size_t len)
{
	while (len > 0) {
		size_t k = DL_MIN(len, (size_t)DL_MSG_LISTING_MAX);
		int r = send_frame(ctx, DL_MSG_LISTING, text, k, NULL, 0);
		if (r < 0)
			return r;
		text += k;
		len -= k;
	}
	return 0;
}

static int cs_begin(void *ctx, enum dl_payload_kind kind)
{
	struct dl_msg_begin m = { .kind = (uint32_t)kind };
	return send_frame(ctx, DL_MSG_BEGIN, &m, sizeof(m), NULL, 0);
}

/* Through the window: a WDATA frame per slot, the bytes copied into it
 * unless they were made there (cs_buffer). */
static int cs_data(void *ctx, const void *buf, size_t len)
{
	struct child_sink *c = ctx;
	const uint8_t *p = buf;
	while (len > 0) {
		size_t k = DL_MIN(len, (size_t)(c->win ? DL_WINDOW_SLOT : DL_MSG_DATA_MAX));
		int r;
		if (c->win) {
			uint8_t *slot = dl_window_slot(c->win, k);
			if (slot != p)
				memmove(slot, p, k);
			struct dl_msg_wdata m = { .len = (uint32_t)k };
			r = send_frame(ctx, DL_MSG_WDATA, &m, sizeof(m), NULL, 0);
			if (r == 0)
				dl_window_filled(c->win);
		} else {
			r = send_frame(ctx, DL_MSG_DATA, p, k, NULL, 0);
		}
		if (r < 0)
			return r;
		p += k;
		len -= k;
	}
	return 0;
}

/* The window's next slot, for a producer to make its next *len bytes in. */
static void *cs_buffer(void *ctx, size_t *len)
{
	struct child_sink *c = ctx;
	if (!c->win)
		return NULL;
	*len = DL_MIN(*len, (size_t)DL_WINDOW_SLOT);
	return dl_window_slot(c->win, *len);
}

static int cs_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	struct child_sink *c = ctx;
	if (disk < 0 || len == 0)
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: bad copy range");
	struct dl_msg_copy m = { .disk = (uint32_t)disk, .off = off, .len = len };
	return send_frame(ctx, DL_MSG_COPY, &m, sizeof(m), NULL, 0);
}

static int cs_end(void *ctx)
{
	struct child_sink *c = ctx;
	int r = send_frame(c, DL_MSG_END, NULL, 0, NULL, 0);
	if (r < 0)
		return r;
	r = flush_frames(c);
	if (r < 0)
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: cannot write to the broker: %s",
			       strerror(-r));
	return 0;
}

static int cs_result(void *ctx, const struct dl_result *r)
{
	struct child_sink *c = ctx;
	struct dl_sbuf b = { 0 };
	int rc = dl_record_pack(&dl_result_type, r, &b, c->err);
	if (rc == 0)
		rc = send_frame(c, DL_MSG_RESULT, b.p, b.len, NULL, 0);
	dl_sbuf_free(&b);
	return rc;
}

/* Exactly len bytes of the parent's frame; the first read may bring a
 * descriptor (SCM_RIGHTS), which lands in *fd.  0, or a negative errno. */
static int recv_exact(int sock, void *buf, size_t len, int *fd)
{
	uint8_t *p = buf;
	while (len) {
		struct iovec iov = { .iov_base = p, .iov_len = len };
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(int))];
		} u;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = fd ? u.b : NULL, .msg_controllen = fd ? sizeof(u.b) : 0 };
		ssize_t k = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -EPIPE;
		if (fd && (mh.msg_flags & MSG_CTRUNC))
			return -EMFILE;
		for (struct cmsghdr *c = fd ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
			    c->cmsg_len == CMSG_LEN(sizeof(int))) {
				if (*fd >= 0)
					close(*fd);
				memcpy(fd, CMSG_DATA(c), sizeof(int));
			}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* A parent-to-child frame, REPLY or ASK only, checked before its payload
 * is read; *buf is malloc'd (len + 1 bytes, NUL-terminated). */
static int recv_parent_frame(struct child_sink *c, uint32_t *type, int32_t *head, uint8_t **buf,
			     size_t *len, int *fd)
{
	struct dl_msg_hdr h;
	int r = recv_exact(c->fd, &h, sizeof(h), fd);
	if (r < 0)
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: cannot read from the broker: %s", strerror(-r));
	if ((h.type != DL_MSG_REPLY && h.type != DL_MSG_ASK) || h.len < sizeof(*head) ||
	    h.len > sizeof(*head) + DL_CALL_MAX)
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: bad frame from the broker");
	*type = h.type;
	*len = h.len - sizeof(*head);
	*buf = dl_malloc(*len + 1);
	r = recv_exact(c->fd, head, sizeof(*head), NULL);
	if (r == 0)
		r = recv_exact(c->fd, *buf, *len, NULL);
	if (r < 0) {
		free(*buf);
		*buf = NULL;
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: cannot read from the broker: %s", strerror(-r));
	}
	(*buf)[*len] = '\0';
	return 0;
}

/* The parent's question while it answers our call: answered through back,
 * or with an error when the caller serves nothing. */
static int answer_ask(struct child_sink *c, const struct dl_asker *back, const uint8_t *q,
		      size_t len)
{
	struct dl_sbuf a = { .max = DL_CALL_MAX };
	struct dl_error e = { 0 };
	int r = back ? back->ask(back->ctx, q, len, &a, &e)
		     : dl_fail(&e, DL_EUNSUPPORTED, "no questions served here");
	struct dl_msg_call m = { .op = (uint32_t)(int32_t)(r < 0 ? r : 0) };
	if (r < 0 && !e.code)
		dl_fail(&e, DL_EIO, "failed");
	r = r < 0 ? send_frame(c, DL_MSG_ANSWER, &m, sizeof(m), e.msg,
			       strnlen(e.msg, DL_MSG_ERROR_TEXT_MAX))
		  : send_frame(c, DL_MSG_ANSWER, &m, sizeof(m), a.p, a.len);
	dl_sbuf_free(&a);
	if (r == 0 && (r = flush_frames(c)) < 0)
		r = dl_fail(c->err, DL_ESANDBOX, "sandbox: cannot write to the broker: %s", strerror(-r));
	return r;
}

static int cs_call(void *ctx, uint32_t op, const void *req, size_t len, const struct dl_asker *back,
		   struct dl_reply *rep, struct dl_error *err)
{
	struct child_sink *c = ctx;
	*rep = (struct dl_reply){ .fd = -1 };
	if (len > DL_CALL_MAX)
		return dl_fail(err, DL_ELIMIT, "request %u larger than %u bytes", op, DL_CALL_MAX);
	struct dl_msg_call m = { .op = op };
	int r = send_frame(c, DL_MSG_CALL, &m, sizeof(m), req, len);
	if (r == 0 && (r = flush_frames(c)) < 0)
		return dl_fail(c->err, DL_ESANDBOX, "sandbox: cannot write to the broker: %s", strerror(-r));
	for (; r == 0;) {
		uint32_t type = 0;
		int32_t status = 0;
		uint8_t *buf = NULL;
		size_t n = 0;
		int fd = -1;
		r = recv_parent_frame(c, &type, &status, &buf, &n, &fd);
		if (r < 0)
			break;
		if (type == DL_MSG_ASK) {
			if (fd >= 0)
				close(fd);
			r = answer_ask(c, back, buf, n);
			free(buf);
			continue;
		}
		if (status < 0) {
			if (fd >= 0)
				close(fd);
			dl_sanitize_text((char *)buf, n);
			r = dl_fail(err, dl_errno_code(status), "%s", (char *)buf);
			free(buf);
			return r;
		}
		*rep = (struct dl_reply){ .buf = buf, .len = n, .fd = fd };
		return 0;
	}
	return r;
}

/* dl_log() inside the child becomes LOG frames. */
static void cs_log(void *ctx, int level, const char *msg)
{
	struct child_sink *c = ctx;
	struct dl_msg_log m = { .level = (uint32_t)level };
	size_t n = strlen(msg);
	if (n == 0)
		return;
	if (n > DL_MSG_LOG_TEXT_MAX)
		n = DL_MSG_LOG_TEXT_MAX;
	(void)queue_frame(c, DL_MSG_LOG, &m, sizeof(m), msg, n);
}

/* ---- confinement steps ---- */

/* Keepers to a fixed low layout, everything else closed: 0 /dev/null,
 * 1 and 2 the log pipe, 3 the frame pipe, then each distinct disk fd (the
 * disks' own and, through o->fd_slots, those of qcow2 backing files),
 * rewritten in the child's copy of the disk structures.  Returns the first
 * free fd number. */
#define MAX_SLOTS (4 * DL_SANDBOX_MAX_DISKS)
static int setup_fds(const struct dl_sandbox_opts *o, struct dl_disk_set *set, int frame_fd,
		     int log_fd)
{
	int *slot[MAX_SLOTS];
	size_t ns = 0;
	for (size_t i = 0; i < set->ndisks; i++) {
		struct dl_disk *d = set->disks[i];
		if (o->fd_slots) {
			size_t k = o->fd_slots(d, slot + ns, MAX_SLOTS - ns);
			if (k > MAX_SLOTS - ns)
				die_setup("sandbox: more than %u disk descriptors", MAX_SLOTS);
			ns += k;
		} else if (d->fd >= 0) {
			slot[ns++] = &d->fd;
		}
	}
	/* Distinct fd values, in order of first appearance. */
	int val[MAX_SLOTS];
	size_t nv = 0;
	for (size_t i = 0; i < ns; i++) {
		size_t k = 0;
		while (k < nv && val[k] != *slot[i])
			k++;
		if (k == nv && *slot[i] >= 0)
			val[nv++] = *slot[i];
	}
	int top = FD_DISK0 + (int)nv;
	int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
	/* Stage every keeper above the final layout, then place them. */
	int st_log = fcntl(log_fd, F_DUPFD_CLOEXEC, top);
	int st_frame = fcntl(frame_fd, F_DUPFD_CLOEXEC, top);
	int st_null = nullfd >= 0 ? fcntl(nullfd, F_DUPFD_CLOEXEC, top) : -1;
	int st[MAX_SLOTS];
	if (st_log < 0 || st_frame < 0)
		_exit(DL_ESANDBOX);
	for (size_t k = 0; k < nv; k++)
		if ((st[k] = fcntl(val[k], F_DUPFD_CLOEXEC, top)) < 0)
			_exit(DL_ESANDBOX);
	if (dup2(st_log, FD_LOG) < 0 || dup2(st_log, FD_OUT) < 0 || dup2(st_frame, FD_FRAME) < 0)
		_exit(DL_ESANDBOX);
	if (st_null >= 0 ? dup2(st_null, FD_NULL) < 0 : close(FD_NULL) < 0 && errno != EBADF)
		_exit(DL_ESANDBOX);
	for (size_t k = 0; k < nv; k++)
		if (dup2(st[k], FD_DISK0 + (int)k) < 0)
			die_setup("sandbox: dup2: %s", strerror(errno));
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < nv; k++)
			if (*slot[i] == val[k]) {
				*slot[i] = FD_DISK0 + (int)k;
				break;
			}
	if (close_range((unsigned)top, ~0U, 0) < 0) {
		for (int fd = top; fd < 65536; fd++)
			close(fd);
	}
	return top;
}

/* An empty root: a fresh directory, entered and removed.  A deleted
 * directory cannot gain entries, so nothing is reachable by path.  A tmpfs
 * first: its mkdir and rmdir cost a tenth of a journalling filesystem's
 * (0.01 against 0.1 ms here), paid by every run. */
static void empty_root(void)
{
	static const char *const bases[] = { "/run", "/dev/shm", "/tmp", "/var/tmp" };
	char dir[64];
	bool made = false;
	for (int pass = 0; pass < 2 && !made; pass++)
		for (size_t i = 0; i < DL_ARRAY_SIZE(bases) && !made; i++) {
			struct statfs sf;
			if (pass == 0 && (statfs(bases[i], &sf) < 0 || (sf.f_type != TMPFS_MAGIC &&
									  sf.f_type != RAMFS_MAGIC)))
				continue;
			snprintf(dir, sizeof(dir), "%s/domuloader-root.XXXXXX", bases[i]);
			made = mkdtemp(dir) != NULL;
		}
	if (!made)
		die_setup("sandbox: cannot create an empty root in /run, /dev/shm, /tmp or /var/tmp: %s", strerror(errno));
	if (chdir(dir) < 0 || rmdir(dir) < 0)
		die_setup("sandbox: %s: %s", dir, strerror(errno));
	if (chroot(".") < 0 || chdir("/") < 0)
		die_setup("sandbox: chroot: %s", strerror(errno));
}

static void limit(int res, rlim_t soft, rlim_t hard, const char *name)
{
	struct rlimit rl = { .rlim_cur = soft, .rlim_max = hard };
	if (setrlimit(res, &rl) < 0)
		die_setup("sandbox: setrlimit %s: %s", name, strerror(errno));
}

static void set_limits(const struct dl_sandbox_opts *o, const struct dl_request *req)
{
	unsigned cpu = o->cpu_s ? o->cpu_s : o->timeout_s ? o->timeout_s : DL_SANDBOX_TIMEOUT_DEFAULT;
	limit(RLIMIT_CPU, cpu, (rlim_t)cpu + 1, "CPU");
	limit(RLIMIT_FSIZE, 0, 0, "FSIZE");
	limit(RLIMIT_CORE, 0, 0, "CORE");
	limit(RLIMIT_MEMLOCK, 0, 0, "MEMLOCK");
	limit(RLIMIT_MSGQUEUE, 0, 0, "MSGQUEUE");
	limit(RLIMIT_LOCKS, 0, 0, "LOCKS");
#if !DL_SANITIZED
	/* The sanitizers reserve terabytes of shadow memory: no AS limit there. */
	uint64_t as = o->max_as;
	if (!as) {
		/* Room for the kernel image in memory twice (inspection,
		 * decompression) on top of the libraries' needs. */
		uint64_t k = req->max_kernel ? req->max_kernel : 128ull << 20;
		as = (k > (1ull << 40) ? 1ull << 40 : k) * 2 + (512ull << 20);
	}
	limit(RLIMIT_AS, (rlim_t)as, (rlim_t)as, "AS");
#else
	(void)req;
#endif
}

static void drop_identity(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0)
		die_setup("sandbox: setgroups: %s", strerror(errno));
	if (setresgid(gid, gid, gid) < 0)
		die_setup("sandbox: setresgid %u: %s", (unsigned)gid, strerror(errno));
	if (setresuid(uid, uid, uid) < 0)
		die_setup("sandbox: setresuid %u: %s", (unsigned)uid, strerror(errno));
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) < 0 || r != uid || e != uid || s != uid ||
	    getresgid(&rg, &eg, &sg) < 0 || rg != gid || eg != gid || sg != gid)
		die_setup("sandbox: identity not dropped");
	if (setresuid(0, 0, 0) == 0 || setresgid(0, 0, 0) == 0 || setgroups(0, NULL) == 0)
		die_setup("sandbox: could regain root after dropping privileges");
}

/* Deny-all Landlock (no rules): nothing can be opened, created or executed
 * by path.  Best effort: kernels without Landlock go on without it. */
static void landlock(void)
{
	struct {
		uint64_t handled_access_fs, handled_access_net, scoped;
	} attr = { 0 };
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return;
	size_t size = sizeof(uint64_t);
	attr.handled_access_fs = (1ULL << 13) - 1;        /* ABI 1: EXECUTE..MAKE_SYM */
	if (abi >= 2)
		attr.handled_access_fs |= 1ULL << 13;     /* REFER */
	if (abi >= 3)
		attr.handled_access_fs |= 1ULL << 14;     /* TRUNCATE */
	if (abi >= 5)
		attr.handled_access_fs |= 1ULL << 15;     /* IOCTL_DEV */
	if (abi >= 4) {
		attr.handled_access_net = 3;              /* BIND_TCP | CONNECT_TCP */
		size = 2 * sizeof(uint64_t);
	}
	if (abi >= 6) {
		attr.scoped = 3;                          /* ABSTRACT_UNIX_SOCKET | SIGNAL */
		size = 3 * sizeof(uint64_t);
	}
	int fd = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		die_setup("sandbox: landlock_create_ruleset: %s", strerror(errno));
	if (syscall(__NR_landlock_restrict_self, fd, 0) < 0)
		die_setup("sandbox: landlock_restrict_self: %s", strerror(errno));
	close(fd);
}

/* SIGSYS from the seccomp TRAP default: say which syscall, then die of
 * SIGSYS: the handler is one-shot (SA_RESETHAND), so the next trapped
 * syscall (kill is not allowed) meets the default action. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	char msg[64] = "seccomp: blocked syscall ";
	size_t n = strlen(msg);
	char digits[12];
	int d = 0;
	unsigned v = (unsigned)si->si_syscall;
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && d < (int)sizeof(digits));
	while (d > 0)
		msg[n++] = digits[--d];
	msg[n++] = '\n';
	ssize_t w = write(FD_LOG, msg, n);
	(void)w;
	syscall(SYS_kill, 0, SIGSYS);
	_exit(DL_ESANDBOX);
}

/* The allow-list, compiled to BPF when domuloader was built
 * (src/sandbox/gen/filter.c holds the rules and says why). */
#include "seccomp_filter.h"

/* TSYNC: the helper thread (src/helper.h) gets the filter too, or the
 * call fails (a positive value: the thread that could not take it). */
static void load_filter(void)
{
	struct sock_fprog prog = { .len = (unsigned short)DL_ARRAY_SIZE(dl_seccomp_filter),
				   .filter = (struct sock_filter *)dl_seccomp_filter };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
	if (r < 0)
		die_setup("sandbox: seccomp: %s", strerror(errno));
	if (r > 0)
		die_setup("sandbox: seccomp: thread %ld could not take the filter", r);
}

const char *dl_sandbox_syscall_name(long nr)
{
	if (nr < 0 || (unsigned long)nr >= DL_ARRAY_SIZE(dl_syscall_names))
		return NULL;
	return dl_syscall_names[nr];
}

void dl_sandbox_child(const struct dl_sandbox_opts *o, const struct dl_request *req,
		      struct dl_disk_set *set, struct dl_window *win, int frame_fd, int log_fd)
{
	pid_t parent = getppid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(DL_ESANDBOX);
	int nofile = setup_fds(o, set, frame_fd, log_fd);
	clearenv();
	if (setsid() < 0)
		die_setup("sandbox: setsid: %s", strerror(errno));
	bool root = geteuid() == 0;
	if (root) {
		if (unshare(DL_UNSHARE) < 0)
			die_setup("sandbox: unshare: %s", strerror(errno));
		empty_root();
	}
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		die_setup("sandbox: sigaction: %s", strerror(errno));
	set_limits(o, req);
	if (root)
		drop_identity(o->uid, o->gid);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0) < 0)
		die_setup("sandbox: prctl: %s", strerror(errno));
	landlock();
	/* The helper thread for a qcow2 image's compressed clusters (and the
	 * compressed extents of a btrfs inside it), confined as this one so
	 * far (identity, Landlock, limits and no_new_privs are the process's
	 * or inherited), before NPROC forbids it; the filter below covers
	 * both.  Not for every run: 64 sandboxed runs at once whose children
	 * each had a second thread once livelocked this 2-CPU VM's kernel
	 * (parents spinning in wait4's /proc dentry invalidation, exiting
	 * children waiting for an RCU grace period: docs/SECURITY.md).
	 * Without it (a failure here) large reads decompress on one CPU. */
	bool qcow2 = false;
	for (size_t i = 0; i < set->ndisks; i++)
		qcow2 |= set->disks[i]->format == DL_FMT_QCOW2;
	if (qcow2 && dl_helper_start() < 0)
		dl_debug("sandbox: no helper thread: decompressing on one CPU");
	limit(RLIMIT_NPROC, 0, 0, "NPROC");
	/* Last, because Landlock needs an fd: no new fd from now on but those
	 * a call's reply brings (a kernel mount's files). */
	limit(RLIMIT_NOFILE, (rlim_t)nofile + DL_CHILD_RECEIVED_FDS, (rlim_t)nofile + DL_CHILD_RECEIVED_FDS,
	      "NOFILE");
	load_filter();

	/* Confined: only now touch guest bytes. */
	struct dl_error err = { 0 };
	struct child_sink c = { .fd = FD_FRAME, .err = &err, .win = win };
	struct dl_sink sink = {
		.ctx = &c, .listing = cs_listing, .begin = cs_begin, .data = cs_data,
		.buffer = cs_buffer, .copy = cs_copy, .end = cs_end, .result = cs_result,
		.call = cs_call,
	};
	dl_log_set(cs_log, &c, dl_log_level());
	if (o->body(req, set, &sink, &err) == 0) {
		if (queue_frame(&c, DL_MSG_DONE, NULL, 0, NULL, 0) < 0 || flush_frames(&c) < 0)
			_exit(DL_ESANDBOX);
		_exit(0);
	}
	if (!err.code)
		dl_fail(&err, DL_ESANDBOX, "parser failed without a message");
	size_t n = strnlen(err.msg, DL_MSG_ERROR_TEXT_MAX);
	if (n == 0)
		memcpy(err.msg, "?", 2), n = 1;
	struct dl_msg_error m = { .code = err.code };
	if (queue_frame(&c, DL_MSG_ERROR, &m, sizeof(m), err.msg, n) == 0)
		(void)flush_frames(&c);
	_exit(1);
}
