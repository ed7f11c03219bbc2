/* Kernel image inspection: what a file that is about to be booted is, and
 * whether Xen can boot it as a PV or a PVH guest.
 *
 * Two entry points:
 *  - dl_kernel_probe(): a pure function over the first bytes of the file
 *    (format and bzImage version only, for cheap reports).
 *  - dl_kernel_inspect(): the whole answer.  It locates the compressed
 *    payload of a bzImage (or takes an ELF vmlinux, or a raw compressed
 *    vmlinux.gz/.bz2/.lzma/.xz/.lzo/.lz4/.zst), decompresses it streaming
 *    and bounded, reads the ELF program headers, Xen ELF notes (and, when
 *    there are none, SHT_NOTE sections and the legacy __xen_guest section)
 *    as the decompressed bytes go past, and decides as Xen's libelf and
 *    libxenguest would.  Input comes through a read callback; decompressed
 *    bytes optionally go to an output callback (--decompress).
 *
 * Pure layer: no filesystem, partition, boot or sandbox code; nothing
 * printed.  Everything here runs on the sandboxed parsing side.
 *
 * Memory: a few 64 KiB buffers plus the decoder state of the format:
 *   gzip  ~ 50 KiB (zlib inflate state and 32 KiB window)
 *   bzip2 ~ 3.6 MiB for a -9 stream (libbz2, 100k blocks * 9 * 4 bytes)
 *   lzma, xz: the stream's dictionary, refused above mem_max (Linux's
 *         xz uses 32 MiB, lzma -9 64 MiB)
 *   lzo   512 KiB (one 256 KiB lzop block in, one out)
 *   lz4   ~16 MiB (one 8 MiB legacy block out, its compressed form in)
 *   zstd  the frame's window, refused above mem_max (Linux's zstd -22
 *         --ultra declares 128 MiB)
 * plus at most 4 MiB of captured ELF headers and notes. */
#ifndef DL_KERNEL_H
#define DL_KERNEL_H

#include "common.h"

#define DL_KERNEL_PROBE_BYTES (64u << 10)

struct dl_kernel_info {
	const char *format;      /* "bzImage", "ELF64", "ELF32", "gzip", "xz", "zstd",
	                            "bzip2", "lzma", "lzo", "lz4", "unknown" */
	char version[128];       /* bzImage kernel_version string (printable ASCII), or "" */
	unsigned protocol;       /* bzImage boot protocol (0x20f = 2.15), 0 if none */
	bool xen_notes;          /* ELF: has notes owned by "Xen" */
	bool pvh_entry;          /* ELF: XEN_ELFNOTE_PHYS32_ENTRY (PVH entry point) */
};

/* Fill ki from buf (the start of the file).  Returns true when the format
 * was recognised. */
bool dl_kernel_probe(const uint8_t *buf, size_t len, struct dl_kernel_info *ki);

/* ---- Full inspection ---- */

/* Read up to len bytes at off; return the count (short only at the end of
 * the file) or -1 with err filled. */
typedef ssize_t (*dl_kernel_read_fn)(void *ctx, void *buf, size_t len, uint64_t off,
				     struct dl_error *err);
/* Take len decompressed bytes; return 0, or -1 (err filled, else a generic
 * message is used). */
typedef int (*dl_kernel_out_fn)(void *ctx, const void *buf, size_t len, struct dl_error *err);

struct dl_kernel_src {
	const char *name;        /* for messages, e.g. "xvda1:/boot/vmlinuz-6.1.0-18-amd64" */
	uint64_t size;           /* bytes in the file */
	dl_kernel_read_fn read;
	void *ctx;
};

/* Caps on decompression; a zero field takes its default. */
#define DL_KERNEL_OUT_MAX   (512ull << 20)  /* decompressed bytes */
#define DL_KERNEL_RATIO_MAX 64u             /* decompressed / compressed bytes ... */
#define DL_KERNEL_RATIO_SLACK (16ull << 20) /* ... once past this much output */
#define DL_KERNEL_WORK_MAX  (2ull << 30)    /* compressed + decompressed bytes, all passes */
#define DL_KERNEL_MEM_MAX   (144ull << 20)  /* xz/lzma dictionary, zstd window */
struct dl_kernel_limits {
	uint64_t out_max;
	uint32_t ratio_max;
	uint64_t work_max;
	uint64_t mem_max;
	/* Without out: stop a compressed kernel's stream once its ELF header
	 * is read (format, version, compression and architecture known), and
	 * leave the Xen notes unread (rep->notes_unread).  They lie a third of
	 * the way into a Debian vmlinux: reaching them decompressed 24 MiB of
	 * xz, 0.45 s of CPU, on every boot whose result never shows them. */
	bool header_only;
};

/* The Xen ELF notes (xen/include/public/elfnote.h), by type. */
enum {
	DL_XEN_ELFNOTE_ENTRY = 1, DL_XEN_ELFNOTE_HYPERCALL_PAGE, DL_XEN_ELFNOTE_VIRT_BASE,
	DL_XEN_ELFNOTE_PADDR_OFFSET, DL_XEN_ELFNOTE_XEN_VERSION, DL_XEN_ELFNOTE_GUEST_OS,
	DL_XEN_ELFNOTE_GUEST_VERSION, DL_XEN_ELFNOTE_LOADER, DL_XEN_ELFNOTE_PAE_MODE,
	DL_XEN_ELFNOTE_FEATURES, DL_XEN_ELFNOTE_BSD_SYMTAB, DL_XEN_ELFNOTE_HV_START_LOW,
	DL_XEN_ELFNOTE_L1_MFN_VALID, DL_XEN_ELFNOTE_SUSPEND_CANCEL, DL_XEN_ELFNOTE_INIT_P2M,
	DL_XEN_ELFNOTE_MOD_START_PFN, DL_XEN_ELFNOTE_SUPPORTED_FEATURES,
	DL_XEN_ELFNOTE_PHYS32_ENTRY, DL_XEN_ELFNOTE_MAX = DL_XEN_ELFNOTE_PHYS32_ENTRY
};
/* "ENTRY", "HYPERCALL_PAGE", ... for a type 1..18, else NULL. */
const char *dl_kernel_xen_note_name(unsigned type);

struct dl_kernel_xen {
	const char *source;      /* "PT_NOTE", "SHT_NOTE", "__xen_guest" or NULL (none) */
	unsigned count;          /* Xen notes seen (legacy: 0) */
	uint32_t present;        /* bit n set: note type n seen (legacy keys map to their notes) */
	uint64_t num[DL_XEN_ELFNOTE_MAX + 1];   /* numeric notes (1,2,3,4,12..18) by type;
	                                           HYPERCALL_PAGE from __xen_guest is an address */
	char xen_version[16], guest_os[16], guest_version[16], loader[16];  /* as Xen keeps them */
	char pae_mode[24], bsd_symtab[8];
	char features[128];      /* FEATURES, cut to fit */
	uint32_t features_supported, features_required;  /* XENFEAT_* bits (FEATURES and
	                                                    SUPPORTED_FEATURES) */
};

struct dl_kernel_report {
	const char *format;      /* "bzImage", "ELF64", "ELF32" (also a raw compressed ELF), "unknown" */
	const char *compression; /* "gzip", "bzip2", "lzma", "xz", "lzo", "lz4", "zstd", "none" */
	char version[128];       /* bzImage kernel_version string, or "" */
	unsigned protocol;       /* bzImage boot protocol (0x20f = 2.15), 0 if none */
	uint64_t payload_offset, payload_length;  /* bzImage: the compressed vmlinux in the file */
	bool elf;                /* the kernel is (or decompresses to) an ELF */
	unsigned elf_class;      /* 32 or 64 */
	unsigned elf_machine;    /* e_machine: 62 x86-64, 3 i386 */
	uint64_t elf_entry;      /* e_entry */
	bool xen_pv, xen_pvh;
	char why_not_pv[192], why_not_pvh[192];   /* "" when capable */
	struct dl_kernel_xen xen;
	bool complete;           /* the whole stream was decompressed (out given, or needed) */
	uint64_t elf_size;       /* decompressed bytes when complete (the ELF, and for a
	                            bzImage the relocations Linux appends), else 0 */
	uint64_t size_declared;  /* bzImage: the payload's last 4 bytes (the decompressed size
	                            Linux's and Xen's loaders use), else 0 */
	unsigned passes;         /* decompression passes made (the legacy __xen_guest and
	                            SHT_NOTE fallbacks may need a second or third) */
	bool notes_unread;       /* header_only stopped before the Xen notes: xen_pv and
	                            xen_pvh are false without being judged */
	uint64_t work;           /* work units spent (see DL_KERNEL_WORK_MAX) */
};

/* Inspect src.  lim may be NULL (defaults).  With out == NULL only what
 * the report needs is decompressed (stopping once the notes are seen);
 * with out, the whole decompressed ELF is passed to out in order, and
 * out is called only once the stream is known to hold an ELF.
 *
 * Returns 0 with rep filled: the report says what the file is; a file
 * that is not a kernel has format "unknown" and why_not_* saying so.
 * Returns -1 with err set on a read error, a corrupt or truncated
 * compressed stream, a cap exceeded, a bzImage whose header points
 * outside the file, or (out given) a file that does not hold an ELF; rep
 * then still holds what was learnt before (format, compression, version),
 * and whatever out received must be thrown away (a corrupt stream or a
 * wrong size trailer may show only at its end). */
int dl_kernel_inspect(const struct dl_kernel_src *src, const struct dl_kernel_limits *lim,
		      dl_kernel_out_fn out, void *octx, struct dl_kernel_report *rep,
		      struct dl_error *err);

#endif
