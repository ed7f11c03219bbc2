/* Kernel inspection of guest files (see inspect.h). */
#include "inspect.h"

#include <string.h>

static ssize_t read_located(void *ctx, void *buf, size_t len, uint64_t off, struct dl_error *err)
{
	const struct dl_located *l = ctx;
	if (l->part && off + len > l->part_len)
		len = off >= l->part_len ? 0 : (size_t)(l->part_len - off);
	ssize_t n = dl_fs_read(l->fs, &l->st, l->path, buf, len, off + (l->part ? l->part_off : 0), err);
	return n < 0 ? -1 : n;
}

int dl_inspect_file(const struct dl_located *l, const char *name, uint64_t out_max,
		    bool header_only, dl_kernel_out_fn out, void *octx,
		    struct dl_kernel_report *rep, struct dl_error *err)
{
	struct dl_kernel_src src = {
		.name = name, .size = dl_located_size(l), .read = read_located, .ctx = (void *)l,
	};
	struct dl_kernel_limits lim = { .out_max = out_max, .header_only = header_only };
	return dl_kernel_inspect(&src, &lim, out, octx, rep, err);
}

void dl_inspect_summary(struct dl_sbuf *b, const struct dl_kernel_report *rep)
{
	dl_sbuf_adds(b, rep->format ? rep->format : "unknown");
	if (rep->compression && strcmp(rep->compression, "none"))
		dl_sbuf_printf(b, ", %s", rep->compression);
	if (rep->version[0]) {
		dl_sbuf_adds(b, ", ");
		dl_sbuf_text(b, rep->version);
	}
	if (rep->notes_unread)
		return;   /* not read: nothing to say about PV and PVH */
	dl_sbuf_printf(b, ", PV %s", rep->xen_pv ? "yes" : "no");
	if (!rep->xen_pv && rep->why_not_pv[0])
		dl_sbuf_printf(b, " (%s)", rep->why_not_pv);
	dl_sbuf_printf(b, ", PVH %s", rep->xen_pvh ? "yes" : "no");
	if (!rep->xen_pvh && rep->why_not_pvh[0])
		dl_sbuf_printf(b, " (%s)", rep->why_not_pvh);
}

const char *dl_inspect_arch(const struct dl_kernel_report *rep)
{
	static const struct {
		unsigned machine, bits;
		const char *name;
	} arch[] = {
		{ 62, 64, "x86_64" }, { 3, 32, "i386" }, { 183, 64, "aarch64" }, { 40, 32, "arm" },
		{ 243, 64, "riscv64" }, { 243, 32, "riscv32" }, { 21, 64, "ppc64" }, { 20, 32, "ppc" },
		{ 22, 64, "s390x" }, { 8, 32, "mips" }, { 8, 64, "mips64" }, { 258, 64, "loongarch64" },
	};
	if (!rep->elf)
		return rep->format && !strcmp(rep->format, "bzImage") ? "x86" : NULL;
	for (size_t i = 0; i < DL_ARRAY_SIZE(arch); i++)
		if (arch[i].machine == rep->elf_machine && arch[i].bits == rep->elf_class)
			return arch[i].name;
	return "unknown";
}

void dl_inspect_json(struct dl_json *j, const struct dl_kernel_report *rep)
{
	dl_json_str(j, "kernel_format", rep->format);
	dl_json_str(j, "kernel_compression", rep->compression);
	dl_json_str(j, "kernel_version", rep->version[0] ? rep->version : NULL);
	dl_json_str(j, "kernel_arch", dl_inspect_arch(rep));
	dl_json_bool(j, "xen_pv", rep->xen_pv);
	dl_json_bool(j, "xen_pvh", rep->xen_pvh);
	dl_json_str(j, "why_not_pv", rep->why_not_pv[0] ? rep->why_not_pv : NULL);
	dl_json_str(j, "why_not_pvh", rep->why_not_pvh[0] ? rep->why_not_pvh : NULL);
}
