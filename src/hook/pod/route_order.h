// SPDX-License-Identifier: GPL-2.0-or-later
/* The order in which a pod's routes can be put back. Pure: no I/O. */
#ifndef PODNET_ROUTE_ORDER_H
#define PODNET_ROUTE_ORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "pod_iface.h"

bool route_covers(const struct pod_route *r, const union inany *a);
size_t route_restore_order(const struct pod_iface *o, sa_family_t af,
			   size_t order[PODNET_MAX_POD_ROUTES]);

#endif
