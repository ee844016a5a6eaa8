// SPDX-License-Identifier: GPL-2.0-or-later
/* The IPv4 port's answer (dhcp_answer.c): the frame a fresh parse, decide
 * and build give; a reply's budget is taken before it is built; the rate
 * window (rate_window.h) per second. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "dhcp_answer.h"
#include "dhcp_msg.h"
#include "dhcp_wire.h"
#include "rate_window.h"
#include "test.h"
#include "udp_frame.h"

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t lease_addr[4] = {198, 51, 100, 10};

static void make_lease(struct dhcp_lease *l)
{
	memset(l, 0, sizeof(*l));
	memcpy(l->client_mac, vm_mac, MAC_LEN);
	memcpy(&l->client_addr, lease_addr, 4);
	l->prefix_len = 24;
	l->server_id.s_addr = htonl(0xc6336401); /* 198.51.100.1 */
	l->router = l->server_id;
	l->mtu = 1450;
	l->lease_seconds = DHCP_LEASE_INFINITE;
	dhcp_extras_init(&l->extra);
}

/* A request of @type from the VM's MAC, xid @xid: a REQUEST asks for the
 * lease's address (INIT-REBOOT), an INFORM comes from it. */
static size_t make_msg(uint8_t *b, size_t cap, uint8_t type, uint32_t xid)
{
	static const uint8_t prl[] = {1, 3, 6, 12, 15, 28, 42};
	size_t o = dhcp_msg_start(b, cap, htonl(xid), vm_mac, type);

	if (type == DHCP_MSG_REQUEST)
		o = dhcp_msg_opt(b, o, DHCP_OPT_REQUESTED_ADDR, 4, lease_addr);
	if (type == DHCP_MSG_INFORM)
		memcpy(b + 12, &lease_addr, 4); /* ciaddr */
	o = dhcp_msg_opt(b, o, DHCP_OPT_PARAM_REQUEST_LIST, sizeof(prl), prl);
	b[o++] = DHCP_OPT_END;
	return o < 300 ? 300 : o;
}

/* What the port sent before the fence: parse, decide, build, frame. */
static ssize_t fresh(const uint8_t *msg, size_t len, const struct dhcp_lease *l,
		     uint8_t *out, size_t cap)
{
	uint8_t payload[DHCP_MAX_PACKET];
	struct dhcp_request r;
	struct dhcp_destination dst;
	enum dhcp_action a;
	ssize_t n;

	if (dhcp_wire_parse_request_into(msg, len, &r) < 0)
		return -EBADMSG;
	a = dhcp_wire_decide(&r, l);
	dst = dhcp_wire_reply_destination(&r, l, a);
	n = dhcp_wire_build_reply(&r, l, a, payload, sizeof(payload));
	if (n < 0)
		return n;
	return udp_frame_build(out, cap, l->server_id, dst.addr,
			       DHCP_SERVER_PORT, dst.port, payload, (size_t)n);
}

static void answer_equals_fresh(void)
{
	static struct dhcp_answerer ans;
	static struct dhcp_lease lease;
	static const uint8_t types[] = {DHCP_MSG_DISCOVER, DHCP_MSG_REQUEST,
					DHCP_MSG_DISCOVER, DHCP_MSG_INFORM};
	struct rate_window rate = {0};
	uint8_t msg[400], got[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET],
		want[sizeof(got)];

	make_lease(&lease);
	dhcp_answer_init(&ans, &lease);
	for (uint32_t i = 0; i < 40; i++) {
		size_t len = make_msg(msg, sizeof(msg), types[i % 4], i * 7919);
		struct dhcp_answer a;
		ssize_t w = fresh(msg, len, &lease, want, sizeof(want));

		/* A new second each time: the budget never runs out here. */
		CHECK_EQ_INT(dhcp_answer_request(&ans, msg, len, &rate,
						 (time_t)i + 1, got,
						 sizeof(got), &a),
			     0);
		CHECK(dhcp_wire_reply_kind(a.action) >= 0);
		CHECK(w > 0);
		CHECK_EQ_INT(a.len, w);
		CHECK(a.len == w && memcmp(got, want, (size_t)w) == 0);
	}
}

/* Over the budget nothing is built; an action without a reply takes none;
 * garbage is -EBADMSG; no room is -ENOBUFS. */
static void answer_budget_and_errors(void)
{
	static struct dhcp_answerer ans;
	static struct dhcp_lease lease;
	struct rate_window rate = {0};
	uint8_t msg[400], out[UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET];
	struct dhcp_answer a;
	size_t len;
	unsigned int sent = 0;

	make_lease(&lease);
	dhcp_answer_init(&ans, &lease);
	len = make_msg(msg, sizeof(msg), DHCP_MSG_DISCOVER, 1);
	for (unsigned int i = 0; i < RESPONDER_REPLIES_PER_SEC + 20; i++) {
		CHECK_EQ_INT(dhcp_answer_request(&ans, msg, len, &rate, 5, out,
						 sizeof(out), &a),
			     0);
		CHECK_EQ_INT(a.action, DHCP_ACTION_OFFER);
		sent += a.len > 0;
	}
	CHECK_EQ_INT(sent, RESPONDER_REPLIES_PER_SEC);
	CHECK_EQ_INT(ans.replies.builds, 1);
	/* The next second has a new budget. */
	CHECK_EQ_INT(dhcp_answer_request(&ans, msg, len, &rate, 6, out,
					 sizeof(out), &a),
		     0);
	CHECK(a.len > 0);
	/* RELEASE sends nothing and takes no budget. */
	len = make_msg(msg, sizeof(msg), DHCP_MSG_RELEASE, 2);
	CHECK_EQ_INT(dhcp_answer_request(&ans, msg, len, &rate, 6, out,
					 sizeof(out), &a),
		     0);
	CHECK_EQ_INT(a.action, DHCP_ACTION_RELEASED);
	CHECK_EQ_INT(a.len, 0);
	CHECK_EQ_INT(rate.count, 1);
	len = make_msg(msg, sizeof(msg), DHCP_MSG_DISCOVER, 3);
	CHECK_EQ_INT(dhcp_answer_request(&ans, msg, len, &rate, 7, NULL, 0, &a),
		     0);
	CHECK_EQ_INT(a.len, -ENOBUFS);
	CHECK_EQ_INT(dhcp_answer_request(&ans, msg, 100, &rate, 7, out,
					 sizeof(out), &a),
		     -EBADMSG);
}

static void rate_window_per_second(void)
{
	struct rate_window w = {0};
	unsigned int allowed = 0;

	for (int i = 0; i < 15; i++)
		allowed += rate_window_allows(&w, 100, 10);
	CHECK_EQ_INT(allowed, 10);
	CHECK(rate_window_allows(&w, 101, 10));
	CHECK(!rate_window_allows(&w, 101, 0));
}

int main(void)
{
	RUN(answer_equals_fresh);
	RUN(answer_budget_and_errors);
	RUN(rate_window_per_second);
	return TEST_SUMMARY();
}
