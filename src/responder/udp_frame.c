// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv4 + UDP framing for the responder's packet socket: parse and build. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "be_bytes.h"
#include "inet_csum.h"
#include "udp_frame.h"

#define IPV4_HEADER_MIN 20
#define IPV4_VERSION	4
#define IPV4_TTL	64
/* Fragment offset and More Fragments bits of frag_off (RFC 791 3.1). */
#define IPV4_FRAG_MASK 0x3fff
#define UDP_HEADER_LEN 8

/* The sum of a header without options: five words, written out. */
static uint32_t ip_header_sum(const uint8_t *h)
{
	return inet_csum_fold64((uint64_t)be32_get(h) + be32_get(h + 4) +
				be32_get(h + 8) + be32_get(h + 12) +
				be32_get(h + 16));
}

/**
 * udp_frame_parse() - Find the UDP datagram in an IPv4 packet
 * @pkt:	Packet from the IPv4 header on (AF_PACKET, SOCK_DGRAM),
 * untrusted
 * @len:	Bytes received; may exceed the IP total length (Ethernet
 * padding)
 * @ret_view:	Addresses, ports and payload, written only on success
 *
 * The IPv4 header checksum is verified: the guest's kernel always computes
 * it in software. The UDP checksum is not: with virtio-net checksum offload
 * a packet socket sees guest packets whose UDP checksum is not filled in
 * yet (TP_STATUS_CSUMNOTREADY; dhclient's "bad udp checksums" trouble).
 *
 * Return: 0, -EBADMSG if malformed or a fragment, -EPROTONOSUPPORT if not
 * IPv4 or not UDP
 */
int udp_frame_parse(const uint8_t *pkt, size_t len, struct udp_view *ret_view)
{
	size_t ihl, total, udp_len;
	const uint8_t *udp;
	struct udp_view v;

	if (!pkt || len < IPV4_HEADER_MIN)
		return -EBADMSG;
	if (pkt[0] >> 4 != IPV4_VERSION)
		return -EPROTONOSUPPORT;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IPV4_HEADER_MIN || ihl > len)
		return -EBADMSG;
	total = be16_get(pkt + 2);
	if (total < ihl || total > len)
		return -EBADMSG;
	if (inet_csum_fold(ihl == IPV4_HEADER_MIN
				   ? ip_header_sum(pkt)
				   : inet_csum_add(0, pkt, ihl)) != 0)
		return -EBADMSG;
	if (be16_get(pkt + 6) & IPV4_FRAG_MASK)
		return -EBADMSG;
	if (pkt[9] != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (total - ihl < UDP_HEADER_LEN)
		return -EBADMSG;
	udp = pkt + ihl;
	udp_len = be16_get(udp + 4);
	if (udp_len < UDP_HEADER_LEN || udp_len > total - ihl)
		return -EBADMSG;

	memcpy(&v.src, pkt + 12, sizeof(v.src));
	memcpy(&v.dst, pkt + 16, sizeof(v.dst));
	v.src_port = be16_get(udp);
	v.dst_port = be16_get(udp + 2);
	v.payload = udp + UDP_HEADER_LEN;
	v.payload_len = udp_len - UDP_HEADER_LEN;
	*ret_view = v;
	return 0;
}

/**
 * udp_frame_build() - Build an IPv4 + UDP packet around a payload
 * @buf:	Output, from the IPv4 header on
 * @cap:	Size of @buf
 * @src:	IPv4 source address
 * @dst:	IPv4 destination address
 * @src_port:	UDP source port, host order
 * @dst_port:	UDP destination port, host order
 * @payload:	Bytes to carry (may be NULL if @payload_len is 0)
 * @payload_len: Length of @payload
 *
 * TTL 64, id 0, no DF, both checksums filled in (UDP over the RFC 768
 * pseudo-header; a computed 0 is sent as 0xffff).
 *
 * Return: total packet length, or -EMSGSIZE if it does not fit @cap or an
 * IPv4 packet
 */
ssize_t udp_frame_build(uint8_t *buf, size_t cap, struct in_addr src,
			struct in_addr dst, uint16_t src_port,
			uint16_t dst_port, const uint8_t *payload,
			size_t payload_len)
{
	size_t total = UDP_FRAME_HEADER_LEN + payload_len;
	uint8_t pseudo[12], *udp;
	uint32_t sum;
	uint16_t ucsum;

	if (!buf || (!payload && payload_len) ||
	    payload_len > UINT16_MAX - UDP_FRAME_HEADER_LEN || total > cap)
		return -EMSGSIZE;

	udp = buf + IPV4_HEADER_MIN;
	memset(buf, 0, UDP_FRAME_HEADER_LEN);
	buf[0] = IPV4_VERSION << 4 | IPV4_HEADER_MIN / 4;
	be16_put(buf + 2, (uint16_t)total);
	buf[8] = IPV4_TTL;
	buf[9] = IPPROTO_UDP;
	memcpy(buf + 12, &src.s_addr, sizeof(src.s_addr));
	memcpy(buf + 16, &dst.s_addr, sizeof(dst.s_addr));
	be16_put(buf + 10,
		 inet_csum_fold(inet_csum_add(0, buf, IPV4_HEADER_MIN)));

	be16_put(udp, src_port);
	be16_put(udp + 2, dst_port);
	be16_put(udp + 4, (uint16_t)(UDP_HEADER_LEN + payload_len));
	if (payload_len)
		memcpy(udp + UDP_HEADER_LEN, payload, payload_len);

	/* RFC 768: source, destination, zero, protocol, UDP length. */
	memcpy(pseudo, buf + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	be16_put(pseudo + 10, (uint16_t)(UDP_HEADER_LEN + payload_len));
	sum = inet_csum_add(0, pseudo, sizeof(pseudo));
	sum = inet_csum_add(sum, udp, UDP_HEADER_LEN + payload_len);
	ucsum = inet_csum_fold(sum);
	be16_put(udp + 6, ucsum ? ucsum : 0xffff);
	return (ssize_t)total;
}
