// SPDX-License-Identifier: GPL-2.0-or-later
/* Replies built once: the whole IPv4/UDP/BOOTP frame of each reply kind,
 * rebuilt only when the client's request shape changes. Pure: no I/O. */
#ifndef PODNET_DHCP_PREPARED_H
#define PODNET_DHCP_PREPARED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dhcp_wire.h"
#include "udp_frame.h"

/* One reply kind (OFFER, ACK, NAK, INFORM-ACK) as last built. */
struct dhcp_prepared {
	bool valid;
	int err; /* the build's error for this shape (0: @frame is good) */
	/* The request shape it was built for: all the options depend on. */
	uint16_t max_msg_size; /* option 57 as parsed (0: none) */
	uint8_t n_params;
	uint8_t client_id_len;
	bool has_fqdn;
	uint8_t fqdn_e; /* the client's E flag, the only one echoed */
	uint8_t params[255];
	uint8_t client_id[255];
	/* The parse_serial of the last request found to have this shape. */
	uint64_t parse_serial;
	/* One's-complement sums of the constant part (variable fields 0). */
	uint32_t ip_sum, udp_sum;
	size_t len;
	uint8_t frame[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET];
};

/* The prepared replies of one lease; all zero is an empty cache. */
struct dhcp_reply_cache {
	struct dhcp_prepared kind[DHCP_REPLY_KINDS];
	unsigned long builds; /* how often a reply was built: for tests */
};

void dhcp_reply_cache_reset(struct dhcp_reply_cache *c);
ssize_t
dhcp_reply_frame(struct dhcp_reply_cache *c, const struct dhcp_request *req,
		 const struct dhcp_lease *lease, enum dhcp_action action,
		 const struct dhcp_destination *dst, uint8_t *buf, size_t cap);

#endif
