// SPDX-License-Identifier: GPL-2.0-or-later
/* From the recorded pod facts to the lease the VM is given. Pure: no I/O. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "discover.h"
#include "lease.h"

static uint32_t mask_of(uint8_t prefix_len)
{
	return prefix_len ? htonl(~0u << (32 - prefix_len)) : 0;
}

static bool on_link(struct in_addr gw, const struct pod_addr *a)
{
	uint32_t m = mask_of(a->prefix_len);

	return (gw.s_addr & m) == (a->local.s_addr & m) && a->prefix_len < 32;
}

static int add_route(struct dhcp_lease *l, struct in_addr dst, uint8_t len,
		     struct in_addr gw)
{
	if (l->n_routes >= ARRAY_SIZE(l->routes))
		return -E2BIG;
	l->routes[l->n_routes++] = (struct dhcp_route){
		.dst = dst, .prefix_len = len, .gateway = gw};
	return 0;
}

/* The default route of the main table, if the pod has one. */
static const struct pod_route *default_route(const struct pod_iface *o)
{
	for (size_t i = 0; i < o->n_routes; i++)
		if (o->routes[i].table == RT_TABLE_MAIN &&
		    o->routes[i].dst_len == 0 &&
		    o->routes[i].gateway.s_addr != INADDR_ANY)
			return &o->routes[i];
	return NULL;
}

/*
 * Option 121 (RFC 3442): a client that gets it ignores option 3, so the
 * default route goes in too, last. An off-link gateway (Calico's
 * 169.254.1.1 on a /32 pod) first gets a /32 on-link route, or the client
 * cannot reach it. The pod's own subnet route is implied by the mask.
 */
static int fill_routes(struct dhcp_lease *l, const struct pod_iface *o,
		       const struct pod_addr *a)
{
	const struct pod_route *def = default_route(o);
	const struct in_addr any = {.s_addr = INADDR_ANY};
	int rc = 0;

	if (def && !on_link(def->gateway, a))
		rc = add_route(l, def->gateway, 32, any);
	for (size_t i = 0; i < o->n_routes && rc == 0; i++) {
		const struct pod_route *r = &o->routes[i];

		if (r->table != RT_TABLE_MAIN || r->dst_len == 0 ||
		    r->protocol == RTPROT_KERNEL)
			continue;
		if (r->gateway.s_addr == INADDR_ANY && r->dst_len == 32 &&
		    def && r->dst.s_addr == def->gateway.s_addr)
			continue; /* already added above */
		rc = add_route(l, r->dst, r->dst_len, r->gateway);
	}
	if (def && rc == 0)
		rc = add_route(l, any, 0, def->gateway);
	return rc;
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
 * Return: 0, or -EINVAL if the record has no address for it, -E2BIG if it
 * has more routes than a lease holds
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
	a = discover_primary_addr(&s->orig);
	if (!a)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	memcpy(l->client_mac, s->vm_mac, MAC_LEN);
	l->client_addr = a->local;
	l->prefix_len = a->prefix_len;
	def = default_route(&s->orig);
	if (def)
		l->router = def->gateway;
	/* Like passt: the gateway answers, so renewals go where they can. */
	l->server_id = l->router;
	if (l->server_id.s_addr == INADDR_ANY)
		(void)inet_pton(AF_INET, LEASE_FALLBACK_SERVER_ID,
				&l->server_id);
	rc = fill_routes(l, &s->orig, a);
	if (rc < 0)
		return rc;
	fill_dns(l, rec);
	(void)snprintf(l->hostname, sizeof(l->hostname), "%s", rec->hostname);
	l->mtu = s->orig.mtu > 0xffff ? 0xffff : (uint16_t)s->orig.mtu;
	l->lease_seconds = DHCP_LEASE_INFINITE;
	return 0;
}
