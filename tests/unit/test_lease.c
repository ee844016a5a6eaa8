// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the lease derived from pod facts: subnet and Calico pods. */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease.h"
#include "pod_build.h"
#include "test.h"

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct pod_route *add_route(struct pod_iface *o, const char *dst,
				   int len, const char *gw, int proto)
{
	struct pod_route *r = &o->routes[o->n_routes++];

	*r = pod_build_route(dst, (uint8_t)len, gw);
	r->protocol = (uint8_t)proto;
	r->type = RTN_UNICAST;
	r->scope =
		strcmp(gw, "0.0.0.0") == 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	return r;
}

/* Option 121 as udhcpc prints it: "DST/LEN GW ...". */
static const char *routes_text(const struct dhcp_lease *l)
{
	static char buf[1024];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n_routes && used < sizeof(buf); i++) {
		char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &l->routes[i].dst, d, sizeof(d));
		inet_ntop(AF_INET, &l->routes[i].gateway, g, sizeof(g));
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "%s%s/%u %s", i ? " " : "", d,
					 l->routes[i].prefix_len, g);
	}
	return buf;
}

static struct state_record *pod(const char *addr, int plen)
{
	struct state_record *r = calloc(1, sizeof(*r));
	struct state_iface *s = &r->ifaces[0];

	r->n_ifaces = 1;
	dhcp_extras_init(&s->dhcp);
	snprintf(r->hostname, sizeof(r->hostname), "vm1");
	s->orig.mtu = 1400;
	(void)pod_build_addr(&s->orig, addr, (uint8_t)plen);
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

	add_route(&r->ifaces[0].orig, "198.51.100.0", 24, "0.0.0.0",
		  RTPROT_KERNEL);
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

/* kindnet's ptp plugin: a /24 address, no prefix route; the gateway by a
 * scope-link /32, the subnet and the default via the gateway. */
static void ptp_pod(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct pod_iface *o = &r->ifaces[0].orig;
	struct dhcp_lease l;

	/* In the order the kernel lists them (default first). */
	add_route(o, "0.0.0.0", 0, "198.51.100.1", RTPROT_BOOT);
	add_route(o, "198.51.100.0", 24, "198.51.100.1", RTPROT_BOOT);
	add_route(o, "198.51.100.1", 32, "0.0.0.0", RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	/* Not on-link for the guest: it must not ARP for its neighbours. */
	CHECK_EQ_INT(l.prefix_len, 32);
	CHECK_EQ_STR(routes_text(&l), "198.51.100.1/32 0.0.0.0 "
				      "198.51.100.0/24 198.51.100.1 "
				      "0.0.0.0/0 198.51.100.1");
	CHECK_EQ_INT(l.router.s_addr, ip("198.51.100.1").s_addr);
	free(r);
}

/* Calico as its CNI writes it: no onlink flag, a scope-link route. */
static void calico_real_pod(void)
{
	struct state_record *r = pod("198.51.100.10", 32);
	struct pod_iface *o = &r->ifaces[0].orig;
	struct dhcp_lease l;

	add_route(o, "0.0.0.0", 0, "169.254.1.1", RTPROT_BOOT);
	add_route(o, "169.254.1.1", 32, "0.0.0.0", RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.prefix_len, 32);
	CHECK_EQ_STR(routes_text(&l), "169.254.1.1/32 0.0.0.0 "
				      "0.0.0.0/0 169.254.1.1");
	free(r);
}

/* Cilium: the default route carries a smaller MTU than the link. */
static void cilium_pod_gets_the_path_mtu(void)
{
	struct state_record *r = pod("198.51.100.10", 32);
	struct pod_iface *o = &r->ifaces[0].orig;
	struct pod_route *def;
	struct dhcp_lease l;

	o->mtu = 1500;
	def = add_route(o, "0.0.0.0", 0, "198.51.100.1", RTPROT_BOOT);
	def->metric_mask = 1u << RTAX_MTU;
	def->metrics[RTAX_MTU] = 1350;
	add_route(o, "198.51.100.1", 32, "0.0.0.0", RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.mtu, 1350);
	CHECK_EQ_STR(routes_text(&l), "198.51.100.1/32 0.0.0.0 "
				      "0.0.0.0/0 198.51.100.1");
	/* A route MTU above the link's does not raise it; another table's
	 * routes are not the guest's. */
	def->metrics[RTAX_MTU] = 9000;
	CHECK_EQ_INT(lease_path_mtu(o), 1500);
	def->metrics[RTAX_MTU] = 1200;
	def->table = 100;
	CHECK_EQ_INT(lease_path_mtu(o), 1500);
	free(r);
}

/* A route in another table (policy routing) is not the guest's; a
 * subnet route with the kernel's prefix route keeps the mask. */
static void other_tables_left_out(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct pod_iface *o = &r->ifaces[0].orig;
	struct dhcp_lease l;

	add_route(o, "198.51.100.0", 24, "0.0.0.0", RTPROT_KERNEL);
	add_route(o, "169.254.30.0", 24, "198.51.100.3", RTPROT_BOOT)->table =
		100;
	add_route(o, "0.0.0.0", 0, "198.51.100.1", RTPROT_BOOT);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.prefix_len, 24);
	CHECK_EQ_STR(routes_text(&l), "0.0.0.0/0 198.51.100.1");
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

/* The tag's lease time and options reach the lease; dhcp off: no lease. */
static void tag_options_reach_the_lease(void)
{
	struct state_record *r = pod("198.51.100.10", 24);
	struct dhcp_extras *x = &r->ifaces[0].dhcp;
	struct dhcp_lease l;

	x->lease_seconds = 3600;
	x->n_ntp = 1;
	x->ntp[0] = ip("198.51.100.123");
	x->siaddr = ip("198.51.100.5");
	CHECK_EQ_INT(dhcp_extras_add(x, 67, "pxelinux.0", 10), 0);
	CHECK_EQ_INT(dhcp_extras_add(x, 67, "again", 5), -EEXIST);
	CHECK_EQ_INT(lease_from_record(r, 0, &l), 0);
	CHECK_EQ_INT(l.lease_seconds, 3600);
	CHECK_EQ_INT(l.extra.n_ntp, 1);
	CHECK_EQ_INT(l.extra.siaddr.s_addr, ip("198.51.100.5").s_addr);
	CHECK(dhcp_extras_find(&l.extra, 67) != NULL);
	x->no_dhcp = true;
	CHECK(lease_from_record(r, 0, &l) < 0);
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
	RUN(ptp_pod);
	RUN(calico_real_pod);
	RUN(cilium_pod_gets_the_path_mtu);
	RUN(other_tables_left_out);
	RUN(no_gateway_uses_fallback_server_id);
	RUN(tag_options_reach_the_lease);
	RUN(no_address_is_refused);
	return TEST_SUMMARY();
}
