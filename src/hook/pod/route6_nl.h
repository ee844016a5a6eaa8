// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv6 routes by raw rtnetlink messages: libnl's route object carries no
 * RTA_PREF, and an exact restore needs it. */
#ifndef PODNET_ROUTE6_NL_H
#define PODNET_ROUTE6_NL_H

#include "pod_iface.h"

struct nl_sock;

int route6_collect(struct nl_sock *sk, struct pod_iface *iface);
int route6_add(struct nl_sock *sk, int ifindex, const struct pod_route6 *r);
int route6_del(struct nl_sock *sk, int ifindex, const struct pod_route6 *r);
bool route6_kernel_own(const struct pod_route6 *r);

#endif
