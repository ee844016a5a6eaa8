// SPDX-License-Identifier: GPL-2.0-or-later
/* Filtered packet sockets on a bridge, for both ports of the responder. */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pkt_socket.h"

/**
 * pkt_socket_open() - A packet socket on @ifindex that delivers only what
 * @prog passes
 * @ifindex:	the bridge
 * @type:	SOCK_DGRAM (from the network header) or SOCK_RAW (from the
 *		Ethernet header): the offsets @prog reads from
 * @proto:	the ethertype, host order
 * @prog:	the classic BPF filter
 *
 * Return: the socket (non-blocking, close-on-exec) or a negative errno
 */
int pkt_socket_open(int ifindex, int type, uint16_t proto,
		    const struct sock_fprog *prog)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(proto),
				  .sll_ifindex = ifindex};
	/* Protocol 0 until the filter is on: nothing unfiltered queues up. */
	int fd = socket(AF_PACKET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof(*prog)) <
		    0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int rc = -errno;

		(void)close(fd);
		return rc;
	}
	return fd;
}

/**
 * pkt_socket_open_for_mac() - pkt_socket_open() with a filter that keeps
 * only the VM's frames
 * @ifindex:	the bridge
 * @type:	SOCK_DGRAM or SOCK_RAW
 * @proto:	the ethertype, host order
 * @tmpl:	the filter, MAC comparisons at PKT_SOCKET_MAC_HI and _LO
 * @n:		its length (at most PKT_SOCKET_FILTER_MAX)
 * @mac:	the VM's MAC, put into the comparisons
 *
 * Return: the socket or a negative errno
 */
int pkt_socket_open_for_mac(int ifindex, int type, uint16_t proto,
			    const struct sock_filter *tmpl, size_t n,
			    const uint8_t mac[MAC_LEN])
{
	struct sock_filter code[PKT_SOCKET_FILTER_MAX];
	struct sock_fprog prog = {.len = (unsigned short)n, .filter = code};

	if (n > ARRAY_SIZE(code) || n <= PKT_SOCKET_MAC_LO)
		return -EINVAL;
	memcpy(code, tmpl, n * sizeof(code[0]));
	code[PKT_SOCKET_MAC_HI].k = (uint32_t)mac[0] << 24 |
				    (uint32_t)mac[1] << 16 |
				    (uint32_t)mac[2] << 8 | mac[3];
	code[PKT_SOCKET_MAC_LO].k = (uint32_t)mac[4] << 8 | mac[5];
	return pkt_socket_open(ifindex, type, proto, &prog);
}
