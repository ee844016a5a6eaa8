// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the lease derived from pod facts: subnet and Calico pods. */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>

#include "lease.h"
#include "test.h"

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static void add_route(struct pod_iface *o, const char *dst, int len,
		      const char *gw, int proto)
{
	struct pod_route *r = &o->routes[o->n_routes++];

	r->table = RT_TABLE_MAIN;
	r->dst = ip(dst);
	r->dst_len = (uint8_t)len;
	r->gateway = ip(gw);
	r->protocol = (uint8_t)proto;
	r->type = RTN_UNICAST;
}

static struct state_record *pod(const char *addr, int plen)
{
	struct state_record *r = calloc(1, sizeof(*r));
	struct state_iface *s = &r->ifaces[0];

	r->n_ifaces = 1;
	snprintf(r->hostname, sizeof(r->hostname), "vm1");
	s->orig.mtu = 1400;
	s->orig.n_addrs = 1;
	s->orig.addrs[0].local = ip(addr);
	s->orig.addrs[0].prefix_len = (uint8_t)plen;
	memcpy(s->vm_mac, "\x52\x54\x00\x12\x34\x56", 6);
	r->dns.n_servers = 2;
	r->dns.servers[0] = ip("198.51.100.53");
	r->dns.servers[1] = ip("198.51.100.54");
	r->dns.n_search = 2;
	snprintf(r->dns.search[0], PODNET_NAME_MAX + 1, "pod.example.test");
	snprintf(r->dns.search[1], PODNET_NAME_MAX + 1, "example.test");
	return r;
}

static void subnet_pod(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct dhcp_lease l;

	add_route(&r->ifaces[0].orig, "198.51.100.0", 24, "0.0.0.0",
		  RTPROT_KERNEL);
	add_route(&r->ifaces[0].orig, "0.0.0.0", 0, "198.51.100.1",
		  RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.client_addr.s_addr, ip("198.51.100.10").s_addr);
	CHECK_EQ_INT(l.prefix_len, 24);
	CHECK_EQ_INT(l.router.s_addr, ip("198.51.100.1").s_addr);
	CHECK_EQ_INT(l.server_id.s_addr, ip("198.51.100.1").s_addr);
	/* The kernel's subnet route is implied by the mask; default last. */
	CHECK_EQ_INT(l.n_routes, 1);
	CHECK_EQ_INT(l.routes[0].prefix_len, 0);
	CHECK_EQ_INT(l.routes[0].gateway.s_addr, ip("198.51.100.1").s_addr);
	CHECK_EQ_INT(l.mtu, 1400);
	CHECK_EQ_INT(l.n_dns, 2);
	CHECK_EQ_STR(l.domain_name, "pod.example.test");
	CHECK_EQ_STR(l.hostname, "vm1");
	CHECK(memcmp(l.client_mac, "\x52\x54\x00\x12\x34\x56", 6) == 0);
	CHECK(l.lease_seconds == DHCP_LEASE_INFINITE);
	free(r);
}

static void calico_pod(void)
{
	struct state_record *r = pod("198.51.100.10", 32);
	struct dhcp_lease l;

	add_route(&r->ifaces[0].orig, "0.0.0.0", 0, "169.254.1.1", RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	/* RFC 3442: the off-link gateway gets a /32 on-link route first. */
	CHECK_EQ_INT(l.n_routes, 2);
	CHECK_EQ_INT(l.routes[0].dst.s_addr, ip("169.254.1.1").s_addr);
	CHECK_EQ_INT(l.routes[0].prefix_len, 32);
	CHECK_EQ_INT(l.routes[0].gateway.s_addr, 0);
	CHECK_EQ_INT(l.routes[1].dst.s_addr, 0);
	CHECK_EQ_INT(l.routes[1].prefix_len, 0);
	CHECK_EQ_INT(l.routes[1].gateway.s_addr, ip("169.254.1.1").s_addr);
	CHECK_EQ_INT(l.router.s_addr, ip("169.254.1.1").s_addr);
	free(r);
}

static void extra_routes_kept_in_order(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct dhcp_lease l;

	add_route(&r->ifaces[0].orig, "169.254.20.0", 24, "198.51.100.2",
		  RTPROT_BOOT);
	add_route(&r->ifaces[0].orig, "0.0.0.0", 0, "198.51.100.1",
		  RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.n_routes, 2);
	CHECK_EQ_INT(l.routes[0].dst.s_addr, ip("169.254.20.0").s_addr);
	CHECK_EQ_INT(l.routes[0].gateway.s_addr, ip("198.51.100.2").s_addr);
	CHECK_EQ_INT(l.routes[1].prefix_len, 0);
	free(r);
}

static void no_gateway_uses_fallback_server_id(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct dhcp_lease l;

	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.router.s_addr, 0);
	CHECK_EQ_INT(l.n_routes, 0);
	CHECK_EQ_INT(l.server_id.s_addr, ip(LEASE_FALLBACK_SERVER_ID).s_addr);
	free(r);
}

static void no_address_is_refused(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct dhcp_lease l;

	r->ifaces[0].orig.n_addrs = 0;
	CHECK(lease_from_record(r, 0, &l) < 0);
	CHECK(lease_from_record(r, 1, &l) < 0);
	free(r);
}

int main(void)
{
	RUN(subnet_pod);
	RUN(calico_pod);
	RUN(extra_routes_kept_in_order);
	RUN(no_gateway_uses_fallback_server_id);
	RUN(no_address_is_refused);
	return TEST_SUMMARY();
}
