/* Fuzz the xl DISKSPEC lexer and the --disks list splitter.  First byte
 * selects xend leniency; invariant: an accepted spec has a vdev, its
 * canonical form parses back to the same disk. */
#include <stdint.h>
#include <string.h>

#include "domcfg/domcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	int mode = data[0];
	const char *spec = (const char *)data + 1;
	size_t len = size - 1;
	struct dl_error err = { 0 };
	if (mode & 2) {
		char *s = dl_strndup(spec, len);
		struct dl_domdisk *disks = NULL;
		size_t n = 0;
		dl_xldisk_parse_list(&disks, &n, s, &err);
		for (size_t i = 0; i < n; i++)
			dl_domdisk_clear(&disks[i]);
		free(disks);
		free(s);
		return 0;
	}
	struct dl_domdisk d;
	if (dl_xldisk_parse(&d, spec, len, mode & 1, &err) == 0) {
		if (!d.vdev)
			abort();
		char *c = dl_xldisk_format(&d);
		struct dl_domdisk d2;
		if (d.vdev[0] && !strchr(d.vdev, ',') && !strchr(d.vdev, ' ') && !strchr(d.vdev, '\n') &&
		    !strchr(d.vdev, '\t') && !strchr(d.vdev, '=') && !strchr(d.vdev, ':') &&
		    !(d.script && strpbrk(d.script, ", \t\n=")) && !(d.target && strchr(d.target, '\n')) &&
		    dl_xldisk_parse(&d2, c, strlen(c), 0, &err) == 0) {
			if (strcmp(d.vdev, d2.vdev) || d.cdrom != d2.cdrom ||
			    (d.target == NULL) != (d2.target == NULL) ||
			    (d.target && strcmp(d.target, d2.target)))
				abort();
			dl_domdisk_clear(&d2);
		}
		char *p = dl_domdisk_path(&d);
		free(p);
		free(c);
		dl_domdisk_clear(&d);
	}
	return 0;
}
