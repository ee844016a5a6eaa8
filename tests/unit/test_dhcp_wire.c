// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the DHCPv4 wire module: each case changes one thing in a good
 * message. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "dhcp_wire.h"
#include "dhcp_wire_internal.h"
#include "test.h"

#define IP4(a, b, c, d)                                                        \
	((struct in_addr){                                                     \
		.s_addr = htonl((uint32_t)(a) << 24 | (uint32_t)(b) << 16 |    \
				(uint32_t)(c) << 8 | (uint32_t)(d))})
#define MAC_VM                                                                 \
	{                                                                      \
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56                             \
	}
#define BYTES(...)                                                             \
	(const uint8_t[])                                                      \
	{                                                                      \
		__VA_ARGS__                                                    \
	}
/* Points @ptr at the bytes given and sets @len to their count. */
#define SETB(ptr, len, ...)                                                    \
	((ptr) = BYTES(__VA_ARGS__), (len) = sizeof(BYTES(__VA_ARGS__)))
#define CHECK_BYTES(got, got_len, ...)                                         \
	do {                                                                   \
		static const uint8_t want_[] = {__VA_ARGS__};                  \
		CHECK_EQ_INT((got_len), sizeof(want_));                        \
		CHECK((size_t)(got_len) == sizeof(want_) &&                    \
		      memcmp((got), want_, sizeof(want_)) == 0);               \
	} while (0)

/* A BOOTP message as the test writes it; msg_encode() lays it out. */
struct msg_spec {
	uint8_t op, htype, hlen;
	uint32_t xid; /* host order */
	uint16_t flags;
	struct in_addr ciaddr, giaddr;
	uint8_t chaddr[MAC_LEN];
	uint32_t cookie;
	const uint8_t *opts, *file, *sname;
	size_t opts_len, file_len, sname_len;
};

static struct msg_spec good_discover(void)
{
	/* Static: a compound literal here would die with this function. */
	static const uint8_t opts[] = {
		DHCP_OPT_MESSAGE_TYPE,
		1,
		DHCP_MSG_DISCOVER,
		DHCP_OPT_PARAM_REQUEST_LIST,
		3,
		1,
		3,
		6,
		DHCP_OPT_END,
	};

	return (struct msg_spec){
		.op = BOOTP_REQUEST,
		.htype = BOOTP_HTYPE_ETHER,
		.hlen = MAC_LEN,
		.xid = 0x12345678,
		.chaddr = MAC_VM,
		.cookie = DHCP_COOKIE,
		.opts = opts,
		.opts_len = sizeof(opts),
	};
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, sizeof(v));
}

static size_t msg_encode(uint8_t *buf, size_t cap, const struct msg_spec *m)
{
	size_t len = DHCP_FIXED_LEN + 4 + m->opts_len;

	CHECK(len <= cap && m->file_len <= 128 && m->sname_len <= 64);
	memset(buf, 0, cap);
	buf[0] = m->op;
	buf[1] = m->htype;
	buf[2] = m->hlen;
	put32(buf + 4, m->xid);
	buf[10] = (uint8_t)(m->flags >> 8);
	buf[11] = (uint8_t)m->flags;
	memcpy(buf + 12, &m->ciaddr, 4);
	memcpy(buf + 24, &m->giaddr, 4);
	memcpy(buf + 28, m->chaddr, MAC_LEN);
	if (m->sname_len)
		memcpy(buf + 44, m->sname, m->sname_len);
	if (m->file_len)
		memcpy(buf + 108, m->file, m->file_len);
	put32(buf + DHCP_FIXED_LEN, m->cookie);
	if (m->opts_len)
		memcpy(buf + DHCP_FIXED_LEN + 4, m->opts, m->opts_len);
	return len;
}

static int parse(const struct msg_spec *m, struct dhcp_request *req)
{
	uint8_t buf[DHCP_MAX_PACKET];

	return dhcp_wire_parse_request(buf, msg_encode(buf, sizeof(buf), m),
				       req);
}

/* The lease of a plain /24 pod, as the tests' starting point. */
static void lease_init(struct dhcp_lease *l)
{
	*l = (struct dhcp_lease){
		.client_mac = MAC_VM,
		.client_addr = IP4(198, 51, 100, 10),
		.prefix_len = 24,
		.server_id = IP4(198, 51, 100, 1),
		.router = IP4(198, 51, 100, 1),
		.n_dns = 1,
		.dns = {IP4(198, 51, 100, 53)},
		.mtu = 1450,
		.lease_seconds = DHCP_LEASE_INFINITE,
	};
}

static struct dhcp_request req_of(uint8_t type)
{
	return (struct dhcp_request){
		.msg_type = type,
		.xid = htonl(0x12345678),
		.chaddr = MAC_VM,
	};
}

/* Concatenated data of every instance of @code (RFC 3396); -1 if absent. */
static int reply_opt(const uint8_t *r, size_t len, uint8_t code, uint8_t *out,
		     size_t cap, int *ret_instances)
{
	size_t i = DHCP_FIXED_LEN + 4, n = 0;
	int instances = 0;

	while (i < len && r[i] != DHCP_OPT_END) {
		if (r[i] == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= len || i + 2 + r[i + 1] > len)
			return -2;
		if (r[i] == code) {
			if (n + r[i + 1] > cap)
				return -3;
			memcpy(out + n, r + i + 2, r[i + 1]);
			n += r[i + 1];
			instances++;
		}
		i += 2 + (size_t)r[i + 1];
	}
	if (ret_instances)
		*ret_instances = instances;
	return instances ? (int)n : -1;
}

/* Option codes in wire order, one per instance; END is the last one. */
static size_t reply_codes(const uint8_t *r, size_t len, uint8_t *codes,
			  size_t cap)
{
	size_t i = DHCP_FIXED_LEN + 4, n = 0;

	while (i < len && n < cap) {
		codes[n++] = r[i];
		if (r[i] == DHCP_OPT_END || i + 1 >= len)
			break;
		i += 2 + (size_t)r[i + 1];
	}
	return n;
}

static bool has_opt(const uint8_t *r, size_t len, uint8_t code)
{
	uint8_t tmp[2048];

	return reply_opt(r, len, code, tmp, sizeof(tmp), NULL) >= 0;
}

/* ---- parse ---- */

static void parse_discover_ok(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;
	const uint8_t mac[] = MAC_VM;

	m.flags = BOOTP_FLAG_BROADCAST;
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_DISCOVER);
	CHECK_EQ_INT(ntohl(req.xid), 0x12345678);
	CHECK_EQ_INT(req.flags, BOOTP_FLAG_BROADCAST);
	CHECK(memcmp(req.chaddr, mac, MAC_LEN) == 0);
	CHECK_BYTES(req.params, req.n_params, 1, 3, 6);
	CHECK_EQ_INT(req.max_msg_size, 0);
	CHECK(!req.has_requested_addr && !req.has_server_id);
	CHECK_EQ_INT(req.client_id_len, 0);
}

static void parse_request_fields(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	m.ciaddr = IP4(198, 51, 100, 10);
	m.giaddr = IP4(198, 51, 100, 2);
	SETB(m.opts, m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_REQUEST,
	     DHCP_OPT_REQUESTED_ADDR, 4, 198, 51, 100, 10, DHCP_OPT_SERVER_ID,
	     4, 198, 51, 100, 1, DHCP_OPT_MAX_MESSAGE_SIZE, 2, 0x05, 0xdc,
	     DHCP_OPT_CLIENT_ID, 7, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56,
	     DHCP_OPT_FQDN, 6, 0x05, 0, 0, 'v', 'm', '1', DHCP_OPT_END);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_REQUEST);
	CHECK(req.has_requested_addr &&
	      req.requested_addr.s_addr == IP4(198, 51, 100, 10).s_addr);
	CHECK(req.has_server_id &&
	      req.server_id.s_addr == IP4(198, 51, 100, 1).s_addr);
	CHECK_EQ_INT(req.max_msg_size, 1500);
	CHECK_BYTES(req.client_id, req.client_id_len, 1, 0x52, 0x54, 0, 0x12,
		    0x34, 0x56);
	CHECK(req.has_fqdn);
	CHECK_EQ_INT(req.fqdn_flags, 0x05);
	CHECK(req.ciaddr.s_addr == IP4(198, 51, 100, 10).s_addr);
	CHECK(req.giaddr.s_addr == IP4(198, 51, 100, 2).s_addr);
}

/* One row: a change to the good DISCOVER and the exact parse result. */
struct parse_case {
	const char *name;
	struct msg_spec m;
	int want;
};

static void parse_table(void)
{
	struct msg_spec g = good_discover();
	struct parse_case cases[] = {
		{"good", g, 0},
		{"bad-cookie", g, -EBADMSG},
		{"op-reply", g, -EBADMSG},
		{"htype-not-ether", g, -EPROTONOSUPPORT},
		{"hlen-not-6", g, -EPROTONOSUPPORT},
		{"no-msg-type", g, -EBADMSG},
		{"msg-type-0", g, -EBADMSG},
		{"msg-type-9", g, -EBADMSG},
		{"msg-type-len-2", g, -EBADMSG},
		{"no-length-byte", g, -EBADMSG},
		{"length-past-end", g, -EBADMSG},
		{"no-end-tolerated", g, 0},
		{"pad-and-garbage-after-end", g, 0},
		{"client-id-too-long-concat", g, -EBADMSG},
	};
	uint8_t big[260 * 2];

	cases[1].m.cookie = 0x63825364;
	cases[2].m.op = BOOTP_REPLY;
	cases[3].m.htype = 6;
	cases[4].m.hlen = 16;
	SETB(cases[5].m.opts, cases[5].m.opts_len, DHCP_OPT_END);
	SETB(cases[6].m.opts, cases[6].m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, 0,
	     DHCP_OPT_END);
	SETB(cases[7].m.opts, cases[7].m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, 9,
	     DHCP_OPT_END);
	SETB(cases[8].m.opts, cases[8].m.opts_len, DHCP_OPT_MESSAGE_TYPE, 2, 1,
	     1, DHCP_OPT_END);
	SETB(cases[9].m.opts, cases[9].m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, 1,
	     DHCP_OPT_HOSTNAME);
	SETB(cases[10].m.opts, cases[10].m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1,
	     1, DHCP_OPT_HOSTNAME, 5, 'v', 'm');
	SETB(cases[11].m.opts, cases[11].m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1,
	     1);
	SETB(cases[12].m.opts, cases[12].m.opts_len, DHCP_OPT_PAD, DHCP_OPT_PAD,
	     DHCP_OPT_MESSAGE_TYPE, 1, 1, DHCP_OPT_END, DHCP_OPT_HOSTNAME, 200);
	/* Two 200-byte client id instances: 400 bytes cannot be echoed. */
	memset(big, 'x', sizeof(big));
	big[0] = DHCP_OPT_MESSAGE_TYPE;
	big[1] = 1;
	big[2] = 1;
	big[3] = DHCP_OPT_CLIENT_ID;
	big[4] = 200;
	big[205] = DHCP_OPT_CLIENT_ID;
	big[206] = 200;
	big[407] = DHCP_OPT_END;
	cases[13].m.opts = big;
	cases[13].m.opts_len = 408;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct dhcp_request req;
		int r = parse(&cases[i].m, &req);

		if (r != cases[i].want)
			fprintf(stderr, "  case '%s'\n", cases[i].name);
		CHECK_EQ_INT(r, cases[i].want);
	}
}

static void parse_short_message(void)
{
	uint8_t buf[DHCP_MAX_PACKET];
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	msg_encode(buf, sizeof(buf), &m);
	CHECK_EQ_INT(dhcp_wire_parse_request(buf, DHCP_FIXED_LEN + 3, &req),
		     -EBADMSG);
	CHECK_EQ_INT(dhcp_wire_parse_request(NULL, 0, &req), -EBADMSG);
	/* Header and cookie only: no message type. */
	CHECK_EQ_INT(dhcp_wire_parse_request(buf, DHCP_FIXED_LEN + 4, &req),
		     -EBADMSG);
}

static void parse_ret_untouched_on_error(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req, before;

	memset(&req, 0xaa, sizeof(req));
	before = req;
	m.cookie = 0;
	CHECK_EQ_INT(parse(&m, &req), -EBADMSG);
	CHECK(memcmp(&req, &before, sizeof(req)) == 0);
}

static void parse_invalid_lengths_ignored(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	SETB(m.opts, m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_REQUEST,
	     DHCP_OPT_REQUESTED_ADDR, 3, 198, 51, 100, DHCP_OPT_SERVER_ID, 5,
	     198, 51, 100, 1, 0, DHCP_OPT_MAX_MESSAGE_SIZE, 2, 0x02,
	     0x3f, /* 575 */
	     DHCP_OPT_PARAM_REQUEST_LIST, 0, DHCP_OPT_CLIENT_ID, 1, 1,
	     DHCP_OPT_FQDN, 2, 0, 0, DHCP_OPT_END);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK(!req.has_requested_addr);
	CHECK(!req.has_server_id);
	CHECK_EQ_INT(req.max_msg_size, 0);
	CHECK_EQ_INT(req.n_params, 0);
	CHECK_EQ_INT(req.client_id_len, 0);
	CHECK(!req.has_fqdn);
}

static void parse_max_size_576_accepted(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	SETB(m.opts, m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, 1,
	     DHCP_OPT_MAX_MESSAGE_SIZE, 2, 0x02, 0x40, DHCP_OPT_END);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.max_msg_size, 576);
}

static void parse_param_list_concatenated(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	SETB(m.opts, m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, 1,
	     DHCP_OPT_PARAM_REQUEST_LIST, 2, 121, 3,
	     DHCP_OPT_PARAM_REQUEST_LIST, 2, 6, 1, DHCP_OPT_END);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_BYTES(req.params, req.n_params, 121, 3, 6, 1);
}

static void parse_overload_file(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	SETB(m.opts, m.opts_len, DHCP_OPT_OVERLOAD, 1, DHCP_OVERLOAD_FILE,
	     DHCP_OPT_END);
	SETB(m.file, m.file_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_REQUEST,
	     DHCP_OPT_REQUESTED_ADDR, 4, 198, 51, 100, 10, DHCP_OPT_END);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_REQUEST);
	CHECK(req.has_requested_addr);
}

static void parse_overload_sname_and_both(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	SETB(m.opts, m.opts_len, DHCP_OPT_OVERLOAD, 1, DHCP_OVERLOAD_SNAME,
	     DHCP_OPT_END);
	SETB(m.sname, m.sname_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_INFORM,
	     DHCP_OPT_END);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_INFORM);

	/* Both: file first, then sname (RFC 3396 6), so sname's type wins. */
	SETB(m.opts, m.opts_len, DHCP_OPT_OVERLOAD, 1, DHCP_OVERLOAD_BOTH,
	     DHCP_OPT_END);
	SETB(m.file, m.file_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_DISCOVER,
	     DHCP_OPT_PARAM_REQUEST_LIST, 1, 3, DHCP_OPT_END);
	SETB(m.sname, m.sname_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_REQUEST,
	     DHCP_OPT_PARAM_REQUEST_LIST, 1, 6);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_REQUEST);
	CHECK_BYTES(req.params, req.n_params, 3, 6);
}

static void parse_overload_edge_cases(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;

	/* No overload option: options-looking bytes in file are ignored. */
	SETB(m.file, m.file_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_RELEASE);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_DISCOVER);

	/* An overload option inside file does not open sname. */
	SETB(m.opts, m.opts_len, DHCP_OPT_OVERLOAD, 1, DHCP_OVERLOAD_FILE,
	     DHCP_OPT_END);
	SETB(m.file, m.file_len, DHCP_OPT_OVERLOAD, 1, DHCP_OVERLOAD_SNAME,
	     DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_DISCOVER, DHCP_OPT_END);
	SETB(m.sname, m.sname_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_RELEASE);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_DISCOVER);

	/* Value 4 is not an overload value: file is not read. */
	SETB(m.opts, m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_DISCOVER,
	     DHCP_OPT_OVERLOAD, 1, 4, DHCP_OPT_END);
	SETB(m.file, m.file_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_RELEASE);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_DISCOVER);

	/* A cut option at the end of file is malformed. */
	SETB(m.opts, m.opts_len, DHCP_OPT_MESSAGE_TYPE, 1, DHCP_MSG_DISCOVER,
	     DHCP_OPT_OVERLOAD, 1, DHCP_OVERLOAD_FILE, DHCP_OPT_END);
	{
		uint8_t file[128];

		memset(file, DHCP_OPT_PAD, sizeof(file));
		file[126] = DHCP_OPT_HOSTNAME;
		file[127] = 4;
		m.file = file;
		m.file_len = sizeof(file);
		CHECK_EQ_INT(parse(&m, &req), -EBADMSG);
	}
}

/* ---- decide ---- */

struct decide_case {
	const char *name;
	enum dhcp_msg_type type;
	enum dhcp_action want;
	struct dhcp_request req; /* req_of(type), then the case's own fields */
};

/* Static: 17 requests do not fit the stack frame limit of the ASan build. */
static struct decide_case cases[] = {
	{"discover", DHCP_MSG_DISCOVER, DHCP_ACTION_OFFER, {0}},
	{"other-mac", DHCP_MSG_DISCOVER, DHCP_ACTION_IGNORE, {0}},
	{"selecting-ours", DHCP_MSG_REQUEST, DHCP_ACTION_ACK, {0}},
	{"selecting-wrong-addr", DHCP_MSG_REQUEST, DHCP_ACTION_NAK, {0}},
	{"selecting-no-addr", DHCP_MSG_REQUEST, DHCP_ACTION_NAK, {0}},
	{"selecting-other-server", DHCP_MSG_REQUEST, DHCP_ACTION_IGNORE, {0}},
	{"init-reboot-ours", DHCP_MSG_REQUEST, DHCP_ACTION_ACK, {0}},
	{"init-reboot-stale", DHCP_MSG_REQUEST, DHCP_ACTION_NAK, {0}},
	{"renewing-ours", DHCP_MSG_REQUEST, DHCP_ACTION_ACK, {0}},
	{"renewing-other", DHCP_MSG_REQUEST, DHCP_ACTION_NAK, {0}},
	{"request-no-address", DHCP_MSG_REQUEST, DHCP_ACTION_IGNORE, {0}},
	{"inform", DHCP_MSG_INFORM, DHCP_ACTION_INFORM_ACK, {0}},
	{"decline", DHCP_MSG_DECLINE, DHCP_ACTION_DECLINED, {0}},
	{"release", DHCP_MSG_RELEASE, DHCP_ACTION_RELEASED, {0}},
	{"offer-from-client", DHCP_MSG_OFFER, DHCP_ACTION_IGNORE, {0}},
	{"ack-from-client", DHCP_MSG_ACK, DHCP_ACTION_IGNORE, {0}},
	{"nak-from-client", DHCP_MSG_NAK, DHCP_ACTION_IGNORE, {0}},
};

static void decide_table(void)
{
	struct in_addr ours = IP4(198, 51, 100, 10),
		       other = IP4(198, 51, 100, 99),
		       sid = IP4(198, 51, 100, 1),
		       other_sid = IP4(198, 51, 100, 2);
	struct dhcp_lease lease;

	lease_init(&lease);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cases[i].req = req_of(cases[i].type);
	cases[1].req.chaddr[5] ^= 1;
	for (size_t i = 2; i <= 5; i++) {
		cases[i].req.has_server_id = true;
		cases[i].req.server_id = sid;
		cases[i].req.has_requested_addr = true;
		cases[i].req.requested_addr = ours;
	}
	cases[3].req.requested_addr = other;
	cases[4].req.has_requested_addr = false;
	cases[5].req.server_id = other_sid;
	cases[6].req.has_requested_addr = true;
	cases[6].req.requested_addr = ours;
	cases[7].req.has_requested_addr = true;
	cases[7].req.requested_addr = other;
	cases[8].req.ciaddr = ours;
	cases[9].req.ciaddr = other;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum dhcp_action a = dhcp_wire_decide(&cases[i].req, &lease);

		if (a != cases[i].want)
			fprintf(stderr, "  case '%s'\n", cases[i].name);
		CHECK_EQ_INT(a, cases[i].want);
	}
}

static void action_names(void)
{
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_IGNORE), "ignore");
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_OFFER), "offer");
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_ACK), "ack");
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_NAK), "nak");
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_INFORM_ACK),
		     "inform-ack");
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_DECLINED), "declined");
	CHECK_EQ_STR(dhcp_wire_action_name(DHCP_ACTION_RELEASED), "released");
	CHECK_EQ_STR(dhcp_wire_action_name((enum dhcp_action)42), "unknown");
}

/* ---- destination ---- */

static void destination_branches(void)
{
	struct dhcp_lease lease;
	struct dhcp_request r = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_destination d;
	in_addr_t bcast = htonl(INADDR_BROADCAST);

	lease_init(&lease);
	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_OFFER);
	CHECK_EQ_STR(d.why, "yiaddr");
	CHECK(d.addr.s_addr == lease.client_addr.s_addr);
	CHECK_EQ_INT(d.port, DHCP_CLIENT_PORT);

	r.flags = BOOTP_FLAG_BROADCAST;
	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_OFFER);
	CHECK_EQ_STR(d.why, "broadcast-flag");
	CHECK(d.addr.s_addr == bcast);

	r.ciaddr = IP4(198, 51, 100, 10);
	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_ACK);
	CHECK_EQ_STR(d.why, "ciaddr");
	CHECK(d.addr.s_addr == r.ciaddr.s_addr);

	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_NAK);
	CHECK_EQ_STR(d.why, "nak-broadcast");
	CHECK(d.addr.s_addr == bcast);
	CHECK_EQ_INT(d.port, DHCP_CLIENT_PORT);

	r.giaddr = IP4(198, 51, 100, 2);
	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_NAK);
	CHECK_EQ_STR(d.why, "relay");
	CHECK(d.addr.s_addr == r.giaddr.s_addr);
	CHECK_EQ_INT(d.port, DHCP_SERVER_PORT);

	r = req_of(DHCP_MSG_INFORM);
	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_INFORM_ACK);
	CHECK_EQ_STR(d.why, "no-address");
	CHECK(d.addr.s_addr == bcast);

	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_IGNORE);
	CHECK_EQ_STR(d.why, "none");
	CHECK(d.addr.s_addr == htonl(INADDR_ANY));
	d = dhcp_wire_reply_destination(&r, &lease, DHCP_ACTION_RELEASED);
	CHECK_EQ_STR(d.why, "none");
}

/* ---- build ---- */

static ssize_t build(const struct dhcp_request *req,
		     const struct dhcp_lease *lease, enum dhcp_action a,
		     uint8_t *buf, size_t cap)
{
	ssize_t n = dhcp_wire_build_reply(req, lease, a, buf, cap);

	if (n >= 0) {
		CHECK(n >= DHCP_MIN_PACKET);
		CHECK((size_t)n <= dhcp_wire_reply_max(req));
		CHECK((size_t)n <= cap);
	}
	return n;
}

static void build_offer_exact(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];
	const uint8_t mac[] = MAC_VM;
	ssize_t n;

	lease_init(&lease);
	req.flags = BOOTP_FLAG_BROADCAST;
	req.giaddr = IP4(198, 51, 100, 2);
	memset(buf, 0xee, sizeof(buf));
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK_EQ_INT(n, DHCP_MIN_PACKET);
	CHECK_BYTES(buf, 28, BOOTP_REPLY, 1, 6, 0, 0x12, 0x34, 0x56, 0x78, 0, 0,
		    0x80, 0, 0, 0, 0, 0, 198, 51, 100, 10, 0, 0, 0, 0, 198, 51,
		    100, 2);
	CHECK(memcmp(buf + 28, mac, MAC_LEN) == 0);
	CHECK_BYTES(buf + DHCP_FIXED_LEN, 4, 0x63, 0x82, 0x53, 0x63);
	CHECK_BYTES(buf + DHCP_FIXED_LEN + 4, 33, DHCP_OPT_MESSAGE_TYPE, 1,
		    DHCP_MSG_OFFER, DHCP_OPT_SERVER_ID, 4, 198, 51, 100, 1,
		    DHCP_OPT_LEASE_TIME, 4, 0xff, 0xff, 0xff, 0xff,
		    DHCP_OPT_SUBNET_MASK, 4, 255, 255, 255, 0, DHCP_OPT_ROUTER,
		    4, 198, 51, 100, 1, DHCP_OPT_DNS_SERVER, 4, 198, 51, 100,
		    53);
	CHECK_BYTES(buf + DHCP_FIXED_LEN + 4 + 33, 5, DHCP_OPT_INTERFACE_MTU, 2,
		    0x05, 0xaa, DHCP_OPT_END);
	for (size_t i = DHCP_FIXED_LEN + 4 + 38; i < (size_t)n; i++)
		CHECK(buf[i] == 0);
	for (size_t i = 44; i < DHCP_FIXED_LEN; i++)
		CHECK(buf[i] == 0);
}

static void build_param_order(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], codes[64];
	ssize_t n;
	size_t nc;

	lease_init(&lease);
	req.n_params = 4;
	memcpy(req.params,
	       BYTES(DHCP_OPT_INTERFACE_MTU, DHCP_OPT_DNS_SERVER,
		     DHCP_OPT_MESSAGE_TYPE, DHCP_OPT_ROUTER),
	       4);
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0);
	nc = reply_codes(buf, (size_t)n, codes, sizeof(codes));
	CHECK_BYTES(codes, nc, DHCP_OPT_MESSAGE_TYPE, DHCP_OPT_SERVER_ID,
		    DHCP_OPT_INTERFACE_MTU, DHCP_OPT_DNS_SERVER,
		    DHCP_OPT_ROUTER, DHCP_OPT_LEASE_TIME, DHCP_OPT_SUBNET_MASK,
		    DHCP_OPT_END);
}

/* A lease with every option set, for "always sent" and size tests. */
static void lease_full(struct dhcp_lease *l)
{
	lease_init(l);
	l->lease_seconds = 3600;
	snprintf(l->hostname, sizeof(l->hostname), "vm1");
	snprintf(l->domain_name, sizeof(l->domain_name), "ns1.svc.test");
	l->n_search = 2;
	snprintf(l->search[0], sizeof(l->search[0]), "ns1.svc.test");
	snprintf(l->search[1], sizeof(l->search[1]), "svc.test");
	l->n_routes = 1;
	l->routes[0] = (struct dhcp_route){.dst = IP4(0, 0, 0, 0),
					   .prefix_len = 0,
					   .gateway = IP4(198, 51, 100, 1)};
}

static void build_needed_always_sent(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[64];
	static const uint8_t needed[] = {
		DHCP_OPT_SUBNET_MASK,	DHCP_OPT_ROUTER,
		DHCP_OPT_DNS_SERVER,	DHCP_OPT_HOSTNAME,
		DHCP_OPT_DOMAIN_NAME,	DHCP_OPT_INTERFACE_MTU,
		DHCP_OPT_LEASE_TIME,	DHCP_OPT_SERVER_ID,
		DHCP_OPT_DOMAIN_SEARCH, DHCP_OPT_CLASSLESS_ROUTES,
		DHCP_OPT_RENEWAL_TIME,	DHCP_OPT_REBINDING_TIME,
	};
	ssize_t n;

	lease_full(&lease);
	req.n_params = 1;
	req.params[0] = DHCP_OPT_SUBNET_MASK;
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0);
	for (size_t i = 0; i < ARRAY_SIZE(needed); i++) {
		if (!has_opt(buf, (size_t)n, needed[i]))
			fprintf(stderr, "  option %u missing\n", needed[i]);
		CHECK(has_opt(buf, (size_t)n, needed[i]));
	}
	/* Not asked for, not needed: no broadcast address, no FQDN. */
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_BROADCAST));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_FQDN));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_CLIENT_ID));
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_LEASE_TIME, v, 64, NULL), 0,
		    0, 0x0e, 0x10);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_RENEWAL_TIME, v, 64, NULL), 0,
		    0, 0x07, 0x08);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_REBINDING_TIME, v, 64, NULL),
		    0, 0, 0x0c, 0x4e);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_HOSTNAME, v, 64, NULL), 'v',
		    'm', '1');
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_DOMAIN_SEARCH, v, 64, NULL),
		    3, 'n', 's', '1', 3, 's', 'v', 'c', 4, 't', 'e', 's', 't',
		    0, 0xc0, 0x04);
}

static void build_infinite_lease_no_timers(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];
	ssize_t n;

	lease_full(&lease);
	lease.lease_seconds = DHCP_LEASE_INFINITE;
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_LEASE_TIME));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_RENEWAL_TIME));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_REBINDING_TIME));
}

static void build_broadcast_when_asked(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[8];
	ssize_t n;

	lease_init(&lease);
	req.n_params = 1;
	req.params[0] = DHCP_OPT_BROADCAST;
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_BROADCAST, v, 8, NULL), 198,
		    51, 100, 255);
}

static void build_ack_renewing(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_REQUEST);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[8];
	ssize_t n;

	lease_init(&lease);
	req.ciaddr = lease.client_addr;
	n = build(&req, &lease, DHCP_ACTION_ACK, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_BYTES(buf + 12, 8, 198, 51, 100, 10, 198, 51, 100, 10);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_MESSAGE_TYPE, v, 8, NULL),
		    DHCP_MSG_ACK);
}

static void build_inform_ack(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_INFORM);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[8];
	ssize_t n;

	lease_full(&lease);
	req.ciaddr = IP4(198, 51, 100, 10);
	n = build(&req, &lease, DHCP_ACTION_INFORM_ACK, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_BYTES(buf + 12, 8, 198, 51, 100, 10, 0, 0, 0, 0);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_MESSAGE_TYPE, v, 8, NULL),
		    DHCP_MSG_ACK);
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_LEASE_TIME));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_RENEWAL_TIME));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_REBINDING_TIME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_DNS_SERVER));
}

static void build_nak(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_REQUEST);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], codes[16], v[64];
	ssize_t n;
	size_t nc;

	lease_full(&lease);
	req.ciaddr = IP4(198, 51, 100, 99);
	req.flags = BOOTP_FLAG_BROADCAST;
	req.client_id_len = 3;
	memcpy(req.client_id, BYTES(0, 'i', 'd'), 3);
	n = build(&req, &lease, DHCP_ACTION_NAK, buf, sizeof(buf));
	CHECK_EQ_INT(n, DHCP_MIN_PACKET);
	CHECK_BYTES(buf + 10, 14, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	nc = reply_codes(buf, (size_t)n, codes, sizeof(codes));
	CHECK_BYTES(codes, nc, DHCP_OPT_MESSAGE_TYPE, DHCP_OPT_SERVER_ID,
		    DHCP_OPT_CLIENT_ID, DHCP_OPT_MESSAGE, DHCP_OPT_END);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_MESSAGE_TYPE, v, 8, NULL),
		    DHCP_MSG_NAK);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_CLIENT_ID, v, 8, NULL), 0,
		    'i', 'd');
}

static void build_client_id_echoed(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[16];
	ssize_t n;

	lease_init(&lease);
	req.client_id_len = 7;
	memcpy(req.client_id, BYTES(1, 0x52, 0x54, 0, 0x12, 0x34, 0x56), 7);
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_CLIENT_ID, v, 16, NULL), 1,
		    0x52, 0x54, 0, 0x12, 0x34, 0x56);
}

static void build_fqdn(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_REQUEST);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[64];
	ssize_t n;

	lease_full(&lease);
	req.ciaddr = lease.client_addr;
	req.has_fqdn = true;
	req.fqdn_flags = DHCP_FQDN_FLAG_S;
	n = build(&req, &lease, DHCP_ACTION_ACK, buf, sizeof(buf));
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_FQDN, v, 64, NULL),
		    DHCP_FQDN_FLAG_N, 255, 255, 'v', 'm', '1', '.', 'n', 's',
		    '1', '.', 's', 'v', 'c', '.', 't', 'e', 's', 't');

	req.fqdn_flags = DHCP_FQDN_FLAG_E | DHCP_FQDN_FLAG_S;
	n = build(&req, &lease, DHCP_ACTION_ACK, buf, sizeof(buf));
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_FQDN, v, 64, NULL),
		    DHCP_FQDN_FLAG_N | DHCP_FQDN_FLAG_E, 255, 255, 3, 'v', 'm',
		    '1', 3, 'n', 's', '1', 3, 's', 'v', 'c', 4, 't', 'e', 's',
		    't', 0);

	/* No domain: a partial name, without the root label. */
	lease.domain_name[0] = '\0';
	n = build(&req, &lease, DHCP_ACTION_ACK, buf, sizeof(buf));
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_FQDN, v, 64, NULL),
		    DHCP_FQDN_FLAG_N | DHCP_FQDN_FLAG_E, 255, 255, 3, 'v', 'm',
		    '1');
}

static void set_routes(struct dhcp_lease *l, const struct dhcp_route *r,
		       size_t n)
{
	l->n_routes = n;
	memcpy(l->routes, r, n * sizeof(*r));
}

static int routes_opt(const struct dhcp_lease *lease, uint8_t *v, size_t cap)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	uint8_t buf[DHCP_MAX_PACKET];
	ssize_t n;

	req.max_msg_size = 1500;
	n = build(&req, lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return reply_opt(buf, (size_t)n, DHCP_OPT_CLASSLESS_ROUTES, v, cap,
			 NULL);
}

/* RFC 3442 section 2 examples, with TEST-NET routers. */
static void build_routes_rfc3442(void)
{
	struct dhcp_lease lease;
	struct in_addr gw = IP4(198, 51, 100, 1);
	const struct dhcp_route r[] = {
		{IP4(0, 0, 0, 0), 0, gw},
		{IP4(10, 0, 0, 0), 8, gw},
		{IP4(10, 17, 0, 0), 16, gw},
		{IP4(10, 27, 129, 0), 24, gw},
		{IP4(10, 229, 0, 128), 25, gw},
		{IP4(10, 198, 122, 47), 32, gw},
		/* Host bits beyond the prefix are not sent. */
		{IP4(10, 17, 99, 99), 16, gw},
	};
	uint8_t v[512];

	lease_init(&lease);
	set_routes(&lease, r, ARRAY_SIZE(r));
	CHECK_BYTES(v, routes_opt(&lease, v, sizeof(v)), 0, 198, 51, 100, 1, 8,
		    10, 198, 51, 100, 1, 16, 10, 17, 198, 51, 100, 1, 24, 10,
		    27, 129, 198, 51, 100, 1, 25, 10, 229, 0, 128, 198, 51, 100,
		    1, 32, 10, 198, 122, 47, 198, 51, 100, 1, 16, 10, 17, 198,
		    51, 100, 1);
}

static void build_routes_calico(void)
{
	struct dhcp_lease lease;
	const struct dhcp_route r[] = {
		{IP4(169, 254, 1, 1), 32, IP4(0, 0, 0, 0)},
		{IP4(0, 0, 0, 0), 0, IP4(169, 254, 1, 1)},
	};
	uint8_t v[64];

	lease_init(&lease);
	lease.prefix_len = 32;
	lease.router = IP4(169, 254, 1, 1);
	set_routes(&lease, r, ARRAY_SIZE(r));
	CHECK_BYTES(v, routes_opt(&lease, v, sizeof(v)), 0x20, 0xa9, 0xfe, 1, 1,
		    0, 0, 0, 0, 0x00, 0xa9, 0xfe, 1, 1);
}

static void build_routes_split(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[512];
	int inst = 0;
	ssize_t n;

	lease_init(&lease);
	lease.n_routes = PODNET_MAX_ROUTES;
	for (size_t i = 0; i < PODNET_MAX_ROUTES; i++)
		lease.routes[i] = (struct dhcp_route){IP4(198, 51, 100, i), 32,
						      IP4(169, 254, 1, 1)};
	req.max_msg_size = 1500;
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK_EQ_INT(reply_opt(buf, (size_t)n, DHCP_OPT_CLASSLESS_ROUTES, v,
			       sizeof(v), &inst),
		     PODNET_MAX_ROUTES * 9);
	CHECK_EQ_INT(inst, 2);
	CHECK_BYTES(v + 9 * 31, 9, 32, 198, 51, 100, 31, 169, 254, 1, 1);
}

static int search_opt(const struct dhcp_lease *lease, uint8_t *v, size_t cap)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	uint8_t buf[DHCP_MAX_PACKET];
	ssize_t n;

	req.max_msg_size = 1500;
	n = build(&req, lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return reply_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_SEARCH, v, cap, NULL);
}

/* RFC 3397 section 3 example: the second name points into the first. */
static void build_search_rfc3397(void)
{
	struct dhcp_lease lease;
	uint8_t v[128];

	lease_init(&lease);
	lease.n_search = 2;
	snprintf(lease.search[0], sizeof(lease.search[0]), "eng.apple.com.");
	snprintf(lease.search[1], sizeof(lease.search[1]),
		 "marketing.apple.com");
	CHECK_BYTES(v, search_opt(&lease, v, sizeof(v)), 0x03, 'e', 'n', 'g',
		    0x05, 'a', 'p', 'p', 'l', 'e', 0x03, 'c', 'o', 'm', 0x00,
		    0x09, 'm', 'a', 'r', 'k', 'e', 't', 'i', 'n', 'g', 0xc0,
		    0x04);
}

static void build_search_compression_cases(void)
{
	struct dhcp_lease lease;
	uint8_t v[128];

	lease_init(&lease);
	lease.n_search = 4;
	snprintf(lease.search[0], sizeof(lease.search[0]), "a.test");
	snprintf(lease.search[1], sizeof(lease.search[1]), "a.test");
	snprintf(lease.search[2], sizeof(lease.search[2]), "test");
	/* "btest" must not match the label "test". */
	snprintf(lease.search[3], sizeof(lease.search[3]), "btest");
	CHECK_BYTES(v, search_opt(&lease, v, sizeof(v)), 1, 'a', 4, 't', 'e',
		    's', 't', 0, 0xc0, 0x00, 0xc0, 0x02, 5, 'b', 't', 'e', 's',
		    't', 0);
}

static void build_search_invalid_name(void)
{
	struct dhcp_lease lease;
	uint8_t v[128];

	lease_init(&lease);
	lease.n_search = 1;
	snprintf(lease.search[0], sizeof(lease.search[0]), "a..test");
	CHECK_EQ_INT(search_opt(&lease, v, sizeof(v)), -EINVAL);
	memset(lease.search[0], 'x', 64);
	snprintf(lease.search[0] + 64, 8, ".test");
	CHECK_EQ_INT(search_opt(&lease, v, sizeof(v)), -EINVAL);
	snprintf(lease.search[0], sizeof(lease.search[0]), ".");
	CHECK_EQ_INT(search_opt(&lease, v, sizeof(v)), -EINVAL);
}

/* Eight names of 125 wire bytes with no common suffix: 1000 bytes. */
static void lease_long_search(struct dhcp_lease *l)
{
	lease_full(l);
	l->n_search = 8;
	for (size_t i = 0; i < 8; i++) {
		char *s = l->search[i];

		memset(s, 'a' + (int)i, 61);
		s[61] = '.';
		memset(s + 62, 'k' + (int)i, 61);
		s[123] = '\0';
	}
}

static void build_long_search_split(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[1100], codes[64];
	int inst = 0, len;
	size_t nc, run = 0;
	ssize_t n;

	lease_long_search(&lease);
	req.max_msg_size = 1500;
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0);
	len = reply_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_SEARCH, v, sizeof(v),
			&inst);
	CHECK_EQ_INT(len, 1000);
	CHECK_EQ_INT(inst, 4);
	for (size_t i = 0; i < 8; i++) {
		const uint8_t *p = v + 125 * i;

		CHECK(p[0] == 61 && p[1] == 'a' + i && p[62] == 61 &&
		      p[63] == 'k' + i && p[124] == 0);
	}
	/* The four instances are consecutive (RFC 3396 does not need it). */
	nc = reply_codes(buf, (size_t)n, codes, sizeof(codes));
	for (size_t i = 0; i < nc; i++)
		run = codes[i] == DHCP_OPT_DOMAIN_SEARCH ? run + 1 : run;
	CHECK_EQ_INT(run, 4);
	for (size_t i = 0; i + 3 < nc; i++) {
		if (codes[i] == DHCP_OPT_DOMAIN_SEARCH) {
			CHECK(codes[i + 1] == DHCP_OPT_DOMAIN_SEARCH &&
			      codes[i + 2] == DHCP_OPT_DOMAIN_SEARCH &&
			      codes[i + 3] == DHCP_OPT_DOMAIN_SEARCH);
			break;
		}
	}
	/* Instance lengths 255, 255, 255, 235. */
	{
		size_t i = DHCP_FIXED_LEN + 4, k = 0;
		const uint8_t want[] = {255, 255, 255, 235};

		while (i + 1 < (size_t)n && buf[i] != DHCP_OPT_END) {
			if (buf[i] == DHCP_OPT_DOMAIN_SEARCH && k < 4)
				CHECK_EQ_INT(buf[i + 1], want[k++]);
			i += 2 + (size_t)buf[i + 1];
		}
	}
	/* 1500 gets everything. */
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_HOSTNAME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_NAME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_RENEWAL_TIME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_CLASSLESS_ROUTES));
}

static void build_long_search_default_size(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];
	ssize_t n;

	lease_long_search(&lease);
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0 && n <= 548);
	/* The search list is left out whole; the small options still go. */
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_SEARCH));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_HOSTNAME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_NAME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_CLASSLESS_ROUTES));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_DNS_SERVER));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_INTERFACE_MTU));
}

static void build_priority_under_small_cap(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];
	ssize_t n;

	lease_full(&lease);
	req.client_id_len = 40;
	memset(req.client_id, 7, 40);
	/*
	 * 300 bytes leave 59 for options before END; 53/54/51/1/3 take 27.
	 * Then greedily by priority: 61 (42) does not fit, 121 (7), 6 (6),
	 * 26 (4) do; 119 (18) does not, 12 (5) does, 15 (14) does not,
	 * 58 (6) does, 59 (6) no longer does.
	 */
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, 300);
	CHECK_EQ_INT(n, 300);
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_MESSAGE_TYPE));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_SERVER_ID));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_LEASE_TIME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_SUBNET_MASK));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_ROUTER));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_CLIENT_ID));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_CLASSLESS_ROUTES));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_DNS_SERVER));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_INTERFACE_MTU));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_SEARCH));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_HOSTNAME));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_DOMAIN_NAME));
	CHECK(has_opt(buf, (size_t)n, DHCP_OPT_RENEWAL_TIME));
	CHECK(!has_opt(buf, (size_t)n, DHCP_OPT_REBINDING_TIME));
	/* 55 of the 59 bytes used: END, then PAD. */
	CHECK_EQ_INT(buf[295], DHCP_OPT_END);
	CHECK_EQ_INT(buf[299], DHCP_OPT_PAD);
}

static void build_size_errors(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];

	lease_init(&lease);
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_OFFER, buf,
					   DHCP_MIN_PACKET - 1),
		     -EMSGSIZE);
	CHECK_EQ_INT(dhcp_wire_reply_max(&req), 548);
	req.max_msg_size = 1000;
	CHECK_EQ_INT(dhcp_wire_reply_max(&req), 972);
	req.max_msg_size = 9000;
	CHECK_EQ_INT(dhcp_wire_reply_max(&req), DHCP_MAX_PACKET);
}

static void build_invalid_inputs(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];

	lease_init(&lease);
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_IGNORE,
					   buf, sizeof(buf)),
		     -EINVAL);
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_DECLINED,
					   buf, sizeof(buf)),
		     -EINVAL);
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_RELEASED,
					   buf, sizeof(buf)),
		     -EINVAL);
	lease.prefix_len = 33;
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_OFFER, buf,
					   sizeof(buf)),
		     -EINVAL);
	lease_init(&lease);
	lease.n_routes = 1;
	lease.routes[0].prefix_len = 40;
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_OFFER, buf,
					   sizeof(buf)),
		     -EINVAL);
	lease_init(&lease);
	memset(lease.hostname, 'h', sizeof(lease.hostname));
	CHECK_EQ_INT(dhcp_wire_build_reply(&req, &lease, DHCP_ACTION_OFFER, buf,
					   sizeof(buf)),
		     -EINVAL);
}

static void parse_build_round_trip(void)
{
	struct msg_spec m = good_discover();
	struct dhcp_request req;
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET];
	ssize_t n;

	lease_full(&lease);
	CHECK_EQ_INT(parse(&m, &req), 0);
	CHECK_EQ_INT(dhcp_wire_decide(&req, &lease), DHCP_ACTION_OFFER);
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0);
	/* Our own reply is a well-formed message; it is not a request. */
	CHECK_EQ_INT(dhcp_wire_parse_request(buf, (size_t)n, &req), -EBADMSG);
	buf[0] = BOOTP_REQUEST;
	CHECK_EQ_INT(dhcp_wire_parse_request(buf, (size_t)n, &req), 0);
	CHECK_EQ_INT(req.msg_type, DHCP_MSG_OFFER);
}

/* The tag's options: 42 from its list, 66, 67 and a private one as given,
 * siaddr in the header (not in a NAK), asked-for ones in the PRL's order,
 * a finite lease with its timers. */
static void build_tag_options(void)
{
	struct dhcp_request req = req_of(DHCP_MSG_DISCOVER);
	struct dhcp_lease lease;
	uint8_t buf[DHCP_MAX_PACKET], v[64], codes[32];
	ssize_t n;
	size_t nc;

	lease_init(&lease);
	dhcp_extras_init(&lease.extra);
	lease.lease_seconds = 3600;
	lease.extra.n_ntp = 2;
	lease.extra.ntp[0] = IP4(198, 51, 100, 123);
	lease.extra.ntp[1] = IP4(198, 51, 100, 124);
	lease.extra.siaddr = IP4(198, 51, 100, 5);
	CHECK_EQ_INT(dhcp_extras_add(&lease.extra, 66, "198.51.100.5", 12), 0);
	CHECK_EQ_INT(dhcp_extras_add(&lease.extra, 67, "pxelinux.0", 10), 0);
	CHECK_EQ_INT(dhcp_extras_add(&lease.extra, 224, "\x01\xff", 2), 0);
	req.n_params = 2;
	req.params[0] = 67;
	req.params[1] = 42;
	n = build(&req, &lease, DHCP_ACTION_OFFER, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_BYTES(buf + 20, 4, 198, 51, 100, 5); /* siaddr */
	CHECK_BYTES(v, reply_opt(buf, n, 42, v, sizeof(v), NULL), 198, 51, 100,
		    123, 198, 51, 100, 124);
	CHECK_BYTES(v, reply_opt(buf, n, 67, v, sizeof(v), NULL), 'p', 'x', 'e',
		    'l', 'i', 'n', 'u', 'x', '.', '0');
	CHECK_EQ_INT(reply_opt(buf, n, 66, v, sizeof(v), NULL), 12);
	CHECK_BYTES(v, reply_opt(buf, n, 224, v, sizeof(v), NULL), 0x01, 0xff);
	CHECK_BYTES(v, reply_opt(buf, n, DHCP_OPT_RENEWAL_TIME, v, 8, NULL), 0,
		    0, 0x07, 0x08);
	nc = reply_codes(buf, (size_t)n, codes, sizeof(codes));
	CHECK(nc >= 4 && codes[0] == DHCP_OPT_MESSAGE_TYPE &&
	      codes[1] == DHCP_OPT_SERVER_ID && codes[2] == 67 &&
	      codes[3] == 42);
	/* A NAK carries none of it, and no next server. */
	n = build(&req, &lease, DHCP_ACTION_NAK, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_BYTES(buf + 20, 4, 0, 0, 0, 0);
	CHECK(!has_opt(buf, (size_t)n, 42) && !has_opt(buf, (size_t)n, 67) &&
	      !has_opt(buf, (size_t)n, 224));
}

/* The one option table: every option has an encoder, a unique code and a
 * unique wire rank in 0..n-1, so none can be collected and never sent. */
static void option_table_consistent(void)
{
	size_t n;
	const struct opt_spec *t = dhcp_reply_option_table(&n);
	bool rank_seen[64] = {false}, code_seen[256] = {false};

	CHECK(n > 0 && n < 64);
	for (size_t i = 0; i < n; i++) {
		CHECK(t[i].encode != NULL);
		CHECK(t[i].wire < n);
		CHECK(!rank_seen[t[i].wire]);
		CHECK(!code_seen[t[i].code]);
		rank_seen[t[i].wire] = true;
		code_seen[t[i].code] = true;
	}
	/* 53 and 54 lead the wire; the mandatory ones lead the fitting. */
	CHECK_EQ_INT(t[0].code, DHCP_OPT_MESSAGE_TYPE);
	CHECK_EQ_INT(t[0].wire, 0);
	CHECK_EQ_INT(t[1].code, DHCP_OPT_SERVER_ID);
	CHECK_EQ_INT(t[1].wire, 1);
	for (size_t i = 1; i < n; i++)
		CHECK(!t[i].mandatory || t[i - 1].mandatory);
}

int main(void)
{
	RUN(parse_discover_ok);
	RUN(parse_request_fields);
	RUN(parse_table);
	RUN(parse_short_message);
	RUN(parse_ret_untouched_on_error);
	RUN(parse_invalid_lengths_ignored);
	RUN(parse_max_size_576_accepted);
	RUN(parse_param_list_concatenated);
	RUN(parse_overload_file);
	RUN(parse_overload_sname_and_both);
	RUN(parse_overload_edge_cases);
	RUN(decide_table);
	RUN(action_names);
	RUN(destination_branches);
	RUN(build_offer_exact);
	RUN(build_param_order);
	RUN(build_needed_always_sent);
	RUN(build_infinite_lease_no_timers);
	RUN(build_broadcast_when_asked);
	RUN(build_ack_renewing);
	RUN(build_inform_ack);
	RUN(build_nak);
	RUN(build_client_id_echoed);
	RUN(build_fqdn);
	RUN(build_routes_rfc3442);
	RUN(build_routes_calico);
	RUN(build_routes_split);
	RUN(build_search_rfc3397);
	RUN(build_search_compression_cases);
	RUN(build_search_invalid_name);
	RUN(build_long_search_split);
	RUN(build_long_search_default_size);
	RUN(build_priority_under_small_cap);
	RUN(build_size_errors);
	RUN(build_invalid_inputs);
	RUN(parse_build_round_trip);
	RUN(option_table_consistent);
	RUN(build_tag_options);
	return TEST_SUMMARY();
}
