#include "fs/fs.h"
const struct dl_fs_ops *const dl_fs_backends[] = { NULL };
