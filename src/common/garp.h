// SPDX-License-Identifier: GPL-2.0-or-later
/* Gratuitous ARP: move the node's neighbour entry for the pod IP at once. */
#ifndef PODNET_GARP_H
#define PODNET_GARP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Ethernet header (14) plus an IPv4-over-Ethernet ARP packet (28). */
#define GARP_FRAME_LEN 42

void garp_build_frame(uint8_t frame[GARP_FRAME_LEN], const uint8_t mac[MAC_LEN],
		      struct in_addr ip);
int garp_open_socket(int ifindex);
int garp_send(int fd, int ifindex, const uint8_t mac[MAC_LEN],
	      struct in_addr ip);

#endif
