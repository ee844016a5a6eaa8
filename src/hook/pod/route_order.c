// SPDX-License-Identifier: GPL-2.0-or-later
/* The order in which a pod's routes can be put back. Pure: no I/O. */
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "route_order.h"

/**
 * route_covers() - Whether @a lies in the destination of @r
 * @r:		a route
 * @a:		an address
 *
 * Return: true if it does
 */
bool route_covers(const struct pod_route *r, struct in_addr a)
{
	uint32_t m = r->dst_len ? htonl(~0u << (32 - r->dst_len)) : 0;

	return r->dst_len <= 32 && (a.s_addr & m) == (r->dst.s_addr & m);
}

/* The kernel accepts a gateway only where a scope-link route of the same
 * table reaches it, or with the onlink flag. */
static bool reachable4(const struct pod_iface *o, const bool placed[], size_t k)
{
	const struct pod_route *r = &o->routes[k];

	if (r->nh_flags & RTNH_F_ONLINK)
		return true;
	for (size_t i = 0; i < o->n_routes; i++) {
		const struct pod_route *l = &o->routes[i];

		if (placed[i] && l->gateway.s_addr == INADDR_ANY &&
		    l->table == r->table && l->type == RTN_UNICAST &&
		    route_covers(l, r->gateway))
			return true;
	}
	return false;
}

/*
 * Routes without a gateway first (they need only the addresses, which are
 * restored before any route), then each gateway route once a route placed
 * before it makes its gateway reachable, however the kernel listed them.
 * A route whose gateway nothing reaches goes last, in record order, so
 * that its failure is reported rather than hidden. The same for both
 * families; only what "reachable" means differs.
 */
static size_t place_routes(const struct pod_iface *o, size_t total,
			   bool (*on_link)(const struct pod_iface *, size_t),
			   bool (*reachable)(const struct pod_iface *,
					     const bool[], size_t),
			   bool placed[], size_t order[])
{
	size_t n = 0;
	bool progress = true;

	for (size_t i = 0; i < total; i++)
		if (on_link(o, i)) {
			placed[i] = true;
			order[n++] = i;
		}
	while (progress) {
		progress = false;
		for (size_t i = 0; i < total; i++)
			if (!placed[i] && reachable(o, placed, i)) {
				placed[i] = true;
				order[n++] = i;
				progress = true;
			}
	}
	for (size_t i = 0; i < total; i++)
		if (!placed[i])
			order[n++] = i;
	return n;
}

static bool on_link4(const struct pod_iface *o, size_t i)
{
	return o->routes[i].gateway.s_addr == INADDR_ANY;
}

/**
 * route_restore_order() - An order in which every route can be added
 * @o:		the recorded pod interface
 * @order:	indexes into @o->routes, filled
 *
 * See place_routes(): Calico's `169.254.1.1 dev eth0 scope link` goes
 * before `default via 169.254.1.1`.
 *
 * Return: the number of indexes written (always o->n_routes)
 */
size_t route_restore_order(const struct pod_iface *o,
			   size_t order[PODNET_MAX_ROUTES])
{
	bool placed[PODNET_MAX_ROUTES] = {false};
	size_t total = o->n_routes < PODNET_MAX_ROUTES ? o->n_routes
						       : PODNET_MAX_ROUTES;

	return place_routes(o, total, on_link4, reachable4, placed, order);
}

/**
 * route6_covers() - Whether @a lies in the destination of IPv6 route @r
 * @r:		a route
 * @a:		an address
 *
 * Return: true if it does
 */
bool route6_covers(const struct pod_route6 *r, const struct in6_addr *a)
{
	unsigned int whole = r->dst_len / 8u, rest = r->dst_len % 8u;

	if (r->dst_len > 128)
		return false;
	if (memcmp(a->s6_addr, r->dst.s6_addr, whole) != 0)
		return false;
	if (rest) {
		uint8_t m = (uint8_t)(0xffu << (8u - rest));

		if ((a->s6_addr[whole] & m) != (r->dst.s6_addr[whole] & m))
			return false;
	}
	return true;
}

/* The kernel takes an IPv6 gateway that is link-local, or that a route
 * without gateway through the link reaches (any table: it looks the
 * gateway up in the main table and the route's own), or with onlink. */
static bool reachable6(const struct pod_iface *o, const bool placed[], size_t k)
{
	const struct pod_route6 *r = &o->routes6[k];
	const struct pod_addr *a;

	if ((r->nh_flags & RTNH_F_ONLINK) || IN6_IS_ADDR_LINKLOCAL(&r->gateway))
		return true;
	for (size_t i = 0; i < o->n_routes6; i++) {
		const struct pod_route6 *l = &o->routes6[i];

		if (placed[i] && IN6_IS_ADDR_UNSPECIFIED(&l->gateway) &&
		    (l->table == r->table || l->table == RT_TABLE_MAIN) &&
		    l->type == RTN_UNICAST && route6_covers(l, &r->gateway))
			return true;
	}
	/* The prefix route of an address comes with the address, which is
	 * restored before any route. */
	pod_for_each (a, o->addrs, o->n_addrs, AF_INET6) {
		struct pod_route6 p = {.dst = a->local.a6,
				       .dst_len = a->prefix_len};

		if (!(a->flags & IFA_F_NOPREFIXROUTE) && a->prefix_len < 128 &&
		    route6_covers(&p, &r->gateway))
			return true;
	}
	return false;
}

static bool on_link6(const struct pod_iface *o, size_t i)
{
	return IN6_IS_ADDR_UNSPECIFIED(&o->routes6[i].gateway);
}

/**
 * route6_restore_order() - An order in which every IPv6 route can be added
 * @o:		the recorded pod interface
 * @order:	indexes into @o->routes6, filled
 *
 * See place_routes(): Cilium's `ROUTER/128 dev eth0` goes before
 * `default via ROUTER`; a link-local gateway (Calico's
 * fe80::ecee:eeff:feee:eeee) needs nothing.
 *
 * Return: the number of indexes written (always o->n_routes6)
 */
size_t route6_restore_order(const struct pod_iface *o,
			    size_t order[PODNET_MAX_ROUTES6])
{
	bool placed[PODNET_MAX_ROUTES6] = {false};
	size_t total = o->n_routes6 < PODNET_MAX_ROUTES6 ? o->n_routes6
							 : PODNET_MAX_ROUTES6;

	return place_routes(o, total, on_link6, reachable6, placed, order);
}
