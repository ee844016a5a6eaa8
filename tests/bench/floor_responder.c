// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's floor for `make bench`: the least a DHCP responder on a packet
 * socket can do per exchange. One reply is built at start; an exchange is a
 * batched receive, a patch (xid, flags, chaddr, message type, UDP checksum)
 * and a batched send. It checks nothing a real server must, so its rates are
 * what this machine's kernel and load client allow any responder. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "udp_port_filter.h"

/*
 * Usage: floor_responder IFACE CLIENT_MAC YIADDR/PREFIX SERVER_IP ROUTER
 * Answers DISCOVER with OFFER and REQUEST with ACK from CLIENT_MAC, until
 * killed.
 */

#define FLOOR_BATCH	  8 /* as podnet's responder (pkt_batch.h) */
#define FLOOR_FRAME	  1600
#define FLOOR_IP_UDP	  28
#define FLOOR_BOOTP	  300
#define FLOOR_REPLY_LEN	  (FLOOR_IP_UDP + FLOOR_BOOTP)
#define FLOOR_DHCP_COOKIE 0x63825363u
#define FLOOR_TYPE_AT	  (FLOOR_IP_UDP + 240 + 2) /* option 53 comes first */

static uint8_t reply_template[FLOOR_REPLY_LEN];
static uint8_t rx[FLOOR_BATCH][FLOOR_FRAME];
static uint8_t tx[FLOOR_BATCH][FLOOR_REPLY_LEN];

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t put_opt(uint8_t *o, uint8_t code, const void *v, uint8_t len)
{
	o[0] = code;
	o[1] = len;
	memcpy(o + 2, v, len);
	return 2 + (size_t)len;
}

/* IPv4 and UDP headers (constant: same length and addresses every time) and
 * a BOOTREPLY with the options udhcpc asks for; xid, chaddr, type and the
 * UDP checksum are filled per reply. */
static void build_template(struct in_addr yiaddr, int prefix,
			   struct in_addr server, struct in_addr router)
{
	uint8_t *ip = reply_template, *b = reply_template + FLOOR_IP_UDP;
	uint32_t cookie = htonl(FLOOR_DHCP_COOKIE), lease = htonl(86400);
	uint32_t mask = htonl(prefix ? ~0u << (32 - prefix) : 0);
	uint16_t mtu = htons(1400);
	uint8_t type = 2;
	size_t o = 240;

	ip[0] = 0x45;
	put_be16(ip + 2, FLOOR_REPLY_LEN);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &server, 4);
	memcpy(ip + 16, &yiaddr, 4);
	put_be16(ip + 10, fold(sum16(ip, 20, 0)));
	put_be16(ip + 20, 67);
	put_be16(ip + 22, 68);
	put_be16(ip + 24, 8 + FLOOR_BOOTP);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 16, &yiaddr, 4);
	memcpy(b + 20, &server, 4);
	memcpy(b + 236, &cookie, 4);
	o += put_opt(b + o, 53, &type, 1);
	o += put_opt(b + o, 54, &server, 4);
	o += put_opt(b + o, 51, &lease, 4);
	o += put_opt(b + o, 1, &mask, 4);
	o += put_opt(b + o, 3, &router, 4);
	o += put_opt(b + o, 6, &router, 4);
	o += put_opt(b + o, 26, &mtu, 2);
	b[o] = 255;
}

/* The reply to the request in @req (@n bytes from its IPv4 header) in @out;
 * 0 if it is neither a DISCOVER nor a REQUEST. */
static size_t answer(const uint8_t *req, size_t n, uint8_t *out)
{
	const uint8_t *q = req + FLOOR_IP_UDP;
	uint8_t type;

	if (n < FLOOR_TYPE_AT + 1 || req[0] != 0x45 ||
	    req[FLOOR_TYPE_AT - 2] != 53)
		return 0;
	type = req[FLOOR_TYPE_AT] == 1 ? 2 : req[FLOOR_TYPE_AT] == 3 ? 5 : 0;
	if (type == 0)
		return 0;
	memcpy(out, reply_template, sizeof(reply_template));
	memcpy(out + FLOOR_IP_UDP + 4, q + 4, 4);    /* xid */
	memcpy(out + FLOOR_IP_UDP + 10, q + 10, 2);  /* flags */
	memcpy(out + FLOOR_IP_UDP + 28, q + 28, 16); /* chaddr */
	out[FLOOR_TYPE_AT] = type;
	/* UDP checksum over the pseudo-header (addresses, protocol, length). */
	put_be16(out + 26, fold(sum16(out + 12, 8,
				      sum16(out + 20, 8 + FLOOR_BOOTP,
					    IPPROTO_UDP + 8 + FLOOR_BOOTP))));
	return sizeof(reply_template);
}

/* UDP to port 67 from @mac only, as podnet's own filter keeps. */
static int open_socket(const char *ifname, const uint8_t mac[6])
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_LL_OFF + 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 (uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 |
				 (uint32_t)mac[2] << 8 | mac[3],
			 0, 8),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_LL_OFF + 10),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 (uint32_t)mac[4] << 8 | mac[5], 0, 6),
		UDP_PORT_FILTER(67),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = (int)if_nametoindex(ifname)};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || sll.sll_ifindex == 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) <
		    0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	return fd;
}

/* Blocks for the first frame of a batch, takes what else has queued, sends
 * every answer with one call: two system calls per batch. */
static void serve(int fd, const struct sockaddr_ll *to)
{
	struct mmsghdr rmsg[FLOOR_BATCH] = {0}, smsg[FLOOR_BATCH] = {0};
	struct iovec riov[FLOOR_BATCH], siov[FLOOR_BATCH];

	for (int i = 0; i < FLOOR_BATCH; i++) {
		riov[i] = (struct iovec){.iov_base = rx[i],
					 .iov_len = FLOOR_FRAME};
		rmsg[i].msg_hdr.msg_iov = &riov[i];
		rmsg[i].msg_hdr.msg_iovlen = 1;
		siov[i].iov_base = tx[i];
		smsg[i].msg_hdr.msg_iov = &siov[i];
		smsg[i].msg_hdr.msg_iovlen = 1;
		smsg[i].msg_hdr.msg_name = (void *)to;
		smsg[i].msg_hdr.msg_namelen = sizeof(*to);
	}
	for (;;) {
		int n = recvmmsg(fd, rmsg, FLOOR_BATCH, MSG_WAITFORONE, NULL);
		unsigned int out = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		for (int i = 0; i < n; i++) {
			size_t len = answer(rx[i], rmsg[i].msg_len, tx[out]);

			if (len > 0)
				siov[out++].iov_len = len;
		}
		if (out > 0)
			(void)sendmmsg(fd, smsg, out, 0);
	}
}

struct floor_args {
	uint8_t client_mac[6];
	struct in_addr yiaddr, server, router;
	int prefix;
};

static int parse_args(char **argv, struct floor_args *a)
{
	unsigned int m[6];
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(argv[3], '/');

	if (sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5]) != 6 ||
	    !slash || (size_t)(slash - argv[3]) >= sizeof(addr))
		return -1;
	for (int i = 0; i < 6; i++)
		a->client_mac[i] = (uint8_t)m[i];
	memcpy(addr, argv[3], (size_t)(slash - argv[3]));
	addr[slash - argv[3]] = '\0';
	a->prefix = atoi(slash + 1);
	if (inet_pton(AF_INET, addr, &a->yiaddr) != 1 || a->prefix < 0 ||
	    a->prefix > 32 || inet_pton(AF_INET, argv[4], &a->server) != 1 ||
	    inet_pton(AF_INET, argv[5], &a->router) != 1)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_IP),
				 .sll_halen = 6};
	struct floor_args a;
	int fd;

	if (argc != 6 || parse_args(argv, &a) < 0) {
		fprintf(stderr, "usage: floor_responder IFACE CLIENT_MAC "
				"YIADDR/PREFIX SERVER_IP ROUTER\n");
		return 2;
	}
	memcpy(to.sll_addr, a.client_mac, 6);
	fd = open_socket(argv[1], a.client_mac);
	if (fd < 0) {
		fprintf(stderr, "floor_responder: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	to.sll_ifindex = (int)if_nametoindex(argv[1]);
	build_template(a.yiaddr, a.prefix, a.server, a.router);
	serve(fd, &to);
	fprintf(stderr, "floor_responder: %s\n", strerror(errno));
	return 1;
}
