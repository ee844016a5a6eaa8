// SPDX-License-Identifier: GPL-2.0-or-later
/* The facts of one pod interface: what the VM takes over and what release
 * restores. */
#ifndef PODNET_POD_IFACE_H
#define PODNET_POD_IFACE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inany.h"
#include "podnet_limits.h"
#include "util.h"

/* One address of the pod interface, either family, as the kernel reported
 * it (RTM_NEWADDR); IPv6: every one but the kernel's own link-local. */
struct pod_addr {
	sa_family_t family; /* AF_INET, AF_INET6 */
	union inany local;
	uint8_t prefix_len;
	union inany broadcast; /* IPv4 only; none: inany_is_any() */
	uint8_t scope;
	uint32_t flags;	      /* IFA_F_* (IPv6: NODAD, NOPREFIXROUTE...) */
	char label[IFNAMSIZ]; /* IPv4 only */
	/* Seconds, as IFA_CACHEINFO gives them; POD_LIFETIME_FOREVER: no end.
	 */
	uint32_t valid_lft;
	uint32_t preferred_lft;
};

#define POD_LIFETIME_FOREVER 0xffffffffu

/* Route metrics (RTA_METRICS: RTAX_MTU, RTAX_ADVMSS, ...), by RTAX_ index. */
#define POD_ROUTE_METRICS 18

/* One single-nexthop route of either family through the pod interface,
 * any table (RTM_NEWROUTE). */
struct pod_route {
	sa_family_t family; /* AF_INET, AF_INET6 */
	uint32_t table;
	union inany dst;
	uint8_t dst_len;
	union inany gateway; /* none (inany_is_any()): on-link */
	union inany prefsrc; /* none: none */
	uint32_t priority;
	uint8_t protocol;
	uint8_t scope;
	uint8_t type;
	uint32_t nh_flags;    /* RTNH_F_ONLINK */
	uint8_t tos;	      /* IPv4 only */
	uint8_t pref;	      /* IPv6 only: RTA_PREF (ICMPV6_ROUTER_PREF_*) */
	uint32_t metric_mask; /* bit N: metrics[N] is set */
	uint32_t metrics[POD_ROUTE_METRICS];
};

/* A permanent or noarp neighbour entry of the pod interface, either family
 * (RTM_NEWNEIGH): how AWS VPC CNI and hand-made sandboxes reach a gateway
 * that answers no ARP or neighbour solicitation. */
struct pod_neigh {
	sa_family_t family; /* AF_INET, AF_INET6 */
	union inany dst;
	uint8_t lladdr[MAC_LEN];
	uint16_t state; /* NUD_PERMANENT, NUD_NOARP */
	uint8_t flags;	/* NTF_* */
};

/* The pod interface's IPv6 sysctls (/proc/sys/net/ipv6/conf/IFACE/), read
 * in the pod's namespace. POD_SYSCTL6_UNKNOWN: not recorded (a version-2
 * record, or a kernel without the file): restore leaves it alone. */
#define POD_SYSCTL6_UNKNOWN (-1)
struct pod_sysctl6 {
	int disable_ipv6, accept_ra, accept_dad, addr_gen_mode;
};

/* The facts only IPv6 has, of the link as a whole. */
struct pod_ipv6 {
	/* RA source: a link-local the real next hop answers for; :: when the
	 * pod has no IPv6 default route. */
	struct in6_addr router_ll;
	uint8_t router_mac[MAC_LEN]; /* that router's MAC (SLLA), 0: unknown */
	struct pod_sysctl6 sysctl6;
	/* Discovery only, not written in the record: the kernel's own
	 * link-local (of the current MAC) was there. Without it (deleted by
	 * a CNI, or the MAC changed after IPv6 came up) prepare leaves IPv6
	 * alone: disable_ipv6 1->0 at release would make that one. */
	bool kernel_ll;
};

struct pod_iface {
	char name[IFNAMSIZ];
	int ifindex;
	uint8_t mac[MAC_LEN];
	uint32_t mtu;
	/* IFF_* flags a user or CNI may set and podnet must give back. */
	uint32_t link_flags;
	size_t n_addrs;
	struct pod_addr addrs[PODNET_MAX_ADDRS]; /* both families */
	size_t n_routes;
	struct pod_route routes[PODNET_MAX_POD_ROUTES]; /* both families */
	size_t n_neighs;
	struct pod_neigh neighs[PODNET_MAX_NEIGHS]; /* both families */
	struct pod_ipv6 v6;
};

/* pod_family_count() reads the family at the start of each object. */
_Static_assert(offsetof(struct pod_addr, family) == 0, "family first");
_Static_assert(offsetof(struct pod_route, family) == 0, "family first");
_Static_assert(offsetof(struct pod_neigh, family) == 0, "family first");

/* The link flags recorded and restored (IFF_UP is required anyway). */
#define POD_LINK_FLAGS_KEPT                                                    \
	(IFF_UP | IFF_NOARP | IFF_MULTICAST | IFF_ALLMULTI | IFF_DYNAMIC)

/*
 * pod_for_each() - Each object of @arr[0..@n) of family @af (AF_UNSPEC:
 * every one), into the pointer @p; use as a for statement.
 */
#define pod_for_each(p, arr, n, af)                                            \
	for ((p) = (arr); (p) < (arr) + (n); (p)++)                            \
		if ((af) != AF_UNSPEC && (p)->family != (af)) {                \
		} else

const struct pod_addr *pod_primary_addr(const struct pod_iface *iface);
size_t pod_family_count(const void *arr, size_t n, size_t size, sa_family_t af);
/* pod_count() - How many of @arr[0..@n) are of family @af. */
#define pod_count(arr, n, af) pod_family_count((arr), (n), sizeof(*(arr)), (af))
const struct pod_addr *pod_global_addr6(const struct pod_iface *iface);
void pod_eui64_ll(const uint8_t mac[MAC_LEN], struct in6_addr *ret);
bool pod_eui64_mac(const struct in6_addr *ll, uint8_t ret[MAC_LEN]);

#endif
