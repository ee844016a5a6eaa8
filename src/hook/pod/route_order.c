// SPDX-License-Identifier: GPL-2.0-or-later
/* The order in which a pod's routes can be put back. Pure: no I/O. */
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "route_order.h"

/**
 * route_covers() - Whether @a lies in the destination of @r
 * @r:		a route
 * @a:		an address (of another family: it does not)
 *
 * Return: true if it does
 */
bool route_covers(const struct pod_route *r, const union inany *a)
{
	return r->dst_len <= (r->family == AF_INET ? 32 : 128) &&
	       inany_covers(&r->dst, r->dst_len, a);
}

/*
 * Whether the kernel takes @r's gateway now. IPv4: a scope-link route of
 * the same table reaches it, or the onlink flag. IPv6: also a link-local
 * gateway; a route of the main table reaches it too (the kernel looks the
 * gateway up there and in the route's own table), and so does the prefix
 * route of an address, which comes with the address (restored before any
 * route).
 */
static bool reachable(const struct pod_iface *o, const bool placed[],
		      const struct pod_route *r)
{
	bool v6 = r->family == AF_INET6;
	const struct pod_route *l;
	const struct pod_addr *a;

	if ((r->nh_flags & RTNH_F_ONLINK) ||
	    (v6 && IN6_IS_ADDR_LINKLOCAL(&r->gateway.a6)))
		return true;
	pod_for_each (l, o->routes, o->n_routes, r->family)
		if (placed[l - o->routes] && inany_is_any(&l->gateway) &&
		    (l->table == r->table ||
		     (v6 && l->table == RT_TABLE_MAIN)) &&
		    l->type == RTN_UNICAST && route_covers(l, &r->gateway))
			return true;
	if (!v6)
		return false;
	pod_for_each (a, o->addrs, o->n_addrs, AF_INET6)
		if (!(a->flags & IFA_F_NOPREFIXROUTE) && a->prefix_len < 128 &&
		    inany_covers(&a->local, a->prefix_len, &r->gateway))
			return true;
	return false;
}

/* The placing itself: see route_restore_order(). */
static size_t place_routes(const struct pod_iface *o, sa_family_t af,
			   size_t total, bool placed[], size_t order[])
{
	bool progress = true;
	size_t n = 0;

	for (size_t i = 0; i < total; i++)
		if (o->routes[i].family == af &&
		    inany_is_any(&o->routes[i].gateway)) {
			placed[i] = true;
			order[n++] = i;
		}
	while (progress) {
		progress = false;
		for (size_t i = 0; i < total; i++)
			if (o->routes[i].family == af && !placed[i] &&
			    reachable(o, placed, &o->routes[i])) {
				placed[i] = true;
				order[n++] = i;
				progress = true;
			}
	}
	for (size_t i = 0; i < total; i++)
		if (o->routes[i].family == af && !placed[i])
			order[n++] = i;
	return n;
}

/**
 * route_restore_order() - An order in which every route of a family can
 * be added
 * @o:		the recorded pod interface
 * @af:		AF_INET or AF_INET6
 * @order:	indexes into @o->routes, filled
 *
 * Routes without a gateway first (they need only the addresses, which are
 * restored before any route), then each gateway route once a route placed
 * before it makes its gateway reachable, however the kernel listed them:
 * Calico's `169.254.1.1 dev eth0 scope link` before `default via
 * 169.254.1.1`, Cilium's `ROUTER/128 dev eth0` before `default via
 * ROUTER`; a link-local IPv6 gateway needs nothing. A route whose gateway
 * nothing reaches goes last, in record order, so that its failure is
 * reported rather than hidden.
 *
 * Return: the number of indexes written (the routes of @af)
 */
size_t route_restore_order(const struct pod_iface *o, sa_family_t af,
			   size_t order[PODNET_MAX_POD_ROUTES])
{
	bool placed[PODNET_MAX_POD_ROUTES] = {false};
	size_t total = o->n_routes < PODNET_MAX_POD_ROUTES
			       ? o->n_routes
			       : PODNET_MAX_POD_ROUTES;

	return place_routes(o, af, total, placed, order);
}
