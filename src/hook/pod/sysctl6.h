// SPDX-License-Identifier: GPL-2.0-or-later
/* The pod interface's IPv6 sysctls under /proc/sys/net/ipv6/conf/IFACE/. */
#ifndef PODNET_SYSCTL6_H
#define PODNET_SYSCTL6_H

#include "pod_iface.h"

enum sysctl6_key {
	SYSCTL6_DISABLE_IPV6,
	SYSCTL6_ACCEPT_RA,
	SYSCTL6_ACCEPT_DAD,
	SYSCTL6_ADDR_GEN_MODE,
};

void sysctl6_read(const char *ifname, struct pod_sysctl6 *ret);
int sysctl6_write(const char *ifname, enum sysctl6_key key, int value);
int sysctl6_get(const struct pod_sysctl6 *y, enum sysctl6_key key);
const char *sysctl6_name(enum sysctl6_key key);

#endif
