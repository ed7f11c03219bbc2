/* The privileged side of the privsep pipe (OpenSSH monitor.c style): a
 * dispatch table maps each frame type to the states that allow it, its
 * exact length range and a handler; the broker trusts nothing the child
 * says.  It counts payload bytes it actually receives against the caps,
 * checks copy ranges against the disk sizes it measured itself, decodes
 * the result with dl_record_unpack (lengths, caps, no NUL, the command
 * line's rules: XSA-198), and forwards to the parent's sink, which
 * names and writes every output file.  dl_sandbox_run() forks the child,
 * runs this loop under a wall-clock deadline and turns the child's death
 * into an error message. */
#include "sandbox/sandbox.h"
#include "sandbox/proto.h"
#include "part/part.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define S(x) (1u << (x))
#define LIVE (S(DL_BS_START) | S(DL_BS_FILE) | S(DL_BS_FILES) | S(DL_BS_RESULT))

static const char *const kind_name[2] = { "kernel", "ramdisk" };

static int protocol(struct dl_broker *b, const char *what)
{
	return dl_fail(b->err, DL_ESANDBOX, "parser child: protocol violation: %s", what);
}

static int over_cap(struct dl_broker *b, uint64_t add)
{
	uint64_t total;
	uint64_t cap = b->cap[b->kind];
	if (ckd_add(&total, b->bytes, add) || total > cap) {
		if (cap % (1024 * 1024) == 0)
			return dl_fail(b->err, DL_ELIMIT, "%s is larger than the %llu MiB limit",
				       kind_name[b->kind], (unsigned long long)(cap >> 20));
		return dl_fail(b->err, DL_ELIMIT, "%s is larger than the %llu byte limit",
			       kind_name[b->kind], (unsigned long long)cap);
	}
	b->bytes = total;
	return 0;
}

static int sink_failed(struct dl_broker *b, const char *what)
{
	return dl_fail(b->err, DL_EOUTPUT, "%s: cannot write the output", what);
}

static int on_log(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_log m;
	char text[DL_MSG_LOG_TEXT_MAX + 1];
	memcpy(&m, p, sizeof(m));
	if (m.level < DL_LOG_WARN || m.level > DL_LOG_DEBUG)
		return protocol(b, "bad log level");
	if (b->logs++ >= DL_LOG_FRAMES_MAX) {
		if (b->logs == DL_LOG_FRAMES_MAX + 1)
			dl_warn("parser child: further messages suppressed");
		return 0;
	}
	size_t n = len - sizeof(m);
	memcpy(text, p + sizeof(m), n);
	text[dl_sanitize_text(text, n)] = '\0';
	dl_log((int)m.level, "%s", text);
	return 0;
}

static int on_listing(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	if (b->listing + len > DL_LISTING_TOTAL_MAX)
		return dl_fail(b->err, DL_ELIMIT, "listing: longer than %u MiB",
			       DL_LISTING_TOTAL_MAX >> 20);
	b->listing += len;
	if (b->sink->listing && b->sink->listing(b->sink->ctx, (const char *)p, len) < 0)
		return sink_failed(b, "listing");
	return 0;
}

static int on_begin(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_begin m;
	(void)len;
	memcpy(&m, p, sizeof(m));
	if (m.kind != DL_PAYLOAD_KERNEL && m.kind != DL_PAYLOAD_RAMDISK)
		return protocol(b, "unknown payload kind");
	if (b->begun[m.kind])
		return protocol(b, "second payload of the same kind");
	b->begun[m.kind] = true;
	b->kind = (int)m.kind;
	b->bytes = 0;
	b->copies = 0;
	b->state = DL_BS_FILE;
	if (b->sink->begin(b->sink->ctx, (enum dl_payload_kind)m.kind) < 0)
		return sink_failed(b, kind_name[b->kind]);
	return 0;
}

static int on_data(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	int r = over_cap(b, len);
	if (r < 0)
		return r;
	if (b->sink->data(b->sink->ctx, p, len) < 0)
		return sink_failed(b, kind_name[b->kind]);
	return 0;
}

static int on_copy(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_copy m;
	uint64_t end;
	(void)len;
	memcpy(&m, p, sizeof(m));
	if (m.pad != 0 || m.len == 0)
		return protocol(b, "malformed copy range");
	if (m.disk >= b->set->ndisks)
		return protocol(b, "copy range on an unknown disk");
	const struct dl_disk *d = b->set->disks[m.disk];
	if (d->format != DL_FMT_RAW)
		return protocol(b, "copy range on a disk not stored verbatim");
	if (ckd_add(&end, m.off, m.len) || end > d->size)
		return protocol(b, "copy range beyond the end of the disk");
	if (++b->copies > DL_COPY_FRAMES_MAX)
		return dl_fail(b->err, DL_ELIMIT, "%s: more than %u extents", kind_name[b->kind],
			       DL_COPY_FRAMES_MAX);
	int r = over_cap(b, m.len);
	if (r < 0)
		return r;
	if (b->sink->copy(b->sink->ctx, (int)m.disk, m.off, m.len) < 0)
		return sink_failed(b, kind_name[b->kind]);
	return 0;
}

static int on_end(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	(void)p;
	(void)len;
	b->state = DL_BS_FILES;
	if (b->sink->end(b->sink->ctx) < 0)
		return sink_failed(b, kind_name[b->kind]);
	return 0;
}

static int on_result(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_result r;
	int rc = dl_record_unpack(&dl_result_type, p, len, &r, b->err);
	if (rc < 0)
		return rc;
	b->state = DL_BS_RESULT;
	if (b->sink->result && b->sink->result(b->sink->ctx, &r) < 0)
		rc = sink_failed(b, "result");
	dl_record_clear(&dl_result_type, &r);
	return rc;
}

static int on_done(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	(void)p;
	(void)len;
	b->state = DL_BS_CLOSED;
	b->done = true;
	return 0;
}

static int on_error(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_error m;
	char text[DL_MSG_ERROR_TEXT_MAX + 1];
	memcpy(&m, p, sizeof(m));
	size_t n = len - sizeof(m);
	memcpy(text, p + sizeof(m), n);
	text[dl_sanitize_text(text, n)] = '\0';
	int code = m.code;
	if (code <= DL_OK || code > DL_EBADIMAGE)
		code = DL_ESANDBOX;
	b->state = DL_BS_CLOSED;
	b->child_failed = true;
	dl_fail(b->err, code, "%s", text);
	return 0;
}

static const struct dl_msg_rule {
	const char *name;
	uint32_t min, max;
	unsigned states;
	int (*fn)(struct dl_broker *b, const uint8_t *p, uint32_t len);
} rules[DL_MSG_MAX_] = {
	[DL_MSG_LOG] = { "LOG", sizeof(struct dl_msg_log) + 1,
		sizeof(struct dl_msg_log) + DL_MSG_LOG_TEXT_MAX, LIVE, on_log },
	[DL_MSG_LISTING] = { "LISTING", 1, DL_MSG_LISTING_MAX, S(DL_BS_START), on_listing },
	[DL_MSG_BEGIN] = { "BEGIN", sizeof(struct dl_msg_begin), sizeof(struct dl_msg_begin),
		S(DL_BS_START) | S(DL_BS_FILES), on_begin },
	[DL_MSG_DATA] = { "DATA", 1, DL_MSG_DATA_MAX, S(DL_BS_FILE), on_data },
	[DL_MSG_COPY] = { "COPY", sizeof(struct dl_msg_copy), sizeof(struct dl_msg_copy),
		S(DL_BS_FILE), on_copy },
	[DL_MSG_END] = { "END", 0, 0, S(DL_BS_FILE), on_end },
	[DL_MSG_RESULT] = { "RESULT", DL_MSG_RESULT_MIN, DL_MSG_RESULT_MAX,
		S(DL_BS_START) | S(DL_BS_FILES), on_result },
	[DL_MSG_DONE] = { "DONE", 0, 0, S(DL_BS_START) | S(DL_BS_FILES) | S(DL_BS_RESULT), on_done },
	[DL_MSG_ERROR] = { "ERROR", sizeof(struct dl_msg_error) + 1,
		sizeof(struct dl_msg_error) + DL_MSG_ERROR_TEXT_MAX, LIVE, on_error },
};

void dl_broker_init(struct dl_broker *b, const struct dl_sink *sink, struct dl_disk_set *set,
		    uint64_t kcap, uint64_t rcap, struct dl_error *err)
{
	memset(b, 0, sizeof(*b));
	b->sink = sink;
	b->set = set;
	b->cap[DL_PAYLOAD_KERNEL] = kcap;
	b->cap[DL_PAYLOAD_RAMDISK] = rcap;
	b->err = err;
	b->state = DL_BS_START;
	b->kind = -1;
}

int dl_broker_check(void *ctx, const struct dl_msg_hdr *h, struct dl_error *err)
{
	struct dl_broker *b = ctx;
	if (h->type == 0 || h->type >= DL_MSG_MAX_ || !rules[h->type].fn)
		return dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: unknown frame type %u",
			       h->type);
	const struct dl_msg_rule *r = &rules[h->type];
	if (!(r->states & S(b->state)))
		return dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: unexpected %s frame",
			       r->name);
	if (h->len < r->min || h->len > r->max)
		return dl_fail(err, DL_ESANDBOX,
			       "parser child: protocol violation: %s frame of %u bytes (allowed %u to %u)",
			       r->name, h->len, r->min, r->max);
	return 0;
}

int dl_broker_dispatch(struct dl_broker *b, const struct dl_msg_hdr *h, const uint8_t *p)
{
	/* The framer checked already; check again so that the dispatcher is
	 * safe on its own. */
	int r = dl_broker_check(b, h, b->err);
	return r < 0 ? r : rules[h->type].fn(b, p, h->len);
}

/* ---- running the child ---- */

void dl_sandbox_opts_init(struct dl_sandbox_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->uid = (uid_t)-1;
	o->gid = (gid_t)-1;
	o->timeout_s = DL_SANDBOX_TIMEOUT_DEFAULT;
}

int dl_sandbox_pick_user(struct dl_sandbox_opts *o, uid_t runas, struct dl_error *err)
{
	if (runas != (uid_t)-1) {
		if (runas == 0)
			return dl_fail(err, DL_EUSAGE, "--runas=0: refusing to parse guest data as root");
		struct passwd *pw = getpwuid(runas);
		o->uid = runas;
		o->gid = pw && pw->pw_gid != 0 ? pw->pw_gid : (gid_t)runas;
		return 0;
	}
	struct passwd *pw = getpwnam(DL_SANDBOX_USER);
	if (pw) {
		if (pw->pw_uid == 0)
			return dl_fail(err, DL_EUSAGE, "user %s: has uid 0, refusing to parse guest data as root",
				       DL_SANDBOX_USER);
		o->uid = pw->pw_uid;
		o->gid = pw->pw_gid != 0 ? pw->pw_gid : (gid_t)pw->pw_uid;
		return 0;
	}
	/* No account needed: the first id of a range that Debian policy
	 * reserves and systemd leaves unused, with no passwd or group entry.
	 * Unlike nobody, it is shared with no daemon. */
	for (uint32_t id = DL_SANDBOX_UID_FIRST; id <= DL_SANDBOX_UID_LAST; id++)
		if (!getpwuid((uid_t)id) && !getgrgid((gid_t)id)) {
			o->uid = (uid_t)id;
			o->gid = (gid_t)id;
			return 0;
		}
	return dl_fail(err, DL_EUSAGE,
		       "no user '%s' and every id from %u to %u has an account: create the user or pass --runas",
		       DL_SANDBOX_USER, DL_SANDBOX_UID_FIRST, DL_SANDBOX_UID_LAST);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The child's stderr: library messages, sanitizer reports, the seccomp
 * trap note.  Forwarded as warnings (a bounded number of lines), the last
 * line kept for the death message. */
struct log_lines {
	char cur[DL_MSG_LOG_TEXT_MAX + 1];
	size_t n;
	char last[DL_MSG_LOG_TEXT_MAX + 1];
	unsigned forwarded;
	long syscall_nr;          /* from the seccomp trap note, -1 if none */
};

#define SECCOMP_NOTE "seccomp: blocked syscall "

static void log_line_done(struct log_lines *l)
{
	if (l->n == 0)
		return;
	l->cur[dl_sanitize_text(l->cur, l->n)] = '\0';
	l->n = 0;
	if (strncmp(l->cur, SECCOMP_NOTE, strlen(SECCOMP_NOTE)) == 0) {
		char *end;
		long nr = strtol(l->cur + strlen(SECCOMP_NOTE), &end, 10);
		if (end != l->cur + strlen(SECCOMP_NOTE) && nr >= 0 && nr < 4096)
			l->syscall_nr = nr;
		return;
	}
	const char *t = l->cur;
	if (strncmp(t, "domuloader: ", 12) == 0)
		t += 12;
	if (strncmp(t, "error: ", 7) == 0)
		t += 7;
	snprintf(l->last, sizeof(l->last), "%s", t);
	if (l->forwarded < 64)
		dl_warn("parser child: %s", l->cur);
	else if (l->forwarded == 64)
		dl_warn("parser child: (more output suppressed)");
	l->forwarded++;
}

static void log_feed(struct log_lines *l, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			log_line_done(l);
			continue;
		}
		l->cur[l->n++] = p[i];
		if (l->n == DL_MSG_LOG_TEXT_MAX)
			log_line_done(l);
	}
}

static int death_reason(int status, const struct dl_sandbox_opts *o, unsigned cpu_s,
			const struct log_lines *l, struct dl_error *err)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *abbrev = sigabbrev_np(sig);
		char why[256] = "";
		switch (sig) {
		case SIGSYS:
			if (l->syscall_nr >= 0) {
				char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)l->syscall_nr);
				snprintf(why, sizeof(why), ": seccomp violation (syscall %ld, %s)",
					 l->syscall_nr, name ? name : "unknown");
				free(name);
			} else {
				snprintf(why, sizeof(why), ": seccomp violation");
			}
			break;
		case SIGXCPU:
			snprintf(why, sizeof(why), ": exceeded CPU limit of %u s", cpu_s);
			break;
		case SIGXFSZ:
			snprintf(why, sizeof(why), ": exceeded file size limit");
			break;
		default:
			if (l->last[0])
				snprintf(why, sizeof(why), ": %.200s", l->last);
			break;
		}
		return dl_fail(err, DL_ESANDBOX, "parser child killed by signal %d (SIG%s)%s", sig,
			       abbrev ? abbrev : "?", why);
	}
	(void)o;
	int code = WEXITSTATUS(status);
	if (l->last[0])
		return dl_fail(err, DL_ESANDBOX, "parser child exited with status %d: %.200s", code,
			       l->last);
	if (code)
		return dl_fail(err, DL_ESANDBOX, "parser child exited with status %d", code);
	return dl_fail(err, DL_ESANDBOX, "parser child exited without a result");
}

int dl_sandbox_run(const struct dl_sandbox_opts *o, const struct dl_request *req,
		   struct dl_disk_set *set, const struct dl_sink *parent_sink,
		   struct dl_error *err)
{
	if (!o->body)
		return dl_fail(err, DL_ESANDBOX, "sandbox: no parser to run");
	if (geteuid() == 0 && (o->uid == 0 || o->uid == (uid_t)-1 || o->gid == 0 ||
			       o->gid == (gid_t)-1))
		return dl_fail(err, DL_EUSAGE, "sandbox: refusing to run the parser as root");
	/* valgrind's own syscalls and log descriptor cannot live in the sandbox. */
	const char *pre = getenv("LD_PRELOAD");
	if (pre && strstr(pre, "vgpreload"))
		return dl_fail(err, DL_ESANDBOX, "sandbox: cannot confine the parser under valgrind "
			       "(use --no-sandbox)");
	if (set->ndisks > DL_SANDBOX_MAX_DISKS)
		return dl_fail(err, DL_ELIMIT, "sandbox: more than %u disks", DL_SANDBOX_MAX_DISKS);
	unsigned cpu_s = o->cpu_s ? o->cpu_s : o->timeout_s ? o->timeout_s : DL_SANDBOX_TIMEOUT_DEFAULT;

	int fp[2], lp[2];
	if (pipe2(fp, O_CLOEXEC) < 0)
		return dl_fail(err, DL_ESANDBOX, "sandbox: pipe: %s", strerror(errno));
	if (pipe2(lp, O_CLOEXEC) < 0) {
		close(fp[0]);
		close(fp[1]);
		return dl_fail(err, DL_ESANDBOX, "sandbox: pipe: %s", strerror(errno));
	}
	(void)fcntl(fp[1], F_SETPIPE_SZ, 1 << 20);   /* fewer wakeups for DATA; best effort */

	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fp[0]), close(fp[1]), close(lp[0]), close(lp[1]);
		return dl_fail(err, DL_ESANDBOX, "sandbox: fork: %s", strerror(e));
	}
	if (pid == 0) {
		close(fp[0]);
		close(lp[0]);
		dl_sandbox_child(o, req, set, fp[1], lp[1]);
	}
	close(fp[1]);
	close(lp[1]);
	int ffd = fp[0], lfd = lp[0];
	fcntl(ffd, F_SETFL, O_NONBLOCK);
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	struct dl_broker b;
	struct dl_framer f;
	struct log_lines *ll = dl_calloc(1, sizeof(*ll));
	ll->syscall_nr = -1;
	dl_broker_init(&b, parent_sink, set, req->max_kernel, req->max_ramdisk, err);
	dl_framer_init(&f, dl_broker_check, &b);

	uint64_t deadline = o->timeout_s ? now_ms() + (uint64_t)o->timeout_s * 1000 : 0;
	bool feof_ = false, leof = false, exited = false, timed_out = false, truncated = false;
	int status = 0, rc = 0;
	while (!(feof_ && leof && exited)) {
		struct pollfd pf[3];
		int n = 0, fi = -1, li = -1, pi = -1;
		if (!feof_)
			fi = n, pf[n++] = (struct pollfd){ .fd = ffd, .events = POLLIN };
		if (!leof)
			li = n, pf[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		if (!exited && pidfd >= 0)
			pi = n, pf[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		int wait = -1;
		if (deadline) {
			uint64_t t = now_ms();
			if (t >= deadline) {
				timed_out = true;
				break;
			}
			wait = (int)DL_MIN(deadline - t, (uint64_t)INT32_MAX);
		}
		if (!exited && pidfd < 0)
			wait = wait < 0 ? 10 : DL_MIN(wait, 10);
		int r = poll(pf, (nfds_t)n, wait);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = dl_fail(err, DL_ESANDBOX, "sandbox: poll: %s", strerror(errno));
			break;
		}
		if (li >= 0 && pf[li].revents) {
			char buf[4096];
			ssize_t k = read(lfd, buf, sizeof(buf));
			if (k > 0)
				log_feed(ll, buf, (size_t)k);
			else if (k == 0 || (errno != EINTR && errno != EAGAIN))
				leof = true, log_line_done(ll);
		}
		if (fi >= 0 && pf[fi].revents) {
			int fr;
			while ((fr = dl_framer_read(&f, ffd, err)) == DL_FRAME_READY) {
				fr = dl_broker_dispatch(&b, &f.h, f.buf);
				if (fr < 0)
					break;
				dl_framer_next(&f);
			}
			if (fr < 0) {
				rc = fr;
				break;
			}
			if (fr == DL_FRAME_EOF || fr == DL_FRAME_TRUNCATED)
				feof_ = true;
			if (fr == DL_FRAME_TRUNCATED)
				truncated = true;
		}
		if (!exited && (pidfd < 0 || (pi >= 0 && pf[pi].revents))) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				exited = true;
		}
	}
	if (!exited) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	/* Whatever the child said on stderr before it went, for the message. */
	if (!leof) {
		char buf[4096];
		ssize_t k;
		while ((k = read(lfd, buf, sizeof(buf))) > 0)
			log_feed(ll, buf, (size_t)k);
		log_line_done(ll);
	}
	if (timed_out) {
		rc = dl_fail(err, DL_ESANDBOX, "parser child timed out after %u s", o->timeout_s);
	} else if (rc == 0) {
		if (b.child_failed)
			rc = -dl_code_errno(err->code);   /* err holds the child's own message */
		else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0 && b.done))
			rc = death_reason(status, o, cpu_s, ll, err);
		else if (truncated) {
			rc = dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: truncated frame");
		}
	}
	dl_framer_free(&f);
	free(ll);
	if (pidfd >= 0)
		close(pidfd);
	close(ffd);
	close(lfd);
	return rc;
}
