// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's per-packet pure work in a loop, for callgrind: parse the
 * IPv4/UDP frame and the request, decide, build the reply and its frame. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcp_parse_cache.h"
#include "dhcp_prepared.h"
#include "dhcp_wire.h"
#include "udp_frame.h"

/*
 * Usage: wire_bench EXCHANGES
 * One exchange is a DISCOVER and a REQUEST (selecting), each with a new
 * xid, taken through udp_frame_parse, dhcp_parse_cached, dhcp_wire_decide,
 * dhcp_wire_reply_destination and dhcp_reply_frame, exactly as
 * handle_frame() and reply() in src/responder/dhcp_server.c call them.
 * Run it with two counts under callgrind; the difference over the
 * difference in count is the instructions per exchange.
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

/* A request as dhcp_load sends it, in its IPv4/UDP frame. */
static size_t bench_request(uint8_t *f, size_t cap, uint8_t type)
{
	static const uint8_t prl[] = {1, 3, 6, 12, 15, 26, 28, 42, 119, 121};
	uint8_t d[300] = {0};
	uint32_t cookie = htonl(DHCP_COOKIE), xid = 0x01020304;
	struct in_addr any = {0}, bcast = {.s_addr = INADDR_BROADCAST};
	size_t o = 240;
	ssize_t n;

	d[0] = BOOTP_REQUEST;
	d[1] = BOOTP_HTYPE_ETHER;
	d[2] = MAC_LEN;
	memcpy(d + 4, &xid, 4);
	memcpy(d + 28, vm_mac, MAC_LEN);
	memcpy(d + 236, &cookie, 4);
	d[o++] = DHCP_OPT_MESSAGE_TYPE;
	d[o++] = 1;
	d[o++] = type;
	if (type == DHCP_MSG_REQUEST) {
		d[o++] = DHCP_OPT_REQUESTED_ADDR;
		d[o++] = 4;
		(void)inet_pton(AF_INET, "198.51.100.10", d + o);
		o += 4;
		d[o++] = DHCP_OPT_SERVER_ID;
		d[o++] = 4;
		(void)inet_pton(AF_INET, "198.51.100.1", d + o);
		o += 4;
	}
	d[o++] = DHCP_OPT_PARAM_REQUEST_LIST;
	d[o++] = sizeof(prl);
	memcpy(d + o, prl, sizeof(prl));
	o += sizeof(prl);
	d[o] = DHCP_OPT_END;
	n = udp_frame_build(f, cap, any, bcast, DHCP_CLIENT_PORT,
			    DHCP_SERVER_PORT, d, sizeof(d));
	return n < 0 ? 0 : (size_t)n;
}

/* handle_frame() + reply() (src/responder/dhcp_server.c) without the
 * sockets and the log: the parse cache and the prepared replies. */
static int one_packet(const uint8_t *f, size_t len,
		      const struct dhcp_lease *lease)
{
	static struct dhcp_parse_cache parsed;
	static struct dhcp_reply_cache replies;
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
	n = dhcp_reply_frame(&replies, req, lease, action, &dst, tx_buf,
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

int main(int argc, char **argv)
{
	static uint8_t discover[DHCP_MAX_PACKET], request[DHCP_MAX_PACKET];
	static struct dhcp_lease lease;
	struct timespec t0, t1;
	size_t dlen, rlen;
	long n, bad = 0;
	double secs;

	if (argc != 2 || (n = atol(argv[1])) < 0) {
		fprintf(stderr, "usage: wire_bench EXCHANGES\n");
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
