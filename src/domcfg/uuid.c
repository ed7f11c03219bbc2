/* Domain UUIDs as the toolstacks write them (libvirt's virUUIDParse). */
#include "domcfg/domcfg.h"

#include <errno.h>
#include <stdio.h>

int dl_uuid_parse(const char *s, uint8_t out[16])
{
	size_t i = 0;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
		i++;
	for (int b = 0; b < 16; b++) {
		if (b > 0)
			while (s[i] == '-' || s[i] == ' ')
				i++;
		int h = dl_hexval((unsigned char)s[i]);
		int l = h < 0 ? -1 : dl_hexval((unsigned char)s[i + 1]);
		if (h < 0 || l < 0)
			return -EINVAL;
		out[b] = (uint8_t)(h << 4 | l);
		i += 2;
	}
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
		i++;
	return s[i] ? -EINVAL : 0;
}

void dl_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
}
