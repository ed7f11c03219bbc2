/* The ELF side of kernel inspection (internal to src/kernel): captures the
 * byte ranges it needs (ELF header, program headers, PT_NOTE segments,
 * and for the fallbacks section headers, section names, SHT_NOTE sections
 * and __xen_guest) from bytes fed to it in any order, typically a
 * decompressed stream going past once, without holding the rest.  Each
 * range becomes wanted only when the data that locates it has been seen;
 * a range wanted behind the stream's position needs another pass. */
#ifndef DL_KELF_H
#define DL_KELF_H

#include "kernel/kernel.h"

#define KELF_MAX_CAPS 48
#define KELF_HDR 64                 /* bytes read first: the ELF header */
#define KELF_HELD_MAX (4u << 20)    /* bytes of captured ranges */

struct kelf_cap {
	uint64_t off, len, got;      /* got: bytes captured from off on */
	uint8_t *buf;
	uint8_t kind;
	bool done;                   /* handled */
};

struct kelf {
	struct dl_kernel_report *rep;   /* ELF facts and notes go here */
	enum { KELF_UNKNOWN, KELF_NOT_ELF, KELF_ELF } state;
	bool is64, finished;
	uint64_t phoff, shoff;
	unsigned phentsize, phnum, shentsize, shnum, shstrndx;
	uint64_t pstart, pend;          /* physical range of the loadable segments */
	bool loadable;
	struct kelf_cap cap[KELF_MAX_CAPS];
	unsigned ncap;
	uint64_t held;
	unsigned seg_pending, sec_pending;
	unsigned notes_total, xen_seg, xen_sec;
	int shstrtab;                   /* cap index, or -1 */
	unsigned pae;                   /* 0 none, 1 yes, 2 extended-cr3, 3 bimodal */
	bool legacy, bsd_symtab;
	char broken[160];               /* why the ELF cannot be judged, or "" */
	char bad_features[96];          /* FEATURES that Xen's libelf refuses, or "" */
};

void kelf_init(struct kelf *k, struct dl_kernel_report *rep);
void kelf_free(struct kelf *k);
/* Bytes [off, off+n) of the ELF. */
void kelf_feed(struct kelf *k, uint64_t off, const uint8_t *p, size_t n);
/* Something is still wanted at or after pos (pos 0: anything at all). */
bool kelf_wants(const struct kelf *k, uint64_t pos);
/* The lowest offset still wanted and how many bytes from there. */
uint64_t kelf_next(const struct kelf *k, uint64_t *len);
/* The ELF ends at size: whatever is wanted beyond is missing. */
void kelf_end(struct kelf *k, uint64_t size);
/* Give up on what is still wanted after that many passes. */
void kelf_abandon(struct kelf *k, unsigned passes);
/* Fill rep->xen_pv/xen_pvh and the reasons. */
void kelf_decide(struct kelf *k);

#endif
