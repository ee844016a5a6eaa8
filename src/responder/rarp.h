// SPDX-License-Identifier: GPL-2.0-or-later
/* QEMU's self-announcement after a live migration: a RARP frame from the
 * VM's MAC (ethertype 0x8035), parsed from untrusted bytes. */
#ifndef PODNET_RARP_H
#define PODNET_RARP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#ifndef ETH_P_RARP
#define ETH_P_RARP 0x8035
#endif
/* The ARP-format header and its four addresses, Ethernet and IPv4. */
#define RARP_PACKET_LEN 28
/* RFC 903: 3 = reverse request (QEMU's), 4 = reverse reply. */
#define RARP_OP_REQUEST 3

int rarp_parse(const uint8_t *pkt, size_t len, const uint8_t mac[MAC_LEN]);

#endif
