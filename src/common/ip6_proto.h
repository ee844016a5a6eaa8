// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv6 over Ethernet and Neighbour Discovery (RFC 4861) numbers: one list
 * for the responder's RA/NS handling and the NA that both programs send. */
#ifndef PODNET_IP6_PROTO_H
#define PODNET_IP6_PROTO_H

#define IP6_ETH_HEADER_LEN 14
#define IP6_HEADER_LEN	   40
#define IP6_ETHERTYPE	   0x86dd

/* ICMPv6 types of NDP. */
#define NDP_RS 133
#define NDP_RA 134
#define NDP_NS 135
#define NDP_NA 136
/* Sent with 255, refused otherwise (RFC 4861 6.1.2, 7.1.2): not forwarded. */
#define NDP_HOP_LIMIT 255
/* Option types: source and target link-layer address. */
#define NDP_OPT_SLLA 1
#define NDP_OPT_TLLA 2

#endif
