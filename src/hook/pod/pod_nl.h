// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's rtnetlink answers read into the pod model: links, and the
 * addresses, routes and neighbours of one link, both families. Pure:
 * fuzzed (tests/fuzz/fuzz_nl_dump.c). */
#ifndef PODNET_POD_NL_H
#define PODNET_POD_NL_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stdint.h>

#include "pod_iface.h"

/* What RTM_NEWLINK says of a link that discovery and restore look at. */
struct nl_link {
	int ifindex;
	char name[IFNAMSIZ];
	bool has_mac; /* an IFLA_ADDRESS of MAC_LEN bytes */
	uint8_t mac[MAC_LEN];
	uint32_t mtu;
	uint32_t flags; /* IFF_* */
	int master;	/* 0: none */
	uint16_t arptype;
	char kind[16];	       /* IFLA_INFO_KIND, or "" */
	uint32_t macvlan_mode; /* its IFLA_MACVLAN_MODE, for macvlan/macvtap */
};

/* A neighbour entry with an address and a MAC, of either family. */
struct nl_neigh {
	struct pod_neigh n;
	int ifindex;
};

/* A collection of one link's addresses, routes or neighbours from a dump. */
struct pod_nl_collect {
	struct pod_iface *iface; /* ifindex and MAC set; filled */
	bool overflow;		 /* more than a record holds */
	bool multipath;		 /* a multipath route goes through it */
};

int pod_nl_link(const struct nlmsghdr *h, struct nl_link *ret);
int pod_nl_neigh(const struct nlmsghdr *h, struct nl_neigh *ret);
int pod_nl_collect_addr(const struct nlmsghdr *h, void *arg);
int pod_nl_collect_route(const struct nlmsghdr *h, void *arg);
int pod_nl_collect_neigh(const struct nlmsghdr *h, void *arg);
bool route6_kernel_own(const struct pod_route *r);

#endif
