// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of Ethernet + IPv6 framing and the unsolicited NA: checksums
 * recomputed independently, round trips, each parse check. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ip6_frame.h"
#include "pod_iface.h"
#include "unsol_na.h"
#include "util.h"
#include "test.h"

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t br_mac[MAC_LEN] = {0x5a, 0x30, 0x4d, 0xd3, 0x6a, 0x41};

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	(void)inet_pton(AF_INET6, s, &a);
	return a;
}

/* RFC 1071 sum of the IPv6 pseudo-header and the upper layer: 0 if right. */
static uint16_t verify(const uint8_t *frame, size_t len)
{
	const uint8_t *ip = frame + 14;
	size_t plen = (size_t)(ip[4] << 8 | ip[5]);
	uint32_t sum = (uint32_t)plen + ip[6];

	(void)len;
	for (size_t i = 8; i < 40; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	for (size_t i = 0; i + 1 < plen; i += 2)
		sum += (uint32_t)(ip[40 + i] << 8 | ip[40 + i + 1]);
	if (plen & 1)
		sum += (uint32_t)ip[40 + plen - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void udp_round_trip(void)
{
	struct in6_addr s = a6("fe80::1"), d = a6("fe80::5054:ff:fe12:3456");
	const uint8_t pl[] = {7, 1, 2, 3, 0, 2, 0, 0};
	uint8_t buf[256];
	struct ip6_view v;
	ssize_t n = ip6_frame_build_udp(buf, sizeof(buf), vm_mac, br_mac, &s,
					&d, 547, 546, pl, sizeof(pl));

	CHECK_EQ_INT(n, IP6_FRAME_L4_OFF + 8 + sizeof(pl));
	CHECK_EQ_INT(verify(buf, (size_t)n), 0);
	CHECK(memcmp(buf, vm_mac, MAC_LEN) == 0);
	CHECK(memcmp(buf + 6, br_mac, MAC_LEN) == 0);
	CHECK_EQ_INT(ip6_frame_parse(buf, (size_t)n, &v), 0);
	CHECK_EQ_INT(v.next, IPPROTO_UDP);
	CHECK_EQ_INT(v.src_port, 547);
	CHECK_EQ_INT(v.dst_port, 546);
	CHECK_EQ_INT(v.payload_len, sizeof(pl));
	CHECK(memcmp(v.payload, pl, sizeof(pl)) == 0);
	CHECK(memcmp(&v.src, &s, sizeof(s)) == 0);
	CHECK(memcmp(v.eth_src, br_mac, MAC_LEN) == 0);
	/* Ethernet padding after the packet is allowed. */
	memset(buf + n, 0, 10);
	CHECK_EQ_INT(ip6_frame_parse(buf, (size_t)n + 10, &v), 0);
}

static void icmp6_checksum_verified(void)
{
	struct in6_addr s = a6("fe80::1"), d = a6("ff02::1");
	uint8_t msg[16] = {134, 0, 0xaa, 0xbb}, buf[128];
	struct ip6_view v;
	ssize_t n = ip6_frame_build_icmp6(buf, sizeof(buf), vm_mac, br_mac, &s,
					  &d, 255, msg, sizeof(msg));

	CHECK_EQ_INT(n, IP6_FRAME_L4_OFF + sizeof(msg));
	CHECK_EQ_INT(verify(buf, (size_t)n), 0);
	CHECK_EQ_INT(buf[14 + 7], 255);
	CHECK_EQ_INT(ip6_frame_parse(buf, (size_t)n, &v), 0);
	CHECK_EQ_INT(v.hop_limit, 255);
	buf[IP6_FRAME_L4_OFF + 5] ^= 1;
	CHECK_EQ_INT(ip6_frame_parse(buf, (size_t)n, &v), -EBADMSG);
}

static void parse_refuses(void)
{
	struct in6_addr s = a6("fe80::1"), d = a6("ff02::1:2");
	const uint8_t pl[4] = {1, 2, 3, 4};
	uint8_t buf[256], bad[256];
	struct ip6_view v;
	ssize_t n = ip6_frame_build_udp(buf, sizeof(buf), vm_mac, br_mac, &s,
					&d, 546, 547, pl, sizeof(pl));

	CHECK_EQ_INT(ip6_frame_parse(buf, IP6_FRAME_L4_OFF - 1, &v), -EBADMSG);
	CHECK_EQ_INT(ip6_frame_parse(buf, (size_t)n - 1, &v), -EBADMSG);
	memcpy(bad, buf, (size_t)n);
	bad[12] = 0x08; /* IPv4 ethertype */
	bad[13] = 0x00;
	CHECK_EQ_INT(ip6_frame_parse(bad, (size_t)n, &v), -EPROTONOSUPPORT);
	memcpy(bad, buf, (size_t)n);
	bad[14] = 0x45;
	CHECK_EQ_INT(ip6_frame_parse(bad, (size_t)n, &v), -EPROTONOSUPPORT);
	memcpy(bad, buf, (size_t)n);
	bad[14 + 6] = 0; /* hop-by-hop header: refused, never skipped */
	CHECK_EQ_INT(ip6_frame_parse(bad, (size_t)n, &v), -EPROTONOSUPPORT);
	memcpy(bad, buf, (size_t)n);
	bad[14 + 6] = 44; /* fragment header */
	CHECK_EQ_INT(ip6_frame_parse(bad, (size_t)n, &v), -EPROTONOSUPPORT);
	memcpy(bad, buf, (size_t)n);
	bad[IP6_FRAME_L4_OFF + 5] = 40; /* UDP length past the payload */
	CHECK_EQ_INT(ip6_frame_parse(bad, (size_t)n, &v), -EBADMSG);
	bad[IP6_FRAME_L4_OFF + 5] = 7; /* shorter than its header */
	CHECK_EQ_INT(ip6_frame_parse(bad, (size_t)n, &v), -EBADMSG);
	CHECK_EQ_INT(ip6_frame_parse(NULL, 100, &v), -EBADMSG);
}

static void build_bounds(void)
{
	struct in6_addr s = a6("fe80::1");
	uint8_t buf[IP6_FRAME_L4_OFF + 8 + 3], msg[4] = {0};

	CHECK_EQ_INT(ip6_frame_build_udp(buf, sizeof(buf), vm_mac, br_mac, &s,
					 &s, 1, 2, msg, 4),
		     -EMSGSIZE);
	CHECK_EQ_INT(ip6_frame_build_udp(buf, sizeof(buf), vm_mac, br_mac, &s,
					 &s, 1, 2, msg, 3),
		     (ssize_t)sizeof(buf));
	CHECK_EQ_INT(ip6_frame_build_icmp6(buf, sizeof(buf), vm_mac, br_mac, &s,
					   &s, 255, msg, 3),
		     -EMSGSIZE);
}

static void helpers(void)
{
	struct in6_addr ll, g = a6("ff02::1:ff12:3456");
	uint8_t m[MAC_LEN],
		want[MAC_LEN] = {0x33, 0x33, 0xff, 0x12, 0x34, 0x56};
	char t[INET6_ADDRSTRLEN];

	pod_eui64_ll(vm_mac, &ll);
	CHECK_EQ_STR(inet_ntop(AF_INET6, &ll, t, sizeof(t)),
		     "fe80::5054:ff:fe12:3456");
	ip6_multicast_mac(&g, m);
	CHECK(memcmp(m, want, MAC_LEN) == 0);
}

static void unsolicited_na(void)
{
	static const uint8_t node[MAC_LEN] = {0x8a, 0xad, 0x6e, 0x7e, 0xe2, 1};
	struct in6_addr t = a6("2001:db8:1::10");
	uint8_t f[UNSOL_NA_FRAME_LEN];
	struct ip6_view v;

	unsol_na_build_frame(f, node, vm_mac, &t);
	CHECK(memcmp(f, node, MAC_LEN) == 0);
	CHECK(memcmp(f + 6, vm_mac, MAC_LEN) == 0);
	CHECK_EQ_INT(verify(f, sizeof(f)), 0);
	CHECK_EQ_INT(ip6_frame_parse(f, sizeof(f), &v), 0);
	CHECK_EQ_INT(v.hop_limit, 255);
	CHECK_EQ_INT(v.payload[0], 136);
	CHECK_EQ_INT(v.payload[4], 0x20); /* Override, not Solicited/Router */
	CHECK(memcmp(v.payload + 8, &t, 16) == 0);
	CHECK(memcmp(&v.src, &t, 16) == 0);
	CHECK_EQ_INT(v.dst.s6_addr[0], 0xff);
	CHECK_EQ_INT(v.dst.s6_addr[15], 1);
	CHECK_EQ_INT(v.payload[24], 2); /* TLLA */
	CHECK(memcmp(v.payload + 26, vm_mac, MAC_LEN) == 0);
}

int main(void)
{
	RUN(udp_round_trip);
	RUN(icmp6_checksum_verified);
	RUN(parse_refuses);
	RUN(build_bounds);
	RUN(helpers);
	RUN(unsolicited_na);
	return TEST_SUMMARY();
}
