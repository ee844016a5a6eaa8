// SPDX-License-Identifier: GPL-2.0-or-later
/* Discovery of the pod's network facts: the pod interface (rtnetlink)
 * and DNS. */
#ifndef PODNET_DISCOVER_H
#define PODNET_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "pod_iface.h"
#include "resolv.h"

struct nl_sock;

int discover_pod_iface(struct nl_sock *sk, const char *name, bool need_addr,
		       struct pod_iface *ret, char *err, size_t err_len);
int discover_iface_config(struct nl_sock *sk, struct pod_iface *ret);
int discover_iface_now(struct nl_sock *sk, int ifindex, struct pod_iface *ret);
int discover_link_exists(struct nl_sock *sk, const char *name);
int discover_dns(const char *path, struct resolv_conf *ret);

#endif
