/* Fuzz kernel image inspection.  The first byte picks the mode:
 *   0  dl_kernel_probe() on the rest (the start of a kernel file)
 *   1  dl_kernel_inspect() on the rest as a whole file, inspection only
 *   2  the same, with the decompressed bytes taken by an output callback
 *   3  the rest after a compression magic chosen by its first byte (so
 *      the decoders' inner paths are reached without finding a magic)
 * and its bit 2 asks header_only (the Xen notes of a compressed kernel
 * left unread, as in libxl's runs).
 * Small caps keep each run short.  Run for N minutes:
 *   make fuzz && build-fuzz/bin/fuzz_kernel -dict=tests/fuzz/kernel.dict \
 *     -max_total_time=$((N*60)) tests/fuzz/corpus/kernel
 * Seeds: build/tests/unit/test_kernel --seeds tests/fuzz/corpus/kernel */
#include <string.h>

#include "fuzz_common.h"
#include "kernel/kernel.h"

struct file {
	const uint8_t *p;
	size_t n;
};

static ssize_t rd(void *ctx, void *buf, size_t len, uint64_t off, struct dl_error *err)
{
	const struct file *f = ctx;
	(void)err;
	if (off >= f->n)
		return 0;
	if (len > f->n - off)
		len = f->n - (size_t)off;
	memcpy(buf, f->p + off, len);
	return (ssize_t)len;
}

struct sink {
	uint64_t n;
	uint8_t first[4];
};

static int out(void *ctx, const void *buf, size_t len, struct dl_error *err)
{
	struct sink *s = ctx;
	(void)err;
	for (size_t i = 0; s->n + i < 4 && i < len; i++)
		s->first[s->n + i] = ((const uint8_t *)buf)[i];
	s->n += len;
	return 0;
}

static const char *const magics[] = {
	"\x1f\x8b\x08", "BZh9", "\xfd\x37zXZ", "\x5d\0\0\x10\0\xff\xff\xff\xff\xff\xff\xff\xff",
	"\x89LZO\0\r\n\x1a\n", "\x02\x21\x4c\x18", "\x28\xb5\x2f\xfd",
};
static const size_t magic_len[] = { 3, 4, 5, 13, 9, 4, 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1 << 20))
		return 0;
	unsigned mode = data[0] & 3;
	bool header_only = data[0] & 4;
	data++, size--;
	if (mode == 0) {
		struct dl_kernel_info ki;
		if (size > DL_KERNEL_PROBE_BYTES)
			size = DL_KERNEL_PROBE_BYTES;
		/* the probe reads only inside [data, data+size): ASan checks that */
		dl_kernel_probe(data, size, &ki);
		if (strlen(ki.version) >= sizeof(ki.version))
			__builtin_trap();
		return 0;
	}
	uint8_t *tmp = NULL;
	if (mode == 3) {
		if (!size)
			return 0;
		unsigned m = data[0] % DL_ARRAY_SIZE(magics);
		tmp = dl_malloc(magic_len[m] + size - 1);
		memcpy(tmp, magics[m], magic_len[m]);
		memcpy(tmp + magic_len[m], data + 1, size - 1);
		data = tmp;
		size = magic_len[m] + size - 1;
	}
	dl_log_set(fuzz_quiet, NULL, 0);
	struct file f = { data, size };
	struct dl_kernel_src src = { "fuzz", size, rd, &f };
	/* out_max above the ratio cap's 16 MiB slack, so that both are reached */
	struct dl_kernel_limits lim = { .out_max = 24 << 20, .work_max = 64 << 20, .mem_max = 8 << 20,
					.header_only = header_only };
	struct dl_kernel_report rep;
	struct dl_error err = { 0 };
	struct sink s = { 0 };
	int rc = dl_kernel_inspect(&src, &lim, mode >= 2 ? out : NULL, &s, &rep, &err);
	/* what the report promises */
	if (strlen(rep.version) >= sizeof(rep.version) || strlen(rep.why_not_pv) >= sizeof(rep.why_not_pv) ||
	    strlen(rep.xen.features) >= sizeof(rep.xen.features) || !rep.format || !rep.compression)
		__builtin_trap();
	if (rc == 0 && (rep.xen_pv == !!rep.why_not_pv[0] || rep.xen_pvh == !!rep.why_not_pvh[0]))
		__builtin_trap();
	if (rc < 0 && (!err.code || !err.msg[0]))
		__builtin_trap();
	if (s.n > lim.out_max || rep.elf_size > lim.out_max)
		__builtin_trap();
	/* out sees an ELF, all of it */
	if (s.n && memcmp(s.first, "\x7f" "ELF", s.n < 4 ? s.n : 4))
		__builtin_trap();
	if (rc == 0 && mode >= 2 && rep.elf && rep.complete && s.n != rep.elf_size)
		__builtin_trap();
	if ((rep.xen_pv || rep.xen_pvh) && !rep.elf)
		__builtin_trap();
	/* notes left unread: only when asked, before any output, never judged */
	if (rep.notes_unread && (!header_only || mode >= 2 || rep.xen_pv || rep.xen_pvh || !rep.elf))
		__builtin_trap();
	free(tmp);
	return 0;
}
