/* The runs an extent map (dl_fs_map) passed on, recorded for tests:
 * {file offset, volume offset or DL_HOLE/DL_ENCODED, length}, at most 8.
 * Include after cmocka.h. */
#ifndef DL_TEST_MAP_RUNS_H
#define DL_TEST_MAP_RUNS_H

#include "fs/fs.h"

struct runs {
	uint64_t r[8][3];
	size_t n;
};

static int record(void *ctx, uint64_t fo, uint64_t vo, uint64_t len)
{
	struct runs *x = ctx;
	assert_true(x->n < 8);
	x->r[x->n][0] = fo;
	x->r[x->n][1] = vo;
	x->r[x->n][2] = len;
	x->n++;
	return 0;
}

#endif
