/* Result formats: pygrub's sxp/simple/simple0 (format_sxp and
 * format_simple in tools/pygrub/src/pygrub in Xen; a value holding the
 * separator is refused, as pygrub does since XSA-198), JSON, and the
 * domain configuration dialects (src/domcfg). */
#include "output/output.h"

#include "domcfg/domcfg.h"
#include "guest/osrelease.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum dl_format f;
} formats[] = {
	{ "sxp", DL_OUT_SXP }, { "simple", DL_OUT_SIMPLE }, { "simple0", DL_OUT_SIMPLE0 },
	{ "json", DL_OUT_JSON }, { "xl", DL_OUT_XL }, { "libvirt", DL_OUT_LIBVIRT },
	{ "qemu", DL_OUT_QEMU },
};

int dl_format_parse(const char *s, enum dl_format *f)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(formats); i++)
		if (!strcmp(s, formats[i].name)) {
			*f = formats[i].f;
			return 0;
		}
	return -EINVAL;
}

/* The modules of a multiboot entry: the file written (NULL with -n), the
 * guest path, the command line without the file name. */
static void json_modules(struct dl_json *j, const char *const *files, const struct dl_result *r)
{
	dl_json_arr(j, "modules");
	for (size_t i = 0; i < r->nmodules; i++) {
		dl_json_obj(j, NULL);
		dl_json_str(j, "path", files ? files[i] : NULL);
		dl_json_str(j, "guest_path", r->modules[i]);
		dl_json_str(j, "args", i < r->nmodule_args ? r->module_args[i] : "");
		dl_json_end(j);
	}
	dl_json_end(j);
}

static char *format_json(const char *kernel, const char *ramdisk, const char *const *files,
			 const struct dl_result *r)
{
	struct dl_sbuf b = { 0 };
	struct dl_json j;
	dl_json_init(&j, &b, true);
	dl_json_obj(&j, NULL);
	dl_json_str(&j, "kernel", kernel);
	dl_json_str(&j, "ramdisk", ramdisk);
	dl_record_json(&dl_result_type, &j, r);
	if (r->nmodules)
		json_modules(&j, files, r);
	dl_os_json(&j, r->os_id, r->os_version_id, r->os_pretty_name, r->os_arch);
	dl_json_end(&j);
	dl_sbuf_addc(&b, '\n');
	return dl_sbuf_take(&b);
}

/* A word for a POSIX shell: as is when safe, else in single quotes. */
static void shell_word(struct dl_sbuf *b, const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_-+=./:@%^,") == strlen(s)) {
		dl_sbuf_adds(b, s);
		return;
	}
	dl_sbuf_addc(b, '\'');
	for (; *s; s++)
		dl_sbuf_adds(b, *s == '\'' ? "'\\''" : (char[2]){ *s, 0 });
	dl_sbuf_addc(b, '\'');
}

/* QEMU's -initrd list item: a comma inside a name or argument doubled. */
static void qemu_item(struct dl_sbuf *b, const char *s)
{
	for (; *s; s++)
		dl_sbuf_adds(b, *s == ',' ? ",," : (char[2]){ *s, 0 });
}

/* qemu-system-x86_64 options for direct kernel boot, to test an image by
 * hand (values already passed check_printable): -kernel, -append, and -initrd (the ramdisk, or for a multiboot
 * entry the modules as "file args,file args", QEMU's multiboot form). */
static char *format_qemu(const char *kernel, const char *ramdisk, const char *args,
			 const char *const *files, const struct dl_result *r)
{
	struct dl_sbuf b = { 0 }, mods = { 0 };
	dl_sbuf_adds(&b, "-kernel ");
	shell_word(&b, kernel);
	if (args) {
		dl_sbuf_adds(&b, " -append ");
		shell_word(&b, args);
	}
	for (size_t i = 0; i < r->nmodules; i++) {
		if (i)
			dl_sbuf_addc(&mods, ',');
		qemu_item(&mods, files ? files[i] : r->modules[i]);
		if (i < r->nmodule_args && r->module_args[i][0]) {
			dl_sbuf_addc(&mods, ' ');
			qemu_item(&mods, r->module_args[i]);
		}
	}
	if (r->nmodules || ramdisk) {
		dl_sbuf_adds(&b, " -initrd ");
		shell_word(&b, r->nmodules ? dl_sbuf_str(&mods) : ramdisk);
	}
	dl_sbuf_free(&mods);
	dl_sbuf_addc(&b, '\n');
	return dl_sbuf_take(&b);
}

static const char *const format_names[] = {
	[DL_OUT_SXP] = "sxp", [DL_OUT_SIMPLE] = "simple", [DL_OUT_SIMPLE0] = "simple0",
	[DL_OUT_JSON] = "json", [DL_OUT_XL] = "xl", [DL_OUT_LIBVIRT] = "libvirt", [DL_OUT_QEMU] = "qemu",
};

/* A value printed as it is (every format but JSON, which escapes) holds no
 * control byte: with -n the paths are the guest's own names, and they reach
 * the admin's terminal and the toolstack.  The command line may hold tabs
 * (the sink's rules already refused the rest). */
static int check_printable(const char *const vals[3], struct dl_error *err)
{
	static const char *const what[3] = { "kernel path", "ramdisk path", "command line" };
	for (int i = 0; i < 3; i++)
		for (const unsigned char *c = (const unsigned char *)vals[i]; c && *c; c++)
			if (*c == '\n')
				return dl_fail(err, DL_ESYNTAX, "%s contains a newline: not printed", what[i]);
			else if ((*c < 0x20 && !(i == 2 && *c == '\t')) || *c == 0x7f)
				return dl_fail(err, DL_ESYNTAX, "%s contains control byte 0x%02x: not printed", what[i],
					       *c);
	return 0;
}

char *dl_result_format(enum dl_format f, const char *kernel, const char *ramdisk,
		       const struct dl_result *r, size_t *len, struct dl_error *err)
{
	return dl_result_format_files(f, kernel, ramdisk, NULL, r, len, err);
}

char *dl_result_format_files(enum dl_format f, const char *kernel, const char *ramdisk,
			     const char *const *modules, const struct dl_result *r, size_t *len,
			     struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	const char *args = r->args && *r->args ? r->args : NULL;
	const char *gt = r->guest_type;
	char *text;
	const char *const vals[3] = { kernel, ramdisk, args };
	if (f != DL_OUT_JSON && check_printable(vals, err) < 0)
		return NULL;

	if (r->nmodules && f != DL_OUT_JSON && f != DL_OUT_QEMU)
		return dl_fail(err, DL_EUNSUPPORTED,
			       "entry '%s' is a multiboot entry with %zu module%s, which the %s format "
			       "cannot carry (use json or qemu)", r->title ? r->title : "(untitled)",
			       r->nmodules, r->nmodules == 1 ? "" : "s",
			       (unsigned)f < DL_ARRAY_SIZE(format_names) ? format_names[f] : "?"), NULL;
	switch (f) {
	case DL_OUT_SXP:
		text = dl_format_sxp(kernel, ramdisk, args, err);
		break;
	case DL_OUT_SIMPLE:
	case DL_OUT_SIMPLE0: {
		char sep = f == DL_OUT_SIMPLE ? '\n' : '\0';
		static const char *const keys[3] = { "kernel ", "ramdisk ", "args " };
		for (int i = 0; i < 3; i++) {
			if (!vals[i])
				continue;
			dl_sbuf_adds(&b, keys[i]);
			dl_sbuf_adds(&b, vals[i]);
			dl_sbuf_addc(&b, sep);
		}
		dl_sbuf_addc(&b, sep);
		*len = b.len;     /* simple0 holds NULs: the length is the buffer's */
		return dl_sbuf_take(&b);
	}
	case DL_OUT_JSON:
		text = format_json(kernel, ramdisk, modules, r);
		break;
	case DL_OUT_XL:
		text = dl_format_xl(kernel, ramdisk, args, gt, err);
		break;
	case DL_OUT_LIBVIRT:
		text = dl_format_libvirt_os(kernel, ramdisk, args,
					    !gt ? NULL : !strcmp(gt, "pvh") ? "xenpvh" : "linux", err);
		break;
	case DL_OUT_QEMU:
		text = format_qemu(kernel, ramdisk, args, modules, r);
		break;
	default:
		return dl_fail(err, DL_EUSAGE, "unknown output format"), NULL;
	}
	if (text)
		*len = strlen(text);
	return text;
}
