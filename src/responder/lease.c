// SPDX-License-Identifier: GPL-2.0-or-later
/* From the recorded pod facts to the lease the VM is given. Pure: no I/O. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "pod_iface.h"
#include "lease.h"

static uint32_t mask_of(uint8_t prefix_len)
{
	return prefix_len ? htonl(~0u << (32 - prefix_len)) : 0;
}

static int add_route(struct dhcp_lease *l, struct in_addr dst, uint8_t len,
		     struct in_addr gw)
{
	for (size_t i = 0; i < l->n_routes; i++)
		if (l->routes[i].dst.s_addr == dst.s_addr &&
		    l->routes[i].prefix_len == len &&
		    l->routes[i].gateway.s_addr == gw.s_addr)
			return 0; /* said once is enough */
	if (l->n_routes >= ARRAY_SIZE(l->routes))
		return -E2BIG;
	l->routes[l->n_routes++] = (struct dhcp_route){
		.dst = dst, .prefix_len = len, .gateway = gw};
	return 0;
}

/* The IPv4 routes of the main table: what the pod's own traffic follows. */
static bool main_unicast(const struct pod_route *r)
{
	return r->family == AF_INET && r->table == RT_TABLE_MAIN &&
	       r->type == RTN_UNICAST;
}

/* The default route of the main table, if the pod has one. */
static const struct pod_route *default_route(const struct pod_iface *o)
{
	for (size_t i = 0; i < o->n_routes; i++)
		if (main_unicast(&o->routes[i]) && o->routes[i].dst_len == 0 &&
		    !inany_is_any(&o->routes[i].gateway))
			return &o->routes[i];
	return NULL;
}

/**
 * lease_onlink_prefix() - The prefix length the guest may treat as on-link
 * @o:		the recorded pod interface
 * @a:		its primary address
 *
 * The pod's own subnet is on-link only if the pod has a route saying so
 * (the kernel's prefix route, or one like it). ptp (kindnet) deletes it
 * and sends the subnet via the gateway: a guest given the /24 as its mask
 * would ARP for its neighbours, and nobody answers.
 *
 * Return: @a's prefix length, or 32
 */
uint8_t lease_onlink_prefix(const struct pod_iface *o, const struct pod_addr *a)
{
	uint32_t m = mask_of(a->prefix_len);

	for (size_t i = 0; i < o->n_routes; i++) {
		const struct pod_route *r = &o->routes[i];

		if (main_unicast(r) && inany_is_any(&r->gateway) &&
		    r->dst_len == a->prefix_len &&
		    r->dst.v4.a4.s_addr == (a->local.v4.a4.s_addr & m))
			return a->prefix_len;
	}
	return 32;
}

static bool reached_on_link(const struct dhcp_lease *l, struct in_addr gw)
{
	uint32_t m = mask_of(l->prefix_len);

	if (l->prefix_len < 32 &&
	    (gw.s_addr & m) == (l->client_addr.s_addr & m))
		return true;
	for (size_t i = 0; i < l->n_routes; i++) {
		uint32_t rm = mask_of(l->routes[i].prefix_len);

		if (l->routes[i].gateway.s_addr == INADDR_ANY &&
		    (gw.s_addr & rm) == l->routes[i].dst.s_addr)
			return true;
	}
	return false;
}

/*
 * Option 121 (RFC 3442) mirrors the pod's main table. Clients add the
 * routes in the order given and a kernel takes a gateway only once it is
 * reachable, so: the on-link routes first (ptp's and Calico's /32 to the
 * gateway), then every route via a gateway, the default last, since a
 * client that gets option 121 ignores option 3. A gateway that nothing
 * makes on-link (a route with the onlink flag) first gets a /32 on-link
 * route of its own. The subnet route implied by the mask is left out.
 */
static int fill_routes(struct dhcp_lease *l, const struct pod_iface *o)
{
	const struct pod_route *def = default_route(o);
	const struct in_addr any = {.s_addr = INADDR_ANY};
	uint32_t m = mask_of(l->prefix_len);
	int rc = 0;

	for (size_t i = 0; i < o->n_routes && rc == 0; i++) {
		const struct pod_route *r = &o->routes[i];

		if (!main_unicast(r) || !inany_is_any(&r->gateway))
			continue;
		if (r->dst_len == l->prefix_len &&
		    r->dst.v4.a4.s_addr == (l->client_addr.s_addr & m))
			continue; /* the mask says it */
		rc = add_route(l, r->dst.v4.a4, r->dst_len, any);
	}
	for (size_t i = 0; i < o->n_routes && rc == 0; i++) {
		const struct pod_route *r = &o->routes[i];

		if (main_unicast(r) && !inany_is_any(&r->gateway) &&
		    !reached_on_link(l, r->gateway.v4.a4))
			rc = add_route(l, r->gateway.v4.a4, 32, any);
	}
	for (size_t i = 0; i < o->n_routes && rc == 0; i++) {
		const struct pod_route *r = &o->routes[i];

		if (main_unicast(r) && !inany_is_any(&r->gateway) && r != def)
			rc = add_route(l, r->dst.v4.a4, r->dst_len,
				       r->gateway.v4.a4);
	}
	if (def && rc == 0)
		rc = add_route(l, any, 0, def->gateway.v4.a4);
	return rc;
}

/**
 * lease_path_mtu() - The MTU the guest is given (option 26)
 * @o:		the recorded pod interface
 *
 * DHCPv4 carries one MTU, for the link. A route with a smaller MTU of its
 * own (Cilium's `default via ROUTER mtu 1350` on a 1500 link) would let
 * the guest send packets that path does not take, so the guest gets the
 * smallest MTU of the link and of every main-table route.
 *
 * Return: the MTU, at most 65535
 */
uint16_t lease_path_mtu(const struct pod_iface *o)
{
	uint32_t mtu = o->mtu;

	for (size_t i = 0; i < o->n_routes; i++) {
		const struct pod_route *r = &o->routes[i];

		if (main_unicast(r) && (r->metric_mask & (1u << RTAX_MTU)) &&
		    r->metrics[RTAX_MTU] > 0 && r->metrics[RTAX_MTU] < mtu)
			mtu = r->metrics[RTAX_MTU];
	}
	return mtu > 0xffff ? 0xffff : (uint16_t)mtu;
}

/**
 * lease_arp_answers() - The gateways the responder answers ARP for
 * @o:		the recorded pod interface
 * @ret:	the gateways of the pod's main-table routes that the pod
 *		reached through a permanent neighbour entry, with its MAC
 *
 * AWS VPC CNI gives the pod `169.254.1.1 lladdr HOST_VETH_MAC PERMANENT`
 * and the node answers no ARP for it: the guest, which has no such entry,
 * would never reach its gateway unless somebody answers in its place.
 */
void lease_arp_answers(const struct pod_iface *o, struct arp_answers *ret)
{
	memset(ret, 0, sizeof(*ret));
	const struct pod_neigh *n;

	pod_for_each (n, o->neighs, o->n_neighs, AF_INET) {
		bool gateway = false;

		if (ret->n >= PODNET_MAX_NEIGHS)
			break;
		for (size_t k = 0; k < o->n_routes && !gateway; k++)
			gateway = main_unicast(&o->routes[k]) &&
				  inany_equal(&o->routes[k].gateway, &n->dst);
		if (!gateway)
			continue;
		ret->entries[ret->n].ip = n->dst.v4.a4;
		memcpy(ret->entries[ret->n].mac, n->lladdr, MAC_LEN);
		ret->n++;
	}
}

static void fill_dns(struct dhcp_lease *l, const struct state_record *rec)
{
	l->n_dns = rec->dns.n_servers;
	memcpy(l->dns, rec->dns.servers, l->n_dns * sizeof(l->dns[0]));
	l->n_search = rec->dns.n_search;
	for (size_t i = 0; i < l->n_search; i++)
		memcpy(l->search[i], rec->dns.search[i], sizeof(l->search[i]));
	/* Option 15 is the first search domain, as a container would see. */
	if (l->n_search)
		memcpy(l->domain_name, l->search[0], sizeof(l->domain_name));
}

/**
 * lease_from_record() - The lease of one tagged interface
 * @rec:	the domain's record
 * @iface:	index of the interface in @rec
 * @ret:	the lease
 *
 * Return: 0, or -EINVAL if the record has no address for it or it is served
 * no DHCP, -E2BIG if it has more routes than a lease holds
 */
int lease_from_record(const struct state_record *rec, size_t iface,
		      struct dhcp_lease *ret)
{
	const struct state_iface *s;
	const struct pod_addr *a;
	const struct pod_route *def;
	struct dhcp_lease *l = ret;
	int rc;

	if (iface >= rec->n_ifaces)
		return -EINVAL;
	s = &rec->ifaces[iface];
	a = pod_primary_addr(&s->orig);
	if (!a || s->dhcp.no_dhcp)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	memcpy(l->client_mac, s->vm_mac, MAC_LEN);
	l->client_addr = a->local.v4.a4;
	l->prefix_len = lease_onlink_prefix(&s->orig, a);
	def = default_route(&s->orig);
	if (def)
		l->router = def->gateway.v4.a4;
	/* Like passt: the gateway answers, so renewals go where they can. */
	l->server_id = l->router;
	if (l->server_id.s_addr == INADDR_ANY)
		(void)inet_pton(AF_INET, LEASE_FALLBACK_SERVER_ID,
				&l->server_id);
	rc = fill_routes(l, &s->orig);
	if (rc < 0)
		return rc;
	fill_dns(l, rec);
	(void)snprintf(l->hostname, sizeof(l->hostname), "%s", rec->hostname);
	l->mtu = lease_path_mtu(&s->orig);
	l->lease_seconds = s->dhcp.lease_seconds;
	l->extra = s->dhcp;
	return 0;
}
