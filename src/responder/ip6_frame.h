// SPDX-License-Identifier: GPL-2.0-or-later
/* Ethernet + IPv6 + UDP/ICMPv6 framing for the responder's IPv6 socket.
 * Pure: no I/O. */
#ifndef PODNET_IP6_FRAME_H
#define PODNET_IP6_FRAME_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ip6_proto.h"
#include "util.h"

#define IP6_UDP_HEADER_LEN 8
/* Ethernet + IPv6 fixed header: where UDP or ICMPv6 starts in a frame. */
#define IP6_FRAME_L4_OFF (IP6_ETH_HEADER_LEN + IP6_HEADER_LEN)
/* RFC 8200 5: every link carries 1280 bytes; replies never exceed it. */
#define IP6_MIN_MTU 1280
/* The largest frame the responder builds. */
#define IP6_FRAME_MAX (IP6_ETH_HEADER_LEN + IP6_MIN_MTU)

/* A UDP datagram or ICMPv6 message found in an Ethernet + IPv6 frame. */
struct ip6_view {
	uint8_t eth_dst[MAC_LEN], eth_src[MAC_LEN];
	struct in6_addr src, dst;
	uint8_t hop_limit;
	uint8_t next; /* IPPROTO_UDP or IPPROTO_ICMPV6 */
	/* UDP only, host order. */
	uint16_t src_port, dst_port;
	/* UDP: the datagram's payload; ICMPv6: the whole message from its
	 * type byte on (checksum verified). Points into the frame given. */
	const uint8_t *payload;
	size_t payload_len;
};

int ip6_frame_parse(const uint8_t *frame, size_t len, struct ip6_view *ret);
ssize_t ip6_frame_build_icmp6(uint8_t *buf, size_t cap,
			      const uint8_t eth_dst[MAC_LEN],
			      const uint8_t eth_src[MAC_LEN],
			      const struct in6_addr *src,
			      const struct in6_addr *dst, uint8_t hop_limit,
			      const uint8_t *msg, size_t msg_len);
ssize_t ip6_frame_build_udp(uint8_t *buf, size_t cap,
			    const uint8_t eth_dst[MAC_LEN],
			    const uint8_t eth_src[MAC_LEN],
			    const struct in6_addr *src,
			    const struct in6_addr *dst, uint16_t src_port,
			    uint16_t dst_port, const uint8_t *payload,
			    size_t payload_len);
void ip6_multicast_mac(const struct in6_addr *group, uint8_t ret[MAC_LEN]);

#endif
