// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest_dhcp6 - the e2e guest's DHCPv6 client (Debian's busybox has no
 * udhcpc6). Built static by tests/lib/guest.sh into the guest's initramfs.
 *
 *   guest_dhcp6 IFNAME [SECONDS]
 *
 * Sends SOLICIT (Client ID = DUID-LL of IFNAME's MAC, one IA_NA, Rapid
 * Commit, ORO 23 24) to ff02::1:2 from port 546 and retransmits (1 s, then
 * doubling up to 8 s) until SECONDS (default 120) pass; an ADVERTISE gets
 * a REQUEST with its Server ID and IA_NA; the first REPLY with an address
 * ends it. Prints one shell-sourceable line set on stdout:
 *   addr6=ADDR dns6=A,B search6=a,b fqdn6=NAME serverid6=HEX status6=CODE
 * and exits 0; exit 1 on timeout or error (message on stderr). It only
 * talks DHCPv6: the address is applied by the guest's init, the default
 * route and on-link prefix come from the RA through the guest's kernel.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { SOLICIT = 1, ADVERTISE = 2, REQUEST = 3, REPLY = 7 };
enum {
	O_CLIENTID = 1,
	O_SERVERID = 2,
	O_IA_NA = 3,
	O_IAADDR = 5,
	O_ORO = 6,
	O_ELAPSED = 8,
	O_STATUS = 13,
	O_RAPID = 14,
	O_DNS = 23,
	O_DOMAINS = 24,
	O_FQDN = 39
};

struct msg {
	uint8_t b[1500];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	if (m->n + n > sizeof(m->b))
		return;
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put_opt(struct msg *m, unsigned code, const void *p, size_t n)
{
	uint8_t h[4] = {code >> 8, code & 0xff, n >> 8, n & 0xff};
	put(m, h, 4);
	put(m, p, n);
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* find option CODE in [p, p+n); returns its body and length or NULL. */
static const uint8_t *find_opt(const uint8_t *p, size_t n, unsigned code,
			       size_t *len)
{
	while (n >= 4) {
		unsigned c = get16(p), l = get16(p + 2);
		if (l > n - 4)
			return NULL;
		if (c == code) {
			*len = l;
			return p + 4;
		}
		p += 4 + l;
		n -= 4 + l;
	}
	return NULL;
}

/* DNS wire-format names in [p, p+n) to "a.b,c.d" (no compression). */
static void names(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	out[0] = 0;
	while (i < n) {
		if (o && o + 1 < cap)
			out[o++] = ',';
		while (i < n && p[i]) {
			size_t l = p[i++];
			if (l > 63 || l > n - i)
				return;
			for (size_t k = 0; k < l && o + 2 < cap; k++) {
				char c = (char)p[i + k];
				out[o++] = (c >= 'a' && c <= 'z') ||
							   (c >= 'A' &&
							    c <= 'Z') ||
							   (c >= '0' &&
							    c <= '9') ||
							   c == '-'
						   ? c
						   : '_';
			}
			i += l;
			if (i < n && p[i] && o + 1 < cap)
				out[o++] = '.';
		}
		i++; /* the root label */
		out[o] = 0;
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: guest_dhcp6 IFNAME [SECONDS]\n");
		return 2;
	}
	const char *ifname = argv[1];
	double limit = argc > 2 ? atof(argv[2]) : 120;
	unsigned ifindex = if_nametoindex(ifname);
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	if (!ifindex || s < 0) {
		perror("guest_dhcp6: interface or socket");
		return 1;
	}
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0) {
		perror("guest_dhcp6: SIOCGIFHWADDR");
		return 1;
	}
	uint8_t duid[10] = {0, 3, 0, 1};
	memcpy(duid + 4, ifr.ifr_hwaddr.sa_data, 6);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		   (socklen_t)strlen(ifname));
	struct sockaddr_in6 me = {.sin6_family = AF_INET6,
				  .sin6_port = htons(546)};
	if (bind(s, (struct sockaddr *)&me, sizeof(me)) < 0) {
		perror("guest_dhcp6: bind [::]:546");
		return 1;
	}
	struct sockaddr_in6 to = {.sin6_family = AF_INET6,
				  .sin6_port = htons(547),
				  .sin6_scope_id = ifindex};
	inet_pton(AF_INET6, "ff02::1:2", &to.sin6_addr);

	uint8_t xid[3] = {(uint8_t)getpid(), (uint8_t)(getpid() >> 8), 0x6c};
	uint8_t ia[12] = {0};
	memcpy(ia, duid + 6, 4); /* IAID: the MAC's last 4 bytes; T1 T2 0 */
	uint8_t server[130];
	size_t server_len = 0;
	uint8_t ia_body[512];
	size_t ia_len = 0;
	int type = SOLICIT;
	double start = now(), rt = 1, next = 0;

	while (now() - start < limit) {
		if (now() >= next) {
			struct msg m = {.n = 0};
			uint8_t h[4] = {(uint8_t)type, xid[0], xid[1], xid[2]};
			uint8_t oro[] = {0, O_DNS, 0, O_DOMAINS};
			unsigned el = (unsigned)((now() - start) * 100);
			uint8_t elapsed[2] = {
				(uint8_t)((el > 0xffff ? 0xffff : el) >> 8),
				(uint8_t)(el & 0xff)};
			put(&m, h, 4);
			put_opt(&m, O_CLIENTID, duid, sizeof(duid));
			if (type == REQUEST) {
				put_opt(&m, O_SERVERID, server, server_len);
				put_opt(&m, O_IA_NA, ia_body, ia_len);
			} else {
				put_opt(&m, O_IA_NA, ia, sizeof(ia));
				put_opt(&m, O_RAPID, NULL, 0);
			}
			put_opt(&m, O_ELAPSED, elapsed, 2);
			put_opt(&m, O_ORO, oro, sizeof(oro));
			if (sendto(s, m.b, m.n, 0, (struct sockaddr *)&to,
				   sizeof(to)) < 0)
				fprintf(stderr,
					"guest_dhcp6: sendto: %s (retrying)\n",
					strerror(errno));
			next = now() + rt;
			rt = rt < 8 ? rt * 2 : 8;
		}
		struct pollfd pfd = {.fd = s, .events = POLLIN};
		int wait_ms = (int)((next - now()) * 1000) + 1;
		if (poll(&pfd, 1, wait_ms > 0 ? wait_ms : 1) <= 0)
			continue;
		uint8_t b[1500];
		ssize_t n = recv(s, b, sizeof(b), 0);
		if (n < 4 || memcmp(b + 1, xid, 3))
			continue;
		const uint8_t *o = b + 4;
		size_t on = (size_t)n - 4, l, il, al;
		const uint8_t *cid = find_opt(o, on, O_CLIENTID, &l);
		if (!cid || l != sizeof(duid) || memcmp(cid, duid, l))
			continue;
		size_t l_sid;
		const uint8_t *sid = find_opt(o, on, O_SERVERID, &l_sid);
		const uint8_t *ian = find_opt(o, on, O_IA_NA, &il);
		if (!sid || l_sid > sizeof(server) || !ian || il < 12 ||
		    il > sizeof(ia_body))
			continue;
		const uint8_t *aa = find_opt(ian + 12, il - 12, O_IAADDR, &al);
		if (!aa || al < 24)
			continue;
		if (b[0] == ADVERTISE && type == SOLICIT) {
			memcpy(server, sid, l_sid);
			server_len = l_sid;
			memcpy(ia_body, ian, il);
			ia_len = il;
			type = REQUEST;
			rt = 1;
			next = 0;
			continue;
		}
		if (b[0] != REPLY)
			continue;
		char addr[INET6_ADDRSTRLEN], dns[512] = "", search[512] = "",
					     fqdn[256] = "";
		inet_ntop(AF_INET6, aa, addr, sizeof(addr));
		const uint8_t *d = find_opt(o, on, O_DNS, &l);
		for (size_t i = 0; d && i + 16 <= l; i += 16) {
			char a[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, d + i, a, sizeof(a));
			snprintf(dns + strlen(dns), sizeof(dns) - strlen(dns),
				 "%s%s", *dns ? "," : "", a);
		}
		d = find_opt(o, on, O_DOMAINS, &l);
		if (d)
			names(d, l, search, sizeof(search));
		d = find_opt(o, on, O_FQDN, &l);
		if (d && l > 1)
			names(d + 1, l - 1, fqdn, sizeof(fqdn));
		size_t sl;
		const uint8_t *st = find_opt(ian + 12, il - 12, O_STATUS, &sl);
		printf("addr6=%s dns6=%s search6=%s fqdn6=%s status6=%u pref6=%u valid6=%u serverid6=",
		       addr, dns, search, fqdn, st && sl >= 2 ? get16(st) : 0,
		       (unsigned)aa[16] << 24 | aa[17] << 16 | aa[18] << 8 |
			       aa[19],
		       (unsigned)aa[20] << 24 | aa[21] << 16 | aa[22] << 8 |
			       aa[23]);
		for (size_t i = 0; i < l_sid; i++)
			printf("%02x", sid[i]);
		printf(" reply6=%s\n",
		       type == SOLICIT ? "rapid-commit" : "after-advertise");
		return 0;
	}
	fprintf(stderr,
		"guest_dhcp6: no DHCPv6 reply with an address in %.0f s\n",
		limit);
	return 1;
}
