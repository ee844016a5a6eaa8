// SPDX-License-Identifier: GPL-2.0-or-later
/* The last requests parsed, kept with their bytes: a client that repeats
 * itself (retransmissions, a loop, a pipelining benchmark) is parsed once.
 * Pure: no I/O. */
#ifndef PODNET_DHCP_PARSE_CACHE_H
#define PODNET_DHCP_PARSE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "dhcp_wire.h"

/* Requests longer than this are parsed every time; clients' usual ones are
 * 300 to 576 bytes. */
#define DHCP_PARSE_CACHE_MSG 576
#define DHCP_PARSE_CACHE_N   2 /* a DISCOVER and a REQUEST */

struct dhcp_parse_entry {
	size_t len; /* 0: empty */
	struct dhcp_request req;
	uint8_t msg[DHCP_PARSE_CACHE_MSG];
};

/* All zero is an empty cache. */
struct dhcp_parse_cache {
	unsigned int next;
	uint64_t parses; /* the last parse_serial given */
	struct dhcp_parse_entry e[DHCP_PARSE_CACHE_N];
};

const struct dhcp_request *dhcp_parse_cached(struct dhcp_parse_cache *c,
					     const uint8_t *msg, size_t len);

#endif
