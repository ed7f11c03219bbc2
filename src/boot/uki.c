/* Unified kernel images (UAPI Boot Loader Specification type #2, built by
 * ukify or dracut --uefi): a PE/COFF EFI program (systemd-stub) whose
 * sections carry the kernel (.linux), the initrd (.initrd), the command
 * line (.cmdline), os-release (.osrel) and the kernel version (.uname).
 * Only the section table is read, from the first bytes of the file, as
 * systemd's src/boot/pe.c (pe_section_table_from_base/_from_file,
 * pe_locate_profile_sections) does.  Hand-written: a PE library (libpe,
 * pe-parse) would map the whole image; we need 20 header fields. */
#include <string.h>

#include "boot/internal.h"

#define PE_MAX_SECTIONS 96   /* the PE/COFF specification's limit */

static const char *const names[DL_UKI_NSECTIONS] = {".linux", ".initrd", ".cmdline", ".osrel",
						     ".uname"};

/* The section's name (8 bytes, NUL-padded; a longer name is "/offset" into
 * the string table, which UKI sections never use). */
static int section_kind(const uint8_t *h)
{
	for (int k = 0; k < DL_UKI_NSECTIONS; k++) {
		size_t n = strlen(names[k]);
		if (!memcmp(h, names[k], n) && (n == 8 || h[n] == '\0'))
			return k;
	}
	return -1;
}

static bool is_profile(const uint8_t *h)
{
	return !memcmp(h, ".profile", 8);
}

int dl_uki_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct dl_uki *out,
		 struct dl_error *err)
{
	memset(out, 0, sizeof(*out));
	if (len < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
		return DL_NOT_MINE;
	uint32_t pe = dl_le32(buf + 0x3c);
	if (pe > len || len - pe < 24 || memcmp(buf + pe, "PE\0\0", 4))
		return DL_NOT_MINE;
	const uint8_t *coff = buf + pe + 4;
	uint16_t nsec = dl_le16(coff + 2), optsz = dl_le16(coff + 16);
	uint64_t table = (uint64_t)pe + 24 + optsz;
	if (nsec > PE_MAX_SECTIONS)
		return dl_fail(err, DL_EBADIMAGE, "PE image: %u sections (at most %u)", nsec,
			       PE_MAX_SECTIONS);
	if (table + (uint64_t)nsec * 40 > len)
		return dl_fail(err, DL_EBADIMAGE, "PE image: the section table (%u sections at %llu) "
			       "is past the first %zu bytes", nsec, (unsigned long long)table, len);
	/* sections before the first .profile are every profile's; profile 0's
	 * (the default, which systemd-stub boots) follow it and override them
	 * (pe_locate_profile_sections) */
	int profile = -1, from[DL_UKI_NSECTIONS];
	for (uint16_t i = 0; i < nsec && profile < 1; i++) {
		const uint8_t *h = buf + table + (uint64_t)i * 40;
		if (is_profile(h)) {
			profile++;
			continue;
		}
		int k = section_kind(h);
		if (k < 0)
			continue;
		uint32_t vsize = dl_le32(h + 8), rawsize = dl_le32(h + 16), off = dl_le32(h + 20);
		/* the bytes in the file; memory beyond them would be zeros */
		uint32_t size = vsize && vsize < rawsize ? vsize : rawsize;
		if ((uint64_t)off + size > file_size)
			return dl_fail(err, DL_EBADIMAGE, "PE image: section %s (%u bytes at %u) is past "
				       "the end of the file (%llu bytes)", names[k], size, off,
				       (unsigned long long)file_size);
		if (out->s[k].present && from[k] == profile)
			continue;   /* the first of a name counts, as pe.c takes it */
		out->s[k] = (struct dl_uki_section){ .present = true, .off = off, .size = size };
		from[k] = profile;
	}
	if (!out->s[DL_UKI_LINUX].present)
		return DL_NOT_MINE;   /* an EFI program, not a kernel image */
	return 0;
}

const char *dl_uki_section_name(int k)
{
	return k >= 0 && k < DL_UKI_NSECTIONS ? names[k] : "?";
}
