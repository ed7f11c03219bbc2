/* domUloader's --entry=[dev:]kernel[,initrd] (SUSE's domUloader.py,
 * parseEntry(): a '/' is prepended to relative paths, an empty initrd
 * means none), with the device optional: the caller then resolves the
 * paths through the guest's fstab and --root. */
#include <ctype.h>
#include <string.h>

#include "boot/boot.h"

static bool devlike(const char *s, size_t n)
{
	if (n > 5 && !strncmp(s, "/dev/", 5))
		s += 5, n -= 5;
	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '/' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

bool dl_domu_entry_like(const char *s)
{
	if (!s || strchr(s, ' ') || strchr(s, '\t'))
		return false;
	if (s[0] == '/')
		return true;
	const char *c = strchr(s, ':');
	return c && c[1] && devlike(s, (size_t)(c - s));
}

static char *abs_path(const char *s, size_t n)
{
	if (n && s[0] == '/')
		return dl_strndup(s, n);
	char *r = dl_malloc(n + 2);
	r[0] = '/';
	memcpy(r + 1, s, n);
	r[n + 1] = '\0';
	return r;
}

int dl_domu_entry_parse(const char *s, struct dl_domu_entry *out, struct dl_error *err)
{
	memset(out, 0, sizeof(*out));
	const char *c = strchr(s, ':');
	const char *files = s;
	if (c && !devlike(s, (size_t)(c - s))) {
		if (s[0] != '/')
			return dl_fail(err, DL_EUSAGE, "%s: malformed entry, expected [dev:]kernel[,initrd]", s);
		c = NULL;   /* a path containing ':' */
	}
	if (c) {
		const char *d = s;
		if (!strncmp(d, "/dev/", 5))
			d += 5;
		out->dev = dl_strndup(d, (size_t)(c - d));
		files = c + 1;
	}
	const char *comma = strchr(files, ',');
	size_t kn = comma ? (size_t)(comma - files) : strlen(files);
	if (kn == 0 || (comma && strchr(comma + 1, ','))) {
		dl_domu_entry_free(out);
		return dl_fail(err, DL_EUSAGE, "%s: malformed entry, expected [dev:]kernel[,initrd]", s);
	}
	out->kernel = abs_path(files, kn);
	if (comma && comma[1])
		out->initrd = abs_path(comma + 1, strlen(comma + 1));
	return 0;
}

void dl_domu_entry_free(struct dl_domu_entry *e)
{
	free(e->dev);
	free(e->kernel);
	free(e->initrd);
	memset(e, 0, sizeof(*e));
}

