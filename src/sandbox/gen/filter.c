/* Build-time generator of the parser child's seccomp filter: libseccomp
 * compiles the allow-list below into BPF once, when domuloader is built,
 * and this program prints it as C arrays ($(BUILD)/gen/seccomp_filter.h)
 * that src/sandbox/child.c loads with one seccomp() call.  Compiling the
 * filter at every run cost more than the rest of the confinement
 * (docs/SECURITY.md, "What each layer costs").  It also prints the
 * syscall names, for the message about a blocked syscall.  The ASan/UBSan
 * builds (DL_SANITIZED) get the variant with the sanitizers' syscalls.
 *   filter > seccomp_filter.h */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/filter.h>

#include "sandbox/layout.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ALLOW(...) rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, __VA_ARGS__)
#define ERRNO(e, s) rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(e), SCMP_SYS(s), 0)

/* Reads from its descriptors, writes to its pipes and frame socket,
 * recvmsg only on the frame socket (call replies), memory that is never
 * executable, no F_SETOWN/F_SETSIG, prlimit64 only to read its own
 * limits; soft failures for library probes; anything else traps. */
static int rules(scmp_filter_ctx ctx)
{
	int rc = 0;
	/* I/O on inherited fds only; writes only to the pipes. */
	ALLOW(SCMP_SYS(read), 0);
	ALLOW(SCMP_SYS(pread64), 0);
	ALLOW(SCMP_SYS(readv), 0);
	ALLOW(SCMP_SYS(preadv), 0);
	ALLOW(SCMP_SYS(lseek), 0);
	ALLOW(SCMP_SYS(recvmsg), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)DL_CHILD_FD_FRAME, 0)); /* replies */
	static const int wfds[] = { DL_CHILD_FD_OUT, DL_CHILD_FD_LOG, DL_CHILD_FD_FRAME };
	for (size_t i = 0; i < N(wfds); i++) {
		ALLOW(SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)wfds[i], 0));
		ALLOW(SCMP_SYS(writev), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)wfds[i], 0));
	}
	ALLOW(SCMP_SYS(fstat), 0);
	ALLOW(SCMP_SYS(newfstatat), 0);     /* glibc's fstat; the root is empty */
	ALLOW(SCMP_SYS(statx), 0);
	ALLOW(SCMP_SYS(close), 0);
	/* fcntl: not F_SETOWN/F_SETSIG (SIGIO at another process of this uid). */
	static const int fcmds[] = { F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC };
	for (size_t i = 0; i < N(fcmds); i++)
		ALLOW(SCMP_SYS(fcntl), 1, SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcmds[i], 0));
	ALLOW(SCMP_SYS(fadvise64), 0);
	/* Memory, never executable. */
	ALLOW(SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	ALLOW(SCMP_SYS(mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	ALLOW(SCMP_SYS(munmap), 0);
	ALLOW(SCMP_SYS(mremap), 0);
	ALLOW(SCMP_SYS(brk), 0);
	ALLOW(SCMP_SYS(madvise), 0);
	/* Identity queries (libext2fs safe_getenv), time, randomness. */
	ALLOW(SCMP_SYS(getuid), 0);
	ALLOW(SCMP_SYS(geteuid), 0);
	ALLOW(SCMP_SYS(getgid), 0);
	ALLOW(SCMP_SYS(getegid), 0);
	ALLOW(SCMP_SYS(getresuid), 0);
	ALLOW(SCMP_SYS(getresgid), 0);
	ALLOW(SCMP_SYS(getgroups), 0);
	ALLOW(SCMP_SYS(getpid), 0);
	ALLOW(SCMP_SYS(gettid), 0);
	ALLOW(SCMP_SYS(futex), 0);
	ALLOW(SCMP_SYS(getrandom), 0);
	ALLOW(SCMP_SYS(clock_gettime), 0);
	ALLOW(SCMP_SYS(clock_getres), 0);
	ALLOW(SCMP_SYS(gettimeofday), 0);
	ALLOW(SCMP_SYS(time), 0);
	ALLOW(SCMP_SYS(uname), 0);
	ALLOW(SCMP_SYS(getrlimit), 0);
	ALLOW(SCMP_SYS(prlimit64), 2, SCMP_A0(SCMP_CMP_EQ, 0, 0), SCMP_A2(SCMP_CMP_EQ, 0, 0)); /* own, read only */
	ALLOW(SCMP_SYS(sched_getaffinity), 0);
	ALLOW(SCMP_SYS(sched_yield), 0);
	ALLOW(SCMP_SYS(rt_sigreturn), 0);
	ALLOW(SCMP_SYS(rt_sigprocmask), 0);
	ALLOW(SCMP_SYS(restart_syscall), 0);
	ALLOW(SCMP_SYS(exit), 0);
	ALLOW(SCMP_SYS(exit_group), 0);
	/* Soft failures for library probes (OpenSSH's SC_DENY). */
	ERRNO(ENOTTY, ioctl);
	ERRNO(EACCES, open);
	ERRNO(EACCES, openat);
	ERRNO(ENOSYS, openat2);
	ERRNO(EACCES, access);
	ERRNO(EACCES, faccessat);
	ERRNO(EACCES, faccessat2);
	ERRNO(EACCES, readlink);
	ERRNO(EACCES, readlinkat);
	ERRNO(ENOSYS, statfs);
	ERRNO(ENOSYS, fstatfs);
	ERRNO(ENOSYS, sysinfo);
	return rc;
}

/* The sanitizer runtimes' own needs (reports, allocator), for the
 * ASan/UBSan builds only. */
static int sanitizer_rules(scmp_filter_ctx ctx)
{
	int rc = 0;
	ALLOW(SCMP_SYS(sigaltstack), 0);
	ALLOW(SCMP_SYS(rt_sigaction), 0);
	ALLOW(SCMP_SYS(prctl), 0);
	ALLOW(SCMP_SYS(mincore), 0);
	ALLOW(SCMP_SYS(nanosleep), 0);
	ALLOW(SCMP_SYS(clock_nanosleep), 0);
	ALLOW(SCMP_SYS(getppid), 0);
	ALLOW(SCMP_SYS(pipe), 0);
	ALLOW(SCMP_SYS(pipe2), 0);
	return rc;
}

static void die(const char *what)
{
	fprintf(stderr, "seccomp filter generator: %s\n", what);
	exit(1);
}

/* The filter as a C array named name. */
static void emit(const char *name, bool sanitized)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx)
		die("seccomp_init failed");
	/* A binary tree of syscall numbers: fewer instructions per syscall. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		die("cannot ask for the binary-tree layout");
	if (rules(ctx) || (sanitized && sanitizer_rules(ctx)))
		die("cannot add a rule");
	FILE *f = tmpfile();
	if (!f || seccomp_export_bpf(ctx, fileno(f)) < 0)
		die("cannot export the filter");
	long n = (long)lseek(fileno(f), 0, SEEK_END);
	if (n <= 0 || n % (long)sizeof(struct sock_filter) || lseek(fileno(f), 0, SEEK_SET) < 0)
		die("bad filter size");
	struct sock_filter *p = malloc((size_t)n);
	if (!p || read(fileno(f), p, (size_t)n) != n)
		die("cannot read the filter back");
	printf("static const struct sock_filter %s[] = {\n", name);
	for (size_t i = 0; i < (size_t)n / sizeof(*p); i++)
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", p[i].code, p[i].jt, p[i].jf, p[i].k);
	printf("};\n");
	free(p);
	fclose(f);
	seccomp_release(ctx);
}

int main(void)
{
	printf("/* Generated by src/sandbox/gen/filter.c with libseccomp %u.%u.%u: do not edit. */\n",
	       seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro);
	printf("#if DL_SANITIZED\n");
	emit("dl_seccomp_filter", true);
	printf("#else\n");
	emit("dl_seccomp_filter", false);
	printf("#endif\n");
	printf("static const char *const dl_syscall_names[] = {\n");
	for (int nr = 0; nr < 1024; nr++) {
		char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (s)
			printf("\t[%d] = \"%s\",\n", nr, s);
		free(s);
	}
	printf("};\n");
	return ferror(stdout) ? 1 : 0;
}
