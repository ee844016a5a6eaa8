// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: parse a guest's DHCP message, decide, build and address every
 * reply. */

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_parse_cache.h"
#include "dhcp_prepared.h"
#include "dhcp_wire.h"
#include "udp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IP4(a, b, c, d)                                                        \
	((struct in_addr){                                                     \
		.s_addr = htonl((uint32_t)(a) << 24 | (uint32_t)(b) << 16 |    \
				(uint32_t)(c) << 8 | (uint32_t)(d))})

/* The largest lease there is: every list full, long names. */
static void fuzz_lease(struct dhcp_lease *l)
{
	*l = (struct dhcp_lease){
		.client_mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56},
		.client_addr = IP4(198, 51, 100, 10),
		.prefix_len = 32,
		.server_id = IP4(169, 254, 1, 1),
		.router = IP4(169, 254, 1, 1),
		.n_routes = PODNET_MAX_ROUTES,
		.n_dns = PODNET_MAX_DNS,
		.n_search = PODNET_MAX_SEARCH,
		.mtu = 1450,
		.lease_seconds = 86400,
	};
	for (size_t i = 0; i < PODNET_MAX_ROUTES; i++)
		l->routes[i] = (struct dhcp_route){IP4(198, 51, 100, i * 8),
						   (uint8_t)(i + 1),
						   IP4(169, 254, 1, 1)};
	for (size_t i = 0; i < PODNET_MAX_DNS; i++)
		l->dns[i] = IP4(198, 51, 100, 53 + i);
	memset(l->hostname, 'h', PODNET_HOSTNAME_MAX);
	snprintf(l->domain_name, sizeof(l->domain_name),
		 "ns1.svc.cluster.local");
	for (size_t i = 0; i < PODNET_MAX_SEARCH; i++)
		snprintf(l->search[i], sizeof(l->search[i]),
			 "n%zu.%s.svc.cluster.local", i,
			 i % 2 ? "ns1" : "long-namespace-name-for-the-fuzzer");
}

/* Builds @action into a heap buffer of exactly the allowed size. */
static void build_one(const struct dhcp_request *req,
		      const struct dhcp_lease *lease, enum dhcp_action action)
{
	size_t max = dhcp_wire_reply_max(req);
	uint8_t *buf = malloc(max);
	struct dhcp_request back;
	ssize_t n;

	if (!buf)
		return;
	n = dhcp_wire_build_reply(req, lease, action, buf, max);
	if (n >= 0) {
		if ((size_t)n > max || n < DHCP_MIN_PACKET)
			abort();
		/* Our reply, read back as if it were a request, must parse. */
		buf[0] = BOOTP_REQUEST;
		if (dhcp_wire_parse_request(buf, (size_t)n, &back) != 0)
			abort();
	}
	(void)dhcp_wire_reply_destination(req, lease, action);
	free(buf);
}

/* The prepared reply is byte for byte the freshly built one. */
static void prepared_one(const struct dhcp_request *req,
			 const struct dhcp_lease *lease,
			 enum dhcp_action action)
{
	static struct dhcp_reply_cache cache;
	static uint8_t payload[DHCP_MAX_PACKET];
	static uint8_t want[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET];
	static uint8_t got[sizeof(want)];
	struct dhcp_destination dst =
		dhcp_wire_reply_destination(req, lease, action);
	ssize_t n = dhcp_wire_build_reply(req, lease, action, payload,
					  sizeof(payload));
	ssize_t m;

	if (n >= 0)
		n = udp_frame_build(want, sizeof(want), lease->server_id,
				    dst.addr, DHCP_SERVER_PORT, dst.port,
				    payload, (size_t)n);
	m = dhcp_reply_frame(&cache, req, lease, action, &dst, got,
			     sizeof(got));
	if (m != n || (n > 0 && memcmp(got, want, (size_t)n) != 0))
		abort();
}

/*
 * The parse cache gives what the parse gives (its own parse_serial aside),
 * twice over, with the same serial the second time for a message it keeps
 * (a longer one is parsed afresh, numbered anew). Returns its parse, as
 * the responder uses it.
 */
static const struct dhcp_request *
parse_cache_one(const uint8_t *data, size_t size,
		const struct dhcp_request *fresh, int rc)
{
	static struct dhcp_parse_cache cache;
	static struct dhcp_request x;
	const struct dhcp_request *got = NULL;
	uint64_t serial = 0;

	for (int i = 0; i < 2; i++) {
		got = dhcp_parse_cached(&cache, data, size);
		if ((got != NULL) != (rc == 0))
			abort();
		if (!got)
			continue;
		memcpy(&x, got, offsetof(struct dhcp_request, params));
		x.parse_serial = fresh->parse_serial;
		if (memcmp(&x, fresh, offsetof(struct dhcp_request, params)) ||
		    memcmp(got->params, fresh->params, got->n_params) ||
		    memcmp(got->client_id, fresh->client_id,
			   got->client_id_len) ||
		    !got->parse_serial ||
		    (i && size <= DHCP_PARSE_CACHE_MSG &&
		     got->parse_serial != serial))
			abort();
		serial = got->parse_serial;
	}
	return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_lease lease;
	static int ready;
	const struct dhcp_request *cached;
	struct dhcp_request req;
	enum dhcp_action action;
	int rc;

	if (!ready) {
		fuzz_lease(&lease);
		ready = 1;
	}
	rc = dhcp_wire_parse_request(data, size, &req);
	cached = parse_cache_one(data, size, &req, rc);
	if (rc != 0 || !cached)
		return 0;
	action = dhcp_wire_decide(&req, &lease);
	/* As the responder does: the cached parse (its serial lets the
	 * prepared reply skip the shape compare). */
	if (action == DHCP_ACTION_OFFER || action == DHCP_ACTION_ACK ||
	    action == DHCP_ACTION_NAK || action == DHCP_ACTION_INFORM_ACK)
		prepared_one(cached, &lease, action);
	(void)dhcp_wire_action_name(action);
	build_one(&req, &lease, action);
	/* As our own client too, and with every action that has a reply. */
	memcpy(req.chaddr, lease.client_mac, MAC_LEN);
	(void)dhcp_wire_decide(&req, &lease);
	build_one(&req, &lease, DHCP_ACTION_OFFER);
	build_one(&req, &lease, DHCP_ACTION_ACK);
	build_one(&req, &lease, DHCP_ACTION_NAK);
	build_one(&req, &lease, DHCP_ACTION_INFORM_ACK);
	prepared_one(&req, &lease, DHCP_ACTION_OFFER);
	prepared_one(&req, &lease, DHCP_ACTION_ACK);
	prepared_one(&req, &lease, DHCP_ACTION_NAK);
	prepared_one(&req, &lease, DHCP_ACTION_INFORM_ACK);
	return 0;
}
