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

/**
 * udp_frame_csum_add() - Add @n bytes to a one's-complement sum (RFC 1071)
 * @sum:	the sum so far (unfolded)
 * @p:		bytes, read as big-endian 16-bit words with memcpy
 * @n:		their number; an odd last byte is the high half of a word
 *
 * Inline: the per-packet callers add a few words of known count.
 *
 * Return: the new unfolded sum (fold it with udp_frame_csum_fold())
 */
static inline uint32_t udp_frame_csum_add(uint32_t sum, const uint8_t *p,
					  size_t n)
{
	uint16_t word;

	for (; n >= sizeof(word); p += sizeof(word), n -= sizeof(word)) {
		memcpy(&word, p, sizeof(word));
		sum += ntohs(word);
	}
	if (n)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/**
 * udp_frame_csum_fold() - The checksum of a one's-complement sum
 * @sum:	unfolded sum
 *
 * Return: the complement of the end-around-carry folded sum
 */
static inline uint16_t udp_frame_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
