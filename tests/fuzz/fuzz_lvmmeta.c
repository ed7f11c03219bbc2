/* LVM2 text metadata: the parser and the VG model. */
#include "part/part_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dl_lvm_vg *vg = NULL;
	struct dl_error err = { 0 };
	if (dl_lvm_vg_parse((const char *)data, size, &vg, &err) == 0)
		dl_lvm_vg_free(vg);
	return 0;
}
