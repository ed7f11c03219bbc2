/* Kernel image inspection (see kernel.h): the bzImage setup header
 * (Documentation/arch/x86/boot.rst), where its payload is and in what
 * format, and the passes over the decompressed ELF that kelf.c needs. */
#include "kernel/kernel.h"

#include <stdio.h>
#include <string.h>

#include "kernel/kdec.h"
#include "kernel/kelf.h"

#define HEAD_BYTES (0x200 + 0xffff + 128)   /* setup header, and any version string */
#define CHUNK (64u << 10)
#define MAX_PASSES 4

/* "HdrS" at 0x202; kernel_version at 0x20e points (relative to 0x200) to
 * a NUL-terminated string, copied with non-printable bytes as '?'. */
static bool bzimage(const uint8_t *b, size_t len, unsigned *protocol, char *version, size_t vcap)
{
	if (len < 0x210 || memcmp(b + 0x202, "HdrS", 4))
		return false;
	*protocol = dl_le16(b + 0x206);
	size_t ptr = dl_le16(b + 0x20e), o = 0;
	if (ptr && *protocol >= 0x200 && ptr + 0x200 < len)
		for (size_t i = ptr + 0x200; i < len && b[i] && o < vcap - 1; i++)
			version[o++] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '?';
	version[o] = '\0';
	return true;
}

static bool is_elf(const uint8_t *b, size_t len)
{
	return len >= 16 && !memcmp(b, "\x7f" "ELF", 4) && (b[4] == 1 || b[4] == 2);
}

bool dl_kernel_probe(const uint8_t *b, size_t len, struct dl_kernel_info *ki)
{
	memset(ki, 0, sizeof(*ki));
	ki->format = "unknown";
	if (bzimage(b, len, &ki->protocol, ki->version, sizeof(ki->version))) {
		ki->format = "bzImage";
		return true;
	}
	if (is_elf(b, len)) {
		struct dl_kernel_report rep;
		struct kelf k;
		memset(&rep, 0, sizeof(rep));
		kelf_init(&k, &rep);
		kelf_feed(&k, 0, b, len);
		ki->format = b[4] == 2 ? "ELF64" : "ELF32";
		ki->xen_notes = rep.xen.count > 0;
		ki->pvh_entry = rep.xen.present & 1u << DL_XEN_ELFNOTE_PHYS32_ENTRY;
		kelf_free(&k);
		return true;
	}
	enum kcomp c = kcomp_detect(b, len);
	if (c == KC_NONE)
		return false;
	ki->format = kcomp_name(c);
	return true;
}

/* ---- inspection ---- */

struct run {
	const struct dl_kernel_src *src;
	struct dl_kernel_limits lim;
	struct dl_kernel_report *rep;
	struct kelf k;
	dl_kernel_out_fn out;        /* in this pass */
	void *octx;
	const char *what;
	uint64_t pos;                /* decompressed bytes seen in this pass */
	uint8_t hold[KELF_HDR];      /* output held until the ELF header is seen */
	size_t nhold;
	bool open;
	uint64_t work;
};

static int read_exact(const struct dl_kernel_src *src, void *buf, size_t n, uint64_t off,
		      struct dl_error *err)
{
	ssize_t r = src->read(src->ctx, buf, n, off, err);
	if (r == (ssize_t)n)
		return 0;
	return dl_fail(err, DL_EIO, "%s: %s at offset %llu", src->name, r < 0 ? "read error" : "short read",
		       (unsigned long long)off);
}

static int not_elf(struct run *r, struct dl_error *err)
{
	const uint8_t *h = r->k.cap[0].buf;
	char data[32] = "";
	if (strcmp(r->rep->compression, "none"))
		snprintf(data, sizeof(data), "the %s data ", r->rep->compression);
	return dl_fail(err, DL_EBADIMAGE, "%s: %sdoes not hold an ELF kernel (it starts with "
		       "%02x %02x %02x %02x)", r->what, data, h[0], h[1], h[2], h[3]);
}

static int give(struct run *r, const uint8_t *p, size_t n, struct dl_error *err)
{
	if (r->out(r->octx, p, n, err) == 0)
		return 0;
	return dl_fail(err, DL_EOUTPUT, "%s: cannot write the decompressed kernel", r->what);
}

/* header_only, and the ELF header read: the rest of the stream is not needed. */
static bool header_done(struct run *r)
{
	if (!r->lim.header_only || r->out || r->k.state != KELF_ELF)
		return false;
	r->rep->notes_unread = true;
	return true;
}

/* Decompressed bytes, in order: to the ELF reader, and (pass 1, out
 * given) to out once they are known to be an ELF. */
static int sink(void *ctx, const uint8_t *p, size_t n, struct dl_error *err)
{
	struct run *r = ctx;
	uint64_t at = r->pos;
	r->pos += n;
	kelf_feed(&r->k, at, p, n);
	if (!r->out)
		return r->k.state == KELF_NOT_ELF || !kelf_wants(&r->k, r->pos) || header_done(r);
	if (!r->open) {
		if (r->k.state == KELF_UNKNOWN) {   /* not the whole header yet */
			memcpy(r->hold + r->nhold, p, n);
			r->nhold += n;
			return 0;
		}
		if (r->k.state == KELF_NOT_ELF)
			return not_elf(r, err);
		r->open = true;
		if (r->nhold && give(r, r->hold, r->nhold, err) < 0)
			return dl_err_errno(err);
	}
	return give(r, p, n, err);
}

/* The decompressed stream is seekable: the ELF given directly (or stored
 * uncompressed in a bzImage).  Stream it to out if asked, then read what
 * the ELF reader still wants where it is. */
static int plain(struct run *r, uint64_t base, uint64_t len, struct dl_error *err)
{
	uint8_t *buf = dl_malloc(CHUNK);
	int rc = 0;
	if (r->out && len > r->lim.out_max)
		rc = dl_fail(err, DL_ELIMIT, "%s: %llu bytes, over the output cap of %llu", r->what,
			     (unsigned long long)len, (unsigned long long)r->lim.out_max);
	for (uint64_t off = 0; r->out && !rc && off < len;) {
		size_t n = (size_t)DL_MIN((uint64_t)CHUNK, len - off);
		if (read_exact(r->src, buf, n, base + off, err) < 0 || sink(r, buf, n, err) < 0)
			rc = -1;
		off += n;
		r->work += n;
	}
	if (!rc && r->out) {
		r->rep->complete = true;
		r->rep->elf_size = len;
	}
	while (!rc && kelf_wants(&r->k, 0)) {
		uint64_t want, off = kelf_next(&r->k, &want);
		if (off >= len)
			break;
		size_t n = (size_t)DL_MIN(DL_MIN(want, (uint64_t)CHUNK), len - off);
		if (read_exact(r->src, buf, n, base + off, err) < 0)
			rc = -1;
		else
			kelf_feed(&r->k, off, buf, n);
		r->work += n;
	}
	free(buf);
	if (!rc)
		kelf_end(&r->k, len);
	if (!rc && r->out && r->k.state == KELF_NOT_ELF)
		rc = not_elf(r, err);
	return rc;
}

/* Decompress [base, base+len) as many times as the ELF reader needs:
 * once with out, and again only for ranges wanted behind the stream
 * (the SHT_NOTE and __xen_guest fallbacks). */
static int passes(struct run *r, enum kcomp c, uint64_t base, uint64_t len, struct dl_error *err)
{
	dl_kernel_out_fn out = r->out;
	for (unsigned pass = 1; pass <= MAX_PASSES; pass++) {
		struct kdec d = {
			.src = r->src, .base = base, .len = len, .what = r->what, .comp = c,
			.lim = &r->lim, .work = &r->work, .sink = sink, .sctx = r, .err = err,
		};
		r->pos = 0;
		r->out = pass == 1 ? out : NULL;
		r->rep->passes = pass;
		int rc = kdec_run(&d);
		if (rc < 0)
			return dl_err_errno(err);
		if (rc == 0) {
			r->rep->complete = true;
			r->rep->elf_size = d.out;
			kelf_end(&r->k, d.out);
			if (r->out && r->k.state != KELF_ELF)
				return not_elf(r, err);
		}
		if (r->k.state == KELF_NOT_ELF || !kelf_wants(&r->k, 0) || r->rep->notes_unread)
			return 0;
	}
	kelf_abandon(&r->k, MAX_PASSES);
	return 0;
}

static int inspect_bzimage(struct run *r, const uint8_t *head, size_t hn, struct dl_error *err)
{
	struct dl_kernel_report *rep = r->rep;
	const struct dl_kernel_src *src = r->src;
	rep->format = "bzImage";
	if (rep->protocol < 0x208) {
		snprintf(rep->why_not_pv, sizeof(rep->why_not_pv), "boot protocol %u.%02u predates the "
			 "payload fields (2.08, Linux 2.6.26)", rep->protocol >> 8, rep->protocol & 0xff);
		snprintf(rep->why_not_pvh, sizeof(rep->why_not_pvh), "%s", rep->why_not_pv);
		if (r->out)
			return dl_fail(err, DL_EUNSUPPORTED, "%s: cannot decompress: %s", src->name,
				       rep->why_not_pv);
		return 0;
	}
	if (hn < 0x250)
		return dl_fail(err, DL_EBADIMAGE, "%s: bzImage truncated inside its setup header", src->name);
	unsigned sects = head[0x1f1] ? head[0x1f1] : 4;
	uint64_t off = (sects + 1ull) * 512 + dl_le32(head + 0x248), len = dl_le32(head + 0x24c);
	rep->payload_offset = off;
	rep->payload_length = len;
	if (off >= src->size || len > src->size - off)
		return dl_fail(err, DL_EBADIMAGE, "%s: bzImage payload (%llu bytes at offset %llu) does not "
			       "fit in the file (%llu bytes): truncated?", src->name,
			       (unsigned long long)len, (unsigned long long)off,
			       (unsigned long long)src->size);
	if (len < 16)
		return dl_fail(err, DL_EBADIMAGE, "%s: bzImage payload of %llu bytes is too small",
			       src->name, (unsigned long long)len);
	uint8_t m[16], t[4];
	if (read_exact(src, m, sizeof(m), off, err) < 0 || read_exact(src, t, 4, off + len - 4, err) < 0)
		return dl_err_errno(err);
	char *what = dl_asprintf("%s: bzImage payload", src->name);
	r->what = what;
	int rc;
	enum kcomp c = kcomp_detect(m, sizeof(m));
	rep->compression = kcomp_name(c);
	if (c != KC_NONE) {
		rep->size_declared = dl_le32(t);
		rc = passes(r, c, off, len, err);
		if (!rc && rep->complete && (uint32_t)rep->elf_size != rep->size_declared)
			rc = dl_fail(err, DL_EBADIMAGE, "%s: decompresses to %llu bytes, but its last 4 bytes "
				     "say %llu (the size Linux's and Xen's loaders use)", what,
				     (unsigned long long)rep->elf_size,
				     (unsigned long long)rep->size_declared);
	} else if (is_elf(m, sizeof(m))) {
		rc = plain(r, off, len, err);
	} else {
		rc = dl_fail(err, DL_EUNSUPPORTED, "%s: unknown compression (it starts with "
			     "%02x %02x %02x %02x)", what, m[0], m[1], m[2], m[3]);
	}
	r->what = src->name;
	free(what);
	return rc;
}

int dl_kernel_inspect(const struct dl_kernel_src *src, const struct dl_kernel_limits *lim,
		      dl_kernel_out_fn out, void *octx, struct dl_kernel_report *rep,
		      struct dl_error *err)
{
	struct run r = { .src = src, .rep = rep, .out = out, .octx = octx, .what = src->name };
	memset(rep, 0, sizeof(*rep));
	rep->format = "unknown";
	rep->compression = "none";
	if (lim)
		r.lim = *lim;
	r.lim.out_max = r.lim.out_max ? r.lim.out_max : DL_KERNEL_OUT_MAX;
	r.lim.ratio_max = r.lim.ratio_max ? r.lim.ratio_max : DL_KERNEL_RATIO_MAX;
	r.lim.work_max = r.lim.work_max ? r.lim.work_max : DL_KERNEL_WORK_MAX;
	r.lim.mem_max = r.lim.mem_max ? r.lim.mem_max : DL_KERNEL_MEM_MAX;
	kelf_init(&r.k, rep);

	size_t hn = (size_t)DL_MIN(src->size, (uint64_t)HEAD_BYTES);
	uint8_t *head = dl_malloc(hn ? hn : 1);
	int rc = read_exact(src, head, hn, 0, err);
	enum kcomp c = KC_NONE;
	bool raw = false;
	if (rc < 0) {
		/* nothing learnt */
	} else if (bzimage(head, hn, &rep->protocol, rep->version, sizeof(rep->version))) {
		rc = inspect_bzimage(&r, head, hn, err);
	} else if (is_elf(head, hn)) {
		rc = plain(&r, 0, src->size, err);
	} else if ((c = kcomp_detect(head, hn)) != KC_NONE) {
		rep->compression = kcomp_name(c);
		raw = true;
		rc = passes(&r, c, 0, src->size, err);
	} else if (out) {
		rc = dl_fail(err, DL_EUNSUPPORTED, "%s: not a bzImage, an ELF or a compressed ELF kernel",
			     src->name);
	}
	free(head);
	bool bz = !strcmp(rep->format, "bzImage");
	if (!bz && rep->elf)
		rep->format = rep->elf_class == 64 ? "ELF64" : "ELF32";
	rep->work = r.work;
	if (!rc && rep->notes_unread) {
		rep->xen_pv = rep->xen_pvh = false;
		snprintf(rep->why_not_pv, sizeof(rep->why_not_pv), "Xen notes not read");
		snprintf(rep->why_not_pvh, sizeof(rep->why_not_pvh), "Xen notes not read");
	} else if (!rc && !rep->why_not_pv[0]) {
		kelf_decide(&r.k);
		if (!rep->elf && !bz) {
			const char *why = raw ? "the compressed data is not an ELF kernel"
					      : "not a bzImage, an ELF or a compressed ELF kernel";
			snprintf(rep->why_not_pv, sizeof(rep->why_not_pv), "%s", why);
			snprintf(rep->why_not_pvh, sizeof(rep->why_not_pvh), "%s", why);
		}
	}
	kelf_free(&r.k);
	return rc;
}
