// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv4 + UDP framing for the responder's packet socket. Pure: no I/O. */
#ifndef PODNET_UDP_FRAME_H
#define PODNET_UDP_FRAME_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* IPv4 header without options plus UDP header. */
#define UDP_FRAME_HEADER_LEN 28

/* A UDP datagram found inside an IPv4 packet. */
struct udp_view {
	struct in_addr src, dst;
	uint16_t src_port, dst_port; /* host order */
	const uint8_t *payload;	     /* points into the packet given */
	size_t payload_len;
};

int udp_frame_parse(const uint8_t *pkt, size_t len, struct udp_view *ret_view);
ssize_t udp_frame_build(uint8_t *buf, size_t cap, struct in_addr src,
			struct in_addr dst, uint16_t src_port,
			uint16_t dst_port, const uint8_t *payload,
			size_t payload_len);

#endif
