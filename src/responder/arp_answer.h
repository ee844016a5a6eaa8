// SPDX-License-Identifier: GPL-2.0-or-later
/* Answers to the guest's ARP requests for gateways the pod reached through a
 * permanent neighbour entry (AWS VPC CNI): the node answers no ARP there.
 * Pure: no I/O. */
#ifndef PODNET_ARP_ANSWER_H
#define PODNET_ARP_ANSWER_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "podnet_limits.h"
#include "util.h"

/* An IPv4-over-Ethernet ARP packet, and with its Ethernet header. */
#define ARP_PACKET_LEN	    28
#define ARP_REPLY_FRAME_LEN (14 + ARP_PACKET_LEN)

/* One gateway and the MAC the pod's permanent entry gave it. */
struct arp_answer {
	struct in_addr ip;
	uint8_t mac[MAC_LEN];
};

struct arp_answers {
	size_t n;
	struct arp_answer entries[PODNET_MAX_NEIGHS];
};

ssize_t arp_answer_build(const uint8_t *req, size_t len,
			 const uint8_t vm_mac[MAC_LEN],
			 const struct arp_answers *answers,
			 uint8_t frame[ARP_REPLY_FRAME_LEN]);
bool arp_shows_other_addr(const uint8_t *pkt, size_t len,
			  const uint8_t vm_mac[MAC_LEN], struct in_addr own);

#endif
