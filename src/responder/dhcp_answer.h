// SPDX-License-Identifier: GPL-2.0-or-later
/* The IPv4 port's answer to one request, behind one call. Behind it sits
 * the performance layer (dhcp_parse_cache: a repeated request is parsed
 * once; dhcp_prepared: each reply kind is encoded once; bytes_equal.h):
 * no other module knows it, so it can go in one step. Pure: no I/O. */
#ifndef PODNET_DHCP_ANSWER_H
#define PODNET_DHCP_ANSWER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "dhcp_parse_cache.h"
#include "dhcp_prepared.h"
#include "dhcp_wire.h"
#include "rate_window.h"

/* One client's caches, for the lease it was set up with. */
struct dhcp_answerer {
	const struct dhcp_lease *lease; /* must not change while in use */
	struct dhcp_parse_cache parsed;
	struct dhcp_reply_cache replies;
};

/* What one request comes to. */
struct dhcp_answer {
	enum dhcp_action action;
	struct dhcp_destination dst; /* where the reply goes (@len > 0) */
	/* The reply frame's length; 0: nothing to send (no reply is due, or
	 * the rate window is spent); a negative errno: it cannot be built. */
	ssize_t len;
};

void dhcp_answer_init(struct dhcp_answerer *a, const struct dhcp_lease *lease);
int dhcp_answer_request(struct dhcp_answerer *a, const uint8_t *msg, size_t len,
			struct rate_window *rate, time_t now, uint8_t *frame,
			size_t cap, struct dhcp_answer *ret);

#endif
