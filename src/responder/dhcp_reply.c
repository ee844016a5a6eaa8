// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv4 reply builder: encode the options, fit them to the client's limit,
 * write the BOOTREPLY. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dhcp_wire.h"
#include "dhcp_wire_internal.h"
#include "dns_name.h"

/* IPv4 header without options (20) plus UDP header (8), RFC 2131 2. */
#define IP_UDP_HEADER_LEN 28
/* RFC 2132 2: one option instance carries at most 255 bytes of data. */
#define OPT_DATA_MAX 255

/* The row of the tag's own options (66, 67, 224-254): code 0, no option. */
#define OPT_USER_ROW 0

/* Option values of one reply, encoded before we know what fits. */
#define OPT_ARENA   6144
#define OPT_ENTRIES 24

struct opt_entry {
	uint8_t code;
	bool keep;
	bool sent;
	bool user; /* one of the tag's own options (66, 67, 224-254) */
	size_t off, len;
};

struct opt_set {
	uint8_t arena[OPT_ARENA];
	size_t used;
	struct opt_entry e[OPT_ENTRIES];
	size_t n;
};

/* Starts a value: @w writes into the free part of the arena. */
static void opt_begin(struct opt_set *s, struct wr *w)
{
	wr_init(w, s->arena + s->used, sizeof(s->arena) - s->used);
}

/* Records the value written through @w as option @code. */
static int opt_end(struct opt_set *s, uint8_t code, const struct wr *w)
{
	if (w->err)
		return w->err;
	if (s->n >= ARRAY_SIZE(s->e))
		return -ENOBUFS;
	s->e[s->n++] = (struct opt_entry){
		.code = code, .off = s->used, .len = wr_len(w)};
	s->used += wr_len(w);
	return 0;
}

static int opt_bytes(struct opt_set *s, uint8_t code, const void *v, size_t n)
{
	struct wr w;

	opt_begin(s, &w);
	wr_put(&w, v, n);
	return opt_end(s, code, &w);
}

static int opt_be32(struct opt_set *s, uint8_t code, uint32_t v)
{
	v = htonl(v);
	return opt_bytes(s, code, &v, sizeof(v));
}

static int opt_be16(struct opt_set *s, uint8_t code, uint16_t v)
{
	v = htons(v);
	return opt_bytes(s, code, &v, sizeof(v));
}

static int opt_addr(struct opt_set *s, uint8_t code, struct in_addr a)
{
	return opt_bytes(s, code, &a.s_addr, sizeof(a.s_addr));
}

static struct opt_entry *opt_find(struct opt_set *s, uint8_t code)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->e[i].code == code)
			return &s->e[i];
	}
	return NULL;
}

/* RFC 3396: bytes on the wire, split into instances of 255 at most. */
static size_t opt_wire_size(const struct opt_entry *e)
{
	size_t instances = (e->len + OPT_DATA_MAX - 1) / OPT_DATA_MAX;

	return e->len + 2 * (instances ? instances : 1);
}

/* Option 119, RFC 3397: the whole list, compressed across names. */
static int opt_search(struct opt_set *s, const struct dhcp_lease *lease)
{
	struct wr w;

	if (lease->n_search == 0)
		return 0;
	if (lease->n_search > ARRAY_SIZE(lease->search))
		return -EINVAL;
	opt_begin(s, &w);
	for (size_t i = 0; i < lease->n_search; i++) {
		int r = dns_name_put(&w, lease->search[i],
				     sizeof(lease->search[i]), true, true);

		if (r < 0)
			return r;
	}
	return opt_end(s, DHCP_OPT_DOMAIN_SEARCH, &w);
}

static uint32_t prefix_mask(uint8_t prefix_len)
{
	return prefix_len ? 0xffffffffu << (32 - prefix_len) : 0;
}

/*
 * Option 121, RFC 3442: prefix length, then only the ceil(prefix/8)
 * significant octets of the destination, then the router (0: on-link).
 */
static int opt_routes(struct opt_set *s, const struct dhcp_lease *lease)
{
	struct wr w;

	if (lease->n_routes == 0)
		return 0;
	if (lease->n_routes > ARRAY_SIZE(lease->routes))
		return -EINVAL;
	opt_begin(s, &w);
	for (size_t i = 0; i < lease->n_routes; i++) {
		const struct dhcp_route *rt = &lease->routes[i];
		uint32_t dst;
		uint8_t octets[sizeof(dst)];

		if (rt->prefix_len > 32)
			return -EINVAL;
		dst = htonl(ntohl(rt->dst.s_addr) &
			    prefix_mask(rt->prefix_len));
		memcpy(octets, &dst, sizeof(octets));
		wr_u8(&w, rt->prefix_len);
		wr_put(&w, octets, (rt->prefix_len + 7u) / 8u);
		wr_addr(&w, rt->gateway);
	}
	return opt_end(s, DHCP_OPT_CLASSLESS_ROUTES, &w);
}

/* Length of a NUL-terminated string in a @cap-byte array, or -EINVAL. */
static ssize_t lease_str(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	return n < cap ? (ssize_t)n : -EINVAL;
}

/*
 * Option 81, RFC 4702: we do no DNS updates, so N=1, S=0, O=0 (2.1), E as
 * the client sent it, RCODE1/2 = 255 (2.2), and the name hostname.domain
 * (wire format if E, else ASCII); a partial name if there is no domain.
 */
static int opt_fqdn(struct opt_set *s, const struct dhcp_request *req,
		    const struct dhcp_lease *lease)
{
	char name[PODNET_HOSTNAME_MAX + 1 + PODNET_NAME_MAX + 1];
	ssize_t hlen = lease_str(lease->hostname, sizeof(lease->hostname));
	ssize_t dlen =
		lease_str(lease->domain_name, sizeof(lease->domain_name));
	bool full =
		dlen > 0 && hlen > 0 && hlen + 1 + dlen <= DNS_NAME_TEXT_MAX;
	struct wr w;
	int n;

	if (hlen < 0 || dlen < 0)
		return -EINVAL;
	if (full)
		n = snprintf(name, sizeof(name), "%s.%s", lease->hostname,
			     lease->domain_name);
	else
		n = snprintf(name, sizeof(name), "%s", lease->hostname);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -EINVAL;

	opt_begin(s, &w);
	wr_u8(&w, DHCP_FQDN_FLAG_N | (req->fqdn_flags & DHCP_FQDN_FLAG_E));
	wr_u8(&w, 0xff); /* RCODE1 */
	wr_u8(&w, 0xff); /* RCODE2 */
	if (n > 0 && (req->fqdn_flags & DHCP_FQDN_FLAG_E)) {
		int r = dns_name_put(&w, name, sizeof(name), false, full);

		if (r < 0)
			return r;
	} else {
		wr_put(&w, name, (size_t)n);
	}
	return opt_end(s, DHCP_OPT_FQDN, &w);
}

/* A text option (12, 15), left out when empty. */
static int opt_text(struct opt_set *s, uint8_t code, const char *text,
		    size_t cap)
{
	ssize_t n = lease_str(text, cap);

	if (n <= 0)
		return (int)n;
	return opt_bytes(s, code, text, (size_t)n);
}

/* n_params is a uint8_t, so it can never index past params[]. */
_Static_assert(sizeof(((struct dhcp_request *)0)->params) >= UINT8_MAX,
	       "params holds any n_params");

static bool param_requested(const struct dhcp_request *req, uint8_t code)
{
	return memchr(req->params, code, req->n_params) != NULL;
}

static uint8_t action_msg_type(enum dhcp_action action)
{
	switch (action) {
	case DHCP_ACTION_OFFER:
		return DHCP_MSG_OFFER;
	case DHCP_ACTION_ACK:
	case DHCP_ACTION_INFORM_ACK:
		return DHCP_MSG_ACK;
	case DHCP_ACTION_NAK:
		return DHCP_MSG_NAK;
	default:
		return 0;
	}
}

/* What one reply is built from. */
struct reply_ctx {
	const struct dhcp_request *req;
	const struct dhcp_lease *lease;
	enum dhcp_action action;
	uint32_t mask; /* host order */
};

static int enc_msg_type(struct opt_set *s, uint8_t code,
			const struct reply_ctx *c)
{
	uint8_t type = action_msg_type(c->action);

	return opt_bytes(s, code, &type, sizeof(type));
}

static int enc_server_id(struct opt_set *s, uint8_t code,
			 const struct reply_ctx *c)
{
	return opt_addr(s, code, c->lease->server_id);
}

/* RFC 6842 3: echo the client identifier, in a NAK too. */
static int enc_client_id(struct opt_set *s, uint8_t code,
			 const struct reply_ctx *c)
{
	if (!c->req->client_id_len)
		return 0;
	return opt_bytes(s, code, c->req->client_id, c->req->client_id_len);
}

static int enc_nak_text(struct opt_set *s, uint8_t code,
			const struct reply_ctx *c)
{
	static const char text[] = "requested address is not the lease";

	(void)c;
	return opt_bytes(s, code, text, sizeof(text) - 1);
}

/* RFC 2131 4.3.5: no lease time in the answer to an INFORM. */
static int enc_lease_time(struct opt_set *s, uint8_t code,
			  const struct reply_ctx *c)
{
	if (c->action == DHCP_ACTION_INFORM_ACK)
		return 0;
	return opt_be32(s, code, c->lease->lease_seconds);
}

/* Lease timers, RFC 2131 4.4.5: T1 = 0.5, T2 = 0.875 of a finite lease. */
static int enc_renewal(struct opt_set *s, uint8_t code,
		       const struct reply_ctx *c)
{
	uint32_t t = c->lease->lease_seconds;

	if (c->action == DHCP_ACTION_INFORM_ACK || t == DHCP_LEASE_INFINITE)
		return 0;
	return opt_be32(s, code, t / 2);
}

static int enc_rebinding(struct opt_set *s, uint8_t code,
			 const struct reply_ctx *c)
{
	uint32_t t = c->lease->lease_seconds;

	if (c->action == DHCP_ACTION_INFORM_ACK || t == DHCP_LEASE_INFINITE)
		return 0;
	return opt_be32(s, code, (uint32_t)((uint64_t)t * 7 / 8));
}

static int enc_mask(struct opt_set *s, uint8_t code, const struct reply_ctx *c)
{
	return opt_be32(s, code, c->mask);
}

static int enc_router(struct opt_set *s, uint8_t code,
		      const struct reply_ctx *c)
{
	if (c->lease->router.s_addr == INADDR_ANY)
		return 0;
	return opt_addr(s, code, c->lease->router);
}

static int enc_dns(struct opt_set *s, uint8_t code, const struct reply_ctx *c)
{
	if (!c->lease->n_dns)
		return 0;
	return opt_bytes(s, code, c->lease->dns,
			 c->lease->n_dns * sizeof(c->lease->dns[0]));
}

static int enc_hostname(struct opt_set *s, uint8_t code,
			const struct reply_ctx *c)
{
	return opt_text(s, code, c->lease->hostname,
			sizeof(c->lease->hostname));
}

static int enc_domain(struct opt_set *s, uint8_t code,
		      const struct reply_ctx *c)
{
	return opt_text(s, code, c->lease->domain_name,
			sizeof(c->lease->domain_name));
}

/* RFC 2132 5.1: 68 is the smallest legal MTU. */
static int enc_mtu(struct opt_set *s, uint8_t code, const struct reply_ctx *c)
{
	if (c->lease->mtu < 68)
		return 0;
	return opt_be16(s, code, c->lease->mtu);
}

static int enc_search(struct opt_set *s, uint8_t code,
		      const struct reply_ctx *c)
{
	(void)code;
	return opt_search(s, c->lease);
}

static int enc_routes(struct opt_set *s, uint8_t code,
		      const struct reply_ctx *c)
{
	(void)code;
	return opt_routes(s, c->lease);
}

/* 28 only when asked for. */
static int enc_broadcast(struct opt_set *s, uint8_t code,
			 const struct reply_ctx *c)
{
	if (!param_requested(c->req, code))
		return 0;
	return opt_be32(s, code,
			ntohl(c->lease->client_addr.s_addr) | ~c->mask);
}

static int enc_ntp(struct opt_set *s, uint8_t code, const struct reply_ctx *c)
{
	const struct dhcp_extras *x = &c->lease->extra;

	if (!x->n_ntp || x->n_ntp > DHCP_EXTRA_MAX_NTP)
		return 0;
	return opt_bytes(s, code, x->ntp, x->n_ntp * sizeof(x->ntp[0]));
}

/* The tag's own options, each an entry of its own code. */
static int enc_user(struct opt_set *s, uint8_t code, const struct reply_ctx *c)
{
	const struct dhcp_extras *x = &c->lease->extra;

	(void)code;
	for (size_t i = 0; i < x->n && i < DHCP_EXTRA_MAX_OPTS; i++) {
		const struct dhcp_extra_opt *o = &x->opts[i];
		int r;

		if ((size_t)o->off + o->len > sizeof(x->data))
			return -EINVAL;
		r = opt_bytes(s, o->code, x->data + o->off, o->len);
		if (r < 0)
			return r;
		s->e[s->n - 1].user = true;
	}
	return 0;
}

static int enc_fqdn(struct opt_set *s, uint8_t code, const struct reply_ctx *c)
{
	(void)code;
	if (!c->req->has_fqdn)
		return 0;
	return opt_fqdn(s, c->req, c->lease);
}

/*
 * Every option a reply can carry, in one table that every step reads:
 * collect (encode, @in), fit (this row order: most important first;
 * @mandatory ones must fit or there is no reply) and emit (@wire: the
 * order on the wire after 53, 54 and the client's own request order; a
 * rank from 0 to the table's size - 1, each once: the unit tests check).
 *
 * Why the fitting order: 53/54 make it a reply; 51, 1 and 3 make it a
 * lease; 61 is a MUST (RFC 6842); 121 carries the default route that
 * clients with 121 prefer over 3 (RFC 3442) and Calico's on-link gateway;
 * then DNS, MTU, the NAK text, search list, names; 28 only if asked; the
 * tag's NTP servers and own options (row OPT_USER_ROW: 66, 67, 224-254,
 * in the tag's order); 58/59 go first because RFC 2131 4.4.5 makes the
 * client default to the very same T1/T2. A big optional option (a long search
 * list) is left out whole, never cut, and the small ones after it still go.
 */
static const struct opt_spec opt_table[] = {
	{enc_msg_type, OPT_IN_ALL, DHCP_OPT_MESSAGE_TYPE, true, 0},
	{enc_server_id, OPT_IN_ALL, DHCP_OPT_SERVER_ID, true, 1},
	{enc_lease_time, OPT_IN_LEASE, DHCP_OPT_LEASE_TIME, true, 2},
	{enc_mask, OPT_IN_LEASE, DHCP_OPT_SUBNET_MASK, true, 5},
	{enc_router, OPT_IN_LEASE, DHCP_OPT_ROUTER, true, 6},
	{enc_client_id, OPT_IN_ALL, DHCP_OPT_CLIENT_ID, false, 17},
	{enc_routes, OPT_IN_LEASE, DHCP_OPT_CLASSLESS_ROUTES, false, 13},
	{enc_dns, OPT_IN_LEASE, DHCP_OPT_DNS_SERVER, false, 7},
	{enc_mtu, OPT_IN_LEASE, DHCP_OPT_INTERFACE_MTU, false, 10},
	{enc_nak_text, OPT_IN_NAK, DHCP_OPT_MESSAGE, false, 18},
	{enc_search, OPT_IN_LEASE, DHCP_OPT_DOMAIN_SEARCH, false, 12},
	{enc_hostname, OPT_IN_LEASE, DHCP_OPT_HOSTNAME, false, 8},
	{enc_domain, OPT_IN_LEASE, DHCP_OPT_DOMAIN_NAME, false, 9},
	{enc_fqdn, OPT_IN_LEASE, DHCP_OPT_FQDN, false, 15},
	{enc_broadcast, OPT_IN_LEASE, DHCP_OPT_BROADCAST, false, 14},
	{enc_ntp, OPT_IN_LEASE, DHCP_OPT_NTP_SERVERS, false, 11},
	{enc_user, OPT_IN_LEASE, OPT_USER_ROW, false, 16},
	{enc_renewal, OPT_IN_LEASE, DHCP_OPT_RENEWAL_TIME, false, 3},
	{enc_rebinding, OPT_IN_LEASE, DHCP_OPT_REBINDING_TIME, false, 4},
};

/**
 * dhcp_reply_option_table() - The reply builder's option table, for tests
 * @ret_n:	its number of rows
 *
 * Return: the table
 */
const struct opt_spec *dhcp_reply_option_table(size_t *ret_n)
{
	*ret_n = ARRAY_SIZE(opt_table);
	return opt_table;
}

/* Fits or emits every user option, in the tag's order. */
static void user_opts(struct opt_set *s, size_t *room, bool fit, struct wr *w);

/* Encodes every option this reply could carry, before fitting them. */
static int opt_collect(struct opt_set *s, const struct reply_ctx *c)
{
	bool nak = c->action == DHCP_ACTION_NAK;
	int r = 0;

	for (size_t i = 0; i < ARRAY_SIZE(opt_table) && r == 0; i++) {
		const struct opt_spec *o = &opt_table[i];

		if ((o->in == OPT_IN_LEASE && nak) ||
		    (o->in == OPT_IN_NAK && !nak))
			continue;
		r = o->encode(s, o->code, c);
	}
	return r;
}

/* Marks the options that fit in @room bytes, in the table's order. */
static int opt_fit(struct opt_set *s, size_t room)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++) {
		struct opt_entry *e = opt_find(s, opt_table[i].code);
		size_t need;

		if (opt_table[i].code == OPT_USER_ROW) {
			user_opts(s, &room, true, NULL);
			continue;
		}
		if (!e)
			continue;
		need = opt_wire_size(e);
		if (need <= room) {
			e->keep = true;
			room -= need;
		} else if (opt_table[i].mandatory) {
			return -EMSGSIZE;
		}
	}
	return 0;
}

/* Writes one kept option, split into instances of 255 bytes (RFC 3396). */
static void opt_emit(struct wr *w, const struct opt_set *s, struct opt_entry *e)
{
	const uint8_t *v;
	size_t left;

	if (!e || !e->keep || e->sent)
		return;
	e->sent = true;
	v = s->arena + e->off;
	left = e->len;
	do {
		size_t n = left < OPT_DATA_MAX ? left : OPT_DATA_MAX;

		wr_u8(w, e->code);
		wr_u8(w, (uint8_t)n);
		wr_put(w, v, n);
		v += n;
		left -= n;
	} while (left);
}

static void user_opts(struct opt_set *s, size_t *room, bool fit, struct wr *w)
{
	for (size_t i = 0; i < s->n; i++) {
		struct opt_entry *e = &s->e[i];

		if (!e->user)
			continue;
		if (!fit) {
			opt_emit(w, s, e);
		} else if (opt_wire_size(e) <= *room) {
			e->keep = true;
			*room -= opt_wire_size(e);
		}
	}
}

/*
 * The table's rows by wire rank, worked out once instead of a scan of the
 * table per rank for every reply (each rank is in the table once: the unit
 * tests check).
 */
static const uint8_t *wire_order(void)
{
	static uint8_t row_of_rank[ARRAY_SIZE(opt_table)];
	static bool ready;

	if (!ready) {
		for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++)
			if (opt_table[i].wire < ARRAY_SIZE(row_of_rank))
				row_of_rank[opt_table[i].wire] = (uint8_t)i;
		ready = true;
	}
	return row_of_rank;
}

/*
 * Wire order: 53 first (some clients look only there, passt's note), 54,
 * then what the client asked for in its order (RFC 2131 4.3.1 leaves the
 * order to the server; clients read what they asked for first), then the
 * rest in the table's wire order.
 */
static void opt_emit_all(struct wr *w, struct opt_set *s,
			 const struct dhcp_request *req)
{
	opt_emit(w, s, opt_find(s, DHCP_OPT_MESSAGE_TYPE));
	opt_emit(w, s, opt_find(s, DHCP_OPT_SERVER_ID));
	for (size_t i = 0; i < req->n_params; i++)
		opt_emit(w, s, opt_find(s, req->params[i]));
	for (size_t rank = 0; rank < ARRAY_SIZE(opt_table); rank++) {
		const struct opt_spec *o = &opt_table[wire_order()[rank]];

		if (o->code == OPT_USER_ROW)
			user_opts(s, NULL, false, w);
		else
			opt_emit(w, s, opt_find(s, o->code));
	}
}

/* The fixed BOOTP header and cookie, RFC 2131 table 3. */
static void put_header(struct wr *w, const struct dhcp_request *req,
		       const struct dhcp_lease *lease, enum dhcp_action action)
{
	struct in_addr zero = {INADDR_ANY}, ciaddr = zero, yiaddr = zero;
	struct in_addr siaddr = zero;

	if (action == DHCP_ACTION_ACK || action == DHCP_ACTION_INFORM_ACK)
		ciaddr = req->ciaddr;
	/* RFC 2131 table 3: the next server (the tag's TFTP server). */
	if (action != DHCP_ACTION_NAK)
		siaddr = lease->extra.siaddr;
	if (action == DHCP_ACTION_OFFER || action == DHCP_ACTION_ACK)
		yiaddr = lease->client_addr;
	wr_u8(w, BOOTP_REPLY);
	wr_u8(w, BOOTP_HTYPE_ETHER);
	wr_u8(w, MAC_LEN);
	wr_u8(w, 0); /* hops */
	wr_put(w, &req->xid, sizeof(req->xid));
	wr_be16(w, 0); /* secs */
	wr_be16(w, req->flags);
	wr_addr(w, ciaddr);
	wr_addr(w, yiaddr);
	wr_addr(w, siaddr);
	wr_addr(w, req->giaddr);
	wr_put(w, req->chaddr, sizeof(req->chaddr));
	wr_zero(w, BOOTP_CHADDR_LEN - sizeof(req->chaddr));
	wr_zero(w, BOOTP_SNAME_LEN + BOOTP_FILE_LEN);
	wr_be32(w, DHCP_COOKIE);
}

/**
 * dhcp_wire_reply_max() - Largest reply this client accepts
 * @req:	Parsed request
 *
 * RFC 2131 2: without option 57 a client accepts a 576-byte IP datagram;
 * the IPv4 and UDP headers take 28 of it. Never more than DHCP_MAX_PACKET.
 *
 * Return: the maximum DHCP message length in bytes
 */
size_t dhcp_wire_reply_max(const struct dhcp_request *req)
{
	size_t max = req->max_msg_size >= DHCP_MIN_MAX_MSG ? req->max_msg_size
							   : DHCP_MIN_MAX_MSG;

	max -= IP_UDP_HEADER_LEN;
	return max < DHCP_MAX_PACKET ? max : DHCP_MAX_PACKET;
}

/**
 * dhcp_wire_build_reply() - Build the BOOTREPLY for a decided action
 * @req:	Parsed request
 * @lease:	What this client is given
 * @action:	OFFER, ACK, NAK or INFORM_ACK
 * @buf:	Output buffer for the BOOTP message (the UDP payload)
 * @cap:	Size of @buf
 *
 * The reply fits min(@cap, dhcp_wire_reply_max(@req)). Options longer than
 * 255 bytes are split (RFC 3396); optional options that do not fit are left
 * out whole (see opt_table). Padded to DHCP_MIN_PACKET bytes.
 *
 * Return: message length, -EINVAL for an action without a reply or an
 * invalid lease, -EMSGSIZE if even the mandatory options do not fit
 */
ssize_t dhcp_wire_build_reply(const struct dhcp_request *req,
			      const struct dhcp_lease *lease,
			      enum dhcp_action action, uint8_t *buf, size_t cap)
{
	struct opt_set s;
	size_t limit;
	struct wr w;
	int r;

	if (!req || !lease || !buf || action_msg_type(action) == 0)
		return -EINVAL;
	limit = dhcp_wire_reply_max(req);
	if (limit > cap)
		limit = cap;
	if (limit < DHCP_MIN_PACKET)
		return -EMSGSIZE;
	if (lease->prefix_len > 32 || lease->n_dns > ARRAY_SIZE(lease->dns))
		return -EINVAL;
	s.used = 0;
	s.n = 0;
	r = opt_collect(&s, &(struct reply_ctx){
				    .req = req,
				    .lease = lease,
				    .action = action,
				    .mask = prefix_mask(lease->prefix_len),
			    });
	if (r == 0)
		r = opt_fit(&s, limit - DHCP_FIXED_LEN - sizeof(uint32_t) - 1);
	if (r < 0)
		return r;

	wr_init(&w, buf, limit);
	put_header(&w, req, lease, action);
	opt_emit_all(&w, &s, req);
	wr_u8(&w, DHCP_OPT_END);
	/* RFC 1542 3.3: PAD up to 300 bytes for old relays and clients. */
	if (wr_len(&w) < DHCP_MIN_PACKET)
		wr_zero(&w, DHCP_MIN_PACKET - wr_len(&w));
	if (w.err)
		return w.err;
	return (ssize_t)wr_len(&w);
}
