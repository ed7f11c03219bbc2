/*
 * ptydrive: runs a command with its stdin and stdout on a new pty (stderr
 * left as it is) and plays a user at that terminal, for the Xen bed's
 * `xl create -c` scenarios (dom0's busybox has no script(1), its python no
 * pty module).  Hand-written because nothing in the bed's dom0 does this.
 * Usage: ptydrive LOG TIMEOUT WAITFOR KEYS STOP -- CMD [ARGS...]
 *   everything the command writes on the pty is appended to LOG;
 *   once WAITFOR (non-empty) has appeared, KEYS are written once to the pty;
 *   once STOP has appeared after that, the command's process group gets
 *   SIGHUP then SIGKILL (xl create -c only returns when the guest is gone).
 * Exit: 0 STOP seen, 1 the command ended first, 2 timeout, 3 setup failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 20];
static size_t nseen;

static int has(const char *s, size_t from)
{
	return *s && memmem(seen + from, nseen - from, s, strlen(s)) != NULL;
}

int main(int argc, char **argv)
{
	if (argc < 8 || strcmp(argv[6], "--")) {
		fprintf(stderr, "usage: ptydrive LOG TIMEOUT WAITFOR KEYS STOP -- CMD...\n");
		return 3;
	}
	const char *wait = argv[3], *keys = argv[4], *stop = argv[5];
	int tmo = atoi(argv[2]), sent = !*wait, log, m, s, st;
	size_t after = 0;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	pid_t pid;

	log = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (log < 0 || m < 0 || grantpt(m) || unlockpt(m)) {
		perror("ptydrive: pty");
		return 3;
	}
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (s < 0 || ioctl(s, TIOCSWINSZ, &ws)) {
		perror("ptydrive: pty slave");
		return 3;
	}
	pid = fork();
	if (pid < 0)
		return 3;
	if (pid == 0) {
		setsid();
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		dup2(s, 1);
		close(s);
		close(m);
		close(log);
		execvp(argv[7], argv + 7);
		perror(argv[7]);
		_exit(127);
	}
	close(s);
	time_t end = time(NULL) + tmo;
	int rc = 2;
	while (time(NULL) < end) {
		struct pollfd p = { .fd = m, .events = POLLIN };
		if (poll(&p, 1, 500) < 0 && errno != EINTR)
			break;
		if (p.revents) {
			char b[4096];
			ssize_t n = read(m, b, sizeof b);
			if (n <= 0) {
				rc = 1;
				break;
			}
			if (write(log, b, n) != n)
				perror("ptydrive: log");
			if (nseen + n > sizeof seen)
				nseen = 0, after = 0; /* keep only recent output */
			memcpy(seen + nseen, b, n);
			nseen += n;
		}
		if (!sent && has(wait, 0)) {
			if (write(m, keys, strlen(keys)) < 0)
				perror("ptydrive: keys");
			sent = 1;
			after = nseen;
		}
		if (sent && has(stop, after)) {
			rc = 0;
			break;
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			pid = 0;
			rc = 1;
			break;
		}
	}
	if (pid > 0) {
		kill(-pid, SIGHUP);
		sleep(1);
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	close(m);
	return rc;
}
