// SPDX-License-Identifier: GPL-2.0-or-later
/* Single rtnetlink changes to links, addresses, neighbours and routes of
 * both families, with the kernel's errno as the result. */
#ifndef PODNET_NETOPS_H
#define PODNET_NETOPS_H

#include <stdbool.h>
#include <stdint.h>

#include "pod_iface.h"

struct nl_sock;
struct nl_link;

/* The flags RTM_NEWADDR takes for IPv6; the others are the kernel's. */
#define POD_ADDR6_FLAGS_SET                                                    \
	(IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR |              \
	 IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN | IFA_F_OPTIMISTIC)

int netops_bridge_create(struct nl_sock *sk, const char *name, uint32_t mtu,
			 const uint8_t mac[MAC_LEN]);
int netops_link_delete(struct nl_sock *sk, int ifindex);
int netops_link_set_mac(struct nl_sock *sk, int ifindex,
			const uint8_t mac[MAC_LEN]);
int netops_link_set_mtu(struct nl_sock *sk, int ifindex, uint32_t mtu);
int netops_link_set_up(struct nl_sock *sk, int ifindex, bool up);
int netops_link_set_master(struct nl_sock *sk, int ifindex, int master);
int netops_link_read(struct nl_sock *sk, int ifindex, const char *name,
		     struct nl_link *ret);
int netops_link_get(struct nl_sock *sk, int ifindex, char *ret_name,
		    uint8_t ret_mac[MAC_LEN], uint32_t *ret_mtu,
		    int *ret_master, bool *ret_is_bridge);
int netops_addr_add(struct nl_sock *sk, int ifindex, const struct pod_addr *a);
int netops_addr_del(struct nl_sock *sk, int ifindex, const struct pod_addr *a);
int netops_neigh_set(struct nl_sock *sk, int ifindex,
		     const struct pod_neigh *n);
int netops_link_set_flags(struct nl_sock *sk, int ifindex, uint32_t flags);
int netops_route_add(struct nl_sock *sk, int ifindex,
		     const struct pod_route *r);
int netops_route_del(struct nl_sock *sk, int ifindex,
		     const struct pod_route *r);

#endif
