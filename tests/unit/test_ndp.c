// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of NDP: RS/NS validity checks and the RA's exact contents. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ip6_frame.h"
#include "lease6.h"
#include "ndp.h"
#include "util.h"
#include "lease6_fixture.h"
#include "test.h"

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t br_mac[MAC_LEN] = {0x5a, 0x30, 0x4d, 0xd3, 0x6a, 0x41};
static const uint8_t rt_mac[MAC_LEN] = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee};

static struct lease6 lease;

static void setup(void)
{
	lease6_fixture(&lease, br_mac);
	memcpy(lease.client_mac, vm_mac, MAC_LEN);
	a6("fe80::ecee:eeff:feee:eeee", &lease.router_ll);
	memcpy(lease.router_mac, rt_mac, MAC_LEN);
	lease.has_router_mac = true;
	lease.router_lifetime = LEASE6_ROUTER_LIFETIME;
	lease.mtu = 1400;
	lease.n_routes = 1;
	a6("2001:db8:77::", &lease.routes[0].dst);
	lease.routes[0].len = 48;
	lease.routes[0].pref = 1;
	lease.n_search = 1;
	strcpy(lease.search[0], "pod.example.test");
}

/* An RS/NS frame from the VM, built with the module's own framing. */
static size_t msg_frame(uint8_t *buf, const char *src, uint8_t hop,
			const uint8_t *msg, size_t len)
{
	struct in6_addr s, d;

	a6(src, &s);
	a6("ff02::2", &d);
	return (size_t)ip6_frame_build_icmp6(buf, 256, br_mac, vm_mac, &s, &d,
					     hop, msg, len);
}

static int parse(const uint8_t *msg, size_t len, const char *src, uint8_t hop,
		 struct ndp_msg *m)
{
	uint8_t buf[256];
	struct ip6_view v;
	size_t n = msg_frame(buf, src, hop, msg, len);

	if (ip6_frame_parse(buf, n, &v) < 0)
		return -100;
	return ndp_parse(&v, m);
}

static void rs_ns_checks(void)
{
	uint8_t rs[16] = {133, 0, 0,	0,    0, 0,    0,    0,
			  1,   1, 0x52, 0x54, 0, 0x12, 0x34, 0x56};
	uint8_t ns[24] = {135, 0, 0, 0};
	struct ndp_msg m;

	CHECK_EQ_INT(parse(rs, sizeof(rs), "fe80::1", 255, &m), 0);
	CHECK_EQ_INT(m.type, NDP_RS);
	CHECK(m.has_slla && memcmp(m.slla, vm_mac, MAC_LEN) == 0);
	CHECK_EQ_INT(parse(rs, 8, "::", 255, &m), 0);
	/* RFC 4861 6.1.1: from ::, no SLLA. */
	CHECK_EQ_INT(parse(rs, sizeof(rs), "::", 255, &m), -EBADMSG);
	CHECK_EQ_INT(parse(rs, sizeof(rs), "fe80::1", 64, &m), -EBADMSG);
	rs[1] = 1;
	CHECK_EQ_INT(parse(rs, sizeof(rs), "fe80::1", 255, &m), -EBADMSG);
	rs[1] = 0;
	rs[9] = 0; /* option of length 0 */
	CHECK_EQ_INT(parse(rs, sizeof(rs), "fe80::1", 255, &m), -EBADMSG);
	rs[9] = 2; /* option past the end */
	CHECK_EQ_INT(parse(rs, sizeof(rs), "fe80::1", 255, &m), -EBADMSG);
	CHECK_EQ_INT(parse(rs, 9, "fe80::1", 255, &m), -EBADMSG);
	CHECK_EQ_INT(parse(rs, 4, "fe80::1", 255, &m), -EBADMSG);
	a6("2001:db8:1::10", ns + 8);
	CHECK_EQ_INT(parse(ns, sizeof(ns), "::", 255, &m), 0);
	CHECK_EQ_INT(m.type, NDP_NS);
	CHECK(memcmp(&m.target, ns + 8, 16) == 0);
	CHECK_EQ_INT(parse(ns, 23, "::", 255, &m), -EBADMSG);
	a6("ff02::1", ns + 8);
	CHECK_EQ_INT(parse(ns, sizeof(ns), "::", 255, &m), -EBADMSG);
	ns[0] = 136;
	CHECK_EQ_INT(parse(ns, sizeof(ns), "::", 255, &m), -ENOMSG);
}

/* The option of @type in an RA message, NULL if absent (or the @nth). */
static const uint8_t *ra_opt(const uint8_t *m, size_t len, uint8_t type,
			     int nth)
{
	for (size_t i = 16; i + 2 <= len && m[i + 1];) {
		if (m[i] == type && nth-- == 0)
			return m + i;
		i += (size_t)m[i + 1] * 8;
	}
	return NULL;
}

static void ra_contents(void)
{
	uint8_t buf[IP6_FRAME_MAX];
	struct in6_addr dst;
	struct ip6_view v;
	const uint8_t *m, *o;
	ssize_t n;

	setup();
	a6("ff02::1", &dst);
	n = ndp_build_ra(&lease, &dst, buf, sizeof(buf));
	CHECK(n > 0);
	if (n <= 0)
		return;
	CHECK(memcmp(buf, vm_mac, MAC_LEN) == 0); /* only the VM */
	CHECK_EQ_INT(ip6_frame_parse(buf, (size_t)n, &v), 0);
	CHECK_EQ_INT(v.hop_limit, 255);
	CHECK(memcmp(&v.src, &lease.router_ll, 16) == 0);
	m = v.payload;
	CHECK_EQ_INT(m[0], NDP_RA);
	CHECK_EQ_INT(m[5], 0xc0); /* M, O */
	CHECK_EQ_INT(m[6] << 8 | m[7], 1800);
	o = ra_opt(m, v.payload_len, 1, 0);
	CHECK(o && o[1] == 1 && memcmp(o + 2, rt_mac, MAC_LEN) == 0);
	o = ra_opt(m, v.payload_len, 5, 0);
	CHECK(o && o[1] == 1 && (o[6] << 8 | o[7]) == 1400);
	o = ra_opt(m, v.payload_len, 3, 0);
	CHECK(o && o[1] == 4 && o[2] == 64 && o[3] == 0x80 &&
	      memcmp(o + 16, &lease.prefixes[0].prefix, 16) == 0);
	CHECK(ra_opt(m, v.payload_len, 3, 1) == NULL);
	o = ra_opt(m, v.payload_len, 24, 0);
	/* RIO: a /48 needs 8 bytes of prefix (length 2), Prf high. */
	CHECK(o && o[1] == 2 && o[2] == 48 && o[3] == 0x08 &&
	      memcmp(o + 8, &lease.routes[0].dst, 8) == 0);
	o = ra_opt(m, v.payload_len, 25, 0);
	CHECK(o && o[1] == 3 && memcmp(o + 8, &lease.dns[0], 16) == 0);
	o = ra_opt(m, v.payload_len, 31, 0);
	CHECK(o && o[1] == 4 &&
	      memcmp(o + 8,
		     "\x03pod\x07"
		     "example\x04test\x00",
		     18) == 0);

	/* No default route: lifetime 0, from the bridge's link-local. */
	memset(&lease.router_ll, 0, sizeof(lease.router_ll));
	lease.router_lifetime = 0;
	lease.n_routes = 0;
	n = ndp_build_ra(&lease, &dst, buf, sizeof(buf));
	CHECK(n > 0 && ip6_frame_parse(buf, (size_t)n, &v) == 0);
	CHECK(memcmp(&v.src, &lease.server_ll, 16) == 0);
	CHECK_EQ_INT(v.payload[6] << 8 | v.payload[7], 0);
	o = ra_opt(v.payload, v.payload_len, 1, 0);
	CHECK(o && memcmp(o + 2, br_mac, MAC_LEN) == 0);
}

static void ra_capped(void)
{
	uint8_t buf[IP6_FRAME_MAX];
	struct in6_addr dst;
	ssize_t n;

	setup();
	lease.n_routes = LEASE6_MAX_ROUTES;
	for (size_t i = 0; i < lease.n_routes; i++) {
		a6("2001:db8:77::", &lease.routes[i].dst);
		lease.routes[i].len = 128;
	}
	lease.n_search = PODNET_MAX_SEARCH;
	for (size_t i = 0; i < lease.n_search; i++) {
		memset(lease.search[i], 'a', 60);
		lease.search[i][60] = 0;
		lease.search[i][0] = (char)('a' + i);
	}
	a6("ff02::1", &dst);
	n = ndp_build_ra(&lease, &dst, buf, sizeof(buf));
	CHECK(n > 0 && n <= IP6_ETH_HEADER_LEN + IP6_MIN_MTU);
	CHECK_EQ_INT(ndp_build_ra(&lease, &dst, buf, 60), -EMSGSIZE);
}

int main(void)
{
	RUN(rs_ns_checks);
	RUN(ra_contents);
	RUN(ra_capped);
	return TEST_SUMMARY();
}
