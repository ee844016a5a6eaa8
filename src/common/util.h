// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by every module: array size and scope-bound cleanup. */
#ifndef PODNET_UTIL_H
#define PODNET_UTIL_H

#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(const int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
}

/* Length of an Ethernet MAC address, in bytes. */
#define MAC_LEN 6
/* "aa:bb:cc:dd:ee:ff" plus the terminating NUL. */
#define MAC_STR_LEN 18

#endif
