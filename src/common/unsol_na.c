// SPDX-License-Identifier: GPL-2.0-or-later
/* Unsolicited Neighbour Advertisement (RFC 4861 7.2.6) with the override
 * flag: moves the node's neighbour entry for an IPv6 address to a new MAC at
 * once, as the gratuitous ARP does for IPv4. Linux updates only an existing
 * entry from it (accept_untracked_na is 0 by default), which is the case
 * that matters: the node talked to the pod before. */

#include <errno.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "be_bytes.h"
#include "garp.h"
#include "inet_csum.h"
#include "ip6_proto.h"
#include "pod_iface.h"
#include "unsol_na.h"

#define NA_LEN	    24
#define NA_FLAG_OVR 0x20

/**
 * unsol_na_build_frame() - An unsolicited NA for @target from @mac
 * @frame:	output, the whole Ethernet frame
 * @eth_dst:	Ethernet destination: 33:33:00:00:00:01 (all nodes), or the
 *		node's MAC so that the frame never reaches the VM (a guest
 *		doing DAD for @target would take the NA as a duplicate)
 * @mac:	the MAC that now owns @target: Ethernet source and TLLA
 * @target:	the address; also the IPv6 source (RFC 4861 7.2.6)
 *
 * IPv6 destination ff02::1, hop limit 255, flags: Override only (not a
 * router, not solicited).
 */
void unsol_na_build_frame(uint8_t frame[UNSOL_NA_FRAME_LEN],
			  const uint8_t eth_dst[MAC_LEN],
			  const uint8_t mac[MAC_LEN],
			  const struct in6_addr *target)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
	uint8_t *ip = frame + IP6_ETH_HEADER_LEN, *na = ip + IP6_HEADER_LEN;
	const size_t plen = NA_LEN + 8;
	uint32_t sum;

	memset(frame, 0, UNSOL_NA_FRAME_LEN);
	memcpy(frame, eth_dst, MAC_LEN);
	memcpy(frame + MAC_LEN, mac, MAC_LEN);
	be16_put(frame + 12, IP6_ETHERTYPE);
	ip[0] = 0x60;
	ip[5] = (uint8_t)plen;
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = NDP_HOP_LIMIT;
	memcpy(ip + 8, target, 16);
	memcpy(ip + 24, all_nodes, 16);
	na[0] = NDP_NA;
	na[4] = NA_FLAG_OVR;
	memcpy(na + 8, target, 16);
	na[NA_LEN] = NDP_OPT_TLLA;
	na[NA_LEN + 1] = 1;
	memcpy(na + NA_LEN + 2, mac, MAC_LEN);
	/* Pseudo-header: source, destination, length, next header. */
	sum = inet_csum_add(0, ip + 8, 32);
	sum += (uint32_t)plen + IPPROTO_ICMPV6;
	be16_put(na + 2, inet_csum_fold(inet_csum_add(sum, na, plen)));
}

/**
 * unsol_na_send() - Send one NA on a raw packet socket (garp_open_socket())
 * @fd:		the socket
 * @ifindex:	its interface
 * @eth_dst:	Ethernet destination (see unsol_na_build_frame())
 * @mac:	the MAC that now owns @target
 * @target:	the address
 *
 * Return: 0 or a negative errno
 */
int unsol_na_send(int fd, int ifindex, const uint8_t eth_dst[MAC_LEN],
		  const uint8_t mac[MAC_LEN], const struct in6_addr *target)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
				 .sll_ifindex = ifindex,
				 .sll_halen = MAC_LEN};
	uint8_t frame[UNSOL_NA_FRAME_LEN];

	unsol_na_build_frame(frame, eth_dst, mac, target);
	memcpy(to.sll_addr, eth_dst, MAC_LEN);
	if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}

/**
 * unsol_na_announce_pod() - An NA to all nodes for each of the pod's global
 * IPv6 addresses from its own MAC (release: the VM that held them is gone)
 * @fd:	a packet socket (garp_open_socket()) on the pod interface
 * @o:	the recorded pod interface, its addresses back on it
 *
 * Return: 0 or the first negative errno (the others are still sent)
 */
int unsol_na_announce_pod(int fd, const struct pod_iface *o)
{
	static const uint8_t all_nodes_mac[MAC_LEN] = {0x33, 0x33, 0, 0, 0, 1};

	const struct pod_addr *a;
	int rc = 0;

	pod_for_each (a, o->addrs, o->n_addrs, AF_INET6) {
		int r;

		if (IN6_IS_ADDR_LINKLOCAL(&a->local.a6))
			continue;
		r = unsol_na_send(fd, o->ifindex, all_nodes_mac, o->mac,
				  &a->local.a6);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}
