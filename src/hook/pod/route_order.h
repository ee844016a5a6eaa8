// SPDX-License-Identifier: GPL-2.0-or-later
/* The order in which a pod's routes can be put back. Pure: no I/O. */
#ifndef PODNET_ROUTE_ORDER_H
#define PODNET_ROUTE_ORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "pod_iface.h"

bool route_covers(const struct pod_route *r, struct in_addr a);
bool route6_covers(const struct pod_route6 *r, const struct in6_addr *a);
size_t route6_restore_order(const struct pod_iface *o,
			    size_t order[PODNET_MAX_ROUTES6]);
size_t route_restore_order(const struct pod_iface *o,
			   size_t order[PODNET_MAX_ROUTES]);

#endif
