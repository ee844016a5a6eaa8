// SPDX-License-Identifier: GPL-2.0-or-later
/* What differs between a pod interface as recorded and as it is now. Pure.
 */
#ifndef PODNET_POD_DIFF_H
#define PODNET_POD_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "pod_iface.h"

bool pod_route_same(const struct pod_route *a, const struct pod_route *b);
int pod_route_text(const struct pod_route *r, char *buf, size_t len);
bool pod_has_addr(const struct pod_iface *o, const struct pod_addr *x);
bool pod_has_route(const struct pod_iface *o, const struct pod_route *x);
bool pod_has_neigh(const struct pod_iface *o, const struct pod_neigh *x);
int pod_iface_diff(const struct pod_iface *want, const struct pod_iface *now,
		   char *what, size_t what_len);

#endif
