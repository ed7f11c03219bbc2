/* The parser child's descriptors after setup (src/sandbox/child.c), which
 * its seccomp filter (src/sandbox/gen/filter.c) names: 0 /dev/null, 1 and
 * 2 the log pipe, 3 the frame socket, 4 on the disks. */
#ifndef DL_SANDBOX_LAYOUT_H
#define DL_SANDBOX_LAYOUT_H

enum {
	DL_CHILD_FD_NULL = 0,
	DL_CHILD_FD_OUT = 1,
	DL_CHILD_FD_LOG = 2,
	DL_CHILD_FD_FRAME = 3,
	DL_CHILD_FD_DISK0 = 4,
};

#endif
