/* Test helper: open images as a disk set and list or read volumes.
 *   dl_vols [--format=qcow2] [--allow-backing] [--json] [--vdev=NAME]... IMG...
 *   dl_vols IMG... --cat VOL OFF LEN      dump LEN bytes at OFF of volume VOL
 *   dl_vols IMG... --find SPEC            print the name of the volume SPEC finds
 *   dl_vols IMG... --map VOL OFF LEN      print "disk off len" runs ("bytes
 *                                         voloff len" for pieces not verbatim)
 *   dl_vols IMG... --fds                  print how many fds each disk reads through */
#include "part/part.h"

#include <stdio.h>
#include <string.h>

static int print_run(void *ctx, struct dl_disk *d, uint64_t off, uint64_t len)
{
	(void)ctx;
	if (!d)   /* not verbatim (qcow2 compressed or zero clusters): volume bytes */
		printf("bytes %llu %llu\n", (unsigned long long)off, (unsigned long long)len);
	else
		printf("%d %llu %llu\n", d->index, (unsigned long long)off, (unsigned long long)len);
	return 0;
}

int main(int argc, char **argv)
{
	struct dl_disk_set set = { 0 };
	struct dl_error err = { 0 };
	struct dl_disk_opts o = { .format = DL_FMT_RAW };
	bool json = false, fds = false;
	const char *cat = NULL, *find = NULL, *map = NULL;
	uint64_t off = 0, len = 0, offset = UINT64_MAX;
	const char *vdevs[16] = { 0 };
	int nvdev = 0, ndisk = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--format=qcow2"))
			o.format = DL_FMT_QCOW2;
		else if (!strcmp(a, "--format=raw"))
			o.format = DL_FMT_RAW;
		else if (!strcmp(a, "--allow-backing"))
			o.allow_backing = true;
		else if (!strcmp(a, "--fds"))
			fds = true;
		else if (!strcmp(a, "--json"))
			json = true;
		else if (!strncmp(a, "--vdev=", 7) && nvdev < 16)
			vdevs[nvdev++] = a + 7;
		else if (!strncmp(a, "--offset=", 9) && dl_parse_u64(a + 9, &offset) == 0)
			;
		else if ((!strcmp(a, "--cat") || !strcmp(a, "--map")) && i + 3 < argc) {
			*(!strcmp(a, "--cat") ? &cat : &map) = argv[i + 1];
			if (dl_parse_u64(argv[i + 2], &off) || dl_parse_u64(argv[i + 3], &len)) {
				fprintf(stderr, "dl_vols: bad offset or length\n");
				return 1;
			}
			i += 3;
		} else if (!strcmp(a, "--find") && i + 1 < argc)
			find = argv[++i];
		else {
			struct dl_disk *d;
			o.vdev = ndisk < nvdev ? vdevs[ndisk] : NULL;
			if (dl_disk_open_opts(&d, a, &o, &err) < 0)
				goto fail;
			dl_diskset_add(&set, d);
			ndisk++;
		}
	}
	if (fds) {
		for (size_t i = 0; i < set.ndisks; i++) {
			int *slots[8];
			size_t n = dl_disk_fd_slots(set.disks[i], slots, 8);
			printf("%zu", n);
			for (size_t k = 0; k < n && k < 8; k++)
				printf(" %s", *slots[k] >= 0 ? "open" : "closed");
			printf("\n");
		}
		dl_diskset_free(&set);
		return 0;
	}
	if (dl_diskset_scan(&set, offset, &err) < 0)
		goto fail;
	if (find) {
		struct dl_volume *v = dl_diskset_find_name(&set, find);
		if (!v) {
			fprintf(stderr, "dl_vols: %s: no such volume\n", find);
			dl_diskset_free(&set);
			return 3;
		}
		printf("%s\n", v->name);
	} else if (cat || map) {
		struct dl_volume *v = dl_diskset_find_name(&set, cat ? cat : map);
		if (!v) {
			fprintf(stderr, "dl_vols: %s: no such volume\n", cat ? cat : map);
			dl_diskset_free(&set);
			return 3;
		}
		if (map) {
			int r = dl_volume_map(v, off, len, print_run, NULL);
			if (r < 0) {
				fprintf(stderr, "dl_vols: map: %s\n", strerror(-r));
				dl_diskset_free(&set);
				return 4;
			}
		} else {
			char buf[65536];
			while (len) {
				size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);
				ssize_t r = dl_volume_pread(v, buf, n, off);
				if (r < 0) {
					perror("dl_vols: read");
					dl_diskset_free(&set);
					return 2;
				}
				if (r == 0)
					break;
				fwrite(buf, 1, (size_t)r, stdout);
				off += (uint64_t)r;
				len -= (uint64_t)r;
			}
		}
	} else {
		char *s = dl_diskset_listing(&set, json);
		fputs(s, stdout);
		free(s);
	}
	dl_diskset_free(&set);
	return 0;
fail:
	fprintf(stderr, "dl_vols: error: %s\n", err.msg);
	dl_diskset_free(&set);
	return 1;
}
