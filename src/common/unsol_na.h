// SPDX-License-Identifier: GPL-2.0-or-later
/* Unsolicited Neighbour Advertisement: the IPv6 gratuitous ARP. */
#ifndef PODNET_UNSOL_NA_H
#define PODNET_UNSOL_NA_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Ethernet (14) + IPv6 (40) + NA (24) + target link-layer option (8). */
#define UNSOL_NA_FRAME_LEN 86

void unsol_na_build_frame(uint8_t frame[UNSOL_NA_FRAME_LEN],
			  const uint8_t eth_dst[MAC_LEN],
			  const uint8_t mac[MAC_LEN],
			  const struct in6_addr *target);
int unsol_na_send(int fd, int ifindex, const uint8_t eth_dst[MAC_LEN],
		  const uint8_t mac[MAC_LEN], const struct in6_addr *target);

struct pod_iface;
int unsol_na_announce_pod(int fd, const struct pod_iface *o);

#endif
