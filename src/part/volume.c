/* Volumes: extent lists over disks, and their reads. */
#include "part/part.h"

#include <errno.h>
#include <string.h>

ssize_t dl_volume_pread(const struct dl_volume *v, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	if (off >= v->size)
		return 0;
	if (len > v->size - off)
		len = (size_t)(v->size - off);
	for (size_t i = 0; i < v->next && done < len; i++) {
		const struct dl_extent *e = &v->ext[i];
		uint64_t pos = off + done;
		if (pos < e->off || pos - e->off >= e->len)
			continue;
		uint64_t in = pos - e->off;
		size_t n = (size_t)DL_MIN((uint64_t)(len - done), e->len - in);
		ssize_t r = dl_disk_pread(e->disk, (char *)buf + done, n, e->disk_off + in);
		if (r < 0)
			return -1;
		done += (size_t)r;
		if ((size_t)r < n)
			break;
		i = (size_t)-1; /* extents may be unordered: rescan from the start */
	}
	return (ssize_t)done;
}

int dl_volume_map(const struct dl_volume *v, uint64_t off, uint64_t len, dl_range_cb cb, void *ctx)
{
	uint64_t end;
	if (ckd_add(&end, off, len) || end > v->size)
		return -ERANGE;
	while (off < end) {
		const struct dl_extent *e = NULL;
		for (size_t i = 0; i < v->next; i++)
			if (off >= v->ext[i].off && off - v->ext[i].off < v->ext[i].len) {
				e = &v->ext[i];
				break;
			}
		if (!e)
			return -ERANGE;
		if (e->disk->format != DL_FMT_RAW || e->disk->mem)
			return -ENOTSUP;
		uint64_t in = off - e->off;
		uint64_t n = DL_MIN(end - off, e->len - in);
		int r = cb(ctx, e->disk, e->disk_off + in, n);
		if (r < 0)
			return r;
		off += n;
	}
	return 0;
}
