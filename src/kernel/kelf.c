/* ELF program headers, Xen ELF notes and the legacy __xen_guest section,
 * captured from a stream (see kelf.h), and the PV/PVH decision made the
 * way Xen's loader makes it: xen/common/libelf/libelf-dominfo.c
 * elf_xen_parse() (notes from PT_NOTE segments, else SHT_NOTE sections,
 * else __xen_guest for PV; elf_xen_note_check(); elf_xen_addr_calc_check())
 * and tools/libs/guest/xg_dom_elfloader.c (no dom0-only kernels, x86
 * only, PHYS32_ENTRY for a PVH container).  One addition: a Linux kernel
 * without XEN_ELFNOTE_ENTRY was built without CONFIG_XEN_PV, and Xen would
 * start it at its native entry point, where it dies; we say so instead. */
#include "kernel/kelf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { K_HDR, K_PHDRS, K_NOTE, K_SHDRS, K_SNOTE, K_SHSTRTAB, K_GUEST };
static const char *const kind_name[] = {
	[K_HDR] = "ELF header", [K_PHDRS] = "program headers",
	[K_NOTE] = "PT_NOTE segment", [K_SHDRS] = "section headers",
	[K_SNOTE] = "SHT_NOTE section", [K_SHSTRTAB] = "section name table",
	[K_GUEST] = "__xen_guest section",
};

#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7
#define PHNUM_MAX 256
#define SHNUM_MAX 4096
#define NOTES_MAX (1u << 20)        /* bytes of one note segment or section */
#define SHSTRTAB_MAX (1u << 20)
#define GUEST_MAX 4096              /* Xen reads name[32]=value[128] pairs up to a NUL */
#define NOTE_COUNT_MAX 2048         /* libelf's ELF_MAX_TOTAL_NOTE_COUNT */

static const char *const note_names[DL_XEN_ELFNOTE_MAX + 1] = {
	[DL_XEN_ELFNOTE_ENTRY] = "ENTRY", [DL_XEN_ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
	[DL_XEN_ELFNOTE_VIRT_BASE] = "VIRT_BASE", [DL_XEN_ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
	[DL_XEN_ELFNOTE_XEN_VERSION] = "XEN_VERSION", [DL_XEN_ELFNOTE_GUEST_OS] = "GUEST_OS",
	[DL_XEN_ELFNOTE_GUEST_VERSION] = "GUEST_VERSION", [DL_XEN_ELFNOTE_LOADER] = "LOADER",
	[DL_XEN_ELFNOTE_PAE_MODE] = "PAE_MODE", [DL_XEN_ELFNOTE_FEATURES] = "FEATURES",
	[DL_XEN_ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB", [DL_XEN_ELFNOTE_HV_START_LOW] = "HV_START_LOW",
	[DL_XEN_ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
	[DL_XEN_ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL", [DL_XEN_ELFNOTE_INIT_P2M] = "INIT_P2M",
	[DL_XEN_ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
	[DL_XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
	[DL_XEN_ELFNOTE_PHYS32_ENTRY] = "PHYS32_ENTRY",
};

const char *dl_kernel_xen_note_name(unsigned type)
{
	return type <= DL_XEN_ELFNOTE_MAX ? note_names[type] : NULL;
}

/* XENFEAT_* names libelf knows (xen/include/public/features.h). */
static const char *const feature_names[] = {
	[0] = "writable_page_tables", [1] = "writable_descriptor_tables",
	[2] = "auto_translated_physmap", [3] = "supervisor_mode_kernel",
	[4] = "pae_pgdir_above_4gb", [8] = "hvm_callback_vector", [11] = "dom0",
};
#define XENFEAT_dom0 11

static void set_broken(struct kelf *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_broken(struct kelf *k, const char *fmt, ...)
{
	if (!k->broken[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(k->broken, sizeof(k->broken), fmt, ap);
		va_end(ap);
	}
	k->finished = true;
}

void kelf_init(struct kelf *k, struct dl_kernel_report *rep)
{
	memset(k, 0, sizeof(*k));
	k->rep = rep;
	k->shstrtab = -1;
	k->pstart = UINT64_MAX;
	/* the ELF64 header; an ELF32's (52 bytes) and the start of its
	 * program headers (no kernel is shorter) */
	k->cap[0] = (struct kelf_cap){ .off = 0, .len = KELF_HDR, .kind = K_HDR,
				       .buf = dl_calloc(1, KELF_HDR) };
	k->ncap = 1;
	k->held = KELF_HDR;
}

void kelf_free(struct kelf *k)
{
	for (unsigned i = 0; i < k->ncap; i++)
		free(k->cap[i].buf);
	k->ncap = 0;
}

/* Want [off, off+len); served at once, as far as they go, from ranges
 * already captured (an ELF32's program headers start inside the first 64
 * bytes; section notes lie inside note segments). */
static int want(struct kelf *k, uint8_t kind, uint64_t off, uint64_t len, uint64_t max)
{
	uint64_t end;
	if (ckd_add(&end, off, len)) {
		set_broken(k, "its %s at offset %#llx runs past 2^64", kind_name[kind],
			   (unsigned long long)off);
		return -EUCLEAN;
	}
	if (len > max || k->held + len > KELF_HELD_MAX || k->ncap == KELF_MAX_CAPS) {
		set_broken(k, "its %s (%llu bytes) is over the inspection caps", kind_name[kind],
			   (unsigned long long)len);
		return -E2BIG;
	}
	struct kelf_cap *c = &k->cap[k->ncap];
	*c = (struct kelf_cap){ .off = off, .len = len, .kind = kind, .buf = dl_calloc(1, len ? len : 1) };
	for (bool more = true; more && c->got < len;) {
		more = false;
		for (unsigned i = 0; i < k->ncap; i++) {
			const struct kelf_cap *o = &k->cap[i];
			uint64_t at = off + c->got;
			if (o->got < o->len || at < o->off || at - o->off >= o->len)
				continue;
			uint64_t n = DL_MIN(len - c->got, o->len - (at - o->off));
			memcpy(c->buf + c->got, o->buf + (at - o->off), n);
			c->got += n;
			more = true;
		}
	}
	k->held += len;
	return (int)k->ncap++;
}

/* Field readers: callers checked that the structure is in the buffer. */
static uint64_t word(const struct kelf *k, const uint8_t *p, size_t off32, size_t off64)
{
	return k->is64 ? dl_le64(p + off64) : dl_le32(p + off32);
}

/* libelf's elf_xen_parse_features(): '|'-separated names of at most 63
 * bytes, '!' marking one the kernel requires; an unknown required name
 * makes the kernel unloadable. */
static void parse_features(struct kelf *k, const char *s)
{
	struct dl_kernel_xen *x = &k->rep->xen;
	size_t pos = 0, len;
	for (; s[pos]; pos += len) {
		char f[64] = "";
		for (len = 0; len < sizeof(f) - 1 && s[pos + len] && s[pos + len] != '|'; len++)
			f[len] = s[pos + len];
		if (s[pos + len] == '|')
			len++;
		bool req = f[0] == '!';
		size_t i;
		for (i = 0; i < DL_ARRAY_SIZE(feature_names); i++)
			if (feature_names[i] && !strcmp(f + req, feature_names[i])) {
				x->features_supported |= 1u << i;
				if (req)
					x->features_required |= 1u << i;
				break;
			}
		if (i == DL_ARRAY_SIZE(feature_names) && req && !k->bad_features[0])
			snprintf(k->bad_features, sizeof(k->bad_features), "%s", f + 1);
	}
}

/* Copied as libelf's safe_strcpy() does: cut to fit. */
static void set_str(char *dst, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);
	memcpy(dst, s, n);
	dst[n] = '\0';
}
#define SET_STR(dst, s) set_str(dst, sizeof(dst), s)

static void xen_string(struct kelf *k, unsigned type, const char *s)
{
	struct dl_kernel_xen *x = &k->rep->xen;
	switch (type) {
	case DL_XEN_ELFNOTE_XEN_VERSION: SET_STR(x->xen_version, s); break;
	case DL_XEN_ELFNOTE_GUEST_OS: SET_STR(x->guest_os, s); break;
	case DL_XEN_ELFNOTE_GUEST_VERSION: SET_STR(x->guest_version, s); break;
	case DL_XEN_ELFNOTE_LOADER: SET_STR(x->loader, s); break;
	case DL_XEN_ELFNOTE_BSD_SYMTAB: SET_STR(x->bsd_symtab, s); break;
	case DL_XEN_ELFNOTE_PAE_MODE:
		SET_STR(x->pae_mode, s);
		if (!strcmp(s, "yes"))
			k->pae = 2;
		if (strstr(s, "bimodal"))
			k->pae = 3;
		break;
	case DL_XEN_ELFNOTE_FEATURES:
		SET_STR(x->features, s);
		parse_features(k, s);
		break;
	}
	x->present |= 1u << type;
}

/* One note of a "Xen" owner (libelf's elf_xen_parse_note()). */
static void xen_note(struct kelf *k, unsigned type, const uint8_t *desc, uint32_t descsz)
{
	static const uint32_t strings = 1u << DL_XEN_ELFNOTE_XEN_VERSION | 1u << DL_XEN_ELFNOTE_GUEST_OS |
		1u << DL_XEN_ELFNOTE_GUEST_VERSION | 1u << DL_XEN_ELFNOTE_LOADER |
		1u << DL_XEN_ELFNOTE_PAE_MODE | 1u << DL_XEN_ELFNOTE_FEATURES |
		1u << DL_XEN_ELFNOTE_BSD_SYMTAB;
	struct dl_kernel_xen *x = &k->rep->xen;
	if (!type || type > DL_XEN_ELFNOTE_MAX)
		return;   /* unknown types count as Xen notes but carry nothing */
	if (strings & 1u << type) {
		char *s = dl_strndup((const char *)desc, descsz);
		xen_string(k, type, s);
		free(s);
		return;
	}
	uint64_t v = 0;
	switch (descsz) {   /* elf_note_numeric(): other sizes read as 0 */
	case 1: v = desc[0]; break;
	case 2: v = dl_le16(desc); break;
	case 4: v = dl_le32(desc); break;
	case 8: v = dl_le64(desc); break;
	}
	if (type == DL_XEN_ELFNOTE_SUPPORTED_FEATURES) {
		v = descsz >= 4 ? dl_le32(desc) : 0;
		x->features_supported |= (uint32_t)v;
	}
	if (type == DL_XEN_ELFNOTE_PHYS32_ENTRY)
		v = (uint32_t)v;   /* libelf keeps it in 32 bits */
	x->num[type] = v;
	x->present |= 1u << type;
}

/* The notes in buf; returns how many belong to "Xen". */
static unsigned parse_notes(struct kelf *k, const uint8_t *b, uint64_t len)
{
	unsigned xen = 0;
	for (uint64_t q = 0; q + 12 <= len; k->notes_total++) {
		if (k->notes_total >= NOTE_COUNT_MAX) {
			set_broken(k, "more than %u ELF notes", NOTE_COUNT_MAX);
			break;
		}
		uint32_t namesz = dl_le32(b + q), descsz = dl_le32(b + q + 4), type = dl_le32(b + q + 8);
		uint64_t name = q + 12, desc = name + ((namesz + 3ull) & ~3ull);
		uint64_t next = desc + ((descsz + 3ull) & ~3ull);
		if (desc + descsz > len || name + namesz > len)
			break;
		if (namesz >= 4 && !memcmp(b + name, "Xen", 4)) {
			xen_note(k, type, b + desc, descsz);
			xen++;
			k->rep->xen.count++;
		}
		q = next;
	}
	return xen;
}

/* The legacy "GUEST_OS=linux,XEN_VER=xen-3.0,..." string, read as libelf's
 * elf_xen_parse_guest_info() reads it (names cut at 31 bytes, values at 127). */
static void parse_guest(struct kelf *k, const uint8_t *b, size_t len)
{
	static const struct { const char *key; unsigned type; } strs[] = {
		{ "LOADER", DL_XEN_ELFNOTE_LOADER }, { "GUEST_OS", DL_XEN_ELFNOTE_GUEST_OS },
		{ "GUEST_VER", DL_XEN_ELFNOTE_GUEST_VERSION }, { "XEN_VER", DL_XEN_ELFNOTE_XEN_VERSION },
		{ "FEATURES", DL_XEN_ELFNOTE_FEATURES },
	}, nums[] = {
		{ "VIRT_BASE", DL_XEN_ELFNOTE_VIRT_BASE }, { "VIRT_ENTRY", DL_XEN_ELFNOTE_ENTRY },
		{ "ELF_PADDR_OFFSET", DL_XEN_ELFNOTE_PADDR_OFFSET },
		{ "HYPERCALL_PAGE", DL_XEN_ELFNOTE_HYPERCALL_PAGE },
	};
	struct dl_kernel_xen *x = &k->rep->xen;
	size_t h = 0;
	while (h < len && b[h]) {
		char name[32] = "", value[128] = "";
		size_t n = 0;
		for (; h < len && b[h] && n < sizeof(name) - 1; h++) {
			if (b[h] == ',') {
				h++;
				break;
			}
			if (b[h] == '=') {
				size_t v = 0;
				for (h++; h < len && b[h] && v < sizeof(value) - 1; h++) {
					if (b[h] == ',') {
						h++;
						break;
					}
					value[v++] = (char)b[h];
				}
				break;
			}
			name[n++] = (char)b[h];
		}
		for (size_t i = 0; i < DL_ARRAY_SIZE(strs); i++)
			if (!strcmp(name, strs[i].key))
				xen_string(k, strs[i].type, value);
		for (size_t i = 0; i < DL_ARRAY_SIZE(nums); i++)
			if (!strcmp(name, nums[i].key)) {
				x->num[nums[i].type] = strtoull(value, NULL, 0);
				x->present |= 1u << nums[i].type;
			}
		if (!strcmp(name, "PAE")) {
			SET_STR(x->pae_mode, value);
			k->pae = !strcmp(value, "yes[extended-cr3]") ? 2 : !strncmp(value, "yes", 3) ? 1 : k->pae;
			x->present |= 1u << DL_XEN_ELFNOTE_PAE_MODE;
		}
		if (!strcmp(name, "BSD_SYMTAB"))
			k->bsd_symtab = true;
	}
	if (x->present & 1u << DL_XEN_ELFNOTE_HYPERCALL_PAGE) {   /* a page number */
		x->num[DL_XEN_ELFNOTE_HYPERCALL_PAGE] <<= 12;
		if (x->present & 1u << DL_XEN_ELFNOTE_VIRT_BASE)
			x->num[DL_XEN_ELFNOTE_HYPERCALL_PAGE] += x->num[DL_XEN_ELFNOTE_VIRT_BASE];
	}
	k->legacy = true;
	x->source = "__xen_guest";
}

static void sections(struct kelf *k)
{
	if (!k->shoff || !k->shnum) {
		k->finished = true;
		return;
	}
	if (k->shentsize < (k->is64 ? 64u : 40u) || k->shnum > SHNUM_MAX) {
		set_broken(k, "%u section headers of %u bytes", k->shnum, k->shentsize);
		return;
	}
	want(k, K_SHDRS, k->shoff, (uint64_t)k->shnum * k->shentsize, SHNUM_MAX * 64ull);
}

/* After the section notes and names: the legacy section, if no notes. */
static void legacy(struct kelf *k)
{
	k->finished = true;
	if (k->xen_sec || k->shstrtab < 0)
		return;
	const struct kelf_cap *sh = NULL, *st = &k->cap[k->shstrtab];
	for (unsigned i = 0; i < k->ncap; i++)
		if (k->cap[i].kind == K_SHDRS)
			sh = &k->cap[i];
	for (unsigned i = 0; sh && i < k->shnum; i++) {
		const uint8_t *s = sh->buf + (size_t)i * k->shentsize;
		uint32_t nm = dl_le32(s);
		if (nm >= st->len || st->len - nm < sizeof("__xen_guest") ||
		    memcmp(st->buf + nm, "__xen_guest", sizeof("__xen_guest")))
			continue;
		uint64_t off = word(k, s, 16, 24), size = word(k, s, 20, 32);
		if (want(k, K_GUEST, off, DL_MIN(size, (uint64_t)GUEST_MAX), GUEST_MAX) >= 0)
			k->finished = false;
		return;
	}
}

static void on_hdr(struct kelf *k, const uint8_t *h)
{
	struct dl_kernel_report *r = k->rep;
	r->elf_machine = dl_le16(h + 18);
	r->elf_entry = word(k, h, 24, 24);
	k->phoff = word(k, h, 28, 32);
	k->shoff = word(k, h, 32, 40);
	const uint8_t *t = h + (k->is64 ? 54 : 42);
	k->phentsize = dl_le16(t);
	k->phnum = dl_le16(t + 2);
	k->shentsize = dl_le16(t + 4);
	k->shnum = dl_le16(t + 6);
	k->shstrndx = dl_le16(t + 8);
	if (!k->phnum) {
		sections(k);
		return;
	}
	if (k->phentsize < (k->is64 ? 56u : 32u) || k->phnum > PHNUM_MAX) {
		set_broken(k, "%u program headers of %u bytes", k->phnum, k->phentsize);
		return;
	}
	want(k, K_PHDRS, k->phoff, (uint64_t)k->phnum * k->phentsize, PHNUM_MAX * 64ull);
}

static void on_phdrs(struct kelf *k, const uint8_t *b)
{
	for (unsigned i = 0; i < k->phnum && !k->finished; i++) {
		const uint8_t *p = b + (size_t)i * k->phentsize;
		uint32_t type = dl_le32(p);
		uint32_t flags = k->is64 ? dl_le32(p + 4) : dl_le32(p + 24);
		uint64_t off = word(k, p, 4, 8), paddr = word(k, p, 12, 24);
		uint64_t filesz = word(k, p, 16, 32), memsz = word(k, p, 20, 40), end;
		if (type == PT_LOAD && (flags & 7)) {   /* libelf's elf_phdr_is_loadable() */
			if (ckd_add(&end, paddr, memsz)) {
				set_broken(k, "PT_LOAD at %#llx wraps around", (unsigned long long)paddr);
				return;
			}
			k->pstart = DL_MIN(k->pstart, paddr);
			k->pend = DL_MAX(k->pend, end);
			k->loadable = true;
		}
		/* libelf skips notes at offset 0 (old binutils left them so) */
		if (type == PT_NOTE && off && filesz && want(k, K_NOTE, off, filesz, NOTES_MAX) >= 0)
			k->seg_pending++;
	}
	if (!k->seg_pending && !k->finished)
		sections(k);
}

static void on_shdrs(struct kelf *k, const uint8_t *b)
{
	for (unsigned i = 1; i < k->shnum && !k->finished; i++) {
		const uint8_t *s = b + (size_t)i * k->shentsize;
		uint64_t off = word(k, s, 16, 24), size = word(k, s, 20, 32);
		if (dl_le32(s + 4) == SHT_NOTE && size && want(k, K_SNOTE, off, size, NOTES_MAX) >= 0)
			k->sec_pending++;
	}
	if (k->shstrndx && k->shstrndx < k->shnum && !k->finished) {
		const uint8_t *s = b + (size_t)k->shstrndx * k->shentsize;
		int c = want(k, K_SHSTRTAB, word(k, s, 16, 24), word(k, s, 20, 32), SHSTRTAB_MAX);
		if (c >= 0) {
			k->shstrtab = c;
			k->sec_pending++;
		}
	}
	if (!k->sec_pending && !k->finished)
		legacy(k);
}

static void on_done(struct kelf *k, struct kelf_cap *c)
{
	const uint8_t *b = c->buf;
	switch (c->kind) {
	case K_HDR:
		if (memcmp(b, "\x7f" "ELF", 4) || (b[4] != 1 && b[4] != 2)) {
			k->state = KELF_NOT_ELF;
			k->finished = true;
			return;
		}
		k->state = KELF_ELF;
		k->is64 = b[4] == 2;
		k->rep->elf = true;
		k->rep->elf_class = k->is64 ? 64 : 32;
		if (b[5] != 1)
			set_broken(k, "a big-endian ELF, not an x86 kernel");
		else
			on_hdr(k, b);
		break;
	case K_PHDRS:
		on_phdrs(k, b);
		break;
	case K_NOTE:
		k->xen_seg += parse_notes(k, b, c->len);
		if (!--k->seg_pending && !k->finished) {
			if (k->xen_seg)
				k->finished = true;
			else
				sections(k);
		}
		break;
	case K_SHDRS:
		on_shdrs(k, b);
		break;
	case K_SNOTE:
	case K_SHSTRTAB:
		if (c->kind == K_SNOTE)
			k->xen_sec += parse_notes(k, b, c->len);
		if (!--k->sec_pending && !k->finished)
			legacy(k);
		break;
	case K_GUEST:
		parse_guest(k, b, c->len);
		k->finished = true;
		break;
	}
	if (k->xen_seg || k->xen_sec)
		k->rep->xen.source = k->xen_seg ? "PT_NOTE" : "SHT_NOTE";
}

/* Handle the ranges completed since the last call; true if new ranges
 * became wanted. */
static bool process(struct kelf *k)
{
	unsigned before = k->ncap;
	for (bool again = true; again;) {
		again = false;
		for (unsigned i = 0; i < k->ncap; i++) {
			struct kelf_cap *c = &k->cap[i];
			if (c->done || c->got < c->len)
				continue;
			c->done = again = true;
			if (!k->broken[0])
				on_done(k, c);
		}
	}
	return k->ncap != before;
}

void kelf_feed(struct kelf *k, uint64_t off, const uint8_t *p, size_t n)
{
	do {
		for (unsigned i = 0; i < k->ncap; i++) {
			struct kelf_cap *c = &k->cap[i];
			uint64_t at = c->off + c->got;
			if (c->got == c->len || at < off || at - off >= n)
				continue;
			size_t m = (size_t)DL_MIN(c->len - c->got, n - (at - off));
			memcpy(c->buf + c->got, p + (at - off), m);
			c->got += m;
		}
	} while (process(k));
}

bool kelf_wants(const struct kelf *k, uint64_t pos)
{
	if (k->broken[0])
		return false;
	for (unsigned i = 0; i < k->ncap; i++)
		if (k->cap[i].got < k->cap[i].len && k->cap[i].off + k->cap[i].got >= pos)
			return true;
	return false;
}

uint64_t kelf_next(const struct kelf *k, uint64_t *len)
{
	uint64_t best = UINT64_MAX;
	*len = 0;
	for (unsigned i = 0; i < k->ncap && !k->broken[0]; i++) {
		const struct kelf_cap *c = &k->cap[i];
		if (c->got < c->len && c->off + c->got < best) {
			best = c->off + c->got;
			*len = c->len - c->got;
		}
	}
	return best;
}

void kelf_end(struct kelf *k, uint64_t size)
{
	if (k->state == KELF_UNKNOWN) {
		k->state = KELF_NOT_ELF;
		return;
	}
	for (unsigned i = 0; i < k->ncap; i++) {
		const struct kelf_cap *c = &k->cap[i];
		if (c->got < c->len && c->off + c->len > size)
			set_broken(k, "truncated: the %s at offset %#llx runs past the end (%llu bytes)",
				   kind_name[c->kind], (unsigned long long)c->off, (unsigned long long)size);
	}
	/* libelf refuses tables that lie past the end of the image */
	uint64_t end;
	if (k->state == KELF_ELF && k->shnum &&
	    (ckd_add(&end, k->shoff, (uint64_t)k->shnum * k->shentsize) || end > size))
		set_broken(k, "truncated: the section headers run past the end (%llu bytes)",
			   (unsigned long long)size);
}

void kelf_abandon(struct kelf *k, unsigned passes)
{
	if (kelf_wants(k, 0))
		set_broken(k, "its layout needs more than %u passes over the compressed stream", passes);
}

/* elf_xen_addr_calc_check(): the entry point inside the loaded image. */
static bool addr_check(const struct kelf *k, bool hvm, char *why, size_t n)
{
	const struct dl_kernel_xen *x = &k->rep->xen;
	bool has_vb = x->present & 1u << DL_XEN_ELFNOTE_VIRT_BASE;
	bool has_po = x->present & 1u << DL_XEN_ELFNOTE_PADDR_OFFSET;
	if (has_po && !has_vb && !hvm) {
		snprintf(why, n, "PADDR_OFFSET is set but VIRT_BASE is not");
		return false;
	}
	if (!k->loadable) {
		snprintf(why, n, "no loadable segment");
		return false;
	}
	uint64_t vb = has_vb && !hvm ? x->num[DL_XEN_ELFNOTE_VIRT_BASE] : 0;
	uint64_t po = has_po && !hvm ? x->num[DL_XEN_ELFNOTE_PADDR_OFFSET] : k->legacy && !hvm ? vb : 0;
	uint64_t voff = vb - po;    /* modular, as in libelf */
	uint64_t start = k->pstart + voff, end = k->pend + voff;
	uint64_t entry = hvm ? x->num[DL_XEN_ELFNOTE_PHYS32_ENTRY] :
		x->present & 1u << DL_XEN_ELFNOTE_ENTRY ? x->num[DL_XEN_ELFNOTE_ENTRY] : k->rep->elf_entry;
	if (vb > start) {
		snprintf(why, n, "VIRT_BASE %#llx lies above the kernel image %#llx-%#llx",
			 (unsigned long long)vb, (unsigned long long)start, (unsigned long long)end);
		return false;
	}
	if (start > end || entry < start || entry > end) {
		snprintf(why, n, "%s %#llx lies outside the kernel image %#llx-%#llx",
			 hvm ? "PHYS32_ENTRY" : "the entry point", (unsigned long long)entry,
			 (unsigned long long)start, (unsigned long long)end);
		return false;
	}
	uint64_t p2m = x->num[DL_XEN_ELFNOTE_INIT_P2M];
	if (x->present & 1u << DL_XEN_ELFNOTE_INIT_P2M && p2m >= start && p2m < end) {
		snprintf(why, n, "INIT_P2M %#llx lies inside the kernel image", (unsigned long long)p2m);
		return false;
	}
	return true;
}

static bool decide_pv(const struct kelf *k, char *why, size_t n)
{
	const struct dl_kernel_xen *x = &k->rep->xen;
	if (!k->xen_seg && !k->xen_sec && !k->legacy) {
		snprintf(why, n, "no Xen ELF notes (XEN_ELFNOTE_ENTRY) and no __xen_guest section");
		return false;
	}
	bool linux = !strncmp(x->guest_os, "linux", 5);
	if (strncmp(x->loader, "generic", 7) && !linux) {
		snprintf(why, n, "Xen loads only Linux or generic-loader kernels (GUEST_OS '%s', LOADER '%s')",
			 x->guest_os, x->loader);
		return false;
	}
	if (strncmp(x->xen_version, "xen-3.0", 7)) {
		snprintf(why, n, "XEN_VERSION is '%s', not xen-3.0", x->xen_version);
		return false;
	}
	if (linux && !k->legacy && !(x->present & 1u << DL_XEN_ELFNOTE_ENTRY)) {
		snprintf(why, n, "no XEN_ELFNOTE_ENTRY: Linux built without CONFIG_XEN_PV");
		return false;
	}
	if (k->rep->elf_machine == EM_386 && !k->pae) {
		snprintf(why, n, "a 32-bit kernel without PAE (Xen runs 32-bit PV guests with PAE only)");
		return false;
	}
	return addr_check(k, false, why, n);
}

static bool decide_pvh(const struct kelf *k, char *why, size_t n)
{
	if (!k->xen_seg && !k->xen_sec) {
		snprintf(why, n, "no Xen ELF notes (XEN_ELFNOTE_PHYS32_ENTRY)");
		return false;
	}
	if (!(k->rep->xen.present & 1u << DL_XEN_ELFNOTE_PHYS32_ENTRY)) {
		snprintf(why, n, "no XEN_ELFNOTE_PHYS32_ENTRY (PVH entry point)");
		return false;
	}
	return addr_check(k, true, why, n);
}

void kelf_decide(struct kelf *k)
{
	struct dl_kernel_report *r = k->rep;
	char why[192] = "";
	unsigned m = r->elf_machine;
	if (!r->elf)
		snprintf(why, sizeof(why), "not an ELF kernel");
	else if (k->broken[0])
		snprintf(why, sizeof(why), "ELF: %s", k->broken);
	else if (m != EM_386 && m != EM_X86_64)
		snprintf(why, sizeof(why), "not an x86 kernel (ELF machine %u)", m);
	else if (k->bad_features[0])
		snprintf(why, sizeof(why), "FEATURES requires '%s', unknown to Xen", k->bad_features);
	else if (r->xen.features_required & 1u << XENFEAT_dom0)
		snprintf(why, sizeof(why), "the kernel requires dom0 (FEATURES !dom0)");
	if (why[0]) {
		snprintf(r->why_not_pv, sizeof(r->why_not_pv), "%s", why);
		snprintf(r->why_not_pvh, sizeof(r->why_not_pvh), "%s", why);
		return;
	}
	r->xen_pv = decide_pv(k, r->why_not_pv, sizeof(r->why_not_pv));
	r->xen_pvh = decide_pvh(k, r->why_not_pvh, sizeof(r->why_not_pvh));
}
