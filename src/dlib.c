/* dlopen on first use (dlib.h says why). */
#include "dlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dl_lib_load(struct dl_lib *l, struct dl_error *err)
{
	if (!l->h && !l->failed) {
		l->h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
		if (!l->h) {
			const char *e = dlerror();
			snprintf(l->why, sizeof(l->why), "%s", e ? e : "cannot load");
			l->failed = true;
		}
	}
	if (l->h)
		return 0;
	return dl_fail(err, DL_EUNSUPPORTED, "%s: %s (needed for %s; install %s)", l->soname, l->why,
		       l->use, l->pkg);
}

void *dl_lib_sym(struct dl_lib *l, const char *name, const char *version)
{
	struct dl_error err = { 0 };
	if (dl_lib_load(l, &err) == 0) {
		void *p = version ? dlvsym(l->h, name, version) : dlsym(l->h, name);
		if (p)
			return p;
		dl_fail(&err, DL_EUNSUPPORTED, "%s: no symbol %s%s%s (needed for %s)", l->soname, name,
			version ? "@" : "", version ? version : "", l->use);
	}
	fprintf(stderr, "domuloader: error: %s\n", err.msg);
	exit(DL_EUNSUPPORTED);
}

struct dl_lib dl_libxml2 = { .soname = "libxml2.so.2", .pkg = "libxml2", .use = "libvirt domain XML" };
struct dl_lib dl_libdevmapper = { .soname = "libdevmapper.so.1.02.1", .pkg = "libdevmapper1.02.1",
				  .use = "--mount with device-mapper" };
