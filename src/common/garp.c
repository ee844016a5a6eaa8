// SPDX-License-Identifier: GPL-2.0-or-later
/* Gratuitous ARP: move the node's neighbour entry for the pod IP at once. */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "garp.h"

/**
 * garp_build_frame() - A broadcast ARP request announcing @ip at @mac
 * @frame:	output, GARP_FRAME_LEN bytes
 * @mac:	the MAC that now owns @ip (Ethernet source and sender)
 * @ip:		the address (sender and target: RFC 5227 2.4 announcement)
 */
void garp_build_frame(uint8_t frame[GARP_FRAME_LEN], const uint8_t mac[MAC_LEN],
		      struct in_addr ip)
{
	uint8_t *arp = frame + 14;

	memset(frame, 0, GARP_FRAME_LEN);
	memset(frame, 0xff, MAC_LEN);
	memcpy(frame + MAC_LEN, mac, MAC_LEN);
	frame[12] = ETH_P_ARP >> 8;
	frame[13] = ETH_P_ARP & 0xff;
	arp[1] = 1; /* hardware type: Ethernet */
	arp[2] = ETH_P_IP >> 8;
	arp[3] = ETH_P_IP & 0xff;
	arp[4] = MAC_LEN;
	arp[5] = sizeof(ip);
	arp[7] = 1; /* operation: request */
	memcpy(arp + 8, mac, MAC_LEN);
	memcpy(arp + 14, &ip, sizeof(ip));
	memcpy(arp + 24, &ip, sizeof(ip)); /* target hardware address: 0 */
}

/**
 * garp_open_socket() - A send-only raw packet socket on @ifindex
 * @ifindex:	the interface
 *
 * Raw, because the Ethernet source must be the announced MAC, which is
 * not the interface's own when the responder speaks for the VM.
 *
 * Return: the socket, or a negative errno
 */
int garp_open_socket(int ifindex)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = 0, /* receive nothing */
				  .sll_ifindex = ifindex};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int rc = -errno;

		(void)close(fd);
		return rc;
	}
	return fd;
}

/**
 * garp_send() - Send one announcement on an open socket
 * @fd:		from garp_open_socket()
 * @ifindex:	the interface it is bound to
 * @mac:	the MAC that now owns @ip
 * @ip:		the address
 *
 * Return: 0 or a negative errno
 */
int garp_send(int fd, int ifindex, const uint8_t mac[MAC_LEN],
	      struct in_addr ip)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
				 .sll_ifindex = ifindex,
				 .sll_halen = MAC_LEN};
	uint8_t frame[GARP_FRAME_LEN];

	garp_build_frame(frame, mac, ip);
	memset(to.sll_addr, 0xff, MAC_LEN);
	if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}
