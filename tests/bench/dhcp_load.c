// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCP load client for `make bench`: closed-loop and pipelined exchanges,
 * floods and malformed packets, on a packet socket in a fake-VM namespace. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "udp_port_filter.h"

/*
 * Usage: dhcp_load -i IFACE -m MODE [options]
 *   MODE closed     one exchange at a time (DISCOVER, OFFER, REQUEST, ACK)
 *        pipelined  -p N exchanges outstanding, each with its own xid
 *        flood      DISCOVERs with random chaddr, as fast as possible
 *        malformed  broken DHCP payloads (valid IPv4/UDP), as fast as possible
 *   -d SECONDS  stop after this long (default 3)
 *   -n COUNT    stop after this many exchanges or packets (default: none)
 *   -t MS       give up on an exchange after MS (default 200)
 *   -g MS       closed mode: gap between exchanges (pacing; default 0)
 *   -p N        pipelined depth (default 16)
 * Prints one JSON object on stdout.
 */

#define LOAD_MAX_DEPTH	 256
#define LOAD_MAX_SAMPLES 2000000
#define LOAD_FRAME_MAX	 1600
#define LOAD_DHCP_LEN	 300
#define LOAD_COOKIE	 0x63825363u

enum load_mode { MODE_CLOSED, MODE_PIPELINED, MODE_FLOOD, MODE_MALFORMED };

struct load_slot {
	bool busy;
	bool offered;
	uint32_t xid;
	uint64_t t_start;
	uint64_t t_sent; /* last packet of this exchange */
	struct in_addr yiaddr, server_id;
};

static struct {
	int fd;
	int ifindex;
	uint8_t mac[6];
	enum load_mode mode;
	double duration;
	long count;
	long timeout_ns;
	long gap_ns;
	int depth;
	uint32_t rng;
} cfg = {.fd = -1,
	 .duration = 3,
	 .count = -1,
	 .timeout_ns = 200000000L,
	 .depth = 16,
	 .rng = 0x12345678u};

/* SIGTERM/SIGINT: stop sending and print what was measured so far. */
static volatile sig_atomic_t stop;

static struct load_slot slots[LOAD_MAX_DEPTH];
static uint64_t *samples;
static long n_samples, n_ok, n_lost, n_sent;

static uint64_t now_ns(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint32_t rnd(void)
{
	/* xorshift32: cheap, good enough to vary xids and garbage */
	cfg.rng ^= cfg.rng << 13;
	cfg.rng ^= cfg.rng >> 17;
	cfg.rng ^= cfg.rng << 5;
	return cfg.rng;
}

static uint16_t ip_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Only UDP to port 68, so a flood of requests on the bridge costs us nothing.
 */
static struct sock_filter client_filter[] = {
	UDP_PORT_FILTER(68),
};

static int open_socket(const char *ifname)
{
	struct sock_fprog prog = {.len = sizeof(client_filter) /
					 sizeof(client_filter[0]),
				  .filter = client_filter};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IP)};
	struct ifreq ifr = {0};
	int fd;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(cfg.mac, ifr.ifr_hwaddr.sa_data, 6);
	cfg.ifindex = (int)if_nametoindex(ifname);
	sll.sll_ifindex = cfg.ifindex;
	if (cfg.ifindex == 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) <
		    0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	/* Drain what queued before the filter was on. */
	while (recv(fd, (char[LOAD_FRAME_MAX]){0}, LOAD_FRAME_MAX,
		    MSG_DONTWAIT) > 0)
		;
	cfg.fd = fd;
	return 0;
}

/* Wrap a DHCP payload in IPv4 0.0.0.0:68 -> 255.255.255.255:67. */
static size_t frame(uint8_t *f, const uint8_t *dhcp, size_t len)
{
	uint16_t tot = (uint16_t)(28 + len), ulen = (uint16_t)(8 + len), c;

	memset(f, 0, 28);
	f[0] = 0x45;
	f[2] = (uint8_t)(tot >> 8);
	f[3] = (uint8_t)tot;
	f[8] = 64;
	f[9] = IPPROTO_UDP;
	memset(f + 16, 0xff, 4);
	c = ip_checksum(f, 20);
	f[10] = (uint8_t)(c >> 8);
	f[11] = (uint8_t)c;
	f[21] = 68;
	f[23] = 67;
	f[24] = (uint8_t)(ulen >> 8);
	f[25] = (uint8_t)ulen;
	/* UDP checksum 0: none (allowed over IPv4). */
	memcpy(f + 28, dhcp, len);
	return 28 + len;
}

static int send_ip(const uint8_t *dhcp, size_t len)
{
	static uint8_t f[LOAD_FRAME_MAX];
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_IP),
				 .sll_ifindex = cfg.ifindex,
				 .sll_halen = 6};
	size_t n = frame(f, dhcp, len);

	memset(to.sll_addr, 0xff, 6);
	if (sendto(cfg.fd, f, n, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	n_sent++;
	return 0;
}

/* A client request as udhcpc sends it, without the broadcast flag. */
static size_t build_request(uint8_t *b, uint8_t type, uint32_t xid,
			    const uint8_t *chaddr, const struct load_slot *s)
{
	static const uint8_t prl[] = {1, 3, 6, 12, 15, 26, 28, 42, 119, 121};
	uint32_t cookie = htonl(LOAD_COOKIE);
	size_t o = 240;

	memset(b, 0, LOAD_DHCP_LEN);
	b[0] = 1;
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 4, &xid, 4);
	memcpy(b + 28, chaddr, 6);
	memcpy(b + 236, &cookie, 4);
	b[o++] = 53;
	b[o++] = 1;
	b[o++] = type;
	b[o++] = 61;
	b[o++] = 7;
	b[o++] = 1;
	memcpy(b + o, chaddr, 6);
	o += 6;
	if (type == 3 && s) {
		b[o++] = 50;
		b[o++] = 4;
		memcpy(b + o, &s->yiaddr, 4);
		o += 4;
		b[o++] = 54;
		b[o++] = 4;
		memcpy(b + o, &s->server_id, 4);
		o += 4;
	}
	b[o++] = 57;
	b[o++] = 2;
	b[o++] = 576 >> 8;
	b[o++] = 576 & 0xff;
	b[o++] = 55;
	b[o++] = sizeof(prl);
	memcpy(b + o, prl, sizeof(prl));
	o += sizeof(prl);
	b[o++] = 255;
	return LOAD_DHCP_LEN;
}

/* A reply to us: BOOTREPLY, our chaddr, the cookie; its type and fields. */
static int parse_reply(const uint8_t *p, size_t n, uint32_t *xid,
		       struct in_addr *yiaddr, struct in_addr *sid)
{
	size_t ihl, o;
	const uint8_t *d;
	uint32_t cookie;
	int type = -1;

	if (n < 20 || p[9] != IPPROTO_UDP)
		return -1;
	ihl = (size_t)(p[0] & 0xf) * 4;
	if (n < ihl + 8 + 240)
		return -1;
	d = p + ihl + 8;
	n -= ihl + 8;
	memcpy(&cookie, d + 236, 4);
	if (d[0] != 2 || memcmp(d + 28, cfg.mac, 6) != 0 ||
	    cookie != htonl(LOAD_COOKIE))
		return -1;
	memcpy(xid, d + 4, 4);
	memcpy(yiaddr, d + 16, 4);
	sid->s_addr = 0;
	for (o = 240; o < n && d[o] != 255;) {
		if (d[o] == 0) {
			o++;
			continue;
		}
		if (o + 2 > n || o + 2 + d[o + 1] > n)
			break;
		if (d[o] == 53 && d[o + 1] == 1)
			type = d[o + 2];
		if (d[o] == 54 && d[o + 1] == 4)
			memcpy(sid, d + o + 2, 4);
		o += 2 + (size_t)d[o + 1];
	}
	return type;
}

static void start_exchange(struct load_slot *s, uint64_t t)
{
	uint8_t b[LOAD_DHCP_LEN];

	s->busy = true;
	s->offered = false;
	s->xid = rnd();
	s->t_start = s->t_sent = t;
	build_request(b, 1, s->xid, cfg.mac, NULL);
	if (send_ip(b, sizeof(b)) < 0)
		s->busy = false;
}

static struct load_slot *find_slot(uint32_t xid, int depth)
{
	for (int i = 0; i < depth; i++)
		if (slots[i].busy && slots[i].xid == xid)
			return &slots[i];
	return NULL;
}

static void on_reply(const uint8_t *p, size_t n, int depth)
{
	struct in_addr yi, sid;
	uint8_t b[LOAD_DHCP_LEN];
	struct load_slot *s;
	uint32_t xid;
	int type = parse_reply(p, n, &xid, &yi, &sid);

	s = type > 0 ? find_slot(xid, depth) : NULL;
	if (!s)
		return;
	if (type == 2 && !s->offered) {
		s->offered = true;
		s->yiaddr = yi;
		s->server_id = sid;
		s->t_sent = now_ns();
		build_request(b, 3, s->xid, cfg.mac, s);
		(void)send_ip(b, sizeof(b));
	} else if (type == 5 && s->offered) {
		if (n_samples < LOAD_MAX_SAMPLES)
			samples[n_samples++] = now_ns() - s->t_start;
		n_ok++;
		s->busy = false;
	}
}

static bool more_to_start(uint64_t t, uint64_t t_end)
{
	return !stop && t < t_end &&
	       (cfg.count < 0 || n_ok + n_lost < cfg.count);
}

/* Closed loop is the pipelined loop with depth 1 (and an optional gap). */
static void run_exchanges(int depth)
{
	static uint8_t buf[LOAD_FRAME_MAX];
	uint64_t t = now_ns(), t_end = t + (uint64_t)(cfg.duration * 1e9);
	uint64_t next_start = t;
	long outstanding;

	for (;;) {
		struct pollfd pfd = {.fd = cfg.fd, .events = POLLIN};
		ssize_t n;

		t = now_ns();
		outstanding = 0;
		for (int i = 0; i < depth; i++) {
			struct load_slot *s = &slots[i];

			if (s->busy &&
			    t - s->t_sent > (uint64_t)cfg.timeout_ns) {
				s->busy = false;
				n_lost++;
				next_start = t + (uint64_t)cfg.gap_ns;
			}
			if (!s->busy && t >= next_start &&
			    more_to_start(t, t_end)) {
				start_exchange(s, t);
				next_start = t + (uint64_t)cfg.gap_ns;
			}
			outstanding += s->busy;
		}
		if (outstanding == 0 && !more_to_start(t, t_end))
			break;
		if (poll(&pfd, 1, 1) <= 0)
			continue;
		while ((n = recv(cfg.fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			on_reply(buf, (size_t)n, depth);
			if (depth == 1 && !slots[0].busy) {
				next_start = now_ns() + (uint64_t)cfg.gap_ns;
				break;
			}
		}
	}
}

/* Broken requests: each kind stops a parser at a different rung. */
static size_t build_malformed(uint8_t *b, long i, const uint8_t *chaddr)
{
	size_t len = build_request(b, 1, rnd(), chaddr, NULL);

	switch (i % 8) {
	case 0: /* shorter than the fixed header */
		return 100 + rnd() % 136;
	case 1: /* bad cookie */
		b[236] ^= 0xff;
		break;
	case 2: /* op BOOTREPLY */
		b[0] = 2;
		break;
	case 3: /* hlen 16 */
		b[2] = 16;
		break;
	case 4: /* an option running past the end */
		b[240 + 3] = 61;
		b[240 + 4] = 255;
		return 250;
	case 5: /* no message type: all pad */
		memset(b + 240, 0, len - 240);
		break;
	case 6: /* unknown message type */
		b[242] = 200;
		break;
	default: /* random option bytes */
		for (size_t k = 240; k < len; k++)
			b[k] = (uint8_t)rnd();
		break;
	}
	return len;
}

static void run_flood(bool malformed)
{
	uint64_t t_end = now_ns() + (uint64_t)(cfg.duration * 1e9);
	uint8_t b[LOAD_DHCP_LEN], chaddr[6];
	long i = 0;

	for (; cfg.count < 0 || i < cfg.count; i++) {
		size_t len;
		uint32_t r = rnd();

		if (stop || ((i & 63) == 0 && now_ns() >= t_end))
			break;
		chaddr[0] = 0x02; /* locally administered, never the VM's */
		memcpy(chaddr + 1, &r, 4);
		chaddr[5] = (uint8_t)i;
		len = malformed ? build_malformed(b, i, chaddr)
				: build_request(b, 1, rnd(), chaddr, NULL);
		if (send_ip(b, len) < 0 && errno != ENOBUFS && errno != EAGAIN)
			break;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	long i;

	if (n_samples == 0)
		return -1;
	i = (long)(p * (double)(n_samples - 1) + 0.5);
	return (double)samples[i] / 1000.0;
}

static int parse_args(int argc, char **argv, const char **ifname)
{
	int c;

	while ((c = getopt(argc, argv, "i:m:d:n:t:g:p:s:")) != -1) {
		switch (c) {
		case 'i':
			*ifname = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "closed") == 0)
				cfg.mode = MODE_CLOSED;
			else if (strcmp(optarg, "pipelined") == 0)
				cfg.mode = MODE_PIPELINED;
			else if (strcmp(optarg, "flood") == 0)
				cfg.mode = MODE_FLOOD;
			else if (strcmp(optarg, "malformed") == 0)
				cfg.mode = MODE_MALFORMED;
			else
				return -1;
			break;
		case 'd':
			cfg.duration = atof(optarg);
			break;
		case 'n':
			cfg.count = atol(optarg);
			break;
		case 't':
			cfg.timeout_ns = atol(optarg) * 1000000L;
			break;
		case 'g':
			cfg.gap_ns = atol(optarg) * 1000000L;
			break;
		case 'p':
			cfg.depth = atoi(optarg);
			break;
		case 's':
			cfg.rng = (uint32_t)strtoul(optarg, NULL, 0) | 1u;
			break;
		default:
			return -1;
		}
	}
	if (!*ifname || cfg.depth < 1 || cfg.depth > LOAD_MAX_DEPTH ||
	    cfg.duration <= 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"closed", "pipelined", "flood",
					    "malformed"};
	const char *ifname = NULL;
	uint64_t t0, t1;
	struct rusage ru;
	double secs;
	int rc;

	if (parse_args(argc, argv, &ifname) < 0) {
		fprintf(stderr,
			"usage: dhcp_load -i IFACE -m "
			"closed|pipelined|flood|malformed [-d S] [-n N] "
			"[-t MS] [-g MS] [-p DEPTH] [-s SEED]\n");
		return 2;
	}
	(void)signal(SIGTERM, on_signal);
	(void)signal(SIGINT, on_signal);
	samples = calloc(LOAD_MAX_SAMPLES, sizeof(*samples));
	rc = samples ? open_socket(ifname) : -ENOMEM;
	if (rc < 0) {
		fprintf(stderr, "dhcp_load: %s: %s\n", ifname, strerror(-rc));
		return 1;
	}
	t0 = now_ns();
	if (cfg.mode == MODE_CLOSED)
		run_exchanges(1);
	else if (cfg.mode == MODE_PIPELINED)
		run_exchanges(cfg.depth);
	else
		run_flood(cfg.mode == MODE_MALFORMED);
	t1 = now_ns();
	secs = (double)(t1 - t0) / 1e9;
	qsort(samples, (size_t)n_samples, sizeof(*samples), cmp_u64);
	(void)getrusage(RUSAGE_SELF, &ru);
	printf("{\"mode\": \"%s\", \"depth\": %d, \"seconds\": %.4f, "
	       "\"cpu_s\": %.4f, "
	       "\"ok\": %ld, \"lost\": %ld, \"sent\": %ld, "
	       "\"rate\": %.2f, \"send_rate\": %.1f, "
	       "\"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f}\n",
	       names[cfg.mode], cfg.mode == MODE_CLOSED ? 1 : cfg.depth, secs,
	       tv_seconds(ru.ru_utime) + tv_seconds(ru.ru_stime), n_ok, n_lost,
	       n_sent, (double)n_ok / secs, (double)n_sent / secs, pct(0.5),
	       pct(0.99), pct(1.0));
	free(samples);
	return 0;
}
