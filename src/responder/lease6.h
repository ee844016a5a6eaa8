// SPDX-License-Identifier: GPL-2.0-or-later
/* What the VM is given over IPv6 (RA + DHCPv6), from the recorded pod facts.
 */
#ifndef PODNET_LEASE6_H
#define PODNET_LEASE6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podnet_limits.h"
#include "util.h"

#define LEASE6_MAX_ADDRS    16
#define LEASE6_MAX_PREFIXES 16
#define LEASE6_MAX_ROUTES   32
/* RFC 8415 11.1: a DUID is at most 128 bytes; ours is a DUID-LL (10). */
#define LEASE6_DUID_LEN 10
/* Router lifetime while the pod has a default route (RFC 4861 6.2.1 allows
 * up to 9000 s); unsolicited RAs every 200-600 s keep it from lapsing. */
#define LEASE6_ROUTER_LIFETIME 1800
#define LEASE6_INFINITE	       0xffffffffu

struct lease6_prefix {
	struct in6_addr prefix;
	uint8_t len;
};

/* A route for a Route Information option (RFC 4191), via the RA's source. */
struct lease6_route {
	struct in6_addr dst;
	uint8_t len;
	uint8_t pref; /* RFC 4191 2.1 Prf: 0 medium, 1 high, 3 low */
};

struct lease6 {
	uint8_t client_mac[MAC_LEN];
	uint8_t server_mac[MAC_LEN]; /* the bridge's: Ethernet source, DUID */
	/* The RA's source and its SLLA; router_ll is :: without a default
	 * route, and then server_ll is the source (router lifetime 0). */
	struct in6_addr router_ll;
	uint8_t router_mac[MAC_LEN];
	bool has_router_mac;
	struct in6_addr server_ll; /* EUI-64 of server_mac: DHCPv6 source */
	uint16_t router_lifetime;  /* 0: no default route */
	uint32_t mtu;		   /* 0: no MTU option */
	size_t n_addrs;
	struct in6_addr addrs[LEASE6_MAX_ADDRS];
	size_t n_prefixes; /* on-link: PIO with L=1, A=0 */
	struct lease6_prefix prefixes[LEASE6_MAX_PREFIXES];
	size_t n_routes;
	struct lease6_route routes[LEASE6_MAX_ROUTES];
	size_t n_skipped_routes; /* routes an RA cannot carry (logged) */
	size_t n_dns;
	struct in6_addr dns[PODNET_MAX_DNS];
	size_t n_search;
	char search[PODNET_MAX_SEARCH][PODNET_NAME_MAX + 1];
	char hostname[PODNET_HOSTNAME_MAX + 1];
	uint8_t duid[LEASE6_DUID_LEN];
};

struct state_record;

bool lease6_prefix_contains(const struct lease6_prefix *p,
			    const struct in6_addr *a);
bool lease6_has_addr(const struct lease6 *l, const struct in6_addr *a);
bool lease6_on_link(const struct lease6 *l, const struct in6_addr *a);
void lease6_set_server(struct lease6 *l, const uint8_t server_mac[MAC_LEN]);
int lease6_from_record(const struct state_record *rec, size_t iface,
		       struct lease6 *ret);

#endif
