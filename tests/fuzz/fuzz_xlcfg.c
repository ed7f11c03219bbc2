/* Fuzz the xl.cfg parser, the boot order and the rewriter: a rewritten
 * configuration must parse again and carry the new kernel, and again with
 * the guest type set. */
#include <stdint.h>
#include <string.h>

#include "domcfg/domcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	dl_log_set(NULL, NULL, 0);
	const char *buf = (const char *)data;
	struct dl_domcfg c = { 0 };
	struct dl_error err = { 0 };
	if (dl_xlcfg_parse(&c, "f.cfg", buf, size, &err) == 0) {
		size_t *order = dl_calloc(c.ndisks + 1, sizeof(size_t));
		size_t n = dl_domcfg_boot_order(&c, order);
		if (n > c.ndisks)
			abort();
		if (dl_domcfg_boot_disks(&c, order) > n || dl_domcfg_boot_kind(&c) > DL_DOMBOOT_NETWORK)
			abort();
		free(order);
		/* the xl disk grammar cannot carry a newline in target= */
		bool nl = false;
		for (size_t i = 0; i < c.ndisks; i++)
			nl |= c.disks[i].target && strchr(c.disks[i].target, '\n');
		char *w = dl_domcfg_write(&c, DL_DIALECT_XL);
		struct dl_domcfg c2 = { 0 };
		if (!nl && (dl_xlcfg_parse(&c2, "w.cfg", w, strlen(w), &err) != 0 || c2.ndisks != c.ndisks))
			abort();
		dl_domcfg_free(&c2);
		free(w);
		size_t on;
		char *o = dl_xlcfg_rewrite("f.cfg", buf, size, "/k'\"\\\n", "/r", "a \"b\"", &on, &err);
		if (!o)
			abort();
		if (dl_xlcfg_parse(&c2, "o.cfg", o, on, &err) != 0 || !c2.kernel ||
		    strcmp(c2.kernel, "/k'\"\\\n") || c2.bootloader)
			abort();
		dl_domcfg_free(&c2);
		/* and with the guest type set: PVH, the same kernel */
		size_t tn;
		char *t = dl_xlcfg_set_type("o.cfg", o, on, DL_DOMTYPE_PVH, &tn, &err);
		if (!t || dl_xlcfg_parse(&c2, "t.cfg", t, tn, &err) != 0 || c2.type != DL_DOMTYPE_PVH ||
		    !c2.kernel || strcmp(c2.kernel, "/k'\"\\\n"))
			abort();
		dl_domcfg_free(&c2);
		free(t);
		free(o);
	}
	dl_domcfg_free(&c);
	return 0;
}
