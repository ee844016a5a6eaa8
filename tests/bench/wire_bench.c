// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's per-packet pure work in a loop, for callgrind: parse the
 * IPv4/UDP frame and the request, decide, take the prepared reply frame. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_DUMP_STATS_AT
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name) ((void)(name))
#endif

#include "../unit/dhcp_msg.h"
#include "dhcp_parse_cache.h"
#include "dhcp_prepared.h"
#include "dhcp_wire.h"
#include "udp_frame.h"

/*
 * Usage: wire_bench EXCHANGES
 *        wire_bench --sweep REPLIES
 * One exchange is a DISCOVER and a REQUEST (selecting), each with a new
 * xid, taken through udp_frame_parse, dhcp_parse_cached, dhcp_wire_decide,
 * dhcp_wire_reply_destination and dhcp_reply_frame, exactly as
 * dhcp_answer_request() (src/responder/dhcp_answer.c) calls them.
 * Run it with two counts under callgrind; the difference over the
 * difference in count is the instructions per exchange.
 *
 * --sweep: the cost of one reply against the size of the lease, with 1..32
 * routes (one search domain) and 1..PODNET_MAX_SEARCH search domains (one
 * route): for each point, REPLIES times the ACK exchange (the REQUEST taken
 * through one_packet(), the reply prepared before the loop) and REPLIES
 * times dhcp_wire_build_reply() alone (what preparing the reply encodes:
 * once per lease and request shape),
 * ns per reply as the fastest of 5 timed repetitions (the least disturbed by
 * other work on the machine; the median is printed too). Under callgrind each
 * loop is also dumped on its own (CALLGRIND_DUMP_STATS_AT "ack r=R s=S" /
 * "build r=R s=S"), so the instructions per reply come from the same run.
 * Prints one JSON object on stdout.
 */

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

/* The lease of the bench pod (the same facts as tests/bench/bench.py). */
static void bench_lease(struct dhcp_lease *l)
{
	memset(l, 0, sizeof(*l));
	memcpy(l->client_mac, vm_mac, MAC_LEN);
	(void)inet_pton(AF_INET, "198.51.100.10", &l->client_addr);
	l->prefix_len = 24;
	(void)inet_pton(AF_INET, "198.51.100.1", &l->server_id);
	l->router = l->server_id;
	l->n_routes = 1;
	l->routes[0].prefix_len = 0;
	l->routes[0].gateway = l->server_id;
	l->n_dns = 1;
	(void)inet_pton(AF_INET, "198.51.100.53", &l->dns[0]);
	(void)snprintf(l->hostname, sizeof(l->hostname), "vm1");
	(void)snprintf(l->domain_name, sizeof(l->domain_name),
		       "pod.example.test");
	l->n_search = 2;
	(void)snprintf(l->search[0], sizeof(l->search[0]), "pod.example.test");
	(void)snprintf(l->search[1], sizeof(l->search[1]), "example.test");
	l->mtu = 1400;
	l->lease_seconds = DHCP_LEASE_INFINITE;
}

/*
 * The bench lease grown to @n_routes routes (the default route first, then
 * /24s of 198.51.100.0/24's neighbours through the gateway) and @n_search
 * search domains, as a pod with that many routes and resolv.conf entries
 * would hand it out.
 */
static void sized_lease(struct dhcp_lease *l, size_t n_routes, size_t n_search)
{
	bench_lease(l);
	l->n_routes = n_routes;
	for (size_t i = 1; i < n_routes; i++) {
		l->routes[i].dst.s_addr = htonl(0x0a000000u | (uint32_t)i << 8);
		l->routes[i].prefix_len = 24;
		l->routes[i].gateway = l->server_id;
	}
	l->n_search = n_search;
	for (size_t i = 0; i < n_search; i++)
		(void)snprintf(l->search[i], sizeof(l->search[i]),
			       "ns%zu.svc.pod.example.test", i);
}

/* The clients' maximum message size in the sweep: all of a big lease fits. */
static uint16_t max_msg_size;

/* A request as dhcp_load sends it, in its IPv4/UDP frame. */
static size_t bench_request(uint8_t *f, size_t cap, uint8_t type)
{
	static const uint8_t prl[] = {1, 3, 6, 12, 15, 26, 28, 42, 119, 121};
	static const uint8_t yiaddr[4] = {198, 51, 100, 10};
	static const uint8_t server[4] = {198, 51, 100, 1};
	uint8_t d[300];
	struct in_addr any = {0}, bcast = {.s_addr = INADDR_BROADCAST};
	size_t o = dhcp_msg_start(d, sizeof(d), 0x01020304, vm_mac, type);
	ssize_t n;

	if (type == DHCP_MSG_REQUEST) {
		o = dhcp_msg_opt(d, o, DHCP_OPT_REQUESTED_ADDR, 4, yiaddr);
		o = dhcp_msg_opt(d, o, DHCP_OPT_SERVER_ID, 4, server);
	}
	if (max_msg_size) {
		d[o++] = DHCP_OPT_MAX_MESSAGE_SIZE;
		d[o++] = 2;
		d[o++] = (uint8_t)(max_msg_size >> 8);
		d[o++] = (uint8_t)max_msg_size;
	}
	o = dhcp_msg_opt(d, o, DHCP_OPT_PARAM_REQUEST_LIST, sizeof(prl), prl);
	d[o] = DHCP_OPT_END;
	n = udp_frame_build(f, cap, any, bcast, DHCP_CLIENT_PORT,
			    DHCP_SERVER_PORT, d, sizeof(d));
	return n < 0 ? 0 : (size_t)n;
}

/* The request's parse cache and the lease's prepared replies, as the
 * responder keeps them per port: the replies reset whenever the lease
 * changes. */
static struct dhcp_parse_cache parsed;
static struct dhcp_reply_cache reply_cache;

/* dhcp_answer_request() (src/responder/dhcp_answer.c) without the rate
 * window: the parse cache and the prepared replies. */
static int one_packet(const uint8_t *f, size_t len,
		      const struct dhcp_lease *lease)
{
	static uint8_t tx_buf[DHCP_MAX_PACKET + UDP_FRAME_HEADER_LEN];
	const struct dhcp_request *req;
	struct dhcp_destination dst;
	enum dhcp_action action;
	struct udp_view v;
	ssize_t n;

	if (udp_frame_parse(f, len, &v) < 0)
		return -1;
	req = dhcp_parse_cached(&parsed, v.payload, v.payload_len);
	if (!req)
		return -1;
	action = dhcp_wire_decide(req, lease);
	dst = dhcp_wire_reply_destination(req, lease, action);
	n = dhcp_reply_frame(&reply_cache, req, lease, action, &dst, tx_buf,
			     sizeof(tx_buf));
	return n < 0 ? -1 : (int)action;
}

/* A new xid, as each exchange of a client has (the UDP checksum is not
 * checked on the way in). */
static void next_xid(uint8_t *f, long i)
{
	uint32_t xid = htonl((uint32_t)i * 2654435761u);

	memcpy(f + UDP_FRAME_HEADER_LEN + 4, &xid, sizeof(xid));
}

static double now_ns(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define SWEEP_REPS 5

/* One point of the sweep: prints its JSON object (without separator). */
static int sweep_point(long replies, size_t n_routes, size_t n_search)
{
	static uint8_t request[DHCP_MAX_PACKET], reply_buf[DHCP_MAX_PACKET];
	static struct dhcp_lease lease;
	double ack[SWEEP_REPS], build[SWEEP_REPS], t0;
	struct dhcp_request req;
	struct udp_view v;
	/* Under callgrind one repetition: its count does not vary. */
	int reps = RUNNING_ON_VALGRIND ? 1 : SWEEP_REPS;
	ssize_t reply_len = 0;
	char name[64];
	size_t rlen;
	long bad = 0;

	sized_lease(&lease, n_routes, n_search);
	dhcp_reply_cache_reset(&reply_cache);
	rlen = bench_request(request, sizeof(request), DHCP_MSG_REQUEST);
	if (udp_frame_parse(request, rlen, &v) < 0 ||
	    dhcp_wire_parse_request(v.payload, v.payload_len, &req) < 0 ||
	    one_packet(request, rlen, &lease) != DHCP_ACTION_ACK) {
		printf("{\"routes\": %zu, \"search\": %zu, \"error\": 1}",
		       n_routes, n_search);
		return -1;
	}
	for (int r = 0; r < reps; r++) {
		if (r == reps - 1)
			CALLGRIND_ZERO_STATS;
		t0 = now_ns();
		for (long i = 0; i < replies; i++) {
			next_xid(request, i);
			bad += one_packet(request, rlen, &lease) !=
			       DHCP_ACTION_ACK;
		}
		ack[r] = (now_ns() - t0) / (double)replies;
		if (r == reps - 1) {
			(void)snprintf(name, sizeof(name), "ack r=%zu s=%zu",
				       n_routes, n_search);
			CALLGRIND_DUMP_STATS_AT(name);
		}
	}
	for (int r = 0; r < reps; r++) {
		if (r == reps - 1)
			CALLGRIND_ZERO_STATS;
		t0 = now_ns();
		for (long i = 0; i < replies; i++)
			reply_len = dhcp_wire_build_reply(
				&req, &lease, DHCP_ACTION_ACK, reply_buf,
				sizeof(reply_buf));
		build[r] = (now_ns() - t0) / (double)replies;
		if (r == reps - 1) {
			(void)snprintf(name, sizeof(name), "build r=%zu s=%zu",
				       n_routes, n_search);
			CALLGRIND_DUMP_STATS_AT(name);
		}
	}
	qsort(ack, (size_t)reps, sizeof(ack[0]), cmp_double);
	qsort(build, (size_t)reps, sizeof(build[0]), cmp_double);
	printf("{\"routes\": %zu, \"search\": %zu, \"reply_bytes\": %zd, "
	       "\"ack_ns\": %.1f, \"build_ns\": %.1f, \"ack_ns_median\": %.1f, "
	       "\"build_ns_median\": %.1f, \"bad\": %ld}",
	       n_routes, n_search, reply_len, ack[0], build[0], ack[reps / 2],
	       build[reps / 2], bad);
	return bad ? -1 : 0;
}

static int sweep(long replies)
{
	int rc = 0;

	max_msg_size = 1500;
	printf("{\"replies\": %ld, \"max_msg_size\": %u, "
	       "\"max_routes\": %d, \"max_search\": %d, \"points\": [\n",
	       replies, max_msg_size, PODNET_MAX_ROUTES, PODNET_MAX_SEARCH);
	for (size_t r = 1; r <= PODNET_MAX_ROUTES; r++) {
		rc |= sweep_point(replies, r, 1);
		printf(",\n");
	}
	for (size_t s = 1; s <= PODNET_MAX_SEARCH; s++) {
		rc |= sweep_point(replies, 1, s);
		printf(s < PODNET_MAX_SEARCH ? ",\n" : "\n");
	}
	printf("]}\n");
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	static uint8_t discover[DHCP_MAX_PACKET], request[DHCP_MAX_PACKET];
	static struct dhcp_lease lease;
	struct timespec t0, t1;
	size_t dlen, rlen;
	long n, bad = 0;
	double secs;

	if (argc == 3 && strcmp(argv[1], "--sweep") == 0 &&
	    (n = atol(argv[2])) > 0)
		return sweep(n);
	if (argc != 2 || (n = atol(argv[1])) < 0) {
		fprintf(stderr,
			"usage: wire_bench EXCHANGES | --sweep REPLIES\n");
		return 2;
	}
	bench_lease(&lease);
	dlen = bench_request(discover, sizeof(discover), DHCP_MSG_DISCOVER);
	rlen = bench_request(request, sizeof(request), DHCP_MSG_REQUEST);
	if (one_packet(discover, dlen, &lease) != DHCP_ACTION_OFFER ||
	    one_packet(request, rlen, &lease) != DHCP_ACTION_ACK) {
		fprintf(stderr, "wire_bench: the bench requests are not "
				"answered with OFFER and ACK\n");
		return 1;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		next_xid(discover, i);
		next_xid(request, i);
		bad += one_packet(discover, dlen, &lease) != DHCP_ACTION_OFFER;
		bad += one_packet(request, rlen, &lease) != DHCP_ACTION_ACK;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("{\"exchanges\": %ld, \"bad\": %ld, \"seconds\": %.6f, "
	       "\"ns_per_exchange\": %.1f}\n",
	       n, bad, secs, n ? secs * 1e9 / (double)n : 0.0);
	return bad ? 1 : 0;
}
