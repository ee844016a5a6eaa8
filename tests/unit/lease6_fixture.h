// SPDX-License-Identifier: GPL-2.0-or-later
/* The IPv6 lease the DHCPv6 and NDP unit tests start from. */
#ifndef PODNET_TEST_LEASE6_FIXTURE_H
#define PODNET_TEST_LEASE6_FIXTURE_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "lease6.h"
#include "util.h"

static inline void a6(const char *s, void *ret)
{
	(void)inet_pton(AF_INET6, s, ret);
}

/* Served from the bridge's MAC BR: 2001:db8:1::10 on 2001:db8:1::/64 and one
 * name server, 2001:db8:53::1; nothing else. */
static inline void lease6_fixture(struct lease6 *l, const uint8_t br[MAC_LEN])
{
	memset(l, 0, sizeof(*l));
	lease6_set_server(l, br);
	l->n_addrs = 1;
	a6("2001:db8:1::10", &l->addrs[0]);
	l->n_prefixes = 1;
	a6("2001:db8:1::", &l->prefixes[0].prefix);
	l->prefixes[0].len = 64;
	l->n_dns = 1;
	a6("2001:db8:53::1", &l->dns[0]);
}

#endif
