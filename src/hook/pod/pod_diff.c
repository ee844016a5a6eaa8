// SPDX-License-Identifier: GPL-2.0-or-later
/* What differs between a pod interface as recorded and as it is now. Pure.
 */
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <stdio.h>
#include <string.h>

#include "pod_diff.h"

/**
 * pod_route_same() - Whether two routes are the same in every attribute
 * @a:		one route
 * @b:		the other
 *
 * Return: true if they are (tos is IPv4's, pref IPv6's: zero otherwise)
 */
bool pod_route_same(const struct pod_route *a, const struct pod_route *b)
{
	if (a->family != b->family || a->table != b->table ||
	    !inany_equal(&a->dst, &b->dst) || a->dst_len != b->dst_len ||
	    !inany_equal(&a->gateway, &b->gateway) ||
	    !inany_equal(&a->prefsrc, &b->prefsrc) ||
	    a->priority != b->priority || a->protocol != b->protocol ||
	    a->scope != b->scope || a->type != b->type ||
	    a->nh_flags != b->nh_flags || a->tos != b->tos ||
	    a->pref != b->pref || a->metric_mask != b->metric_mask)
		return false;
	for (size_t m = 0; m < POD_ROUTE_METRICS; m++)
		if ((a->metric_mask & (1u << m)) &&
		    a->metrics[m] != b->metrics[m])
			return false;
	return true;
}

/**
 * pod_route_text() - A route the way `ip route` would name it, in short
 * @r:		the route
 * @buf:	output
 * @len:	its size
 *
 * Return: what snprintf returns
 */
int pod_route_text(const struct pod_route *r, char *buf, size_t len)
{
	char d[INANY_ADDRSTRLEN], g[INANY_ADDRSTRLEN];
	bool gw = !inany_is_any(&r->gateway);

	(void)inany_ntop(&r->dst, d);
	(void)inany_ntop(&r->gateway, g);
	if (r->family == AF_INET6)
		return snprintf(buf, len,
				"%s/%u%s%s table %u proto %u metric %u", d,
				r->dst_len, gw ? " via " : "", gw ? g : "",
				r->table, r->protocol, r->priority);
	return snprintf(buf, len, "%s/%u%s%s table %u proto %u scope %u", d,
			r->dst_len, gw ? " via " : "", gw ? g : "", r->table,
			r->protocol, r->scope);
}

/* A finite lifetime counts down: whether each one is finite is what
 * podnet restores and compares, for both families (IPv4 compared only the
 * valid one; the preferred one is restored too, so it is compared too). */
static bool lifetimes_same(uint32_t valid_a, uint32_t preferred_a,
			   uint32_t valid_b, uint32_t preferred_b)
{
	return (valid_a == POD_LIFETIME_FOREVER) ==
		       (valid_b == POD_LIFETIME_FOREVER) &&
	       (preferred_a == POD_LIFETIME_FOREVER) ==
		       (preferred_b == POD_LIFETIME_FOREVER);
}

/* The kernel keeps IFA_F_SECONDARY itself; broadcast and label are IPv4's
 * own attributes (none for IPv6 on both sides); tentative is a moment of
 * DAD (IPv6 only), not configuration. */
static bool addr_same(const struct pod_addr *a, const struct pod_addr *b)
{
	uint32_t keep = a->family == AF_INET6 ? ~(uint32_t)IFA_F_TENTATIVE
					      : ~(uint32_t)0;

	return a->family == b->family && inany_equal(&a->local, &b->local) &&
	       a->prefix_len == b->prefix_len &&
	       inany_equal(&a->broadcast, &b->broadcast) &&
	       a->scope == b->scope && (a->flags & keep) == (b->flags & keep) &&
	       strcmp(a->label, b->label) == 0 &&
	       lifetimes_same(a->valid_lft, a->preferred_lft, b->valid_lft,
			      b->preferred_lft);
}

/* NTF_* flags are restored (netops_neigh_set()), so they are compared:
 * ignoring them let a restore that lost one pass. */
static bool neigh_same(const struct pod_neigh *a, const struct pod_neigh *b)
{
	return a->family == b->family && inany_equal(&a->dst, &b->dst) &&
	       memcmp(a->lladdr, b->lladdr, MAC_LEN) == 0 &&
	       a->state == b->state && a->flags == b->flags;
}

/* Whether @o has @x, compared as release restores it. */
bool pod_has_addr(const struct pod_iface *o, const struct pod_addr *x)
{
	for (size_t k = 0; k < o->n_addrs; k++)
		if (addr_same(&o->addrs[k], x))
			return true;
	return false;
}

bool pod_has_route(const struct pod_iface *o, const struct pod_route *x)
{
	for (size_t k = 0; k < o->n_routes; k++)
		if (pod_route_same(&o->routes[k], x))
			return true;
	return false;
}

bool pod_has_neigh(const struct pod_iface *o, const struct pod_neigh *x)
{
	for (size_t k = 0; k < o->n_neighs; k++)
		if (neigh_same(&o->neighs[k], x))
			return true;
	return false;
}

/* A sysctl the record knows (not POD_SYSCTL6_UNKNOWN) must be as it was. */
static int sysctl6_diff(const struct pod_sysctl6 *want,
			const struct pod_sysctl6 *now, char *what, size_t len)
{
	const struct {
		const char *name;
		int want, now;
	} k[] = {
		{"disable_ipv6", want->disable_ipv6, now->disable_ipv6},
		{"accept_ra", want->accept_ra, now->accept_ra},
		{"accept_dad", want->accept_dad, now->accept_dad},
		{"addr_gen_mode", want->addr_gen_mode, now->addr_gen_mode},
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (k[i].want != POD_SYSCTL6_UNKNOWN && k[i].want != k[i].now)
			return snprintf(what, len, "IPv6 %s %d, recorded %d",
					k[i].name, k[i].now, k[i].want),
			       1;
	return 0;
}

/* The first address of @af in @want that @now lacks, or the reverse. */
static int addr_diff(const struct pod_iface *want, const struct pod_iface *now,
		     sa_family_t af, char *what, size_t len)
{
	char a[INANY_ADDRSTRLEN];
	const struct pod_addr *x;

	pod_for_each (x, want->addrs, want->n_addrs, af)
		if (!pod_has_addr(now, x))
			return snprintf(what, len, "address %s/%u missing",
					inany_ntop(&x->local, a),
					x->prefix_len),
			       1;
	pod_for_each (x, now->addrs, now->n_addrs, af)
		if (!pod_has_addr(want, x))
			return snprintf(what, len, "address %s/%u not recorded",
					inany_ntop(&x->local, a),
					x->prefix_len),
			       1;
	return 0;
}

/* The first route of @af in @want that @now lacks, or the reverse. */
static int route_diff(const struct pod_iface *want, const struct pod_iface *now,
		      sa_family_t af, char *what, size_t len)
{
	const struct pod_route *x;
	char r[200];

	pod_for_each (x, want->routes, want->n_routes, af)
		if (!pod_has_route(now, x)) {
			(void)pod_route_text(x, r, sizeof(r));
			(void)snprintf(what, len, "route %s missing", r);
			return 1;
		}
	pod_for_each (x, now->routes, now->n_routes, af)
		if (!pod_has_route(want, x)) {
			(void)pod_route_text(x, r, sizeof(r));
			(void)snprintf(what, len, "route %s not recorded", r);
			return 1;
		}
	return 0;
}

static int neigh_diff(const struct pod_iface *want, const struct pod_iface *now,
		      char *what, size_t len)
{
	char a[INANY_ADDRSTRLEN];

	for (size_t i = 0; i < want->n_neighs; i++)
		if (!pod_has_neigh(now, &want->neighs[i]))
			return snprintf(what, len,
					"permanent neighbour %s missing",
					inany_ntop(&want->neighs[i].dst, a)),
			       1;
	for (size_t i = 0; i < now->n_neighs; i++)
		if (!pod_has_neigh(want, &now->neighs[i]))
			return snprintf(what, len,
					"permanent neighbour %s not recorded",
					inany_ntop(&now->neighs[i].dst, a)),
			       1;
	return 0;
}

/**
 * pod_iface_diff() - The first difference between record and now
 * @want:	as recorded before prepare
 * @now:	as read after a restore (same reading, discover_iface_config)
 * @what:	the difference in words, for the user's line
 * @what_len:	size of @what
 *
 * Compares the link's MAC, MTU and kept flags, the IPv6 sysctls the record
 * knows, and addresses, routes and permanent neighbours of both families
 * as sets (the kernel's order is not configuration).
 *
 * Return: 0 if they are the same, 1 with @what set if not
 */
int pod_iface_diff(const struct pod_iface *want, const struct pod_iface *now,
		   char *what, size_t what_len)
{
	if (memcmp(want->mac, now->mac, MAC_LEN) != 0)
		return snprintf(what, what_len, "MAC differs"), 1;
	if (want->mtu != now->mtu)
		return snprintf(what, what_len, "MTU %u, recorded %u", now->mtu,
				want->mtu),
		       1;
	if (want->link_flags != now->link_flags)
		return snprintf(what, what_len,
				"link flags 0x%x, recorded 0x%x",
				now->link_flags, want->link_flags),
		       1;
	if (sysctl6_diff(&want->v6.sysctl6, &now->v6.sysctl6, what, what_len) ||
	    addr_diff(want, now, AF_INET, what, what_len) ||
	    route_diff(want, now, AF_INET, what, what_len) ||
	    neigh_diff(want, now, what, what_len) ||
	    addr_diff(want, now, AF_INET6, what, what_len) ||
	    route_diff(want, now, AF_INET6, what, what_len))
		return 1;
	return 0;
}
