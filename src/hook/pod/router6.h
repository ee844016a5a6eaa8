// SPDX-License-Identifier: GPL-2.0-or-later
/* The pod's IPv6 router as the VM must see it: a link-local address the
 * real next hop answers for, and its MAC. */
#ifndef PODNET_ROUTER6_H
#define PODNET_ROUTER6_H

#include <stdbool.h>

#include "pod_iface.h"

struct nl_sock;

const struct pod_route *router6_default_route(const struct pod_iface *o);
void router6_find(struct nl_sock *sk, struct pod_iface *o, bool quiet);

#endif
