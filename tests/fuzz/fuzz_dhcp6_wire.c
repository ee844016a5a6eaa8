// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: parse a guest's DHCPv6 message, decide, and build the answer
 * with the largest lease there is; the reply must parse back and fit 1232
 * bytes. */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6_wire.h"
#include "lease6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_lease(struct lease6 *l)
{
	static const uint8_t br[MAC_LEN] = {0x5a, 0x30, 0x4d, 0xd3, 0x6a, 1};

	memset(l, 0, sizeof(*l));
	lease6_set_server(l, br);
	l->n_addrs = LEASE6_MAX_ADDRS;
	for (size_t i = 0; i < l->n_addrs; i++) {
		(void)inet_pton(AF_INET6, "2001:db8:1::10", &l->addrs[i]);
		l->addrs[i].s6_addr[15] = (uint8_t)i;
	}
	l->n_prefixes = 1;
	(void)inet_pton(AF_INET6, "2001:db8:1::", &l->prefixes[0].prefix);
	l->prefixes[0].len = 64;
	l->n_dns = PODNET_MAX_DNS;
	for (size_t i = 0; i < l->n_dns; i++)
		(void)inet_pton(AF_INET6, "2001:db8:53::1", &l->dns[i]);
	l->n_search = PODNET_MAX_SEARCH;
	for (size_t i = 0; i < l->n_search; i++) {
		memset(l->search[i], 'a', 40);
		l->search[i][0] = (char)('a' + i);
	}
	memset(l->hostname, 'h', PODNET_HOSTNAME_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lease6 lease;
	static bool ready;
	struct dhcp6_request req, back;
	enum dhcp6_action action;
	uint8_t out[1500];
	ssize_t n;

	if (!ready) {
		fuzz_lease(&lease);
		ready = true;
	}
	if (dhcp6_wire_parse(data, size, &req) != 0)
		return 0;
	if ((req.client_id &&
	     (req.client_id < data ||
	      req.client_id + req.client_id_len > data + size)) ||
	    (req.server_id &&
	     (req.server_id < data ||
	      req.server_id + req.server_id_len > data + size)))
		abort();
	action = dhcp6_wire_decide(&req, &lease, NULL);
	if (action == DHCP6_ACTION_IGNORE)
		return 0;
	n = dhcp6_reply_build(&req, &lease, action, out, sizeof(out));
	if (n < 0)
		return 0;
	/* The reply is well-formed DHCPv6 (our parser reads it back). */
	if (n > 1232 || dhcp6_wire_parse(out, (size_t)n, &back) != 0 ||
	    !back.server_id || back.server_id_len != sizeof(lease.duid))
		abort();
	return 0;
}
