/* dl_kinspect: src/kernel's dl_kernel_inspect() on a file, for tests and by
 * hand (before the CLI carries it).
 *
 *   dl_kinspect [OPTIONS] KERNEL
 *     --out=FILE        write the decompressed ELF to FILE ("-": stdout)
 *     --out-max=BYTES   --ratio-max=N   --work-max=BYTES   --mem-max=BYTES
 *
 * Prints the report as key=value lines on stdout (not with --out=-).  Exit 0,
 * or 1 with "dl_kinspect: error: ..." on stderr. */
#include "kernel/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static ssize_t rd(void *ctx, void *buf, size_t len, uint64_t off, struct dl_error *err)
{
	ssize_t n = dl_pread_full(*(int *)ctx, buf, len, off);
	if (n < 0)
		dl_fail(err, DL_EIO, "read at %llu: %s", (unsigned long long)off, strerror(errno));
	return n;
}

static int wr(void *ctx, const void *buf, size_t len, struct dl_error *err)
{
	if (dl_write_full(*(int *)ctx, buf, len) == 0)
		return 0;
	return dl_fail(err, DL_EOUTPUT, "write: %s", strerror(errno));
}

static int opt_u64(const char *arg, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) || arg[n] != '=')
		return 0;
	if (dl_parse_u64(arg + n + 1, v) < 0) {
		fprintf(stderr, "dl_kinspect: error: bad %s\n", name);
		exit(1);
	}
	return 1;
}

static void print(FILE *f, const struct dl_kernel_report *r)
{
	const struct dl_kernel_xen *x = &r->xen;
	fprintf(f, "format=%s\ncompression=%s\nversion=%s\nprotocol=%#x\n", r->format,
		r->compression, r->version, r->protocol);
	fprintf(f, "payload_offset=%llu\npayload_length=%llu\n", (unsigned long long)r->payload_offset,
		(unsigned long long)r->payload_length);
	fprintf(f, "elf=%d\nelf_class=%u\nelf_machine=%u\nelf_entry=%#llx\n", r->elf, r->elf_class,
		r->elf_machine, (unsigned long long)r->elf_entry);
	fprintf(f, "xen_pv=%d\nxen_pvh=%d\nwhy_not_pv=%s\nwhy_not_pvh=%s\n", r->xen_pv, r->xen_pvh,
		r->why_not_pv, r->why_not_pvh);
	fprintf(f, "notes_source=%s\nnotes=%u\n", x->source ? x->source : "", x->count);
	for (unsigned t = 1; t <= DL_XEN_ELFNOTE_MAX; t++) {
		const char *str = t == DL_XEN_ELFNOTE_XEN_VERSION ? x->xen_version :
			t == DL_XEN_ELFNOTE_GUEST_OS ? x->guest_os :
			t == DL_XEN_ELFNOTE_GUEST_VERSION ? x->guest_version :
			t == DL_XEN_ELFNOTE_LOADER ? x->loader : t == DL_XEN_ELFNOTE_PAE_MODE ? x->pae_mode :
			t == DL_XEN_ELFNOTE_FEATURES ? x->features :
			t == DL_XEN_ELFNOTE_BSD_SYMTAB ? x->bsd_symtab : NULL;
		if (!(x->present & 1u << t))
			continue;
		if (str)
			fprintf(f, "note_%s=%s\n", dl_kernel_xen_note_name(t), str);
		else
			fprintf(f, "note_%s=%#llx\n", dl_kernel_xen_note_name(t), (unsigned long long)x->num[t]);
	}
	fprintf(f, "features_supported=%#x\nfeatures_required=%#x\n", x->features_supported,
		x->features_required);
	fprintf(f, "complete=%d\nelf_size=%llu\nsize_declared=%llu\npasses=%u\nwork=%llu\n", r->complete,
		(unsigned long long)r->elf_size, (unsigned long long)r->size_declared, r->passes,
		(unsigned long long)r->work);
}

int main(int argc, char **argv)
{
	struct dl_kernel_limits lim = { 0 };
	const char *out = NULL, *path = NULL;
	for (int i = 1; i < argc; i++) {
		uint64_t v;
		if (!strncmp(argv[i], "--out=", 6))
			out = argv[i] + 6;
		else if (opt_u64(argv[i], "--out-max", &lim.out_max) || opt_u64(argv[i], "--work-max", &lim.work_max) ||
			 opt_u64(argv[i], "--mem-max", &lim.mem_max))
			continue;
		else if (opt_u64(argv[i], "--ratio-max", &v))
			lim.ratio_max = (uint32_t)v;
		else if (argv[i][0] == '-' || path) {
			fprintf(stderr, "usage: dl_kinspect [--out=FILE] [--out-max=N] [--ratio-max=N] "
				"[--work-max=N] [--mem-max=N] KERNEL\n");
			return 1;
		} else
			path = argv[i];
	}
	if (!path)
		return fprintf(stderr, "dl_kinspect: error: no KERNEL\n"), 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ofd = -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return fprintf(stderr, "dl_kinspect: error: %s: %s\n", path, strerror(errno)), 1;
	if (out && !strcmp(out, "-"))
		ofd = 1;
	else if (out && (ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return fprintf(stderr, "dl_kinspect: error: %s: %s\n", out, strerror(errno)), 1;
	struct dl_kernel_src src = { .name = path, .size = (uint64_t)st.st_size, .read = rd, .ctx = &fd };
	struct dl_kernel_report rep;
	struct dl_error err = { 0 };
	int rc = dl_kernel_inspect(&src, &lim, out ? wr : NULL, &ofd, &rep, &err);
	if (rc < 0) {
		fprintf(stderr, "dl_kinspect: error: %s\n", err.msg);
		return 1;
	}
	if (ofd != 1)
		print(stdout, &rep);
	if (ofd > 1 && close(ofd) < 0)
		return fprintf(stderr, "dl_kinspect: error: %s: %s\n", out, strerror(errno)), 1;
	return 0;
}
