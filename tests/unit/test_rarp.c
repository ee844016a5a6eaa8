// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the RARP parser: QEMU's self-announcement of the VM, and
 * everything that must not pass for it. */

#include <stdint.h>
#include <string.h>

#include "rarp.h"
#include "test.h"

static const uint8_t vm[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

/* As QEMU's announce_self_create() builds it, from the ARP header on,
 * padded to the 46 bytes of a minimum Ethernet payload. */
static void qemu_rarp(uint8_t pkt[46])
{
	static const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, 3};

	memset(pkt, 0, 46);
	memcpy(pkt, head, sizeof(head));
	memcpy(pkt + 8, vm, MAC_LEN);
	memcpy(pkt + 18, vm, MAC_LEN);
}

static void accepts_qemu(void)
{
	uint8_t pkt[46];

	qemu_rarp(pkt);
	CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), vm), 1);
	CHECK_EQ_INT(rarp_parse(pkt, RARP_PACKET_LEN, vm), 1);
}

static void refuses_the_rest(void)
{
	static const uint8_t other[MAC_LEN] = {2, 0, 0, 0, 0, 1};
	uint8_t pkt[46];

	qemu_rarp(pkt);
	/* Short: every length below the 28 bytes. */
	for (size_t n = 0; n < RARP_PACKET_LEN; n++)
		CHECK_EQ_INT(rarp_parse(pkt, n, vm), 0);
	CHECK_EQ_INT(rarp_parse(NULL, 46, vm), 0);
	/* Another MAC's announcement. */
	CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), other), 0);
	/* Each header field wrong in turn. */
	for (size_t i = 0; i < 8; i++) {
		qemu_rarp(pkt);
		pkt[i] ^= 0x40;
		CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), vm), 0);
	}
	/* A reverse reply (4), and an ARP request (1). */
	qemu_rarp(pkt);
	pkt[7] = 4;
	CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), vm), 0);
	pkt[7] = 1;
	CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), vm), 0);
	/* Sender or target hardware address not the VM's. */
	qemu_rarp(pkt);
	pkt[8 + 5] ^= 1;
	CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), vm), 0);
	qemu_rarp(pkt);
	pkt[18] ^= 1;
	CHECK_EQ_INT(rarp_parse(pkt, sizeof(pkt), vm), 0);
}

int main(void)
{
	RUN(accepts_qemu);
	RUN(refuses_the_rest);
	return TEST_SUMMARY();
}
