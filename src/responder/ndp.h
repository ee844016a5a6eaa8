// SPDX-License-Identifier: GPL-2.0-or-later
/* Neighbour Discovery (RFC 4861) with the VM: RS and NS in, RA out. Pure. */
#ifndef PODNET_NDP_H
#define PODNET_NDP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ip6_frame.h"
#include "ip6_proto.h"
#include "lease6.h"

/* What an RS or NS from the VM says. */
struct ndp_msg {
	uint8_t type;		/* NDP_RS or NDP_NS */
	struct in6_addr target; /* NS only */
	bool has_slla;
	uint8_t slla[MAC_LEN];
};

int ndp_parse(const struct ip6_view *v, struct ndp_msg *ret);
ssize_t ndp_build_ra(const struct lease6 *l, const struct in6_addr *dst,
		     uint8_t *buf, size_t cap);
const struct in6_addr *ndp_ra_source(const struct lease6 *l);

#endif
