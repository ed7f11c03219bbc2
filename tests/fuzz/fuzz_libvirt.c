/* Fuzz the libvirt domain XML reader (libxml2 over a buffer, span scanner)
 * and the rewriter: rewritten output parses again with the new kernel. */
#include <stdint.h>
#include <string.h>

#include "domcfg/domcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	const char *buf = (const char *)data;
	struct dl_domcfg c = { 0 };
	struct dl_error err = { 0 };
	if (dl_libvirt_parse(&c, "f.xml", buf, size, &err) == 0) {
		size_t *order = dl_calloc(c.ndisks + 1, sizeof(size_t));
		if (dl_domcfg_boot_order(&c, order) > c.ndisks)
			abort();
		free(order);
		char *w = dl_domcfg_write(&c, DL_DIALECT_LIBVIRT);
		struct dl_domcfg c2 = { 0 };
		dl_libvirt_parse(&c2, "w.xml", w, strlen(w), &err);
		dl_domcfg_free(&c2);
		free(w);
		size_t on;
		const char *k = "/k</kernel><bootloader>x";
		char *o = dl_libvirt_rewrite("f.xml", buf, size, k, "/r", "a & b", &on, &err);
		if (o) {
			if (dl_libvirt_parse(&c2, "o.xml", o, on, &err) != 0 || c2.bootloader ||
			    !c2.kernel || strcmp(c2.kernel, k))
				abort();
			dl_domcfg_free(&c2);
			size_t tn;
			char *t = dl_libvirt_set_type("o.xml", o, on, DL_DOMTYPE_PVH, &tn, &err);
			if (t && (dl_libvirt_parse(&c2, "t.xml", t, tn, &err) != 0 ||
				  c2.type != DL_DOMTYPE_PVH || !c2.kernel || strcmp(c2.kernel, k)))
				abort();
			dl_domcfg_free(&c2);
			free(t);
			free(o);
		}
	}
	dl_domcfg_free(&c);
	return 0;
}
