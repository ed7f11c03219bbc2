/* dl_menu_run: the thin shell around the core that owns the terminal.
 *
 * Facts it relies on: tcsetattr with TCSADRAIN or TCSAFLUSH waits until
 * the output drains, which never happens on a pty nobody reads, so modes
 * are set and restored with TCSANOW; O_NONBLOCK belongs to the open file
 * description, which the caller's shell may share, so it is restored too;
 * a pty resize signals only the foreground process group of its
 * controlling terminal, so the size is also read before every frame. */
#include "menu/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>

/* What the signal handlers need: one menu at a time. */
static struct {
	int in_fd, out_fd;
	int in_flags, out_flags;        /* -1: not changed */
	bool have_tio;
	struct termios tio;
	char exit_seq[64];              /* the bytes that leave the screen usable */
	volatile sig_atomic_t exit_len; /* 0 until something was drawn */
	volatile sig_atomic_t restored;
	volatile sig_atomic_t sig, cont;
} g;

static const int term_sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

/* Async-signal-safe: write, fcntl and tcsetattr only. */
static void restore_tty(void)
{
	if (g.restored)
		return;
	g.restored = 1;
	if (g.exit_len > 0 && write(g.out_fd, g.exit_seq, (size_t)g.exit_len) < 0) {
		/* the terminal is gone or full: nothing more to do */
	}
	if (g.have_tio)
		tcsetattr(g.in_fd, TCSANOW, &g.tio);
	if (g.out_flags >= 0)
		fcntl(g.out_fd, F_SETFL, g.out_flags);
	if (g.in_flags >= 0)
		fcntl(g.in_fd, F_SETFL, g.in_flags);
}

static void on_signal(int sig)
{
	int e = errno;
	if (sig == SIGCONT) {
		g.cont = 1;
	} else if (sig != SIGWINCH) {   /* SIGWINCH only ends ppoll: the size is read anyway */
		g.sig = sig;
		restore_tty();
	}
	errno = e;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool utf8_locale(void)
{
	const char *v = getenv("LC_ALL");
	if (!v || !*v)
		v = getenv("LC_CTYPE");
	if (!v || !*v)
		v = getenv("LANG");
	return v && (strcasestr(v, "utf-8") || strcasestr(v, "utf8"));
}

static void winsize(int fd, int *rows, int *cols)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	} else {
		*rows = 24;
		*cols = 80;
	}
}

static void raw_mode(void)
{
	struct termios t = g.tio;
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(g.in_fd, TCSANOW, &t);
}

/* "ls" may take a while (a request to the parser): let a signal in. */
struct ls_wrap {
	const struct dl_menu_ops *ops;
	const sigset_t *mask;
};

static int ls_unblocked(void *ctx, const char *path, char **text, struct dl_error *err)
{
	struct ls_wrap *w = ctx;
	sigset_t blocked;
	sigprocmask(SIG_SETMASK, w->mask, &blocked);
	int r = w->ops->ls(w->ops->ctx, path, text, err);
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	return r;
}

/* Output the terminal has not taken yet: one frame's worth at most. */
struct outq {
	struct dl_sbuf b;
	size_t off;
	bool dead;
};

static void flush(struct outq *q, int fd)
{
	while (!q->dead && q->off < q->b.len) {
		ssize_t n = write(fd, q->b.p + q->off, q->b.len - q->off);
		if (n > 0) {
			q->off += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			return;
		} else {
			q->dead = true;   /* hung up: count on without a screen */
		}
	}
	q->b.len = q->off = 0;
}

/* Read what the terminal has and feed it to the core. */
static void read_keys(struct dl_mstate *s, bool *input, uint64_t *last_byte)
{
	unsigned char buf[256];
	ssize_t got = read(g.in_fd, buf, sizeof(buf));
	if (got > 0) {
		*last_byte = now_ms();
		dl_mstate_feed(s, buf, (size_t)got, *last_byte);
	} else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
		*input = false;   /* hung up; a countdown still runs */
	}
}

/* libxl keeps the last 4 KiB of output for a console nobody reads: a full
 * frame is redrawn before the updates after it would push it out. */
#define CONSOLE_KEEP 4096

/* Queue the bytes of the next frame. */
static void draw(struct dl_mstate *s, int rows, int cols, struct dl_frame *shown, struct outq *q,
		 size_t *full_size, size_t *since_full)
{
	struct dl_frame f;
	dl_menu_draw(s, rows, cols, &f);
	bool full = s->full;
	dl_frame_diff(full ? NULL : shown, &f, &q->b);
	if (!full && f.kind == DL_FRAME_SCREEN && *full_size < CONSOLE_KEEP / 2 &&
	    *full_size + *since_full + q->b.len > CONSOLE_KEEP) {
		q->b.len = 0;
		dl_frame_diff(NULL, &f, &q->b);
		full = true;
	}
	if (full) {
		*full_size = q->b.len;
		*since_full = 0;
	} else {
		*since_full += q->b.len;
	}
	s->full = false;
	dl_frame_free(shown);
	*shown = f;
	/* What a signal handler writes on the way out. */
	struct dl_sbuf e = { 0 };
	dl_frame_exit(shown, &e);
	if (e.len < sizeof(g.exit_seq)) {
		g.exit_len = 0;
		if (e.len)
			memcpy(g.exit_seq, e.p, e.len);
		g.exit_len = (sig_atomic_t)e.len;
	}
	dl_sbuf_free(&e);
}

/* The signals the menu handles, blocked outside ppoll, and what they were. */
struct sigsave {
	sigset_t orig;
	struct sigaction term[DL_ARRAY_SIZE(term_sigs)], winch, cont, pipe;
};

static void signals_take(struct sigsave *sv)
{
	sigset_t block;
	sigemptyset(&block);
	for (size_t i = 0; i < DL_ARRAY_SIZE(term_sigs); i++)
		sigaddset(&block, term_sigs[i]);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGCONT);
	sigprocmask(SIG_BLOCK, &block, &sv->orig);
	struct sigaction sa = { .sa_handler = on_signal }, ign = { .sa_handler = SIG_IGN };
	sa.sa_mask = block;
	for (size_t i = 0; i < DL_ARRAY_SIZE(term_sigs); i++)
		sigaction(term_sigs[i], &sa, &sv->term[i]);
	sigaction(SIGWINCH, &sa, &sv->winch);
	sigaction(SIGCONT, &sa, &sv->cont);
	sigaction(SIGPIPE, &ign, &sv->pipe);
}

/* The handlers as they were (the mask stays blocked: the caller decides). */
static void signals_give_back(const struct sigsave *sv)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(term_sigs); i++)
		sigaction(term_sigs[i], &sv->term[i], NULL);
	sigaction(SIGWINCH, &sv->winch, NULL);
	sigaction(SIGCONT, &sv->cont, NULL);
	sigaction(SIGPIPE, &sv->pipe, NULL);
}

/* Raw mode and non-blocking descriptors, each remembered for restore_tty(). */
static void tty_take(int in_fd, int out_fd)
{
	g.have_tio = tcgetattr(in_fd, &g.tio) == 0;
	if (g.have_tio)
		raw_mode();
	int in_fl = fcntl(in_fd, F_GETFL), out_fl = fcntl(out_fd, F_GETFL);
	if (in_fl >= 0 && !(in_fl & O_NONBLOCK) && fcntl(in_fd, F_SETFL, in_fl | O_NONBLOCK) == 0)
		g.in_flags = in_fl;
	if (out_fl >= 0 && !(out_fl & O_NONBLOCK) && fcntl(out_fd, F_SETFL, out_fl | O_NONBLOCK) == 0)
		g.out_flags = out_fl;
}

/* What is on the screen and what waits to be written. */
struct screen {
	struct outq q;
	struct dl_frame shown;
	size_t full_size, since_full;
	int rows, cols;
};

/* How long ppoll may sleep (-1: until input). */
static int64_t poll_wait(const struct dl_mstate *s, const struct screen *sc, uint64_t now,
			 uint64_t last_byte)
{
	int64_t wait = dl_mstate_wait(s, now);
	if (s->npend) {
		int64_t esc = DL_MAX((int64_t)(last_byte + DL_MENU_ESC_PAUSE_MS) - (int64_t)now, 0);
		wait = wait < 0 ? esc : DL_MIN(wait, esc);
	}
	if (sc->q.b.len && !sc->q.dead)   /* wait for POLLOUT, but look again now and then */
		wait = wait < 0 ? 1000 : DL_MIN(wait, 1000);
	return wait;
}

/* Feed keys and clock ticks to the state machine and draw, until a choice,
 * a signal, or an error. */
static int run_loop(struct dl_mstate *s, struct screen *sc, int in_fd, int out_fd,
		    const sigset_t *orig, struct dl_error *err)
{
	bool input = true;
	uint64_t last_byte = 0;
	/* Keys typed before the menu count (GRUB looks at pending keys even
	 * when the timeout is 0). */
	struct pollfd p0 = { .fd = in_fd, .events = POLLIN };
	if (poll(&p0, 1, 0) > 0)
		read_keys(s, &input, &last_byte);
	while (!s->done && !g.sig) {
		uint64_t now = now_ms();
		if (s->npend && now - last_byte >= DL_MENU_ESC_PAUSE_MS && dl_mstate_pause(s, now))
			break;
		if (dl_mstate_tick(s, now))
			break;
		if (g.cont) {
			g.cont = 0;
			if (g.have_tio)
				raw_mode();   /* a job control shell may have reset it */
			s->full = true;
		}
		int r, c;
		winsize(out_fd, &r, &c);
		if (r != sc->rows || c != sc->cols) {
			sc->rows = r;
			sc->cols = c;
			s->full = true;
		}
		if (!sc->q.dead && sc->q.b.len == 0)
			draw(s, sc->rows, sc->cols, &sc->shown, &sc->q, &sc->full_size, &sc->since_full);
		flush(&sc->q, out_fd);

		int64_t wait = poll_wait(s, sc, now, last_byte);
		if (!input && wait < 0)
			return dl_fail(err, DL_EIO, "terminal: input closed before a choice was made");
		struct pollfd pfd[2] = {
			{ .fd = input ? in_fd : -1, .events = POLLIN },
			{ .fd = sc->q.b.len && !sc->q.dead ? out_fd : -1, .events = POLLOUT },
		};
		struct timespec ts = { .tv_sec = wait / 1000, .tv_nsec = wait % 1000 * 1000000 };
		int n = ppoll(pfd, 2, wait < 0 ? NULL : &ts, orig);
		if (n < 0 && errno != EINTR)
			return dl_fail(err, DL_EIO, "terminal: poll: %s", strerror(errno));
		if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			read_keys(s, &input, &last_byte);
	}
	return 0;
}

int dl_menu_run(const struct dl_menu *m, int in_fd, int out_fd, const struct dl_menu_ops *ops,
		struct dl_menu_choice *out, struct dl_error *err)
{
	struct dl_mstate s;
	struct sigsave sv;
	*out = (struct dl_menu_choice){ .index = -1 };
	struct ls_wrap lw = { .ops = ops, .mask = &sv.orig };
	struct dl_menu_ops wrapped = { .ctx = &lw, .ls = ls_unblocked };
	int r = dl_mstate_init(&s, m, ops && ops->ls ? &wrapped : NULL, utf8_locale(), now_ms(), err);
	if (r < 0) {
		dl_mstate_free(&s);
		return r;
	}

	/* Signals first (blocked, then handled only inside ppoll), then the
	 * terminal, so that no signal finds it changed and not restorable. */
	memset(&g, 0, sizeof(g));
	g.in_fd = in_fd;
	g.out_fd = out_fd;
	g.in_flags = g.out_flags = -1;
	signals_take(&sv);
	tty_take(in_fd, out_fd);

	struct screen sc = { .shown = { .kind = DL_FRAME_NONE, .cur_row = -1 } };
	int ret = run_loop(&s, &sc, in_fd, out_fd, &sv.orig, err);
	if (ret == 0 && s.done && !g.sig) {
		*out = s.choice;
		s.choice = (struct dl_menu_choice){ .index = -1 };
	} else if (ret == 0 && !g.sig) {
		ret = dl_fail(err, DL_EIO, "terminal: no choice was made");
	}
	/* Leave the screen usable: what is queued, then the exit bytes, as
	 * far as the terminal takes them now. */
	if (!g.restored) {
		flush(&sc.q, out_fd);
		if (!sc.q.b.len) {
			g.exit_len = 0;
			dl_frame_exit(&sc.shown, &sc.q.b);
			flush(&sc.q, out_fd);
		}
	}
	restore_tty();
	dl_sbuf_free(&sc.q.b);
	dl_frame_free(&sc.shown);
	dl_mstate_free(&s);

	int sig = g.sig;
	signals_give_back(&sv);
	if (sig) {
		/* The terminal is restored: the signal does what it would have. */
		raise(sig);
		sigprocmask(SIG_SETMASK, &sv.orig, NULL);
		dl_menu_choice_free(out);
		return dl_refail(err, DL_EIO, "terminal: %s", strsignal(sig));
	}
	sigprocmask(SIG_SETMASK, &sv.orig, NULL);
	return ret;
}
