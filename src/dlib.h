/* Libraries loaded on first use (dlopen) instead of at every start.
 *
 * libxml2 (with ICU and libstdc++ behind it) and libdevmapper (with libudev,
 * libselinux and libpcre2) cost more to map and relocate than the rest of
 * a `-l` run, and only the libvirt domain XML reader and --mount call them.
 * Their callers keep calling the library's own names: src/domcfg/xml_dl.c
 * and src/mount/dm_dl.c define those names as forwarders to the library,
 * loaded the first time one is called (README.md, "Start-up"). */
#ifndef DL_DLIB_H
#define DL_DLIB_H

#include <stdbool.h>

#include "common.h"

struct dl_lib {
	const char *soname;   /* "libxml2.so.2" */
	const char *pkg;      /* the Debian package that ships it, for the message */
	const char *use;      /* what needs it: "libvirt domain XML" */
	void *h;              /* NULL until loaded */
	bool failed;
	char why[256];        /* dlerror() of the failed load */
};

/* Load l if it is not loaded yet: 0, or an error naming the library, what
 * needs it and the package to install (DL_EUNSUPPORTED). */
int dl_lib_load(struct dl_lib *l, struct dl_error *err);

/* The address of symbol name (at version, or the default one when NULL)
 * in l, loading l first.  A library or symbol that cannot be found ends
 * the program with that one-line error (exit DL_EUNSUPPORTED): callers
 * check dl_lib_load() first where an error can be returned. */
void *dl_lib_sym(struct dl_lib *l, const char *name, const char *version);

extern struct dl_lib dl_libxml2;
extern struct dl_lib dl_libdevmapper;

#endif
