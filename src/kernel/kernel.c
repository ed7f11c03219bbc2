/* Kernel image inspection (see kernel.h).  Every offset read from the
 * buffer is checked against its length before use. */
#include "kernel/kernel.h"

#include <string.h>

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MAX_PHDRS 64
#define MAX_NOTES 256


/* The bzImage setup header: "HdrS" at 0x202; kernel_version is a pointer
 * at 0x20e, relative to 0x200, to a NUL-terminated string. */
static bool bzimage(const uint8_t *b, size_t len, struct dl_kernel_info *ki)
{
	if (len < 0x210 || memcmp(b + 0x202, "HdrS", 4))
		return false;
	ki->format = "bzImage";
	ki->protocol = dl_le16(b + 0x206);
	size_t ptr = dl_le16(b + 0x20e), o = 0;
	if (ptr && ki->protocol >= 0x200 && ptr + 0x200 < len) {
		for (size_t i = ptr + 0x200; i < len && b[i] && o < sizeof(ki->version) - 1; i++)
			ki->version[o++] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '?';
		ki->version[o] = '\0';
	}
	return true;
}

/* ELF notes in PT_NOTE segments that lie inside the buffer. */
static void elf_notes(const uint8_t *b, size_t len, bool is64, struct dl_kernel_info *ki)
{
	uint64_t phoff = is64 ? dl_le64(b + 32) : dl_le32(b + 28);
	unsigned phentsize = dl_le16(b + (is64 ? 54 : 42)), phnum = dl_le16(b + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56u : 32u) || phnum > MAX_PHDRS)
		return;
	for (unsigned i = 0; i < phnum; i++) {
		uint64_t ph = phoff + (uint64_t)i * phentsize, off, size, end;
		if (phoff >= len || ph + phentsize > len)
			return;
		const uint8_t *p = b + ph;
		if (dl_le32(p) != 4)            /* PT_NOTE */
			continue;
		off = is64 ? dl_le64(p + 8) : dl_le32(p + 4);
		size = is64 ? dl_le64(p + 32) : dl_le32(p + 16);
		if (ckd_add(&end, off, size) || end > len)
			continue;
		int n = 0;
		for (uint64_t q = off; q + 12 <= end && n < MAX_NOTES; n++) {
			uint32_t namesz = dl_le32(b + q), descsz = dl_le32(b + q + 4), type = dl_le32(b + q + 8);
			uint64_t name = q + 12, desc = name + ((namesz + 3ull) & ~3ull);
			uint64_t next = desc + ((descsz + 3ull) & ~3ull);
			if (next > end)
				break;
			if (namesz == 4 && !memcmp(b + name, "Xen", 4)) {
				ki->xen_notes = true;
				if (type == XEN_ELFNOTE_PHYS32_ENTRY)
					ki->pvh_entry = true;
			}
			q = next;
		}
	}
}

bool dl_kernel_probe(const uint8_t *b, size_t len, struct dl_kernel_info *ki)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t n;
	} compressed[] = {
		{ "gzip", "\x1f\x8b", 2 },
		{ "xz", "\xfd" "7zXZ\0", 6 },
		{ "zstd", "\x28\xb5\x2f\xfd", 4 },
		{ "bzip2", "BZh", 3 },
		{ "lz4", "\x02\x21\x4c\x18", 4 },
		{ "lzma", "\x5d\x00\x00", 3 },
	};
	memset(ki, 0, sizeof(*ki));
	ki->format = "unknown";
	if (bzimage(b, len, ki))
		return true;
	if (len >= 64 && !memcmp(b, "\x7f" "ELF", 4) && (b[4] == 1 || b[4] == 2) && b[5] == 1) {
		ki->format = b[4] == 2 ? "ELF64" : "ELF32";
		elf_notes(b, len, b[4] == 2, ki);
		return true;
	}
	for (size_t i = 0; i < DL_ARRAY_SIZE(compressed); i++)
		if (len >= compressed[i].n && !memcmp(b, compressed[i].magic, compressed[i].n)) {
			ki->format = compressed[i].name;
			return true;
		}
	return false;
}
