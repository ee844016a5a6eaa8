// SPDX-License-Identifier: GPL-2.0-or-later
/* Test helpers: family-tagged pod objects from text, as discovery and the
 * record make them (IPv4 "no broadcast" is 0.0.0.0 of its family). */
#ifndef PODNET_TEST_POD_BUILD_H
#define PODNET_TEST_POD_BUILD_H

#include <linux/rtnetlink.h>

#include "pod_iface.h"

/* Append the address TEXT/PLEN to @o; its other fields are zero. */
static inline struct pod_addr *pod_build_addr(struct pod_iface *o,
					      const char *text, uint8_t plen)
{
	struct pod_addr *a = &o->addrs[o->n_addrs++];

	memset(a, 0, sizeof(*a));
	(void)inany_pton(AF_UNSPEC, text, &a->local);
	a->family = inany_family(&a->local);
	inany_any(&a->broadcast, a->family);
	a->prefix_len = plen;
	return a;
}

/* A main-table unicast route DST/LEN via GW ("0.0.0.0" or "::": none),
 * of the family DST shows. */
static inline struct pod_route pod_build_route(const char *dst, uint8_t len,
					       const char *gw)
{
	struct pod_route r = {.table = RT_TABLE_MAIN, .type = RTN_UNICAST};

	(void)inany_pton(AF_UNSPEC, dst, &r.dst);
	r.family = inany_family(&r.dst);
	(void)inany_pton(r.family, gw, &r.gateway);
	inany_any(&r.prefsrc, r.family);
	r.dst_len = len;
	return r;
}

#endif
