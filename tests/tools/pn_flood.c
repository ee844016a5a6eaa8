// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pn_flood: the storm test's frame sender (tests/integration/storm.sh). Run
 * inside the fake-VM namespace only. Sends pre-built Ethernet frames on one
 * interface through an AF_PACKET socket, bounded both in count and in time:
 *
 *   pn_flood IFACE malformed COUNT SECONDS SRC_MAC
 *   pn_flood IFACE discover  COUNT SECONDS SRC_MAC CHADDR
 *
 * "malformed" cycles through frames the responder must drop (bad cookie,
 * op 2, htype/hlen, truncated BOOTP, fragments, UDP to 68, bad IP checksum,
 * another chaddr, no or a server-only message type, random option bytes,
 * random overload areas, random IPv4 bytes); "discover" sends valid
 * DISCOVERs with random xids. Prints "sent N in S.SSS s" and exits 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp_wire.h"
#include "udp_frame.h"

#define ETH_HLEN_ 14
#define BOOTP_LEN 300
#define VARIANTS  14

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static double now_s(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A valid DISCOVER (BOOTP_LEN bytes) from @chaddr into @b. */
static size_t bootp_discover(uint8_t *b, const uint8_t chaddr[6])
{
	uint32_t xid = rnd(), cookie = htonl(DHCP_COOKIE);
	size_t o = DHCP_FIXED_LEN + 4;

	memset(b, 0, BOOTP_LEN);
	b[0] = BOOTP_REQUEST;
	b[1] = BOOTP_HTYPE_ETHER;
	b[2] = 6;
	memcpy(b + 4, &xid, 4);
	memcpy(b + 28, chaddr, 6);
	memcpy(b + DHCP_FIXED_LEN, &cookie, 4);
	b[o++] = DHCP_OPT_MESSAGE_TYPE;
	b[o++] = 1;
	b[o++] = DHCP_MSG_DISCOVER;
	b[o++] = DHCP_OPT_PARAM_REQUEST_LIST;
	b[o++] = 4;
	b[o++] = 1;
	b[o++] = 3;
	b[o++] = 6;
	b[o++] = 121;
	b[o++] = DHCP_OPT_END;
	return BOOTP_LEN;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* Random TLVs, lengths sometimes beyond the end (a cut option). */
static void random_options(uint8_t *p, size_t n)
{
	size_t o = 0;

	while (o + 2 < n) {
		uint8_t len = (uint8_t)(rnd() % 40);

		p[o] = (uint8_t)rnd();
		p[o + 1] = (rnd() % 8) ? len : (uint8_t)rnd();
		o += 2;
		for (size_t i = 0; i < len && o < n; i++)
			p[o++] = (uint8_t)rnd();
	}
}

/* One malformed frame of variant @v; returns its length. */
static size_t build_malformed(uint8_t *f, size_t cap, unsigned int v,
			      const uint8_t src[6], const uint8_t vm[6])
{
	static const uint8_t other[6] = {0x52, 0x54, 0x00, 0x99, 0x99, 0x99};
	uint8_t bootp[BOOTP_LEN];
	size_t blen = bootp_discover(bootp, vm), opt = DHCP_FIXED_LEN + 4;
	struct in_addr any = {htonl(INADDR_ANY)},
		       bc = {htonl(INADDR_BROADCAST)};
	uint16_t dport = DHCP_SERVER_PORT;
	uint8_t *ip = f + ETH_HLEN_;
	ssize_t n;

	switch (v % VARIANTS) {
	case 0: /* bad cookie */
		bootp[DHCP_FIXED_LEN + 3] ^= 0x01;
		break;
	case 1: /* op BOOTREPLY */
		bootp[0] = BOOTP_REPLY;
		break;
	case 2: /* htype not Ethernet */
		bootp[1] = 6;
		break;
	case 3: /* hlen */
		bootp[2] = 16;
		break;
	case 4: /* truncated BOOTP */
		blen = rnd() % (DHCP_FIXED_LEN + 4);
		break;
	case 5: /* handled below: a fragment */
	case 8: /* handled below: bad IP header checksum */
		break;
	case 6: /* to the client port */
		dport = DHCP_CLIENT_PORT;
		break;
	case 7: /* random option bytes (valid header, the VM's chaddr) */
		random_options(bootp + opt, BOOTP_LEN - opt);
		break;
	case 9: /* another chaddr */
		memcpy(bootp + 28, other, 6);
		break;
	case 10: /* no message type */
		bootp[opt] = DHCP_OPT_PAD;
		bootp[opt + 1] = DHCP_OPT_PAD;
		bootp[opt + 2] = DHCP_OPT_PAD;
		break;
	case 11: /* a server-only message type */
		bootp[opt + 2] = DHCP_MSG_ACK;
		break;
	case 12: /* overload with random file and sname areas, bad type */
		bootp[opt + 2] = 9;
		bootp[opt + 3] = DHCP_OPT_OVERLOAD;
		bootp[opt + 4] = 1;
		bootp[opt + 5] = DHCP_OVERLOAD_BOTH;
		bootp[opt + 6] = DHCP_OPT_END;
		random_options(bootp + 44, 64 + 128);
		break;
	default: /* 13: random bytes after a random-ish IPv4 header */
		fill_random(bootp, blen);
		break;
	}
	n = udp_frame_build(ip, cap - ETH_HLEN_, any, bc, DHCP_CLIENT_PORT,
			    dport, bootp, blen);
	if (n < 0)
		return 0;
	if (v % VARIANTS == 5) { /* More Fragments or an offset, checksum redone */
		uint16_t fo = htons((rnd() & 1) ? 0x2000 : 0x0010), sum;
		uint32_t s = 0;

		memcpy(ip + 6, &fo, 2);
		memset(ip + 10, 0, 2);
		for (int i = 0; i < 20; i += 2)
			s += (uint32_t)ip[i] << 8 | ip[i + 1];
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		sum = htons((uint16_t)~s);
		memcpy(ip + 10, &sum, 2);
	}
	if (v % VARIANTS == 8)
		ip[10] ^= 0x5a;
	if (v % VARIANTS == 13)
		fill_random(ip + 20, (size_t)n - 20);
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETH_P_IP >> 8;
	f[13] = ETH_P_IP & 0xff;
	return ETH_HLEN_ + (size_t)n;
}

static size_t build_discover(uint8_t *f, size_t cap, const uint8_t src[6],
			     const uint8_t chaddr[6])
{
	uint8_t bootp[BOOTP_LEN];
	size_t blen = bootp_discover(bootp, chaddr);
	struct in_addr any = {htonl(INADDR_ANY)},
		       bc = {htonl(INADDR_BROADCAST)};
	ssize_t n = udp_frame_build(f + ETH_HLEN_, cap - ETH_HLEN_, any, bc,
				    DHCP_CLIENT_PORT, DHCP_SERVER_PORT, bootp,
				    blen);

	if (n < 0)
		return 0;
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETH_P_IP >> 8;
	f[13] = ETH_P_IP & 0xff;
	return ETH_HLEN_ + (size_t)n;
}

int main(int argc, char **argv)
{
	uint8_t src[6], chaddr[6], frame[ETH_HLEN_ + UDP_FRAME_HEADER_LEN + 600];
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	unsigned long count, sent = 0, failed = 0;
	double seconds, start, end;
	bool malformed;
	int fd;

	if (argc < 6 || (strcmp(argv[2], "malformed") != 0 &&
			 strcmp(argv[2], "discover") != 0)) {
		fprintf(stderr, "usage: pn_flood IFACE malformed|discover COUNT "
				"SECONDS SRC_MAC [CHADDR]\n");
		return 2;
	}
	malformed = strcmp(argv[2], "malformed") == 0;
	count = strtoul(argv[3], NULL, 10);
	seconds = strtod(argv[4], NULL);
	if (parse_mac(argv[5], src) < 0 ||
	    parse_mac(argc > 6 ? argv[6] : argv[5], chaddr) < 0 ||
	    count > 10000000 || seconds <= 0 || seconds > 120) {
		fprintf(stderr, "pn_flood: bad arguments (COUNT <= 1e7, "
				"0 < SECONDS <= 120)\n");
		return 2;
	}
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	sll.sll_protocol = 0;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (sll.sll_ifindex == 0 || fd < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "pn_flood: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	rng ^= (uint64_t)getpid() << 20;
	start = now_s();
	end = start + seconds;
	while (sent + failed < count) {
		size_t len = malformed ? build_malformed(frame, sizeof(frame),
							 (unsigned int)sent,
							 src, chaddr)
				       : build_discover(frame, sizeof(frame),
							src, chaddr);

		if (len == 0 || send(fd, frame, len, 0) < 0) {
			failed++;
			/* A full queue: let the receiver drain it. */
			if (errno == ENOBUFS || errno == EAGAIN)
				(void)usleep(100);
		} else {
			sent++;
		}
		if ((sent & 255) == 0 && now_s() > end)
			break;
	}
	printf("sent %lu in %.3f s (%lu send failures)\n", sent,
	       now_s() - start, failed);
	(void)close(fd);
	return 0;
}
