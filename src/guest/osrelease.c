/* The guest's distribution and kernel architecture (see osrelease.h).
 * Hand-written: os-release is a few shell-style assignments, and the
 * libraries that read it (systemd's parse_env_file, libblkid none) open
 * files by path; here the bytes come from the guest view. */
#include "guest/osrelease.h"

#include <stdio.h>
#include <string.h>

#include "guest/guest.h"

/* Copy n bytes of s into dst (size cap), cut before a UTF-8 continuation
 * byte so a long value does not end in half a character. */
static void put(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The value starting at p (up to the end of its line e), unquoted and
 * unescaped as systemd's parse_env_file() reads it: blanks before it and
 * unquoted blanks after it dropped, quoted runs joined to bare ones, a
 * backslash escaping the next byte (in "...": only \\ \" \$ \`). */
static void unquote(const char *p, const char *e, char *out, size_t cap)
{
	char tmp[512];
	size_t n = 0, keep = 0;   /* keep: bytes up to the last quoted or non-blank one */
	char q = 0;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < e; p++) {
		char c = *p;
		if (!q && (c == '"' || c == '\'')) {
			q = c;
			keep = n;
			continue;
		}
		if (q && c == q) {
			q = 0;
			keep = n;
			continue;
		}
		bool quoted = q != 0;
		if (c == '\\' && q != '\'' && p + 1 < e && (!q || (p[1] && strchr("\"\\$`", p[1])))) {
			c = *++p;
			quoted = true;
		}
		if (n < sizeof(tmp))
			tmp[n++] = c;
		if (quoted || (c != ' ' && c != '\t'))
			keep = n;
	}
	put(out, cap, tmp, keep);
}

struct key {
	const char *name;
	size_t off, cap;
};
static const struct key keys[] = {
	{ "ID", offsetof(struct dl_osinfo, id), sizeof(((struct dl_osinfo *)0)->id) },
	{ "VERSION_ID", offsetof(struct dl_osinfo, version_id),
	  sizeof(((struct dl_osinfo *)0)->version_id) },
	{ "PRETTY_NAME", offsetof(struct dl_osinfo, pretty_name),
	  sizeof(((struct dl_osinfo *)0)->pretty_name) },
	{ "NAME", offsetof(struct dl_osinfo, name), sizeof(((struct dl_osinfo *)0)->name) },
};

/* One line "KEY=VALUE" (leading blanks allowed): the field it sets, if any. */
static bool assign(const char *p, const char *e, struct dl_osinfo *os, char *version, size_t vcap)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	const char *k = p;
	while (p < e && (*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
		p++;
	size_t kl = (size_t)(p - k);
	if (!kl || p == e || *p != '=')
		return false;
	p++;
	for (size_t i = 0; i < DL_ARRAY_SIZE(keys); i++)
		if (strlen(keys[i].name) == kl && !memcmp(keys[i].name, k, kl)) {
			unquote(p, e, (char *)os + keys[i].off, keys[i].cap);
			return true;
		}
	if (kl == 7 && !memcmp(k, "VERSION", 7))
		unquote(p, e, version, vcap);
	return false;
}

int dl_osrelease_parse(const char *buf, size_t len, struct dl_osinfo *os)
{
	char version[128] = "";
	bool any = false;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		if (e > p && e[-1] == '\r')
			any |= assign(p, e - 1, os, version, sizeof(version));
		else
			any |= assign(p, e, os, version, sizeof(version));
		p = e + (e < end);
	}
	if (!any || (!os->id[0] && !os->version_id[0] && !os->pretty_name[0] && !os->name[0]))
		return DL_ABSENT;
	if (!os->name[0] && (os->id[0] || os->version_id[0]))
		snprintf(os->name, sizeof(os->name), "Linux");   /* os-release(5)'s default */
	if (!os->pretty_name[0])
		snprintf(os->pretty_name, sizeof(os->pretty_name), "%.127s%s%.126s", os->name,
			 version[0] ? " " : "", version);
	return 0;
}

/* The first line of buf, without trailing blanks, into out. */
static size_t first_line(const char *buf, size_t len, char *out, size_t cap)
{
	const char *e = memchr(buf, '\n', len);
	size_t n = e ? (size_t)(e - buf) : len;
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
		n--;
	put(out, cap, buf, n);
	return n;
}

/* The first "N" or "N.M" in s, into out. */
static void first_version(const char *s, char *out, size_t cap)
{
	const char *p = s + strcspn(s, "0123456789");
	size_t n = strspn(p, "0123456789.");
	while (n && p[n - 1] == '.')
		n--;
	put(out, cap, p, n);
}

/* "VERSION = 11" in a SuSE-release: the value after the '=' on that line. */
static bool suse_field(const char *buf, size_t len, const char *key, char *out, size_t cap)
{
	const char *p = buf, *end = buf + len;
	size_t kl = strlen(key);
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		if ((size_t)(e - p) > kl && !memcmp(p, key, kl) && (p[kl] == ' ' || p[kl] == '=')) {
			const char *v = memchr(p, '=', (size_t)(e - p));
			if (v) {
				v++;
				while (v < e && (*v == ' ' || *v == '\t'))
					v++;
				size_t n = (size_t)(e - v);
				while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
					n--;
				put(out, cap, v, n);
				return n > 0;
			}
		}
		p = e + 1;
	}
	return false;
}

static const struct {
	const char *prefix, *id, *name;
} redhat[] = {
	{ "CentOS Stream", "centos", "CentOS Stream" },
	{ "CentOS", "centos", "CentOS Linux" },
	{ "Red Hat Enterprise Linux", "rhel", "Red Hat Enterprise Linux" },
	{ "Fedora", "fedora", "Fedora Linux" },
	{ "Rocky Linux", "rocky", "Rocky Linux" },
	{ "AlmaLinux", "almalinux", "AlmaLinux" },
	{ "Oracle Linux", "ol", "Oracle Linux Server" },
	{ "Scientific Linux", "scientific", "Scientific Linux" },
};

static int legacy_redhat(const char *buf, size_t len, struct dl_osinfo *os)
{
	if (!first_line(buf, len, os->pretty_name, sizeof(os->pretty_name)))
		return DL_ABSENT;
	first_version(os->pretty_name, os->version_id, sizeof(os->version_id));
	for (size_t i = 0; i < DL_ARRAY_SIZE(redhat); i++)
		if (!strncmp(os->pretty_name, redhat[i].prefix, strlen(redhat[i].prefix))) {
			snprintf(os->id, sizeof(os->id), "%s", redhat[i].id);
			snprintf(os->name, sizeof(os->name), "%s", redhat[i].name);
			break;
		}
	return 0;
}

static int legacy_suse(const char *buf, size_t len, struct dl_osinfo *os)
{
	char v[32] = "", pl[32] = "";
	if (!first_line(buf, len, os->pretty_name, sizeof(os->pretty_name)))
		return DL_ABSENT;
	bool sles = strstr(os->pretty_name, "Enterprise") != NULL;
	snprintf(os->id, sizeof(os->id), "%s", sles ? "sles" : "opensuse");
	snprintf(os->name, sizeof(os->name), "%s", sles ? "SLES" : "openSUSE");
	if (suse_field(buf, len, "VERSION", v, sizeof(v)) &&
	    suse_field(buf, len, "PATCHLEVEL", pl, sizeof(pl)) && strcmp(pl, "0"))
		snprintf(os->version_id, sizeof(os->version_id), "%.30s.%.30s", v, pl);
	else if (v[0])
		snprintf(os->version_id, sizeof(os->version_id), "%s", v);
	return 0;
}

int dl_osrelease_legacy(const char *kind, const char *buf, size_t len, struct dl_osinfo *os)
{
	if (!strcmp(kind, "redhat-release"))
		return legacy_redhat(buf, len, os);
	if (!strcmp(kind, "SuSE-release"))
		return legacy_suse(buf, len, os);
	if (strcmp(kind, "debian_version"))
		return DL_ABSENT;
	char v[64];
	if (!first_line(buf, len, v, sizeof(v)))
		return DL_ABSENT;
	snprintf(os->id, sizeof(os->id), "debian");
	snprintf(os->name, sizeof(os->name), "Debian GNU/Linux");
	/* "12.5" is a release, "bookworm/sid" a testing or unstable system */
	if (v[0] >= '0' && v[0] <= '9')
		first_version(v, os->version_id, sizeof(os->version_id));
	snprintf(os->pretty_name, sizeof(os->pretty_name), "Debian GNU/Linux %s", v);
	return 0;
}

const char *dl_os_arch(bool elf, unsigned machine, unsigned elf_class, const char *format)
{
	if (!elf)
		return format && !strcmp(format, "bzImage") ? "x86" : NULL;
	switch (machine) {
	case 3: return "i386";
	case 62: return "x86_64";
	case 40: return "arm";
	case 183: return "aarch64";
	case 243: return elf_class == 32 ? "riscv32" : "riscv64";
	case 20: return "ppc";
	case 21: return "ppc64";
	case 22: return elf_class == 32 ? "s390" : "s390x";
	case 8: return elf_class == 32 ? "mips" : "mips64";
	case 258: return "loongarch64";
	default: return NULL;
	}
}

/* ---- reading them from the guest ---- */

static const char *const release_files[] = {
	"/etc/os-release", "/usr/lib/os-release", "/etc/debian_version", "/etc/redhat-release",
	"/etc/SuSE-release",
};

int dl_guest_os(struct dl_guest *g, struct dl_osinfo *os)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(release_files); i++) {
		const char *path = release_files[i], *inner;
		struct dl_fs *fs;
		struct dl_error e = { 0 };
		_cleanup_free_ char *buf = NULL;
		size_t len;
		if (dl_guest_resolve_running(g, path, &fs, &inner, &e) < 0 ||
		    dl_fs_read_file(fs, inner, DL_OSRELEASE_MAX_FILE, &buf, &len, &e) < 0) {
			if (i < 2 && e.msg[0])
				dl_debug("%s", e.msg);
			continue;
		}
		struct dl_osinfo o = { 0 };
		int r = i < 2 ? dl_osrelease_parse(buf, len, &o)
			      : dl_osrelease_legacy(strrchr(path, '/') + 1, buf, len, &o);
		if (r != 0)
			continue;
		snprintf(o.source, sizeof(o.source), "%s", path);
		memcpy(o.arch, os->arch, sizeof(o.arch));
		*os = o;
		dl_debug("%s:%s: %s", fs->vol->name, inner, os->pretty_name);
		return 0;
	}
	return DL_ABSENT;
}

void dl_os_json(struct dl_json *j, const char *id, const char *version_id, const char *pretty,
		const char *arch)
{
	if (!id && !version_id && !pretty && !arch) {
		dl_json_str(j, "os", NULL);
		return;
	}
	dl_json_obj(j, "os");
	dl_json_str(j, "id", id);
	dl_json_str(j, "version_id", version_id);
	dl_json_str(j, "pretty_name", pretty);
	dl_json_str(j, "arch", arch);
	dl_json_end(j);
}

void dl_os_text(struct dl_sbuf *b, const struct dl_osinfo *os)
{
	dl_sbuf_adds(b, "# os: ");
	dl_sbuf_text(b, os->pretty_name[0] ? os->pretty_name : os->id[0] ? os->id : "unknown");
	if (os->id[0] || os->version_id[0]) {
		dl_sbuf_adds(b, " (");
		dl_sbuf_text(b, os->id[0] ? os->id : "?");
		if (os->version_id[0]) {
			dl_sbuf_addc(b, ' ');
			dl_sbuf_text(b, os->version_id);
		}
		dl_sbuf_addc(b, ')');
	}
	if (os->arch[0])
		dl_sbuf_printf(b, ", %s", os->arch);
	dl_sbuf_addc(b, '\n');
}
