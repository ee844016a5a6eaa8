// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of what restore relies on: the order routes can be added in,
 * the comparison of a pod with its record, and the refused link kinds. */
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "link_kind.h"
#include "pod_diff.h"
#include "pod_nl.h"
#include "route_order.h"
#include "pod_build.h"
#include "test.h"

static struct pod_route route(const char *dst, int len, const char *gw)
{
	struct pod_route r = pod_build_route(dst, (uint8_t)len, gw);

	r.scope = inany_is_any(&r.gateway) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	return r;
}

/* Index of route @i in @order, or -1. */
static int position(const size_t *order, size_t n, size_t i)
{
	for (size_t k = 0; k < n; k++)
		if (order[k] == i)
			return (int)k;
	return -1;
}

/* Calico's routes as the kernel lists them: the default before the
 * scope-link route that makes its gateway reachable. */
static void gateway_after_its_link_route(void)
{
	struct pod_iface *o = calloc(1, sizeof(*o));
	size_t order[PODNET_MAX_POD_ROUTES];

	o->routes[o->n_routes++] = route("0.0.0.0", 0, "169.254.1.1");
	o->routes[o->n_routes++] = route("169.254.1.1", 32, "0.0.0.0");
	CHECK_EQ_INT(route_restore_order(o, AF_INET, order), 2);
	CHECK_EQ_INT(order[0], 1);
	CHECK_EQ_INT(order[1], 0);
	free(o);
}

/* ptp: default, subnet via gateway, gateway scope link (kernel order). */
static void ptp_order(void)
{
	struct pod_iface *o = calloc(1, sizeof(*o));
	size_t order[PODNET_MAX_POD_ROUTES];

	o->routes[o->n_routes++] = route("0.0.0.0", 0, "198.51.100.1");
	o->routes[o->n_routes++] = route("198.51.100.0", 24, "198.51.100.1");
	o->routes[o->n_routes++] = route("198.51.100.1", 32, "0.0.0.0");
	CHECK_EQ_INT(route_restore_order(o, AF_INET, order), 3);
	CHECK(position(order, 3, 2) < position(order, 3, 0));
	CHECK(position(order, 3, 2) < position(order, 3, 1));
	free(o);
}

/* A gateway reachable only in another table does not count; the onlink
 * flag needs nothing; an unreachable one is still listed, last. */
static void unreachable_and_onlink(void)
{
	struct pod_iface *o = calloc(1, sizeof(*o));
	size_t order[PODNET_MAX_POD_ROUTES];

	o->routes[o->n_routes++] = route("169.254.9.0", 24, "169.254.2.1");
	o->routes[o->n_routes++] = route("169.254.2.0", 24, "0.0.0.0");
	o->routes[1].table = 100;
	o->routes[o->n_routes++] = route("0.0.0.0", 0, "169.254.3.1");
	o->routes[2].nh_flags = RTNH_F_ONLINK;
	CHECK_EQ_INT(route_restore_order(o, AF_INET, order), 3);
	CHECK_EQ_INT(order[0], 1);
	CHECK_EQ_INT(order[1], 2);
	CHECK_EQ_INT(order[2], 0);
	free(o);
}

static void diff_names_what_differs(void)
{
	struct pod_iface *a = calloc(1, sizeof(*a)), *b;
	char what[200];

	a->mtu = 1400;
	(void)pod_build_addr(a, "198.51.100.10", 24);
	a->addrs[0].valid_lft = POD_LIFETIME_FOREVER;
	a->routes[a->n_routes++] = route("198.51.100.0", 24, "198.51.100.1");
	a->n_neighs = 1;
	a->neighs[0].family = AF_INET;
	inany_pton(AF_INET, "169.254.1.1", &a->neighs[0].dst);
	b = calloc(1, sizeof(*b));
	*b = *a;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 0);
	/* The kernel's prefix route where ptp had `SUBNET via GW`. */
	b->routes[0] = route("198.51.100.0", 24, "0.0.0.0");
	b->routes[0].protocol = RTPROT_KERNEL;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "route 198.51.100.0/24 via 198.51.100.1 table 254 "
			   "proto 0 scope 0 missing");
	b->routes[0] = a->routes[0];
	/* A route MTU lost is a difference too. */
	b->routes[0].metric_mask = 1u << RTAX_MTU;
	b->routes[0].metrics[RTAX_MTU] = 1350;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	b->routes[0] = a->routes[0];
	b->n_neighs = 0;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "permanent neighbour 169.254.1.1 missing");
	b->n_neighs = 1;
	b->addrs[0].valid_lft = 100;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "address 198.51.100.10/24 missing");
	b->addrs[0].valid_lft = POD_LIFETIME_FOREVER;
	/* As for IPv6: the preferred lifetime and the neighbour's NTF_*
	 * flags are restored, so they are compared. */
	b->addrs[0].preferred_lft = a->addrs[0].preferred_lft + 1;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 0);
	b->addrs[0].preferred_lft = POD_LIFETIME_FOREVER;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "address 198.51.100.10/24 missing");
	b->addrs[0].preferred_lft = a->addrs[0].preferred_lft;
	b->neighs[0].flags = NTF_PROXY;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "permanent neighbour 169.254.1.1 missing");
	b->neighs[0].flags = 0;
	b->mtu = 1500;
	CHECK_EQ_INT(pod_iface_diff(a, b, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "MTU 1500, recorded 1400");
	free(a);
	free(b);
}

static struct pod_route route6(const char *dst, int len, const char *gw)
{
	struct pod_route r = pod_build_route(dst, (uint8_t)len, gw);

	r.priority = 1024;
	return r;
}

/* Cilium's IPv6: `default via ROUTER` listed before `ROUTER/128 dev eth0`;
 * a /128 address has no prefix route to reach it. Calico's link-local
 * gateway needs nothing; a gateway nothing reaches goes last. */
static void ipv6_order(void)
{
	struct pod_iface *o = calloc(1, sizeof(*o));
	size_t order[PODNET_MAX_POD_ROUTES];

	(void)pod_build_addr(o, "2001:db8:2::10", 128);
	o->routes[o->n_routes++] = route6("::", 0, "2001:db8:2::1");
	o->routes[o->n_routes++] = route6("2001:db8:9::", 48, "2001:db8:7::1");
	o->routes[o->n_routes++] = route6("2001:db8:2::1", 128, "::");
	o->routes[o->n_routes++] =
		route6("2001:db8:5::", 64, "fe80::ecee:eeff:feee:eeee");
	CHECK_EQ_INT(route_restore_order(o, AF_INET6, order), 4);
	CHECK(position(order, 4, 2) < position(order, 4, 0));
	CHECK(position(order, 4, 3) < position(order, 4, 1));
	CHECK_EQ_INT(order[3], 1);
	free(o);
}

/* A /64 address brings its prefix route: a gateway in it is reachable
 * even when the record lacks the kernel's prefix route. */
static void ipv6_gateway_in_address_prefix(void)
{
	struct pod_iface *o = calloc(1, sizeof(*o));
	size_t order[PODNET_MAX_POD_ROUTES];

	(void)pod_build_addr(o, "2001:db8:1::10", 64);
	o->routes[o->n_routes++] = route6("2001:db8:9::", 48, "2001:db8:3::1");
	o->routes[o->n_routes++] = route6("::", 0, "2001:db8:1::1");
	CHECK_EQ_INT(route_restore_order(o, AF_INET6, order), 2);
	CHECK_EQ_INT(order[0], 1);
	CHECK_EQ_INT(order[1], 0);
	/* With noprefixroute the address brings none. */
	o->addrs[0].flags = IFA_F_NOPREFIXROUTE;
	CHECK_EQ_INT(route_restore_order(o, AF_INET6, order), 2);
	CHECK_EQ_INT(order[0], 0);
	free(o);
	CHECK(route_covers(&(struct pod_route){.family = AF_INET6},
			   &(union inany){.a6 = IN6ADDR_ANY_INIT}));
}

/* What comes back by itself after disable_ipv6 0->1->0 (measured). */
static void ipv6_kernel_routes(void)
{
	struct pod_route r = route6("fe80::", 64, "::");

	r.protocol = RTPROT_KERNEL;
	CHECK(route6_kernel_own(&r));
	r.table = RT_TABLE_LOCAL;
	r = route6("ff00::", 8, "::");
	r.table = RT_TABLE_LOCAL;
	r.protocol = RTPROT_KERNEL;
	CHECK(route6_kernel_own(&r));
	/* An address's prefix route is recorded (a CNI may change it). */
	r = route6("2001:db8:1::", 64, "::");
	r.protocol = RTPROT_KERNEL;
	CHECK(!route6_kernel_own(&r));
	r = route6("fe80::", 64, "::");
	r.protocol = RTPROT_BOOT;
	CHECK(!route6_kernel_own(&r));
}

static void ipv6_diff(void)
{
	struct pod_iface *want = calloc(1, sizeof(*want));
	struct pod_iface *now = calloc(1, sizeof(*now));
	struct pod_addr *a;
	char what[200];

	want->v6.sysctl6 = (struct pod_sysctl6){0, 1, 1, 0};
	a = pod_build_addr(want, "2001:db8:1::10", 64);
	a->flags = IFA_F_PERMANENT;
	a->valid_lft = POD_LIFETIME_FOREVER;
	a->preferred_lft = POD_LIFETIME_FOREVER;
	want->routes[want->n_routes++] = route6("::", 0, "2001:db8:1::1");
	*now = *want;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 0);
	/* Tentative is DAD under way, not a difference. */
	now->addrs[0].flags |= IFA_F_TENTATIVE;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 0);
	now->addrs[0].flags |= IFA_F_NODAD;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "address 2001:db8:1::10/64 missing");
	now->addrs[0] = want->addrs[0];
	now->routes[0].pref = 1;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 1);
	CHECK_EQ_STR(
		what,
		"route ::/0 via 2001:db8:1::1 table 254 proto 0 metric 1024 "
		"missing");
	now->routes[0] = want->routes[0];
	now->v6.sysctl6.disable_ipv6 = 1;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "IPv6 disable_ipv6 1, recorded 0");
	/* A sysctl the record does not know is not compared. */
	want->v6.sysctl6.disable_ipv6 = POD_SYSCTL6_UNKNOWN;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 0);
	now->n_neighs = 1;
	now->neighs[0].family = AF_INET6;
	inany_pton(AF_INET6, "2001:db8:1::1", &now->neighs[0].dst);
	now->neighs[0].state = 0x80;
	CHECK_EQ_INT(pod_iface_diff(want, now, what, sizeof(what)), 1);
	CHECK_EQ_STR(what, "permanent neighbour 2001:db8:1::1 not recorded");
	free(want);
	free(now);
}

static void link_kinds(void)
{
	const char *why;

	CHECK(link_kind_refusal("veth", 0) == NULL);
	CHECK(link_kind_refusal(NULL, 0) == NULL);
	CHECK(link_kind_refusal("macvlan", MACVLAN_MODE_PASSTHRU) == NULL);
	why = link_kind_refusal("macvlan", MACVLAN_MODE_BRIDGE);
	CHECK(why && strstr(why, "is a macvlan in 'bridge' mode") == why);
	why = link_kind_refusal("macvlan", MACVLAN_MODE_VEPA);
	CHECK(why && strstr(why, "'vepa'"));
	why = link_kind_refusal("ipvlan", 0);
	CHECK(why && strstr(why, "is an ipvlan") == why);
	CHECK(link_kind_refusal("bridge", 0) != NULL);
	/* One line: libvirt shows it as it is. */
	CHECK(strchr(link_kind_refusal("ipvlan", 0), '\n') == NULL);
}

int main(void)
{
	RUN(gateway_after_its_link_route);
	RUN(ptp_order);
	RUN(unreachable_and_onlink);
	RUN(diff_names_what_differs);
	RUN(ipv6_order);
	RUN(ipv6_gateway_in_address_prefix);
	RUN(ipv6_kernel_routes);
	RUN(ipv6_diff);
	RUN(link_kinds);
	return TEST_SUMMARY();
}
