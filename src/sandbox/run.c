/* Running the parser child from the privileged parent: the fork, a poll
 * loop that feeds the child's frames to the broker and forwards its stderr
 * under a wall-clock deadline, and the verdict that turns the child's
 * death into an error message. */
#include "sandbox/sandbox.h"
#include "sandbox/proto.h"
#include "part/part.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

void dl_sandbox_opts_init(struct dl_sandbox_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->uid = (uid_t)-1;
	o->gid = (gid_t)-1;
	o->timeout_s = DL_SANDBOX_TIMEOUT_DEFAULT;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the child's stderr ---- */

/* Library messages, sanitizer reports, the seccomp trap note: forwarded
 * as warnings (a bounded number of lines), the last line kept for the
 * death message. */
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

/* ---- one run ---- */

struct run {
	const struct dl_sandbox_opts *o;
	pid_t pid;
	int ffd, lfd;             /* our ends: the frame socket, the child's stderr */
	int pidfd;                /* -1 without pidfd_open: waitpid is polled */
	struct dl_window *win;    /* payload bytes from the child (proto.h) */
	struct dl_broker b;
	struct dl_framer f;
	struct log_lines log;
	bool frames_eof, log_eof, exited, timed_out, truncated;
	int status;               /* waitpid's, once exited */
	struct dl_framer askf;    /* frames read while an ASK is out (the main framer
				     still holds the CALL being answered) */
	struct dl_asker asker;
};

/* What makes a run impossible before anything is created. */
static int check_runnable(const struct dl_sandbox_opts *o, const struct dl_disk_set *set,
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
	return 0;
}

/* Socket buffers of 1 MiB: fewer wakeups for DATA (best effort; the
 * FORCE variants pass the system maximum, for root). */
static void big_buffer(int fd, int force, int plain)
{
	int sz = 1 << 20;
	if (setsockopt(fd, SOL_SOCKET, force, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, plain, &sz, sizeof(sz));
}

/* The frame socket, the log pipe and the child; x gets our ends. */
static int spawn(struct run *x, const struct dl_request *req, struct dl_disk_set *set,
		 struct dl_error *err)
{
	_cleanup_close_ int frame_r = -1, frame_w = -1, log_r = -1, log_w = -1;
	int p[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) < 0)
		return dl_fail(err, DL_ESANDBOX, "sandbox: socketpair: %s", strerror(errno));
	frame_r = p[0], frame_w = p[1];
	if (pipe2(p, O_CLOEXEC) < 0)
		return dl_fail(err, DL_ESANDBOX, "sandbox: pipe: %s", strerror(errno));
	log_r = p[0], log_w = p[1];
	big_buffer(frame_w, SO_SNDBUFFORCE, SO_SNDBUF);
	big_buffer(frame_r, SO_RCVBUFFORCE, SO_RCVBUF);
	/* Only runs that send file bytes need the window (listings do not). */
	if ((req->mode == DL_MODE_EXTRACT || req->mode == DL_MODE_CAT) && !(x->win = dl_window_new()))
		return dl_fail(err, DL_ESANDBOX, "sandbox: cannot map the data window: %s", strerror(errno));

	x->pid = fork();
	if (x->pid < 0)
		return dl_fail(err, DL_ESANDBOX, "sandbox: fork: %s", strerror(errno));
	if (x->pid == 0) {
		close(frame_r);
		close(log_r);
		dl_sandbox_child(x->o, req, set, x->win, frame_w, log_w);
	}
	x->ffd = TAKE_FD(frame_r);
	x->lfd = TAKE_FD(log_r);
	fcntl(x->ffd, F_SETFL, O_NONBLOCK);
	fcntl(x->lfd, F_SETFL, O_NONBLOCK);
	x->pidfd = (int)syscall(SYS_pidfd_open, x->pid, 0);
	return 0;
}

static void read_log(struct run *x)
{
	char buf[4096];
	ssize_t k = read(x->lfd, buf, sizeof(buf));
	if (k > 0) {
		log_feed(&x->log, buf, (size_t)k);
	} else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
		x->log_eof = true;
		log_line_done(&x->log);
	}
}

/* Every complete frame to the broker; 0, or its error. */
static int read_frames(struct run *x, struct dl_error *err)
{
	int r;
	while ((r = dl_framer_read(&x->f, x->ffd, err)) == DL_FRAME_READY) {
		r = dl_broker_dispatch(&x->b, &x->f.h, x->f.buf);
		if (r < 0)
			return r;
		dl_framer_next(&x->f);
	}
	if (r < 0)
		return r;
	x->frames_eof = r == DL_FRAME_EOF || r == DL_FRAME_TRUNCATED;
	x->truncated = r == DL_FRAME_TRUNCATED;
	return 0;
}

/* All of buf to the child on the non-blocking socket, the descriptor (if
 * any) with the first byte; 0 or a negative errno. */
static int send_all(int sock, const uint8_t *buf, size_t len, int fd)
{
	while (len) {
		struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(int))];
		} u;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (fd >= 0) {
			memset(&u, 0, sizeof(u));
			mh.msg_control = u.b;
			mh.msg_controllen = sizeof(u.b);
			struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &fd, sizeof(int));
		}
		ssize_t k = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			struct pollfd pf = { .fd = sock, .events = POLLOUT };
			if (poll(&pf, 1, 10000) <= 0)
				return -ETIMEDOUT;
			continue;
		}
		fd = -1;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/* A parent-to-child frame: header, 4-byte head, payload. */
static int send_parent_frame(struct run *x, uint32_t type, int32_t head, const void *p, size_t len,
			     int fd)
{
	struct dl_msg_hdr h = { .type = type, .len = (uint32_t)(sizeof(head) + len) };
	uint8_t *buf = dl_malloc(sizeof(h) + sizeof(head) + len);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &head, sizeof(head));
	if (len)
		memcpy(buf + sizeof(h) + sizeof(head), p, len);
	int r = send_all(x->ffd, buf, sizeof(h) + sizeof(head) + len, fd);
	free(buf);
	return r;
}

static int reply_to_child(void *ctx, int32_t status, const void *p, size_t len, int fd)
{
	return send_parent_frame(ctx, DL_MSG_REPLY, status, p, len, fd);
}

/* The parent's question to the child while it answers a CALL: one ASK out,
 * then frames until its ANSWER (LOG frames go to the broker meanwhile). */
static int ask_child(void *ctx, const void *q, size_t len, struct dl_sbuf *answer,
		     struct dl_error *err)
{
	struct run *x = ctx;
	struct dl_broker *b = &x->b;
	if (len > DL_CALL_MAX)
		return dl_fail(err, DL_ELIMIT, "question larger than %u bytes", DL_CALL_MAX);
	int r = send_parent_frame(x, DL_MSG_ASK, 0, q, len, -1);
	if (r < 0)
		return dl_fail(b->err, DL_ESANDBOX, "sandbox: cannot ask the parser child: %s",
			       strerror(-r));
	b->asking = true;
	for (;;) {
		r = dl_framer_read(&x->askf, x->ffd, b->err);
		if (r == DL_FRAME_MORE) {
			struct pollfd pf = { .fd = x->ffd, .events = POLLIN };
			unsigned limit = x->o->timeout_s ? x->o->timeout_s : DL_SANDBOX_TIMEOUT_DEFAULT;
			if (poll(&pf, 1, (int)limit * 1000) == 0)
				r = dl_fail(b->err, DL_ESANDBOX, "parser child: no answer after %u s", limit);
			else
				continue;
		}
		if (r == DL_FRAME_EOF || r == DL_FRAME_TRUNCATED)
			r = dl_fail(b->err, DL_ESANDBOX, "parser child went away while asked");
		if (r < 0)
			break;
		const struct dl_msg_hdr *h = &x->askf.h;
		if (h->type == DL_MSG_ANSWER) {
			int32_t status;
			memcpy(&status, x->askf.buf, sizeof(status));
			const char *body = (const char *)x->askf.buf + sizeof(status);
			size_t n = h->len - sizeof(status);
			if (status < 0) {
				char msg[DL_MSG_ERROR_TEXT_MAX + 1];
				n = DL_MIN(n, sizeof(msg) - 1);
				memcpy(msg, body, n);
				msg[dl_sanitize_text(msg, n)] = '\0';
				r = dl_fail(err, dl_errno_code(status), "%s", msg);
			} else {
				r = dl_sbuf_add(answer, body, n);
			}
			dl_framer_next(&x->askf);
			break;
		}
		r = dl_broker_dispatch(b, h, x->askf.buf);
		dl_framer_next(&x->askf);
		if (r < 0)
			break;
	}
	b->asking = false;
	return r;
}

/* Until both pipes are at their end and the child has exited, or the
 * deadline passes (x->timed_out), or a frame is refused. */
static int poll_loop(struct run *x, struct dl_error *err)
{
	uint64_t start = now_ms();
	while (!(x->frames_eof && x->log_eof && x->exited)) {
		struct pollfd pf[3];
		int n = 0, fi = -1, li = -1, pi = -1;
		if (!x->frames_eof)
			fi = n, pf[n++] = (struct pollfd){ .fd = x->ffd, .events = POLLIN };
		if (!x->log_eof)
			li = n, pf[n++] = (struct pollfd){ .fd = x->lfd, .events = POLLIN };
		if (!x->exited && x->pidfd >= 0)
			pi = n, pf[n++] = (struct pollfd){ .fd = x->pidfd, .events = POLLIN };
		int wait = -1;
		if (x->o->timeout_s) {
			/* time spent answering calls (a person at the menu) does not count */
			uint64_t deadline = start + (uint64_t)x->o->timeout_s * 1000 + x->b.call_ms;
			uint64_t t = now_ms();
			if (t >= deadline) {
				x->timed_out = true;
				return 0;
			}
			wait = (int)DL_MIN(deadline - t, (uint64_t)INT32_MAX);
		}
		if (!x->exited && x->pidfd < 0)
			wait = wait < 0 ? 10 : DL_MIN(wait, 10);
		if (poll(pf, (nfds_t)n, wait) < 0) {
			if (errno == EINTR)
				continue;
			return dl_fail(err, DL_ESANDBOX, "sandbox: poll: %s", strerror(errno));
		}
		if (li >= 0 && pf[li].revents)
			read_log(x);
		if (fi >= 0 && pf[fi].revents) {
			int r = read_frames(x, err);
			if (r < 0)
				return r;
		}
		if (!x->exited && (x->pidfd < 0 || (pi >= 0 && pf[pi].revents))) {
			x->exited = waitpid(x->pid, &x->status, WNOHANG) == x->pid;
			/* Readable but not yet reapable (a thread of the child still
			 * exiting): the pidfd would wake us at once forever, so poll
			 * every 10 ms instead, as without one.  Seen on a livelocked
			 * kernel, where 30 such loops made it worse. */
			if (!x->exited && x->pidfd >= 0) {
				close(x->pidfd);
				x->pidfd = -1;
			}
		}
	}
	return 0;
}

/* The child is gone after this (killed if need be), and whatever it said
 * on stderr before it went is read, for the message. */
static void reap(struct run *x)
{
	if (!x->exited) {
		kill(x->pid, SIGKILL);
		while (waitpid(x->pid, &x->status, 0) < 0 && errno == EINTR)
			;
	}
	if (!x->log_eof) {
		char buf[4096];
		ssize_t k;
		while ((k = read(x->lfd, buf, sizeof(buf))) > 0)
			log_feed(&x->log, buf, (size_t)k);
		log_line_done(&x->log);
	}
}

static int death_reason(const struct run *x, unsigned cpu_s, struct dl_error *err)
{
	const struct log_lines *l = &x->log;
	if (WIFSIGNALED(x->status)) {
		int sig = WTERMSIG(x->status);
		const char *abbrev = sigabbrev_np(sig);
		char why[256] = "";
		switch (sig) {
		case SIGSYS:
			if (l->syscall_nr >= 0) {
				const char *name = dl_sandbox_syscall_name(l->syscall_nr);
				snprintf(why, sizeof(why), ": seccomp violation (syscall %ld, %s)",
					 l->syscall_nr, name ? name : "unknown");
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
	int code = WEXITSTATUS(x->status);
	if (l->last[0])
		return dl_fail(err, DL_ESANDBOX, "parser child exited with status %d: %.200s", code,
			       l->last);
	if (code)
		return dl_fail(err, DL_ESANDBOX, "parser child exited with status %d", code);
	return dl_fail(err, DL_ESANDBOX, "parser child exited without a result");
}

/* After a loop that ended without an error of its own: did the child
 * finish its protocol and exit 0? */
static int verdict(const struct run *x, struct dl_error *err)
{
	const struct dl_sandbox_opts *o = x->o;
	if (x->timed_out)
		return dl_fail(err, DL_ESANDBOX, "parser child timed out after %u s", o->timeout_s);
	if (x->b.child_failed)
		return -dl_code_errno(err->code);   /* err holds the child's own message */
	if (!(WIFEXITED(x->status) && WEXITSTATUS(x->status) == 0 && x->b.done)) {
		unsigned cpu_s = o->cpu_s ? o->cpu_s : o->timeout_s ? o->timeout_s
								 : DL_SANDBOX_TIMEOUT_DEFAULT;
		return death_reason(x, cpu_s, err);
	}
	if (x->truncated)
		return dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: truncated frame");
	return 0;
}

int dl_sandbox_run(const struct dl_sandbox_opts *o, const struct dl_request *req,
		   struct dl_disk_set *set, const struct dl_sink *parent_sink,
		   struct dl_error *err)
{
	int rc = check_runnable(o, set, err);
	if (rc < 0)
		return rc;
	struct run *x = dl_calloc(1, sizeof(*x));
	x->o = o;
	x->log.syscall_nr = -1;
	rc = spawn(x, req, set, err);
	if (rc < 0) {
		dl_window_free(x->win);
		free(x);
		return rc;
	}
	dl_broker_init(&x->b, parent_sink, set, req->max_kernel, req->max_ramdisk, err);
	x->b.win = x->win;
	dl_framer_init(&x->f, dl_broker_check, &x->b);
	dl_framer_init(&x->askf, dl_broker_check, &x->b);
	x->asker = (struct dl_asker){ .ctx = x, .ask = ask_child };
	x->b.back = &x->asker;
	x->b.reply = reply_to_child;
	x->b.reply_ctx = x;
	rc = poll_loop(x, err);
	reap(x);
	if (rc == 0)
		rc = verdict(x, err);
	dl_framer_free(&x->f);
	dl_framer_free(&x->askf);
	if (x->pidfd >= 0)
		close(x->pidfd);
	close(x->ffd);
	close(x->lfd);
	dl_window_free(x->win);
	free(x);
	return rc;
}
