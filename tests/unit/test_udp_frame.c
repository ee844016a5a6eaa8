// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of IPv4 + UDP framing: known checksums, round trips, each parse
 * check. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "udp_frame.h"
#include "util.h"
#include "test.h"

#define IP4(a, b, c, d)                                                        \
	((struct in_addr){                                                     \
		.s_addr = htonl((uint32_t)(a) << 24 | (uint32_t)(b) << 16 |    \
				(uint32_t)(c) << 8 | (uint32_t)(d))})

static const uint8_t payload[] = {'p', 'o', 'd', 'n', 'e', 't', '!'};

/* Computed independently (Python, RFC 1071 sum) for the frame below. */
static const uint8_t known_frame[] = {
	0x45, 0x00, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x26, 0x58,
	198,  51,   100,  1,	198,  51,   100,  10,	0x00, 0x43, 0x00, 0x44,
	0x00, 0x0f, 0x4f, 0x84, 'p',  'o',  'd',  'n',	'e',  't',  '!',
};

static ssize_t build_known(uint8_t *buf, size_t cap)
{
	return udp_frame_build(buf, cap, IP4(198, 51, 100, 1),
			       IP4(198, 51, 100, 10), 67, 68, payload,
			       sizeof(payload));
}

/* RFC 1071: the one's-complement sum over data with its checksum is 0. */
static uint16_t fold(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void build_known_vector(void)
{
	uint8_t buf[128];
	ssize_t n = build_known(buf, sizeof(buf));

	CHECK_EQ_INT(n, sizeof(known_frame));
	CHECK(n == sizeof(known_frame) &&
	      memcmp(buf, known_frame, sizeof(known_frame)) == 0);
}

static void build_checksums_recomputed(void)
{
	uint8_t buf[128], pseudo[12];
	ssize_t n = build_known(buf, sizeof(buf));
	uint32_t sum = 0;

	CHECK(n > 0);
	CHECK_EQ_INT(fold(buf, 20, 0), 0);
	memcpy(pseudo, buf + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	pseudo[10] = 0;
	pseudo[11] = (uint8_t)(n - 20);
	for (size_t i = 0; i < sizeof(pseudo); i += 2)
		sum += (uint32_t)pseudo[i] << 8 | pseudo[i + 1];
	CHECK_EQ_INT(fold(buf + 20, (size_t)n - 20, sum), 0);
}

static void build_odd_and_empty_payload(void)
{
	uint8_t buf[64];
	struct udp_view v;
	ssize_t n;

	n = udp_frame_build(buf, sizeof(buf), IP4(169, 254, 1, 1),
			    IP4(255, 255, 255, 255), 67, 68, NULL, 0);
	CHECK_EQ_INT(n, UDP_FRAME_HEADER_LEN);
	CHECK_EQ_INT(udp_frame_parse(buf, (size_t)n, &v), 0);
	CHECK_EQ_INT(v.payload_len, 0);
	CHECK(buf[26] != 0 || buf[27] != 0); /* never "no checksum" */
}

static void build_too_small(void)
{
	uint8_t buf[64];

	CHECK_EQ_INT(build_known(buf, sizeof(known_frame) - 1), -EMSGSIZE);
	CHECK_EQ_INT(build_known(buf, sizeof(known_frame)),
		     sizeof(known_frame));
	CHECK_EQ_INT(udp_frame_build(buf, sizeof(buf), IP4(0, 0, 0, 0),
				     IP4(0, 0, 0, 0), 1, 2, payload, 65535),
		     -EMSGSIZE);
}

static void round_trip(void)
{
	uint8_t buf[400], data[300];
	struct udp_view v;
	ssize_t n;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	n = udp_frame_build(buf, sizeof(buf), IP4(198, 51, 100, 1),
			    IP4(198, 51, 100, 10), 67, 68, data, sizeof(data));
	CHECK_EQ_INT(n, 328);
	CHECK_EQ_INT(udp_frame_parse(buf, (size_t)n, &v), 0);
	CHECK(v.src.s_addr == IP4(198, 51, 100, 1).s_addr);
	CHECK(v.dst.s_addr == IP4(198, 51, 100, 10).s_addr);
	CHECK_EQ_INT(v.src_port, 67);
	CHECK_EQ_INT(v.dst_port, 68);
	CHECK(v.payload == buf + 28);
	CHECK_EQ_INT(v.payload_len, sizeof(data));
	CHECK(memcmp(v.payload, data, sizeof(data)) == 0);
}

/* Rewrites the IPv4 header checksum after a test changed the header. */
static void fix_ip_csum(uint8_t *p, size_t ihl)
{
	uint16_t c;

	p[10] = p[11] = 0;
	c = fold(p, ihl, 0);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
}

struct parse_case {
	const char *name;
	size_t off; /* byte to change in the known frame, or SIZE_MAX */
	uint8_t val;
	size_t len; /* length handed to parse */
	int want;
};

static void parse_table(void)
{
	const size_t full = sizeof(known_frame);
	const struct parse_case cases[] = {
		{"good", SIZE_MAX, 0, full, 0},
		{"ethernet-padding", SIZE_MAX, 0, full + 10, 0},
		{"short", SIZE_MAX, 0, 19, -EBADMSG},
		{"version-6", 0, 0x65, full, -EPROTONOSUPPORT},
		{"ihl-4", 0, 0x44, full, -EBADMSG},
		{"ihl-past-len", 0, 0x4f, full, -EBADMSG},
		{"total-past-len", 3, 0x24, full, -EBADMSG},
		{"total-below-ihl", 3, 19, full, -EBADMSG},
		{"more-fragments", 6, 0x20, full, -EBADMSG},
		{"fragment-offset", 7, 0x01, full, -EBADMSG},
		{"dont-fragment-ok", 6, 0x40, full, 0},
		{"tcp", 9, IPPROTO_TCP, full, -EPROTONOSUPPORT},
		{"udp-header-cut", 3, 27, full, -EBADMSG},
		{"udp-len-below-8", 25, 7, full, -EBADMSG},
		{"udp-len-past-ip", 25, 16, full, -EBADMSG},
		{"udp-len-shorter-ok", 25, 8, full, 0},
		{"bad-ip-checksum", 11, 0x59, full, -EBADMSG},
	};
	uint8_t pkt[sizeof(known_frame) + 10];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct parse_case *c = &cases[i];
		struct udp_view v;
		int r;

		memset(pkt, 0, sizeof(pkt));
		memcpy(pkt, known_frame, sizeof(known_frame));
		if (c->off != SIZE_MAX) {
			pkt[c->off] = c->val;
			if (c->off < 20 && c->off != 11 && c->off != 0)
				fix_ip_csum(pkt, 20);
		}
		r = udp_frame_parse(pkt, c->len, &v);
		if (r != c->want)
			fprintf(stderr, "  case '%s'\n", c->name);
		CHECK_EQ_INT(r, c->want);
	}
}

static void parse_ip_options(void)
{
	uint8_t pkt[64];
	struct udp_view v;

	/* Same frame with a 4-byte IP option (NOP x4): ihl 6. */
	memcpy(pkt, known_frame, 20);
	memset(pkt + 20, 1, 4);
	memcpy(pkt + 24, known_frame + 20, sizeof(known_frame) - 20);
	pkt[0] = 0x46;
	pkt[3] = sizeof(known_frame) + 4;
	fix_ip_csum(pkt, 24);
	CHECK_EQ_INT(udp_frame_parse(pkt, sizeof(known_frame) + 4, &v), 0);
	CHECK(v.payload == pkt + 32);
	CHECK_EQ_INT(v.payload_len, sizeof(payload));
}

static void parse_ret_untouched_on_error(void)
{
	struct udp_view v, before;

	memset(&v, 0xaa, sizeof(v));
	before = v;
	CHECK_EQ_INT(udp_frame_parse(known_frame, 10, &v), -EBADMSG);
	CHECK_EQ_INT(udp_frame_parse(NULL, 0, &v), -EBADMSG);
	CHECK(memcmp(&v, &before, sizeof(v)) == 0);
}

int main(void)
{
	RUN(build_known_vector);
	RUN(build_checksums_recomputed);
	RUN(build_odd_and_empty_payload);
	RUN(build_too_small);
	RUN(round_trip);
	RUN(parse_table);
	RUN(parse_ip_options);
	RUN(parse_ret_untouched_on_error);
	return TEST_SUMMARY();
}
