// SPDX-License-Identifier: GPL-2.0-or-later
/* One DHCPv4 request in, the decision and its reply frame out: parse
 * (remembered), decide, and build (from the prepared frame). Without the
 * performance layer this would be dhcp_wire_parse_request(),
 * dhcp_wire_decide(), dhcp_wire_build_reply() and udp_frame_build(). */

#include <errno.h>
#include <string.h>

#include "dhcp_answer.h"

/**
 * dhcp_answer_init() - Empty caches for one client's lease
 * @a:		the answerer
 * @lease:	what the client is given; must outlive @a, unchanged
 */
void dhcp_answer_init(struct dhcp_answerer *a, const struct dhcp_lease *lease)
{
	/* Every buffer touched now: memory use stays flat. */
	memset(a, 0, sizeof(*a));
	a->lease = lease;
}

/**
 * dhcp_answer_request() - Decide on one request and build its reply
 * @a:		the client's answerer
 * @msg:	UDP payload (the BOOTP message), untrusted
 * @len:	its length
 * @rate:	the port's reply budget: one is taken per reply due, before
 *		it is built, so that a flood over the limit costs no build
 * @now:	the monotonic second
 * @frame:	output: the IPv4 packet (NULL: no room, -ENOBUFS)
 * @cap:	size of @frame
 * @ret:	the decision and the frame's length
 *
 * Return: 0, or -EBADMSG if the message is not a request (@ret unset)
 */
int dhcp_answer_request(struct dhcp_answerer *a, const uint8_t *msg, size_t len,
			struct rate_window *rate, time_t now, uint8_t *frame,
			size_t cap, struct dhcp_answer *ret)
{
	const struct dhcp_request *req =
		dhcp_parse_cached(&a->parsed, msg, len);

	if (!req)
		return -EBADMSG;
	/* Another chaddr than the VM's is IGNORE. */
	ret->action = dhcp_wire_decide(req, a->lease);
	ret->len = 0;
	if (dhcp_wire_reply_kind(ret->action) < 0 ||
	    !rate_window_allows(rate, now, RESPONDER_REPLIES_PER_SEC))
		return 0;
	if (!frame) {
		ret->len = -ENOBUFS;
		return 0;
	}
	ret->dst = dhcp_wire_reply_destination(req, a->lease, ret->action);
	ret->len = dhcp_reply_frame(&a->replies, req, a->lease, ret->action,
				    &ret->dst, frame, cap);
	return 0;
}
