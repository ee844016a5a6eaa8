// SPDX-License-Identifier: GPL-2.0-or-later
/* Ethernet + IPv6 + UDP/ICMPv6 framing: parse what the VM sends, build what
 * the responder answers, checksums over the RFC 8200 8.1 pseudo-header. */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "inet_csum.h"
#include "ip6_frame.h"

#define IP6_VERSION 6
/* UDP checksum field offset in its header; ICMPv6 checksum offset. */
#define UDP_CSUM_OFF   6
#define ICMP6_CSUM_OFF 2
#define ICMP6_MIN_LEN  4

/* Sum of the upper-layer message @l4 under the IPv6 pseudo-header. */
static uint16_t l4_checksum(const struct in6_addr *src,
			    const struct in6_addr *dst, uint8_t next,
			    const uint8_t *l4, size_t len)
{
	uint8_t pseudo[8] = {0};
	uint32_t sum;

	pseudo[0] = (uint8_t)(len >> 24);
	pseudo[1] = (uint8_t)(len >> 16);
	pseudo[2] = (uint8_t)(len >> 8);
	pseudo[3] = (uint8_t)len;
	pseudo[7] = next;
	sum = inet_csum_add(0, src->s6_addr, sizeof(src->s6_addr));
	sum = inet_csum_add(sum, dst->s6_addr, sizeof(dst->s6_addr));
	sum = inet_csum_add(sum, pseudo, sizeof(pseudo));
	return inet_csum_fold(inet_csum_add(sum, l4, len));
}

/**
 * ip6_frame_parse() - Find the UDP datagram or ICMPv6 message in a frame
 * @frame:	Ethernet frame (AF_PACKET, SOCK_RAW), untrusted
 * @len:	bytes received (may exceed the IPv6 payload: Ethernet padding)
 * @ret:	what was found, written only on success
 *
 * Extension headers are refused, not skipped: nothing the responder
 * answers (RS, NS, DHCPv6) needs one, and a hop-by-hop or fragment header
 * in front of them is either MLD (not ours) or an attempt to hide the
 * upper layer. The ICMPv6 checksum is verified (the guest's kernel
 * computes it in software); the UDP one is not, as for IPv4: with
 * virtio-net checksum offload it may not be filled in yet.
 *
 * Return: 0, -EBADMSG if malformed, -EPROTONOSUPPORT if not IPv6 carrying
 * UDP or ICMPv6 directly
 */
int ip6_frame_parse(const uint8_t *frame, size_t len, struct ip6_view *ret)
{
	const uint8_t *ip, *l4;
	struct ip6_view v;
	size_t plen;

	if (!frame || len < IP6_FRAME_L4_OFF)
		return -EBADMSG;
	ip = frame + IP6_ETH_HEADER_LEN;
	if (be16_get(frame + 12) != IP6_ETHERTYPE || ip[0] >> 4 != IP6_VERSION)
		return -EPROTONOSUPPORT;
	plen = be16_get(ip + 4);
	if (plen > len - IP6_FRAME_L4_OFF)
		return -EBADMSG;
	memcpy(v.eth_dst, frame, MAC_LEN);
	memcpy(v.eth_src, frame + MAC_LEN, MAC_LEN);
	memcpy(&v.src, ip + 8, sizeof(v.src));
	memcpy(&v.dst, ip + 24, sizeof(v.dst));
	v.next = ip[6];
	v.hop_limit = ip[7];
	v.src_port = v.dst_port = 0;
	l4 = ip + IP6_HEADER_LEN;
	if (v.next == IPPROTO_ICMPV6) {
		if (plen < ICMP6_MIN_LEN ||
		    l4_checksum(&v.src, &v.dst, v.next, l4, plen) != 0)
			return -EBADMSG;
		v.payload = l4;
		v.payload_len = plen;
	} else if (v.next == IPPROTO_UDP) {
		size_t ulen;

		if (plen < IP6_UDP_HEADER_LEN)
			return -EBADMSG;
		ulen = be16_get(l4 + 4);
		if (ulen < IP6_UDP_HEADER_LEN || ulen > plen)
			return -EBADMSG;
		v.src_port = be16_get(l4);
		v.dst_port = be16_get(l4 + 2);
		v.payload = l4 + IP6_UDP_HEADER_LEN;
		v.payload_len = ulen - IP6_UDP_HEADER_LEN;
	} else {
		return -EPROTONOSUPPORT;
	}
	*ret = v;
	return 0;
}

/* Ethernet and IPv6 headers for @l4_len bytes of @next; 0 or -EMSGSIZE. */
static int put_headers(uint8_t *buf, size_t cap, const uint8_t *eth_dst,
		       const uint8_t *eth_src, const struct in6_addr *src,
		       const struct in6_addr *dst, uint8_t hop_limit,
		       uint8_t next, size_t l4_len)
{
	uint8_t *ip;

	if (!buf || l4_len > UINT16_MAX || cap < IP6_FRAME_L4_OFF ||
	    l4_len > cap - IP6_FRAME_L4_OFF)
		return -EMSGSIZE;
	ip = buf + IP6_ETH_HEADER_LEN;
	memcpy(buf, eth_dst, MAC_LEN);
	memcpy(buf + MAC_LEN, eth_src, MAC_LEN);
	be16_put(buf + 12, IP6_ETHERTYPE);
	memset(ip, 0, IP6_HEADER_LEN);
	ip[0] = IP6_VERSION << 4;
	be16_put(ip + 4, (uint16_t)l4_len);
	ip[6] = next;
	ip[7] = hop_limit;
	memcpy(ip + 8, src, sizeof(*src));
	memcpy(ip + 24, dst, sizeof(*dst));
	return 0;
}

/**
 * ip6_frame_build_icmp6() - An Ethernet + IPv6 frame carrying ICMPv6
 * @buf:	output, from the Ethernet header on
 * @cap:	size of @buf
 * @eth_dst:	Ethernet destination
 * @eth_src:	Ethernet source
 * @src:	IPv6 source
 * @dst:	IPv6 destination
 * @hop_limit:	255 for NDP (RFC 4861 6.1.2, 7.1.2: receivers check it)
 * @msg:	the ICMPv6 message from its type byte on; its checksum field
 *		is ignored and computed here
 * @msg_len:	length of @msg (at least 4)
 *
 * Return: frame length, or -EMSGSIZE
 */
ssize_t ip6_frame_build_icmp6(uint8_t *buf, size_t cap,
			      const uint8_t eth_dst[MAC_LEN],
			      const uint8_t eth_src[MAC_LEN],
			      const struct in6_addr *src,
			      const struct in6_addr *dst, uint8_t hop_limit,
			      const uint8_t *msg, size_t msg_len)
{
	uint8_t *l4;

	if (!msg || msg_len < ICMP6_MIN_LEN ||
	    put_headers(buf, cap, eth_dst, eth_src, src, dst, hop_limit,
			IPPROTO_ICMPV6, msg_len) < 0)
		return -EMSGSIZE;
	l4 = buf + IP6_FRAME_L4_OFF;
	memmove(l4, msg, msg_len);
	be16_put(l4 + ICMP6_CSUM_OFF, 0);
	be16_put(l4 + ICMP6_CSUM_OFF,
		 l4_checksum(src, dst, IPPROTO_ICMPV6, l4, msg_len));
	return (ssize_t)(IP6_FRAME_L4_OFF + msg_len);
}

/**
 * ip6_frame_build_udp() - An Ethernet + IPv6 + UDP frame
 * @buf:	output, from the Ethernet header on
 * @cap:	size of @buf
 * @eth_dst:	Ethernet destination
 * @eth_src:	Ethernet source
 * @src:	IPv6 source
 * @dst:	IPv6 destination
 * @src_port:	UDP source port, host order
 * @dst_port:	UDP destination port, host order
 * @payload:	the datagram (may overlap @buf: it is moved)
 * @payload_len: its length
 *
 * Hop limit 64. The UDP checksum is mandatory over IPv6 (RFC 8200 8.1): a
 * computed 0 goes out as 0xffff.
 *
 * Return: frame length, or -EMSGSIZE
 */
ssize_t ip6_frame_build_udp(uint8_t *buf, size_t cap,
			    const uint8_t eth_dst[MAC_LEN],
			    const uint8_t eth_src[MAC_LEN],
			    const struct in6_addr *src,
			    const struct in6_addr *dst, uint16_t src_port,
			    uint16_t dst_port, const uint8_t *payload,
			    size_t payload_len)
{
	size_t ulen = IP6_UDP_HEADER_LEN + payload_len;
	uint8_t *l4;
	uint16_t sum;

	if ((!payload && payload_len) || payload_len > UINT16_MAX ||
	    put_headers(buf, cap, eth_dst, eth_src, src, dst, 64, IPPROTO_UDP,
			ulen) < 0)
		return -EMSGSIZE;
	l4 = buf + IP6_FRAME_L4_OFF;
	if (payload_len)
		memmove(l4 + IP6_UDP_HEADER_LEN, payload, payload_len);
	be16_put(l4, src_port);
	be16_put(l4 + 2, dst_port);
	be16_put(l4 + 4, (uint16_t)ulen);
	be16_put(l4 + UDP_CSUM_OFF, 0);
	sum = l4_checksum(src, dst, IPPROTO_UDP, l4, ulen);
	be16_put(l4 + UDP_CSUM_OFF, sum ? sum : 0xffff);
	return (ssize_t)(IP6_FRAME_L4_OFF + ulen);
}

/**
 * ip6_multicast_mac() - The Ethernet group of an IPv6 multicast address
 * @group:	IPv6 multicast address
 * @ret:	33:33 and its last 32 bits (RFC 2464 7)
 */
void ip6_multicast_mac(const struct in6_addr *group, uint8_t ret[MAC_LEN])
{
	ret[0] = 0x33;
	ret[1] = 0x33;
	memcpy(ret + 2, group->s6_addr + 12, 4);
}
