// SPDX-License-Identifier: GPL-2.0-or-later
/* Prepared replies (dhcp_prepared.c): byte for byte the frame a fresh build
 * gives, for every request shape, and rebuilt only when the shape changes. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dhcp_prepared.h"
#include "dhcp_wire.h"
#include "test.h"
#include "udp_frame.h"

#define IP4(a, b, c, d)                                                        \
	{                                                                      \
		.s_addr = htonl((uint32_t)(a) << 24 | (uint32_t)(b) << 16 |    \
				(uint32_t)(c) << 8 | (uint32_t)(d))            \
	}

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static void lease_plain(struct dhcp_lease *l)
{
	memset(l, 0, sizeof(*l));
	memcpy(l->client_mac, vm_mac, MAC_LEN);
	l->client_addr = (struct in_addr)IP4(198, 51, 100, 10);
	l->prefix_len = 24;
	l->server_id = (struct in_addr)IP4(198, 51, 100, 1);
	l->router = l->server_id;
	l->n_dns = 1;
	l->dns[0] = (struct in_addr)IP4(198, 51, 100, 53);
	l->mtu = 1450;
	l->lease_seconds = DHCP_LEASE_INFINITE;
	dhcp_extras_init(&l->extra);
}

/* Every option, a finite lease, tag options, routes and a search list long
 * enough to be split (RFC 3396) and left out under small limits. */
static void lease_big(struct dhcp_lease *l)
{
	lease_plain(l);
	l->lease_seconds = 3600;
	(void)snprintf(l->hostname, sizeof(l->hostname), "vm1");
	(void)snprintf(l->domain_name, sizeof(l->domain_name), "ns1.svc.test");
	l->n_search = 6;
	for (size_t i = 0; i < l->n_search; i++) {
		char *s = l->search[i];

		memset(s, 'a' + (int)i, 61);
		s[61] = '.';
		memset(s + 62, 'k' + (int)i, 40);
		s[102] = '\0';
	}
	l->n_routes = 20;
	for (size_t i = 0; i < l->n_routes; i++)
		l->routes[i] =
			(struct dhcp_route){.dst = IP4(10, i, 0, 0),
					    .prefix_len = (uint8_t)(8 + i),
					    .gateway = IP4(198, 51, 100, 1)};
	l->extra.n_ntp = 2;
	l->extra.ntp[0] = (struct in_addr)IP4(198, 51, 100, 123);
	l->extra.ntp[1] = (struct in_addr)IP4(198, 51, 100, 124);
	l->extra.siaddr = (struct in_addr)IP4(198, 51, 100, 5);
	(void)dhcp_extras_add(&l->extra, 66, "198.51.100.5", 12);
	(void)dhcp_extras_add(&l->extra, 67, "pxelinux.0", 10);
	(void)dhcp_extras_add(&l->extra, 224, "\x01\xff", 2);
}

/* Calico's shape: no prefix, an on-link /32 to the gateway, then default. */
static void lease_calico(struct dhcp_lease *l)
{
	lease_plain(l);
	l->prefix_len = 32;
	l->server_id = (struct in_addr)IP4(169, 254, 1, 1);
	l->router = l->server_id;
	l->n_routes = 2;
	l->routes[0] = (struct dhcp_route){.dst = IP4(169, 254, 1, 1),
					   .prefix_len = 32};
	l->routes[1] = (struct dhcp_route){.gateway = IP4(169, 254, 1, 1)};
}

static const uint8_t prl_none[] = {0};
static const uint8_t prl_udhcpc[] = {1, 3, 6, 12, 15, 28, 42};
static const uint8_t prl_bench[] = {1, 3, 6, 12, 15, 26, 28, 42, 119, 121};
static const uint8_t prl_reversed[] = {121, 119, 42, 28, 26, 15, 12, 6, 3, 1};
static const uint8_t prl_odd[] = {81, 61, 56, 55, 54, 53, 121, 121, 0, 255};
static const uint8_t prl_tag[] = {224, 67, 66, 58, 59, 51};

struct shape {
	const uint8_t *prl;
	size_t n_prl;
	uint16_t max;
};

#define SHAPE(p, m)                                                            \
	{                                                                      \
		p, sizeof(p), m                                                \
	}
static const struct shape shapes[] = {
	{prl_none, 0, 0},	  SHAPE(prl_udhcpc, 0),
	SHAPE(prl_udhcpc, 576),	  SHAPE(prl_bench, 576),
	SHAPE(prl_bench, 1500),	  SHAPE(prl_reversed, 0),
	SHAPE(prl_reversed, 600), SHAPE(prl_odd, 9000),
	SHAPE(prl_tag, 1000),	  SHAPE(prl_tag, 700),
	{prl_bench, 3, 576},	  {prl_bench, 9, 576},
	{prl_reversed, 1, 65535},
};

static const uint8_t msg_types[] = {DHCP_MSG_DISCOVER, DHCP_MSG_REQUEST,
				    DHCP_MSG_INFORM};

/* One request: its shape, and the per-request fields from @seed. */
static void make_request(struct dhcp_request *r, const struct shape *s,
			 uint8_t type, unsigned int seed,
			 const struct dhcp_lease *l)
{
	static const uint8_t cid[200] = {1, 0x52, 0x54, 0, 0x12, 0x34, 0x56};

	memset(r, 0, sizeof(*r));
	r->msg_type = type;
	r->xid = htonl(0x9e3779b9u * (seed + 1));
	memcpy(r->chaddr, vm_mac, MAC_LEN);
	r->chaddr[5] = (uint8_t)(seed >> 3);
	r->flags = (seed & 1) ? BOOTP_FLAG_BROADCAST : 0;
	r->max_msg_size = s->max;
	r->n_params = (uint8_t)s->n_prl;
	memcpy(r->params, s->prl, s->n_prl);
	if (seed & 2) {
		r->client_id_len = (seed & 16) ? sizeof(cid) : 7;
		memcpy(r->client_id, cid, r->client_id_len);
	}
	if (seed & 4) {
		r->has_fqdn = true;
		r->fqdn_flags = (seed & 8) ? DHCP_FQDN_FLAG_E | 1 : 1;
	}
	/* RENEWING (ciaddr), INIT-REBOOT and SELECTING, a stale address. */
	switch (seed % 5) {
	case 1:
		r->ciaddr = l->client_addr;
		break;
	case 2:
		r->has_requested_addr = true;
		r->requested_addr = l->client_addr;
		break;
	case 3:
		r->has_server_id = true;
		r->server_id = l->server_id;
		r->has_requested_addr = true;
		r->requested_addr = l->client_addr;
		break;
	case 4:
		r->ciaddr = (struct in_addr)IP4(198, 51, 100, 99);
		break;
	default:
		break;
	}
	if (seed % 7 == 6)
		r->giaddr = (struct in_addr)IP4(198, 51, 100, 200);
}

/* What reply() built before replies were prepared. */
static ssize_t fresh_frame(const struct dhcp_request *req,
			   const struct dhcp_lease *l, enum dhcp_action a,
			   const struct dhcp_destination *dst, uint8_t *out,
			   size_t cap)
{
	uint8_t payload[DHCP_MAX_PACKET];
	ssize_t n = dhcp_wire_build_reply(req, l, a, payload, sizeof(payload));

	if (n < 0)
		return n;
	return udp_frame_build(out, cap, l->server_id, dst->addr,
			       DHCP_SERVER_PORT, dst->port, payload, (size_t)n);
}

/* Compares one request's prepared frame with a fresh one; counts them. */
static void compare(struct dhcp_reply_cache *c, const struct dhcp_request *r,
		    const struct dhcp_lease *l, enum dhcp_action a,
		    unsigned int *n_compared)
{
	uint8_t want[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET];
	uint8_t got[sizeof(want)];
	struct dhcp_destination dst = dhcp_wire_reply_destination(r, l, a);
	ssize_t nw = fresh_frame(r, l, a, &dst, want, sizeof(want));
	ssize_t ng = dhcp_reply_frame(c, r, l, a, &dst, got, sizeof(got));

	CHECK_EQ_INT(ng, nw);
	if (ng == nw && nw > 0 && memcmp(got, want, (size_t)nw) != 0) {
		size_t at = 0;

		while (got[at] == want[at])
			at++;
		fprintf(stderr,
			"  differs at byte %zu: action %s, %u params, max %u\n",
			at, dhcp_wire_action_name(a), r->n_params,
			r->max_msg_size);
		CHECK(memcmp(got, want, (size_t)nw) == 0);
	}
	(*n_compared)++;
}

/* Every lease x shape x message type x per-request fields, twice over (the
 * second pass in another order, so that each kind is rebuilt). */
static void prepared_equals_fresh(void)
{
	void (*leases[])(struct dhcp_lease *) = {lease_plain, lease_big,
						 lease_calico};
	static struct dhcp_reply_cache cache;
	static struct dhcp_lease lease;
	unsigned int compared = 0;

	for (size_t li = 0; li < ARRAY_SIZE(leases); li++) {
		leases[li](&lease);
		memset(&cache, 0, sizeof(cache));
		for (unsigned int pass = 0; pass < 2; pass++) {
			for (size_t k = 0; k < ARRAY_SIZE(shapes); k++) {
				size_t si =
					pass ? ARRAY_SIZE(shapes) - 1 - k : k;

				for (unsigned int seed = 0; seed < 40; seed++) {
					struct dhcp_request r;
					enum dhcp_action a;

					make_request(&r, &shapes[si],
						     msg_types[seed % 3], seed,
						     &lease);
					a = dhcp_wire_decide(&r, &lease);
					if (a == DHCP_ACTION_IGNORE)
						a = DHCP_ACTION_NAK;
					compare(&cache, &r, &lease, a,
						&compared);
					/* Every kind for every shape too. */
					compare(&cache, &r, &lease,
						DHCP_ACTION_OFFER, &compared);
					compare(&cache, &r, &lease,
						DHCP_ACTION_ACK, &compared);
					compare(&cache, &r, &lease,
						DHCP_ACTION_NAK, &compared);
					compare(&cache, &r, &lease,
						DHCP_ACTION_INFORM_ACK,
						&compared);
				}
			}
		}
	}
	CHECK(compared > 10000);
}

/* The same shape is encoded once; a new PRL or size encodes again. */
static void prepared_built_once(void)
{
	static struct dhcp_reply_cache cache;
	static struct dhcp_lease lease;
	uint8_t out[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET];
	struct dhcp_request r;
	struct dhcp_destination dst;

	lease_big(&lease);
	memset(&cache, 0, sizeof(cache));
	for (unsigned int i = 0; i < 50; i++) {
		make_request(&r, &shapes[3], DHCP_MSG_DISCOVER, i * 32, &lease);
		r.flags = (uint16_t)(i & 1 ? BOOTP_FLAG_BROADCAST : 0);
		dst = dhcp_wire_reply_destination(&r, &lease,
						  DHCP_ACTION_OFFER);
		CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_OFFER,
				       &dst, out, sizeof(out)) > 0);
		CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_ACK,
				       &dst, out, sizeof(out)) > 0);
	}
	CHECK_EQ_INT(cache.builds, 2);
	r.params[0] = 121; /* another order */
	CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_OFFER, &dst, out,
			       sizeof(out)) > 0);
	CHECK_EQ_INT(cache.builds, 3);
	r.max_msg_size = 1400;
	CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_OFFER, &dst, out,
			       sizeof(out)) > 0);
	CHECK_EQ_INT(cache.builds, 4);
	r.client_id_len = 3;
	CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_OFFER, &dst, out,
			       sizeof(out)) > 0);
	CHECK_EQ_INT(cache.builds, 5);
	r.has_fqdn = !r.has_fqdn;
	CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_OFFER, &dst, out,
			       sizeof(out)) > 0);
	CHECK_EQ_INT(cache.builds, 6);
	dhcp_reply_cache_reset(&cache);
	CHECK(dhcp_reply_frame(&cache, &r, &lease, DHCP_ACTION_OFFER, &dst, out,
			       sizeof(out)) > 0);
	CHECK_EQ_INT(cache.builds, 7);
}

/* The frame of action A for R into a buffer of CAP bytes (at most a full
 * one), to the client port. */
static ssize_t frame_to(struct dhcp_reply_cache *c,
			const struct dhcp_request *r,
			const struct dhcp_lease *l, enum dhcp_action a,
			size_t cap)
{
	static uint8_t out[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET];
	const struct dhcp_destination dst = {.port = DHCP_CLIENT_PORT};

	return dhcp_reply_frame(c, r, l, a, &dst, out,
				cap < sizeof(out) ? cap : sizeof(out));
}

/* Errors are the builder's, for actions without a reply and bad leases. */
static void prepared_errors(void)
{
	static struct dhcp_reply_cache cache;
	static struct dhcp_lease lease;
	const size_t full = UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET;
	struct dhcp_request r;

	lease_plain(&lease);
	memset(&cache, 0, sizeof(cache));
	make_request(&r, &shapes[1], DHCP_MSG_DISCOVER, 0, &lease);
	CHECK_EQ_INT(frame_to(&cache, &r, &lease, DHCP_ACTION_IGNORE, full),
		     -EINVAL);
	CHECK_EQ_INT(frame_to(&cache, &r, &lease, DHCP_ACTION_DECLINED, full),
		     -EINVAL);
	CHECK_EQ_INT(frame_to(&cache, &r, &lease, DHCP_ACTION_OFFER, 100),
		     -EMSGSIZE);
	lease.prefix_len = 33;
	dhcp_reply_cache_reset(&cache);
	CHECK_EQ_INT(frame_to(&cache, &r, &lease, DHCP_ACTION_OFFER, full),
		     -EINVAL);
	CHECK_EQ_INT(frame_to(&cache, &r, &lease, DHCP_ACTION_OFFER, full),
		     -EINVAL);
	/* The OFFER built for the first lease, then once for the bad one. */
	CHECK_EQ_INT(cache.builds, 2);
}

int main(void)
{
	RUN(prepared_equals_fresh);
	RUN(prepared_built_once);
	RUN(prepared_errors);
	return TEST_SUMMARY();
}
