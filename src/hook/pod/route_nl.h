// SPDX-License-Identifier: GPL-2.0-or-later
/* Routes of both families by raw rtnetlink messages, one builder and one
 * dump parser: libnl's route object carries no RTA_PREF, which an exact
 * IPv6 restore needs, and one mechanism serves both families. */
#ifndef PODNET_ROUTE_NL_H
#define PODNET_ROUTE_NL_H

#include "pod_iface.h"

struct nl_sock;

int route_collect(struct nl_sock *sk, struct pod_iface *iface);
int route_add(struct nl_sock *sk, int ifindex, const struct pod_route *r);
int route_del(struct nl_sock *sk, int ifindex, const struct pod_route *r);
bool route6_kernel_own(const struct pod_route *r);

#endif
