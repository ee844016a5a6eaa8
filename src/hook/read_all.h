// SPDX-License-Identifier: GPL-2.0-or-later
/* Read a whole input (the domain XML) into memory, or fail: never a part. */
#ifndef PODNET_READ_ALL_H
#define PODNET_READ_ALL_H

#include <stddef.h>

/* A domain definition larger than this is not one libvirt wrote. */
#define READ_ALL_MAX ((size_t)16 * 1024 * 1024)

char *read_all(int fd, size_t *ret_len);

#endif
