/* The whole pipeline end to end, as the sandboxed child runs it:
 * disks -> volumes -> filesystems -> boot configuration -> selection ->
 * payload bytes, through dl_flow_run() and a sink that checks what a
 * broker would (every disk range inside its disk, payloads framed by
 * begin/end, one result at the end) and reads every range it is sent.
 * Input: one flags byte, then the disk(s), each raw or in the compact
 * "DLSB" form (fuzz_common.h).
 *   flags bit 0    4096-byte logical sectors
 *   bits 1-2       mode: extract, -n, -l, --list-volumes
 *   bit 3          JSON listings
 *   bit 4          two disks: u32 length of the first, then the first, then the second
 *   bit 5          --entry=1 (the second entry)
 *   bit 6          the (first) disk is a qcow2 image
 * Seeds: tests/fuzz/seeds/mkpipeline.sh (every image recipe in images/);
 * DL_FUZZ_VERBOSE=1 in the environment prints how far each input got.
 * Run for N minutes:  make fuzz-run MINUTES=N FUZZERS=pipeline */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_UNSPARSE_MAX (320u << 20)   /* the btrfs recipes' images */
#include "flow.h"
#include "fuzz_common.h"
#include "result.h"

struct fsink {
	struct dl_disk_set *set;
	int open;        /* payload kind being written, -1 none */
	int results;
	uint64_t bytes;
	uint8_t buf[65536];
};

static int f_listing(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	if (len && !text)
		__builtin_trap();
	return 0;
}

static int f_begin(void *ctx, enum dl_payload_kind kind)
{
	struct fsink *s = ctx;
	if (s->open >= 0 || (kind != DL_PAYLOAD_KERNEL && kind != DL_PAYLOAD_RAMDISK))
		__builtin_trap();   /* payloads do not nest */
	s->open = kind;
	return 0;
}

/* The sandbox's window, in small: a buffer the producer reads into, of
 * an odd size so that reads of every shape split on it; data() of bytes
 * made there must stay inside it. */
static uint8_t window[4093];
static void *f_buffer(void *ctx, size_t *len)
{
	(void)ctx;
	if (*len > sizeof(window))
		*len = sizeof(window);
	return window;
}

static int f_data(void *ctx, const void *buf, size_t len)
{
	struct fsink *s = ctx;
	if (s->open < 0 || (len && !buf))
		__builtin_trap();
	const uint8_t *p = buf;
	if (p >= window && p < window + sizeof(window) && (size_t)(p - window) + len > sizeof(window))
		__builtin_trap();
	if (len)
		memcpy(s->buf, buf, len < sizeof(s->buf) ? len : sizeof(s->buf));
	s->bytes += len;
	return 0;
}

/* What the payload side does with a range: read it from the disk. */
static int f_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	struct fsink *s = ctx;
	if (s->open < 0 || disk < 0 || (size_t)disk >= s->set->ndisks)
		__builtin_trap();
	struct dl_disk *d = s->set->disks[disk];
	if (off > d->size || len > d->size - off)
		__builtin_trap();   /* a range outside the disk: the broker refuses it */
	for (uint64_t done = 0; done < len && done < (64u << 20);) {
		size_t n = (size_t)(len - done < sizeof(s->buf) ? len - done : sizeof(s->buf));
		if (dl_disk_pread(d, s->buf, n, off + done) != (ssize_t)n)
			return -EIO;
		done += n;
	}
	s->bytes += len;
	return 0;
}

static int f_end(void *ctx)
{
	struct fsink *s = ctx;
	if (s->open < 0)
		__builtin_trap();
	s->open = -1;
	return 0;
}

static int f_result(void *ctx, const struct dl_result *r)
{
	struct fsink *s = ctx;
	if (s->open >= 0 || s->results++)
		__builtin_trap();   /* one result, after the payloads */
	struct dl_sbuf b = { 0 };
	if (dl_record_pack(&dl_result_type, r, &b, NULL) == 0) {
		struct dl_result back = { 0 };
		struct dl_error e = { 0 };
		if (dl_record_unpack(&dl_result_type, (const uint8_t *)b.p, b.len, &back, &e) == 0)
			dl_record_clear(&dl_result_type, &back);
	}
	free(b.p);
	return 0;
}

static struct dl_disk *disk(const uint8_t *p, size_t n, uint8_t **img, int slot, bool qcow2,
			    unsigned sector)
{
	size_t len;
	*img = fuzz_unsparse(p, n, &len, slot);
	if (*img)
		p = *img, n = len;
	struct dl_disk *d = NULL;
	struct dl_error err = { 0 };
	if (!qcow2)
		d = dl_disk_from_mem(p, n, "fuzz");
	else if (dl_disk_qcow2_from_mem(&d, p, n, "fuzz.qcow2", &err) < 0)
		return NULL;
	d->sector = sector;
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t flags = data[0];
	data++, size--;
	static const enum dl_mode modes[] = { DL_MODE_EXTRACT, DL_MODE_NOT_REALLY, DL_MODE_LIST,
					      DL_MODE_LIST_VOLUMES };
	struct dl_request req = {
		.mode = modes[(flags >> 1) & 3], .offset = UINT64_MAX, .json = flags & 8,
		.entry = flags & 32 ? "1" : NULL, .max_kernel = 64u << 20, .max_ramdisk = 64u << 20,
	};
	const uint8_t *p2 = NULL;
	size_t n1 = size, n2 = 0;
	if (flags & 16) {
		if (size < 4)
			return 0;
		uint32_t l = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
			     (uint32_t)data[3] << 24;
		data += 4, size -= 4;
		if (l > size)
			return 0;
		n1 = l, p2 = data + l, n2 = size - l;
	}
	dl_log_set(fuzz_quiet, NULL, 0);
	unsigned sector = flags & 1 ? 4096 : 512;
	uint8_t *img1 = NULL, *img2 = NULL;
	struct dl_disk_set set = { .no_probe = true };
	struct dl_disk *d = disk(data, n1, &img1, 0, flags & 64, sector);
	if (d) {
		dl_diskset_add(&set, d);
		if (p2 && (d = disk(p2, n2, &img2, 1, false, sector)))
			dl_diskset_add(&set, d);
		struct fsink s = { .set = &set, .open = -1 };
		struct dl_sink sink = { .ctx = &s, .listing = f_listing, .begin = f_begin, .data = f_data,
					.buffer = f_buffer, .copy = f_copy, .end = f_end, .result = f_result };
		struct dl_error err = { 0 };
		int r = dl_flow_run(&req, &set, &sink, &err);
		if (r == 0 && req.mode <= DL_MODE_NOT_REALLY && s.results != 1)
			__builtin_trap();   /* success means a result was sent */
		if (r < 0 && !err.msg[0])
			__builtin_trap();   /* every failure names what is wrong */
		if (getenv("DL_FUZZ_VERBOSE"))   /* for checking seeds: how far each got */
			fprintf(stderr, "pipeline: %d, %llu payload bytes, %d result(s)%s%s\n", r,
				(unsigned long long)s.bytes, s.results, r < 0 ? ": " : "", r < 0 ? err.msg : "");
	}
	dl_diskset_free(&set);
	fuzz_unsparse_done(data, n1, img1);
	if (p2)
		fuzz_unsparse_done(p2, n2, img2);
	return 0;
}
