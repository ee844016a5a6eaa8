// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit test of the gratuitous ARP frame (RFC 5227 2.4 announcement). */
#include <arpa/inet.h>

#include "garp.h"
#include "test.h"

static void announcement_bytes(void)
{
	static const uint8_t mac[MAC_LEN] = {0x52, 0x54, 0x00,
					     0x12, 0x34, 0x56};
	static const uint8_t want[GARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* broadcast */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* from the new owner */
		0x08, 0x06,			    /* ARP */
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4 */
		0x00, 0x01,			    /* request */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* sender MAC */
		198,  51,   100,  10,		    /* sender IP */
		0,    0,    0,	  0,	0,    0,    /* target MAC */
		198,  51,   100,  10,		    /* target IP = sender */
	};
	uint8_t frame[GARP_FRAME_LEN];
	struct in_addr ip;

	inet_pton(AF_INET, "198.51.100.10", &ip);
	memset(frame, 0xaa, sizeof(frame));
	garp_build_frame(frame, mac, ip);
	CHECK(memcmp(frame, want, sizeof(want)) == 0);
}

int main(void)
{
	RUN(announcement_bytes);
	return TEST_SUMMARY();
}
