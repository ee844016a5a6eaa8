// SPDX-License-Identifier: GPL-2.0-or-later
/* The last requests parsed, kept with their bytes. The parse is a function
 * of the bytes it reads (struct dhcp_request's read_len), and xid (bytes
 * 4-7) and secs (8-9) only ever fill their own fields: a message of the
 * same length whose read bytes equal a kept one's but for those has the
 * kept parse with them put in. */
#include <string.h>

#include "be_bytes.h"
#include "bytes_equal.h"
#include "dhcp_parse_cache.h"

#define OFF_XID	       4
#define OFF_SECS       8
#define OFF_FLAGS      10
#define OFF_CHADDR_END (28 + MAC_LEN) /* the parse reads MAC_LEN of chaddr */

/*
 * Does @msg equal the kept message @e in every byte the parse read, xid and
 * secs aside? The options first: there a DISCOVER and a REQUEST differ.
 * Not read, so not compared: the rest of chaddr, sname and file (unless
 * option 52 made them options), what follows END.
 */
static bool same_read_bytes(const struct dhcp_parse_entry *e,
			    const uint8_t *msg)
{
	size_t from = e->req.overloaded ? OFF_CHADDR_END : DHCP_FIXED_LEN;

	return bytes_equal(e->msg + from, msg + from, e->req.read_len - from) &&
	       memcmp(e->msg, msg, OFF_XID) == 0 &&
	       memcmp(e->msg + OFF_FLAGS, msg + OFF_FLAGS,
		      OFF_CHADDR_END - OFF_FLAGS) == 0;
}

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
	size_t i;

	if (len < DHCP_FIXED_LEN + sizeof(uint32_t))
		return NULL;
	for (i = 0; i < DHCP_PARSE_CACHE_N; i++) {
		if (c->e[i].len != len || !same_read_bytes(&c->e[i], msg))
			continue;
		memcpy(&c->e[i].req.xid, msg + OFF_XID, sizeof(uint32_t));
		c->e[i].req.secs = be16_get(msg + OFF_SECS);
		return &c->e[i].req;
	}
	i = c->next;
	c->next = (c->next + 1) % DHCP_PARSE_CACHE_N;
	c->e[i].len = 0;
	if (dhcp_wire_parse_request_into(msg, len, &c->e[i].req) < 0)
		return NULL;
	c->e[i].req.parse_serial = ++c->parses;
	if (len <= sizeof(c->e[i].msg)) {
		memcpy(c->e[i].msg, msg, len);
		c->e[i].len = len;
	}
	return &c->e[i].req;
}
