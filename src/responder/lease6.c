// SPDX-License-Identifier: GPL-2.0-or-later
/* From the recorded pod facts to what the VM is given over IPv6: the pod's
 * addresses (DHCPv6 IA_NA), its on-link prefixes, default router and other
 * routes (RA), MTU, name servers, search list and host name. Pure: no I/O. */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "ip6_frame.h"
#include "lease6.h"
#include "pod_iface.h"
#include "state.h"

/* RFC 8415 11.4: DUID-LL, hardware type 1 (Ethernet). */
#define DUID_TYPE_LL 3
#define HWTYPE_ETHER 1

/**
 * lease6_prefix_contains() - Is @a inside @p?
 * @p:	a prefix
 * @a:	an address
 *
 * Return: true if the first @p->len bits match
 */
bool lease6_prefix_contains(const struct lease6_prefix *p,
			    const struct in6_addr *a)
{
	size_t full = p->len / 8, rest = p->len % 8;

	if (p->len > 128)
		return false;
	if (memcmp(p->prefix.s6_addr, a->s6_addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((p->prefix.s6_addr[full] ^ a->s6_addr[full]) &
		(uint8_t)(0xff << (8 - rest))) == 0;
}

/**
 * lease6_has_addr() - Is @a one of the pod's addresses?
 * @l:	the lease
 * @a:	an address
 *
 * Return: true if it is
 */
bool lease6_has_addr(const struct lease6 *l, const struct in6_addr *a)
{
	for (size_t i = 0; i < l->n_addrs; i++)
		if (memcmp(&l->addrs[i], a, sizeof(*a)) == 0)
			return true;
	return false;
}

/**
 * lease6_on_link() - Is @a appropriate for the link (RFC 8415 18.3.3)?
 * @l:	the lease
 * @a:	an address a CONFIRM names
 *
 * Return: true for the pod's own addresses and those in its on-link
 * prefixes
 */
bool lease6_on_link(const struct lease6 *l, const struct in6_addr *a)
{
	if (lease6_has_addr(l, a))
		return true;
	for (size_t i = 0; i < l->n_prefixes; i++)
		if (lease6_prefix_contains(&l->prefixes[i], a))
			return true;
	return false;
}

/**
 * lease6_set_server() - The server's identity from the bridge's MAC
 * @l:		the lease
 * @server_mac:	the bridge's MAC
 *
 * DUID-LL (no time in it, unlike DUID-LLT): the same Server ID after a
 * responder restart, so the guest's RENEW still matches. The EUI-64
 * link-local of the same MAC is the DHCPv6 source address.
 */
void lease6_set_server(struct lease6 *l, const uint8_t server_mac[MAC_LEN])
{
	memcpy(l->server_mac, server_mac, MAC_LEN);
	l->duid[0] = 0;
	l->duid[1] = DUID_TYPE_LL;
	l->duid[2] = 0;
	l->duid[3] = HWTYPE_ETHER;
	memcpy(l->duid + 4, server_mac, MAC_LEN);
	pod_eui64_ll(server_mac, &l->server_ll);
}

/* The IPv6 routes of the main table. */
static bool main_unicast6(const struct pod_route *r)
{
	return r->family == AF_INET6 && r->table == RT_TABLE_MAIN &&
	       r->type == RTN_UNICAST;
}

static bool link_scoped(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MULTICAST(a);
}

static const struct pod_route *default_route6(const struct pod_iface *o)
{
	for (size_t i = 0; i < o->n_routes; i++) {
		const struct pod_route *r = &o->routes[i];

		if (main_unicast6(r) && r->dst_len == 0 &&
		    !inany_is_any(&r->gateway))
			return r;
	}
	return NULL;
}

/* On-link prefixes become PIOs (L=1, A=0); routes through the default
 * gateway become RIOs; a route through another gateway cannot be carried
 * (an RA speaks only for its source) and is counted for the log. */
static void fill_routes6(struct lease6 *l, const struct pod_iface *o,
			 const struct pod_route *def)
{
	for (size_t i = 0; i < o->n_routes; i++) {
		const struct pod_route *r = &o->routes[i];

		if (!main_unicast6(r) || r == def || link_scoped(&r->dst.a6))
			continue;
		if (inany_is_any(&r->gateway)) {
			/* A /128 pod's own prefix route says nothing about
			 * the link: no PIO (Calico). */
			if (r->dst_len == 128 && lease6_has_addr(l, &r->dst.a6))
				continue;
			if (r->dst_len == 0 ||
			    l->n_prefixes >= LEASE6_MAX_PREFIXES) {
				l->n_skipped_routes++;
				continue;
			}
			l->prefixes[l->n_prefixes].prefix = r->dst.a6;
			l->prefixes[l->n_prefixes++].len = r->dst_len;
		} else if (def && l->router_lifetime &&
			   inany_equal(&r->gateway, &def->gateway) &&
			   r->dst_len > 0 && l->n_routes < LEASE6_MAX_ROUTES) {
			l->routes[l->n_routes].dst = r->dst.a6;
			l->routes[l->n_routes].len = r->dst_len;
			l->routes[l->n_routes++].pref = r->pref & 3;
		} else {
			l->n_skipped_routes++;
		}
	}
}

/* The smallest MTU of the link and its main-table routes; 0 (no MTU
 * option) below the IPv6 minimum, which no guest may use. */
static uint32_t path_mtu6(const struct pod_iface *o)
{
	uint32_t mtu = o->mtu;

	for (size_t i = 0; i < o->n_routes; i++) {
		const struct pod_route *r = &o->routes[i];

		if (main_unicast6(r) && (r->metric_mask & (1u << RTAX_MTU)) &&
		    r->metrics[RTAX_MTU] > 0 && r->metrics[RTAX_MTU] < mtu)
			mtu = r->metrics[RTAX_MTU];
	}
	return mtu < IP6_MIN_MTU ? 0 : mtu;
}

/**
 * lease6_from_record() - What one tagged interface's VM gets over IPv6
 * @rec:	the domain's record
 * @iface:	index of the interface in @rec
 * @ret:	the lease
 *
 * The router lifetime is > 0 only when the pod has an IPv6 default route
 * and the record knows a link-local for its router (router_ll).
 *
 * Return: 0, -EINVAL without the interface, DHCP or any IPv6 address
 */
int lease6_from_record(const struct state_record *rec, size_t iface,
		       struct lease6 *ret)
{
	static const uint8_t zero[MAC_LEN];
	const struct state_iface *s;
	const struct pod_iface *o;
	const struct pod_route *def;
	const struct pod_addr *a;
	struct lease6 *l = ret;

	if (iface >= rec->n_ifaces)
		return -EINVAL;
	s = &rec->ifaces[iface];
	o = &s->orig;
	if (s->dhcp.no_dhcp)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	pod_for_each (a, o->addrs, o->n_addrs, AF_INET6)
		if (l->n_addrs < LEASE6_MAX_ADDRS && !link_scoped(&a->local.a6))
			l->addrs[l->n_addrs++] = a->local.a6;
	if (l->n_addrs == 0)
		return -EINVAL;
	memcpy(l->client_mac, s->vm_mac, MAC_LEN);
	lease6_set_server(l, memcmp(s->bridge_mac, zero, MAC_LEN) != 0
				     ? s->bridge_mac
				     : o->mac);
	def = default_route6(o);
	if (def && !IN6_IS_ADDR_UNSPECIFIED(&o->v6.router_ll)) {
		l->router_ll = o->v6.router_ll;
		l->router_lifetime = LEASE6_ROUTER_LIFETIME;
		memcpy(l->router_mac, o->v6.router_mac, MAC_LEN);
		l->has_router_mac =
			memcmp(o->v6.router_mac, zero, MAC_LEN) != 0;
	}
	fill_routes6(l, o, def);
	l->mtu = path_mtu6(o);
	l->n_dns = rec->dns.n_nameservers6;
	memcpy(l->dns, rec->dns.nameservers6, l->n_dns * sizeof(l->dns[0]));
	l->n_search = rec->dns.n_search;
	for (size_t i = 0; i < l->n_search; i++)
		memcpy(l->search[i], rec->dns.search[i], sizeof(l->search[i]));
	(void)snprintf(l->hostname, sizeof(l->hostname), "%s", rec->hostname);
	return 0;
}
