// SPDX-License-Identifier: GPL-2.0-or-later
/* Single netlink changes to IPv6 addresses and neighbours (libnl). */
#ifndef PODNET_NETOPS6_H
#define PODNET_NETOPS6_H

#include "pod_iface.h"

struct nl_sock;

/* The flags RTM_NEWADDR takes for IPv6; the others are the kernel's. */
#define POD_ADDR6_FLAGS_SET                                                    \
	(IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR |              \
	 IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN | IFA_F_OPTIMISTIC)

int netops6_addr_add(struct nl_sock *sk, int ifindex,
		     const struct pod_addr6 *a);
int netops6_neigh_set(struct nl_sock *sk, int ifindex,
		      const struct pod_neigh6 *n);

#endif
