// SPDX-License-Identifier: GPL-2.0-or-later
/* QEMU's self-announcement after a live migration (net/announce.c,
 * announce_self_create()): broadcast, from the NIC's MAC, ethertype RARP,
 * an ARP-format reverse request whose sender and target hardware addresses
 * are that MAC and whose IPv4 addresses are 0. Parsed from untrusted bytes
 * (the guest, or anything on the node's network, can send such a frame):
 * fixed offsets, each read checked against the length first. */
#include <string.h>

#include "be_bytes.h"
#include "rarp.h"

/**
 * rarp_parse() - Is @pkt QEMU's announcement of @mac?
 * @pkt:	the frame from its ARP header on (a SOCK_DGRAM packet socket)
 * @len:	its length (padding after the 28 bytes is allowed)
 * @mac:	the VM's MAC
 *
 * Return: 1 if it is a reverse request for Ethernet and IPv4 whose sender
 * and target hardware addresses are both @mac, else 0
 */
int rarp_parse(const uint8_t *pkt, size_t len, const uint8_t mac[MAC_LEN])
{
	if (!pkt || len < RARP_PACKET_LEN)
		return 0;
	if (be16_get(pkt) != 1 /* Ethernet */ ||
	    be16_get(pkt + 2) != 0x0800 /* IPv4 */ || pkt[4] != MAC_LEN ||
	    pkt[5] != 4 || be16_get(pkt + 6) != RARP_OP_REQUEST)
		return 0;
	/* sha at 8, spa at 14, tha at 18, tpa at 24 */
	return memcmp(pkt + 8, mac, MAC_LEN) == 0 &&
	       memcmp(pkt + 18, mac, MAC_LEN) == 0;
}
