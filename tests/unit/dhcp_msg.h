// SPDX-License-Identifier: GPL-2.0-or-later
/* A client's DHCP request, byte by byte, for the tests and benchmarks that
 * feed the responder's IPv4 side raw messages. */
#ifndef PODNET_TEST_DHCP_MSG_H
#define PODNET_TEST_DHCP_MSG_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "dhcp_wire.h"

/* Clear B (CAP bytes), then the BOOTP header of a request with transaction
 * id XID (as on the wire) from MAC, the cookie and option 53 of TYPE; returns
 * where the next option goes. */
static inline size_t dhcp_msg_start(uint8_t *b, size_t cap, uint32_t xid,
				    const uint8_t mac[MAC_LEN], uint8_t type)
{
	uint32_t cookie = htonl(DHCP_COOKIE);
	size_t o = DHCP_FIXED_LEN + 4;

	memset(b, 0, cap);
	b[0] = BOOTP_REQUEST;
	b[1] = BOOTP_HTYPE_ETHER;
	b[2] = MAC_LEN;
	memcpy(b + 4, &xid, 4);
	memcpy(b + 28, mac, MAC_LEN);
	memcpy(b + DHCP_FIXED_LEN, &cookie, 4);
	b[o++] = DHCP_OPT_MESSAGE_TYPE;
	b[o++] = 1;
	b[o++] = type;
	return o;
}

/* Option CODE of LEN bytes DATA at offset O of B; returns the next offset. */
static inline size_t dhcp_msg_opt(uint8_t *b, size_t o, uint8_t code,
				  uint8_t len, const void *data)
{
	b[o++] = code;
	b[o++] = len;
	memcpy(b + o, data, len);
	return o + len;
}

#endif
