/* Fuzz the xend SEXPR reader and rewriter: rewritten output parses again,
 * the hostile kernel/args strings come back intact (XSA-198 quoting). */
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
	if (dl_sexpr_parse(&c, "f.sxp", buf, size, &err) == 0) {
		size_t *order = dl_calloc(c.ndisks + 1, sizeof(size_t));
		if (dl_domcfg_boot_order(&c, order) > c.ndisks)
			abort();
		free(order);
		char *w = dl_domcfg_write(&c, DL_DIALECT_SEXPR);
		struct dl_domcfg c2 = { 0 };
		if (dl_sexpr_parse(&c2, "w.sxp", w, strlen(w), &err) != 0)
			abort();
		dl_domcfg_free(&c2);
		free(w);
		size_t on;
		const char *k = "/k')(bootloader '/bin/sh";
		const char *a = "x\\')(y\n";
		char *o = dl_sexpr_rewrite("f.sxp", buf, size, k, NULL, a, &on, &err);
		if (!o)
			abort();
		if (dl_sexpr_parse(&c2, "o.sxp", o, on, &err) != 0 || c2.bootloader)
			abort();
		if (c2.type != DL_DOMTYPE_HVM || c2.kernel) {
			if (!c2.kernel || strcmp(c2.kernel, k))
				abort();
		}
		dl_domcfg_free(&c2);
		free(o);
	}
	dl_domcfg_free(&c);
	return 0;
}
