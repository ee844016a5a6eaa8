// SPDX-License-Identifier: GPL-2.0-or-later
/* Answers to the guest's ARP requests for gateways the pod reached through a
 * permanent neighbour entry (AWS VPC CNI): the node answers no ARP there.
 * Pure: no I/O. */
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <string.h>

#include "arp_answer.h"

/**
 * arp_answer_build() - The reply to one ARP packet from the guest, if any
 * @req:	the ARP packet as received (from the ARP header on; untrusted)
 * @len:	its length (Ethernet padding may follow the 28 bytes)
 * @vm_mac:	the VM's MAC: only its own requests are answered
 * @answers:	the gateways to answer for
 * @frame:	the reply, Ethernet header included, to the VM's MAC
 *
 * Only a well-formed Ethernet/IPv4 request whose sender hardware address is
 * the VM's and whose target is one of @answers gets a reply; everything
 * else, including gratuitous ARP and probes, is left alone.
 *
 * Return: ARP_REPLY_FRAME_LEN, or -1 when there is nothing to answer
 */
ssize_t arp_answer_build(const uint8_t *req, size_t len,
			 const uint8_t vm_mac[MAC_LEN],
			 const struct arp_answers *answers,
			 uint8_t frame[ARP_REPLY_FRAME_LEN])
{
	const struct arp_answer *hit = NULL;
	struct in_addr target;
	uint8_t *arp = frame + 14;

	if (!req || len < ARP_PACKET_LEN || req[0] != 0 ||
	    req[1] != ARPHRD_ETHER || req[2] != (ETH_P_IP >> 8) ||
	    req[3] != (ETH_P_IP & 0xff) || req[4] != MAC_LEN ||
	    req[5] != sizeof(struct in_addr) || req[6] != 0 ||
	    req[7] != ARPOP_REQUEST || memcmp(req + 8, vm_mac, MAC_LEN) != 0)
		return -1;
	memcpy(&target, req + 24, sizeof(target));
	for (size_t i = 0; i < answers->n && i < PODNET_MAX_NEIGHS && !hit; i++)
		if (answers->entries[i].ip.s_addr == target.s_addr)
			hit = &answers->entries[i];
	/* A request from the VM for its own address (a probe) is not ours. */
	if (!hit || memcmp(req + 14, req + 24, sizeof(target)) == 0)
		return -1;
	memcpy(frame, vm_mac, MAC_LEN);
	memcpy(frame + MAC_LEN, hit->mac, MAC_LEN);
	frame[12] = ETH_P_ARP >> 8;
	frame[13] = ETH_P_ARP & 0xff;
	memcpy(arp, req, 6); /* htype, ptype, hlen, plen as asked */
	arp[6] = 0;
	arp[7] = ARPOP_REPLY;
	memcpy(arp + 8, hit->mac, MAC_LEN);
	memcpy(arp + 14, &hit->ip, sizeof(hit->ip));
	memcpy(arp + 18, req + 8, MAC_LEN);	    /* to the asker */
	memcpy(arp + 24, req + 14, sizeof(target)); /* at its address */
	return ARP_REPLY_FRAME_LEN;
}

/**
 * arp_shows_other_addr() - Does the VM's ARP packet use an address other
 * than @own? (A live migration's destination: a guest that arrived from a
 * pod with another address still holds that address and must renumber.)
 * @pkt:	the ARP packet as received (from the ARP header on; untrusted)
 * @len:	its length (Ethernet padding may follow the 28 bytes)
 * @vm_mac:	the VM's MAC: only its own packets count
 * @own:	the address this pod gives the VM
 *
 * A Linux virtio guest sends a gratuitous ARP for each of its addresses
 * when QEMU's announce reaches it after the switchover, and every later
 * request it sends carries its address as the sender's. A probe (sender
 * 0.0.0.0) and IPv4 link-local senders (169.254/16, not a lease) tell
 * nothing.
 *
 * Return: true if @pkt is a well-formed Ethernet/IPv4 ARP packet from
 * @vm_mac whose sender address is neither 0, link-local nor @own
 */
bool arp_shows_other_addr(const uint8_t *pkt, size_t len,
			  const uint8_t vm_mac[MAC_LEN], struct in_addr own)
{
	struct in_addr sender;

	if (!pkt || len < ARP_PACKET_LEN || pkt[0] != 0 ||
	    pkt[1] != ARPHRD_ETHER || pkt[2] != (ETH_P_IP >> 8) ||
	    pkt[3] != (ETH_P_IP & 0xff) || pkt[4] != MAC_LEN ||
	    pkt[5] != sizeof(struct in_addr) ||
	    memcmp(pkt + 8, vm_mac, MAC_LEN) != 0)
		return false;
	memcpy(&sender, pkt + 14, sizeof(sender));
	if (sender.s_addr == 0 || sender.s_addr == own.s_addr)
		return false;
	/* 169.254.0.0/16 */
	return pkt[14] != 169 || pkt[15] != 254;
}
