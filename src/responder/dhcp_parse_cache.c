// SPDX-License-Identifier: GPL-2.0-or-later
/* The last requests parsed, kept with their bytes. The parse is a function
 * of the message's bytes alone, and xid (bytes 4-7) and secs (8-9) only
 * ever fill their own fields: a message equal to a kept one but for those
 * has the kept parse with them put in. */
#include <arpa/inet.h>
#include <string.h>

#include "bytes_equal.h"
#include "dhcp_parse_cache.h"

#define OFF_XID	 4
#define OFF_SECS 8
#define OFF_REST 10 /* flags onwards */

/**
 * dhcp_parse_cached() - dhcp_wire_parse_request(), remembered
 * @c:		the cache
 * @msg:	UDP payload (the BOOTP message), untrusted
 * @len:	its length
 *
 * Return: the parsed request (valid until the next call), or NULL if
 * dhcp_wire_parse_request() refuses the message
 */
const struct dhcp_request *dhcp_parse_cached(struct dhcp_parse_cache *c,
					     const uint8_t *msg, size_t len)
{
	uint16_t secs;
	size_t i;

	if (len < DHCP_FIXED_LEN + sizeof(uint32_t))
		return NULL;
	for (i = 0; i < DHCP_PARSE_CACHE_N; i++) {
		/* The options first: there two kinds of request differ. */
		if (c->e[i].len != len ||
		    !bytes_equal(c->e[i].msg + DHCP_FIXED_LEN,
				 msg + DHCP_FIXED_LEN, len - DHCP_FIXED_LEN) ||
		    !bytes_equal(c->e[i].msg, msg, OFF_XID) ||
		    !bytes_equal(c->e[i].msg + OFF_REST, msg + OFF_REST,
				 DHCP_FIXED_LEN - OFF_REST))
			continue;
		memcpy(&c->e[i].req.xid, msg + OFF_XID, sizeof(uint32_t));
		memcpy(&secs, msg + OFF_SECS, sizeof(secs));
		c->e[i].req.secs = ntohs(secs);
		return &c->e[i].req;
	}
	i = c->next;
	c->next = (c->next + 1) % DHCP_PARSE_CACHE_N;
	c->e[i].len = 0;
	if (dhcp_wire_parse_request_into(msg, len, &c->e[i].req) < 0)
		return NULL;
	if (len <= sizeof(c->e[i].msg)) {
		memcpy(c->e[i].msg, msg, len);
		c->e[i].len = len;
	}
	return &c->e[i].req;
}
