// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of lease6_from_record(): the subnet and Calico shapes. */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lease6.h"
#include "state.h"
#include "util.h"
#include "pod_build.h"
#include "test.h"

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t br_mac[MAC_LEN] = {0x5a, 0x30, 0x4d, 0xd3, 0x6a, 0x41};

static void a6(const char *s, void *ret)
{
	(void)inet_pton(AF_INET6, s, ret);
}

static void route(struct pod_iface *o, uint32_t table, const char *dst,
		  uint8_t len, const char *gw)
{
	struct pod_route *r = &o->routes[o->n_routes++];

	*r = pod_build_route(dst, len, gw);
	r->table = table;
}

static struct state_record *base(void)
{
	struct state_record *rec = calloc(1, sizeof(*rec));
	struct state_iface *s = &rec->ifaces[0];

	rec->n_ifaces = 1;
	strcpy(rec->hostname, "vm1");
	rec->dns.n_nameservers6 = 1;
	a6("2001:db8:53::1", &rec->dns.nameservers6[0]);
	rec->dns.n_search = 1;
	strcpy(rec->dns.search[0], "pod.example.test");
	memcpy(s->vm_mac, vm_mac, MAC_LEN);
	memcpy(s->bridge_mac, br_mac, MAC_LEN);
	s->orig.mtu = 1400;
	return rec;
}

static void subnet_shape(void)
{
	struct state_record *rec = base();
	struct pod_iface *o = &rec->ifaces[0].orig;
	struct lease6 l;
	struct in6_addr x;

	(void)pod_build_addr(o, "2001:db8:1::10", 64);
	route(o, RT_TABLE_MAIN, "fe80::", 64, "::");
	route(o, RT_TABLE_MAIN, "2001:db8:1::", 64, "::");
	route(o, RT_TABLE_MAIN, "::", 0, "2001:db8:1::1");
	route(o, RT_TABLE_MAIN, "2001:db8:77::", 48, "2001:db8:1::1");
	route(o, RT_TABLE_MAIN, "2001:db8:88::", 48, "2001:db8:1::2");
	route(o, 100, "2001:db8:99::", 48, "2001:db8:1::1");
	o->routes[2].metric_mask = 1u << RTAX_MTU;
	o->routes[2].metrics[RTAX_MTU] = 1300;
	a6("fe80::1", &o->v6.router_ll);
	CHECK_EQ_INT(lease6_from_record(rec, 0, &l), 0);
	CHECK_EQ_INT(l.n_addrs, 1);
	CHECK_EQ_INT(l.router_lifetime, LEASE6_ROUTER_LIFETIME);
	CHECK(!l.has_router_mac);
	CHECK_EQ_INT(l.n_prefixes, 1);
	CHECK_EQ_INT(l.prefixes[0].len, 64);
	CHECK_EQ_INT(l.n_routes, 1); /* via the default gateway */
	CHECK_EQ_INT(l.routes[0].len, 48);
	CHECK_EQ_INT(l.n_skipped_routes, 1); /* via another gateway */
	CHECK_EQ_INT(l.mtu, 1300);
	CHECK_EQ_INT(l.n_dns, 1);
	CHECK_EQ_STR(l.search[0], "pod.example.test");
	CHECK_EQ_STR(l.hostname, "vm1");
	CHECK(memcmp(l.duid, "\x00\x03\x00\x01", 4) == 0 &&
	      memcmp(l.duid + 4, br_mac, MAC_LEN) == 0);
	a6("2001:db8:1::99", &x);
	CHECK(lease6_on_link(&l, &x));
	CHECK(!lease6_has_addr(&l, &x));
	a6("2001:db8:2::1", &x);
	CHECK(!lease6_on_link(&l, &x));
	CHECK_EQ_INT(lease6_from_record(rec, 1, &l), -EINVAL);
	rec->ifaces[0].dhcp.no_dhcp = true;
	CHECK_EQ_INT(lease6_from_record(rec, 0, &l), -EINVAL);
	free(rec);
}

static void calico_shape(void)
{
	static const uint8_t ee[MAC_LEN] = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
	struct state_record *rec = base();
	struct pod_iface *o = &rec->ifaces[0].orig;
	struct lease6 l;

	(void)pod_build_addr(o, "2001:db8:2::10", 128);
	route(o, RT_TABLE_MAIN, "2001:db8:2::10", 128, "::");
	route(o, RT_TABLE_MAIN, "::", 0, "fe80::ecee:eeff:feee:eeee");
	a6("fe80::ecee:eeff:feee:eeee", &o->v6.router_ll);
	memcpy(o->v6.router_mac, ee, MAC_LEN);
	CHECK_EQ_INT(lease6_from_record(rec, 0, &l), 0);
	CHECK(l.has_router_mac && memcmp(l.router_mac, ee, MAC_LEN) == 0);
	CHECK_EQ_INT(l.router_lifetime, LEASE6_ROUTER_LIFETIME);
	/* The /128 pod's own prefix route: no on-link prefix at all. */
	CHECK_EQ_INT(l.n_prefixes, 0);
	CHECK_EQ_INT(l.n_skipped_routes, 0);
	CHECK_EQ_INT(l.mtu, 1400);

	/* No default route: no router, lifetime 0. */
	o->n_routes = 1;
	CHECK_EQ_INT(lease6_from_record(rec, 0, &l), 0);
	CHECK_EQ_INT(l.router_lifetime, 0);
	CHECK(IN6_IS_ADDR_UNSPECIFIED(&l.router_ll));
	/* No address: no IPv6 lease. */
	o->n_addrs = 0;
	CHECK_EQ_INT(lease6_from_record(rec, 0, &l), -EINVAL);
	free(rec);
}

int main(void)
{
	RUN(subnet_shape);
	RUN(calico_shape);
	return TEST_SUMMARY();
}
