// SPDX-License-Identifier: GPL-2.0-or-later
/* The facts of one pod interface: what the VM takes over and what release
 * restores. */
#ifndef PODNET_POD_IFACE_H
#define PODNET_POD_IFACE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "podnet_limits.h"
#include "util.h"

/* One IPv4 address as the kernel reported it (RTM_NEWADDR). */
struct pod_addr {
	struct in_addr local;
	uint8_t prefix_len;
	struct in_addr broadcast; /* INADDR_ANY: none */
	uint8_t scope;
	uint32_t flags;
	char label[IFNAMSIZ];
};

/* One single-nexthop IPv4 route through the pod interface (RTM_NEWROUTE). */
struct pod_route {
	uint32_t table;
	struct in_addr dst;
	uint8_t dst_len;
	struct in_addr gateway; /* INADDR_ANY: on-link */
	struct in_addr prefsrc; /* INADDR_ANY: none */
	uint32_t priority;
	uint8_t protocol;
	uint8_t scope;
	uint8_t type;
	uint32_t nh_flags; /* RTNH_F_ONLINK */
};

struct pod_iface {
	char name[IFNAMSIZ];
	int ifindex;
	uint8_t mac[MAC_LEN];
	uint32_t mtu;
	size_t n_addrs;
	struct pod_addr addrs[PODNET_MAX_ADDRS];
	size_t n_routes;
	struct pod_route routes[PODNET_MAX_ROUTES];
};

#endif
