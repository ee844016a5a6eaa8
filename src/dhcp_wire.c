// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv4 wire format: validate a guest's BOOTREQUEST, decide, build the reply.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dhcp_wire.h"

/* IPv4 header without options (20) plus UDP header (8), RFC 2131 2. */
#define IP_UDP_HEADER_LEN 28
/* Sizes of the fixed BOOTP fields (RFC 2131 2, figure 1). */
#define BOOTP_CHADDR_LEN 16
#define BOOTP_SNAME_LEN	 64
#define BOOTP_FILE_LEN	 128
/* RFC 2132 2: one option instance carries at most 255 bytes of data. */
#define OPT_DATA_MAX 255
/* RFC 1035 4.1.4: a compression pointer is two bytes, top bits 11. */
#define DNS_PTR_MARK	  0xc0
#define DNS_PTR_MAX	  0x3fff
#define DNS_LABEL_MAX	  63
#define DNS_NAME_TEXT_MAX 253
/* Bound on pointers followed while comparing one name. */
#define DNS_MAX_HOPS 128

_Static_assert(sizeof(struct in_addr) == 4, "in_addr is 4 bytes");

/* Bounds-checked read cursor over guest bytes: the only way we read them. */
struct rd {
	const uint8_t *p;
	size_t left;
};

/* Returns @n bytes and advances, or NULL (cursor unchanged) if fewer left. */
static const uint8_t *rd_take(struct rd *c, size_t n)
{
	const uint8_t *p = c->p;

	if (n > c->left)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

static int rd_u8(struct rd *c, uint8_t *v)
{
	const uint8_t *p = rd_take(c, 1);

	if (!p)
		return -EBADMSG;
	*v = *p;
	return 0;
}

/* Copies @n bytes (unaligned-safe, byte order untouched) into @dst. */
static int rd_copy(struct rd *c, void *dst, size_t n)
{
	const uint8_t *p = rd_take(c, n);

	if (!p)
		return -EBADMSG;
	memcpy(dst, p, n);
	return 0;
}

static int rd_be16(struct rd *c, uint16_t *v)
{
	uint16_t raw;

	if (rd_copy(c, &raw, sizeof(raw)) < 0)
		return -EBADMSG;
	*v = ntohs(raw);
	return 0;
}

/* Splits off the next @n bytes as their own cursor. */
static int rd_sub(struct rd *c, size_t n, struct rd *ret_sub)
{
	const uint8_t *p = rd_take(c, n);

	if (!p)
		return -EBADMSG;
	ret_sub->p = p;
	ret_sub->left = n;
	return 0;
}

/*
 * Stores one option if it has a valid length for its code (RFC 2132, and
 * systemd's parse_request); anything else is ignored, not fatal.
 */
static int parse_option(struct dhcp_request *req, uint8_t code,
			const uint8_t *val, uint8_t len, uint8_t *overload)
{
	uint16_t size;
	size_t n;

	switch (code) {
	case DHCP_OPT_MESSAGE_TYPE:
		if (len == 1)
			req->msg_type = val[0];
		break;
	case DHCP_OPT_REQUESTED_ADDR:
		if (len == sizeof(req->requested_addr)) {
			memcpy(&req->requested_addr, val,
			       sizeof(struct in_addr));
			req->has_requested_addr = true;
		}
		break;
	case DHCP_OPT_SERVER_ID:
		if (len == sizeof(req->server_id)) {
			memcpy(&req->server_id, val, sizeof(struct in_addr));
			req->has_server_id = true;
		}
		break;
	case DHCP_OPT_MAX_MESSAGE_SIZE:
		if (len == sizeof(size)) {
			memcpy(&size, val, sizeof(size));
			size = ntohs(size);
			/* RFC 2132 9.10: the minimum legal value is 576. */
			if (size >= DHCP_MIN_MAX_MSG)
				req->max_msg_size = size;
		}
		break;
	case DHCP_OPT_PARAM_REQUEST_LIST:
		/* RFC 3396: repeated instances concatenate; keep what fits. */
		n = sizeof(req->params) - req->n_params;
		if (len < n)
			n = len;
		memcpy(req->params + req->n_params, val, n);
		req->n_params += n;
		break;
	case DHCP_OPT_CLIENT_ID:
		if (len < 2)
			break;
		/* RFC 3396 concatenation; too long to echo back: malformed. */
		if (len > sizeof(req->client_id) - req->client_id_len)
			return -EBADMSG;
		memcpy(req->client_id + req->client_id_len, val, len);
		req->client_id_len += len;
		break;
	case DHCP_OPT_FQDN:
		/* RFC 4702 2: flags, RCODE1, RCODE2, then the name. */
		if (len >= 3) {
			req->has_fqdn = true;
			req->fqdn_flags = val[0];
		}
		break;
	case DHCP_OPT_OVERLOAD:
		/* RFC 2131 4.1: only valid in the options field itself. */
		if (overload && len == 1 && val[0] >= DHCP_OVERLOAD_FILE &&
		    val[0] <= DHCP_OVERLOAD_BOTH)
			*overload = val[0];
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Walks one options area: PAD and END are single bytes; then the length byte
 * must exist and the data must fit, in that order. Running out of bytes
 * without END is tolerated (the area ends there), a cut option is not.
 */
static int parse_options(struct rd *c, struct dhcp_request *req,
			 uint8_t *overload)
{
	for (;;) {
		uint8_t code, len;
		const uint8_t *val;
		int r;

		if (rd_u8(c, &code) < 0 || code == DHCP_OPT_END)
			return 0;
		if (code == DHCP_OPT_PAD)
			continue;
		if (rd_u8(c, &len) < 0)
			return -EBADMSG;
		val = rd_take(c, len);
		if (!val)
			return -EBADMSG;
		r = parse_option(req, code, val, len, overload);
		if (r < 0)
			return r;
	}
}

/* The fixed BOOTP header up to and including the magic cookie. */
static int parse_fixed(struct rd *c, struct dhcp_request *req,
		       struct rd *ret_sname, struct rd *ret_file)
{
	uint8_t op, htype, hlen, hops, chaddr[BOOTP_CHADDR_LEN];
	struct in_addr yiaddr, siaddr;
	uint32_t cookie;

	if (rd_u8(c, &op) < 0 || rd_u8(c, &htype) < 0 || rd_u8(c, &hlen) < 0 ||
	    rd_u8(c, &hops) < 0 ||
	    rd_copy(c, &req->xid, sizeof(req->xid)) < 0 ||
	    rd_be16(c, &req->secs) < 0 || rd_be16(c, &req->flags) < 0 ||
	    rd_copy(c, &req->ciaddr, sizeof(req->ciaddr)) < 0 ||
	    rd_copy(c, &yiaddr, sizeof(yiaddr)) < 0 ||
	    rd_copy(c, &siaddr, sizeof(siaddr)) < 0 ||
	    rd_copy(c, &req->giaddr, sizeof(req->giaddr)) < 0 ||
	    rd_copy(c, chaddr, sizeof(chaddr)) < 0 ||
	    rd_sub(c, BOOTP_SNAME_LEN, ret_sname) < 0 ||
	    rd_sub(c, BOOTP_FILE_LEN, ret_file) < 0 ||
	    rd_copy(c, &cookie, sizeof(cookie)) < 0)
		return -EBADMSG;
	if (ntohl(cookie) != DHCP_COOKIE || op != BOOTP_REQUEST)
		return -EBADMSG;
	if (htype != BOOTP_HTYPE_ETHER || hlen != MAC_LEN)
		return -EPROTONOSUPPORT;
	_Static_assert(sizeof(req->chaddr) <= sizeof(chaddr), "chaddr fits");
	memcpy(req->chaddr, chaddr, sizeof(req->chaddr));
	return 0;
}

/**
 * dhcp_wire_parse_request() - Validate and parse a guest's BOOTREQUEST
 * @msg:	UDP payload (the BOOTP message), untrusted
 * @len:	Length of @msg in bytes
 * @ret_req:	Parsed request, written only on success
 *
 * Option overload (option 52, RFC 2131 4.1, RFC 2132 9.3) is implemented:
 * the file field and then the sname field are parsed as more options, in
 * the order RFC 3396 section 6 gives; an overload option inside them is
 * ignored.
 *
 * Return: 0, -EBADMSG if malformed, -EPROTONOSUPPORT if not Ethernet
 */
int dhcp_wire_parse_request(const uint8_t *msg, size_t len,
			    struct dhcp_request *ret_req)
{
	struct rd c = {.p = msg, .left = len}, sname, file;
	struct dhcp_request req = {0};
	uint8_t overload = 0;
	int r;

	if (!msg || len < DHCP_FIXED_LEN + sizeof(uint32_t))
		return -EBADMSG;
	r = parse_fixed(&c, &req, &sname, &file);
	if (r < 0)
		return r;
	r = parse_options(&c, &req, &overload);
	if (r == 0 && (overload & DHCP_OVERLOAD_FILE))
		r = parse_options(&file, &req, NULL);
	if (r == 0 && (overload & DHCP_OVERLOAD_SNAME))
		r = parse_options(&sname, &req, NULL);
	if (r < 0)
		return r;
	if (req.msg_type < DHCP_MSG_DISCOVER || req.msg_type > DHCP_MSG_INFORM)
		return -EBADMSG;
	*ret_req = req;
	return 0;
}

/* REQUEST, RFC 2131 4.3.2: tell the client state apart by what it sent. */
static enum dhcp_action decide_request(const struct dhcp_request *req,
				       const struct dhcp_lease *lease)
{
	in_addr_t ours = lease->client_addr.s_addr;

	if (req->has_server_id) {
		/* SELECTING: the client chose another server's offer. */
		if (req->server_id.s_addr != lease->server_id.s_addr)
			return DHCP_ACTION_IGNORE;
		if (req->has_requested_addr &&
		    req->requested_addr.s_addr == ours)
			return DHCP_ACTION_ACK;
		return DHCP_ACTION_NAK;
	}
	if (req->has_requested_addr) {
		/*
		 * INIT-REBOOT (ciaddr MUST be 0): a guest that kept a stale
		 * lease gets a NAK and starts over (KubeVirt #13601).
		 */
		if (req->requested_addr.s_addr == ours &&
		    (req->ciaddr.s_addr == INADDR_ANY ||
		     req->ciaddr.s_addr == ours))
			return DHCP_ACTION_ACK;
		return DHCP_ACTION_NAK;
	}
	if (req->ciaddr.s_addr != INADDR_ANY) {
		/* RENEWING or REBINDING. */
		return req->ciaddr.s_addr == ours ? DHCP_ACTION_ACK
						  : DHCP_ACTION_NAK;
	}
	/* No address at all: not a valid REQUEST in any state. */
	return DHCP_ACTION_IGNORE;
}

/**
 * dhcp_wire_decide() - Decide how to answer a parsed request
 * @req:	Parsed request
 * @lease:	What this client is given
 *
 * Return: the action; DHCP_ACTION_IGNORE for other clients and for
 * server-to-client message types
 */
enum dhcp_action dhcp_wire_decide(const struct dhcp_request *req,
				  const struct dhcp_lease *lease)
{
	if (memcmp(req->chaddr, lease->client_mac, MAC_LEN) != 0)
		return DHCP_ACTION_IGNORE;

	switch (req->msg_type) {
	case DHCP_MSG_DISCOVER:
		return DHCP_ACTION_OFFER;
	case DHCP_MSG_REQUEST:
		return decide_request(req, lease);
	case DHCP_MSG_INFORM:
		return DHCP_ACTION_INFORM_ACK;
	case DHCP_MSG_DECLINE:
		return DHCP_ACTION_DECLINED;
	case DHCP_MSG_RELEASE:
		return DHCP_ACTION_RELEASED;
	default: /* OFFER, ACK, NAK: only servers send those */
		return DHCP_ACTION_IGNORE;
	}
}

/**
 * dhcp_wire_action_name() - Short name of an action, for logs
 * @action:	Action
 *
 * Return: static string, "unknown" for values outside the enum
 */
const char *dhcp_wire_action_name(enum dhcp_action action)
{
	switch (action) {
	case DHCP_ACTION_IGNORE:
		return "ignore";
	case DHCP_ACTION_OFFER:
		return "offer";
	case DHCP_ACTION_ACK:
		return "ack";
	case DHCP_ACTION_NAK:
		return "nak";
	case DHCP_ACTION_INFORM_ACK:
		return "inform-ack";
	case DHCP_ACTION_DECLINED:
		return "declined";
	case DHCP_ACTION_RELEASED:
		return "released";
	}
	return "unknown";
}

/**
 * dhcp_wire_reply_destination() - IP destination of a reply (RFC 2131 4.1)
 * @req:	Parsed request
 * @lease:	What this client is given
 * @action:	Action decided for @req
 *
 * RFC 2131 4.1: "If the 'giaddr' field in a DHCP message from a client is
 * non-zero, the server sends any return messages to the 'DHCP server' port
 * on the BOOTP relay agent whose address appears in 'giaddr'. If the
 * 'giaddr' field is zero and the 'ciaddr' field is nonzero, then the server
 * unicasts DHCPOFFER and DHCPACK messages to the address in 'ciaddr'. If
 * 'giaddr' is zero and 'ciaddr' is zero, and the broadcast bit is set, then
 * the server broadcasts DHCPOFFER and DHCPACK messages to 0xffffffff. If the
 * broadcast bit is not set and 'giaddr' is zero and 'ciaddr' is zero, then
 * the server unicasts DHCPOFFER and DHCPACK messages to the client's
 * hardware address and 'yiaddr' address. In all cases, when 'giaddr' is
 * zero, the server broadcasts any DHCPNAK messages to 0xffffffff."
 *
 * This is the IP layer only. At layer 2 the caller always sends to the
 * client's MAC (chaddr), even for 255.255.255.255: the bridge also holds the
 * pod uplink, and an Ethernet broadcast would flood our reply out of it to
 * the node. No relay is expected on a pod bridge; the branch is kept for
 * the RFC's sake. An INFORM with ciaddr 0 and no broadcast flag has no
 * yiaddr to go to, so it is broadcast ("no-address"). Actions that send
 * nothing give 0.0.0.0 and "none".
 *
 * Return: address, port and the name of the branch taken
 */
struct dhcp_destination
dhcp_wire_reply_destination(const struct dhcp_request *req,
			    const struct dhcp_lease *lease,
			    enum dhcp_action action)
{
	struct dhcp_destination d = {.addr = {htonl(INADDR_BROADCAST)},
				     .port = DHCP_CLIENT_PORT};

	if (action != DHCP_ACTION_OFFER && action != DHCP_ACTION_ACK &&
	    action != DHCP_ACTION_NAK && action != DHCP_ACTION_INFORM_ACK) {
		d.addr.s_addr = htonl(INADDR_ANY);
		d.why = "none";
	} else if (req->giaddr.s_addr != INADDR_ANY) {
		d.addr = req->giaddr;
		d.port = DHCP_SERVER_PORT;
		d.why = "relay";
	} else if (action == DHCP_ACTION_NAK) {
		d.why = "nak-broadcast";
	} else if (req->ciaddr.s_addr != INADDR_ANY) {
		d.addr = req->ciaddr;
		d.why = "ciaddr";
	} else if (req->flags & BOOTP_FLAG_BROADCAST) {
		d.why = "broadcast-flag";
	} else if (action == DHCP_ACTION_INFORM_ACK) {
		d.why = "no-address";
	} else {
		d.addr = lease->client_addr;
		d.why = "yiaddr";
	}
	return d;
}

/*
 * Bounded writer: every write checks the space left in its destination. The
 * first overflow sticks in @err and turns later writes into no-ops, so a
 * sequence of writes is checked once at its end.
 */
struct wr {
	uint8_t *base;
	uint8_t *p;
	size_t left;
	int err;
};

static void wr_init(struct wr *w, uint8_t *buf, size_t cap)
{
	w->base = buf;
	w->p = buf;
	w->left = cap;
	w->err = 0;
}

static size_t wr_len(const struct wr *w)
{
	return (size_t)(w->p - w->base);
}

static void wr_put(struct wr *w, const void *src, size_t n)
{
	if (w->err || n > w->left) {
		w->err = -EMSGSIZE;
		return;
	}
	if (n)
		memcpy(w->p, src, n);
	w->p += n;
	w->left -= n;
}

static void wr_zero(struct wr *w, size_t n)
{
	if (w->err || n > w->left) {
		w->err = -EMSGSIZE;
		return;
	}
	memset(w->p, 0, n);
	w->p += n;
	w->left -= n;
}

static void wr_u8(struct wr *w, uint8_t v)
{
	wr_put(w, &v, sizeof(v));
}

static void wr_be16(struct wr *w, uint16_t v)
{
	v = htons(v);
	wr_put(w, &v, sizeof(v));
}

static void wr_be32(struct wr *w, uint32_t v)
{
	v = htonl(v);
	wr_put(w, &v, sizeof(v));
}

static void wr_addr(struct wr *w, struct in_addr a)
{
	wr_put(w, &a.s_addr, sizeof(a.s_addr));
}

/* Option values of one reply, encoded before we know what fits. */
#define OPT_ARENA   6144
#define OPT_ENTRIES 24

struct opt_entry {
	uint8_t code;
	bool keep;
	bool sent;
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

/* Length of the first label of @text (up to a dot or @n bytes). */
static size_t label_len(const char *text, size_t n)
{
	const char *dot = memchr(text, '.', n);

	return dot ? (size_t)(dot - text) : n;
}

/*
 * Does the encoded name at @pos spell @text (@tlen bytes, dot-separated, no
 * trailing dot)? Reads only @base[0..@limit) and follows a bounded number of
 * compression pointers.
 */
static bool wire_name_is(const uint8_t *base, size_t limit, size_t pos,
			 const char *text, size_t tlen)
{
	size_t t = 0;
	unsigned int hops = 0;

	while (pos < limit) {
		uint8_t b = base[pos];
		size_t l;

		if (b == 0)
			return t > tlen;
		if ((b & DNS_PTR_MARK) == DNS_PTR_MARK) {
			if (pos + 1 >= limit || ++hops > DNS_MAX_HOPS)
				return false;
			pos = ((size_t)(b & ~DNS_PTR_MARK) << 8) |
			      base[pos + 1];
			continue;
		}
		if (b > DNS_LABEL_MAX || b >= limit - pos || t >= tlen)
			return false;
		l = label_len(text + t, tlen - t);
		if (l != b || memcmp(base + pos + 1, text + t, l) != 0)
			return false;
		t += l + 1;
		pos += 1 + (size_t)b;
	}
	return false;
}

/* Offset of an earlier label sequence spelling @text, or -1 (RFC 1035 4.1.4).
 */
static ssize_t find_suffix(const uint8_t *base, size_t limit, const char *text,
			   size_t tlen)
{
	size_t pos = 0;

	while (pos < limit && pos <= DNS_PTR_MAX) {
		uint8_t b = base[pos];

		if (b == 0) {
			pos++;
		} else if ((b & DNS_PTR_MARK) == DNS_PTR_MARK) {
			pos += 2;
		} else {
			if (wire_name_is(base, limit, pos, text, tlen))
				return (ssize_t)pos;
			pos += 1 + (size_t)b;
		}
	}
	return -1;
}

/*
 * Writes @name (text in a buffer of @cap bytes) as RFC 1035 labels. With
 * @compress, the longest suffix already in @w becomes a pointer (relative to
 * the start of @w: RFC 3397 2 counts from the start of the option data).
 * Without @terminate, no root label: a partial name (RFC 4702 2.3.1).
 */
static int dns_name_put(struct wr *w, const char *name, size_t cap,
			bool compress, bool terminate)
{
	size_t tlen = strnlen(name, cap), start = wr_len(w), t = 0;

	if (tlen == cap)
		return -EINVAL;
	if (tlen && name[tlen - 1] == '.')
		tlen--;
	if (tlen == 0 || tlen > DNS_NAME_TEXT_MAX)
		return -EINVAL;
	while (t < tlen) {
		size_t l = label_len(name + t, tlen - t);
		ssize_t at;

		if (l == 0 || l > DNS_LABEL_MAX)
			return -EINVAL;
		at = compress ? find_suffix(w->base, start, name + t, tlen - t)
			      : -1;
		if (at >= 0) {
			wr_be16(w, (uint16_t)(DNS_PTR_MARK << 8 | at));
			return w->err;
		}
		wr_u8(w, (uint8_t)l);
		wr_put(w, name + t, l);
		t += l + 1;
	}
	if (terminate)
		wr_u8(w, 0);
	return w->err;
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

/* Lease timers, RFC 2131 4.4.5: T1 = 0.5, T2 = 0.875 of the lease. */
static int opt_times(struct opt_set *s, const struct dhcp_lease *lease)
{
	uint32_t t = lease->lease_seconds;
	int r = opt_be32(s, DHCP_OPT_LEASE_TIME, t);

	if (r == 0 && t != DHCP_LEASE_INFINITE)
		r = opt_be32(s, DHCP_OPT_RENEWAL_TIME, t / 2);
	if (r == 0 && t != DHCP_LEASE_INFINITE)
		r = opt_be32(s, DHCP_OPT_REBINDING_TIME,
			     (uint32_t)((uint64_t)t * 7 / 8));
	return r;
}

/* Everything but 53, 54 and 61 (RFC 2131 table 3; none of it in a NAK). */
static int opt_config(struct opt_set *s, const struct dhcp_request *req,
		      const struct dhcp_lease *lease, enum dhcp_action action)
{
	uint32_t mask;
	int r = 0;

	if (lease->prefix_len > 32 || lease->n_dns > ARRAY_SIZE(lease->dns))
		return -EINVAL;
	mask = prefix_mask(lease->prefix_len);
	/* RFC 2131 4.3.5: no lease time in the answer to an INFORM. */
	if (action != DHCP_ACTION_INFORM_ACK)
		r = opt_times(s, lease);
	if (r == 0)
		r = opt_be32(s, DHCP_OPT_SUBNET_MASK, mask);
	if (r == 0 && lease->router.s_addr != INADDR_ANY)
		r = opt_addr(s, DHCP_OPT_ROUTER, lease->router);
	if (r == 0 && lease->n_dns)
		r = opt_bytes(s, DHCP_OPT_DNS_SERVER, lease->dns,
			      lease->n_dns * sizeof(lease->dns[0]));
	if (r == 0)
		r = opt_text(s, DHCP_OPT_HOSTNAME, lease->hostname,
			     sizeof(lease->hostname));
	if (r == 0)
		r = opt_text(s, DHCP_OPT_DOMAIN_NAME, lease->domain_name,
			     sizeof(lease->domain_name));
	/* RFC 2132 5.1: 68 is the smallest legal MTU. */
	if (r == 0 && lease->mtu >= 68)
		r = opt_be16(s, DHCP_OPT_INTERFACE_MTU, lease->mtu);
	if (r == 0)
		r = opt_search(s, lease);
	if (r == 0)
		r = opt_routes(s, lease);
	if (r == 0 && param_requested(req, DHCP_OPT_BROADCAST))
		r = opt_be32(s, DHCP_OPT_BROADCAST,
			     ntohl(lease->client_addr.s_addr) | ~mask);
	if (r == 0 && req->has_fqdn)
		r = opt_fqdn(s, req, lease);
	return r;
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

/* Encodes every option this reply could carry, before fitting them. */
static int opt_collect(struct opt_set *s, const struct dhcp_request *req,
		       const struct dhcp_lease *lease, enum dhcp_action action)
{
	static const char nak_text[] = "requested address is not the lease";
	uint8_t type = action_msg_type(action);
	int r;

	r = opt_bytes(s, DHCP_OPT_MESSAGE_TYPE, &type, sizeof(type));
	if (r == 0)
		r = opt_addr(s, DHCP_OPT_SERVER_ID, lease->server_id);
	/* RFC 6842 3: echo the client identifier, in a NAK too. */
	if (r == 0 && req->client_id_len)
		r = opt_bytes(s, DHCP_OPT_CLIENT_ID, req->client_id,
			      req->client_id_len);
	if (r == 0 && action == DHCP_ACTION_NAK)
		return opt_bytes(s, DHCP_OPT_MESSAGE, nak_text,
				 sizeof(nak_text) - 1);
	if (r == 0)
		r = opt_config(s, req, lease, action);
	return r;
}

/*
 * What stays when the client's size limit is too small, most important
 * first. The first OPT_MANDATORY must fit or there is no reply (-EMSGSIZE).
 * The rest are kept greedily in this order while they fit, so one big option
 * (a long search list) is left out whole, never cut, and the small ones
 * after it still go. Why this order: 61 is a MUST (RFC 6842); 121 carries
 * the default route that clients with 121 prefer over 3 (RFC 3442), and an
 * off-link gateway (Calico) needs it; then DNS, MTU, the NAK text, search
 * list, names; 28 only if asked; 58/59 go first because RFC 2131 4.4.5
 * makes the client default to the very same T1/T2.
 */
static const uint8_t opt_keep_order[] = {
	DHCP_OPT_MESSAGE_TYPE,	   DHCP_OPT_SERVER_ID,
	DHCP_OPT_LEASE_TIME,	   DHCP_OPT_SUBNET_MASK,
	DHCP_OPT_ROUTER,	   DHCP_OPT_CLIENT_ID,
	DHCP_OPT_CLASSLESS_ROUTES, DHCP_OPT_DNS_SERVER,
	DHCP_OPT_INTERFACE_MTU,	   DHCP_OPT_MESSAGE,
	DHCP_OPT_DOMAIN_SEARCH,	   DHCP_OPT_HOSTNAME,
	DHCP_OPT_DOMAIN_NAME,	   DHCP_OPT_FQDN,
	DHCP_OPT_BROADCAST,	   DHCP_OPT_RENEWAL_TIME,
	DHCP_OPT_REBINDING_TIME,
};
#define OPT_MANDATORY 5

/* Marks the options that fit in @room bytes, in opt_keep_order. */
static int opt_fit(struct opt_set *s, size_t room)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_keep_order); i++) {
		struct opt_entry *e = opt_find(s, opt_keep_order[i]);
		size_t need;

		if (!e)
			continue;
		need = opt_wire_size(e);
		if (need <= room) {
			e->keep = true;
			room -= need;
		} else if (i < OPT_MANDATORY) {
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

/*
 * Wire order: 53 first (some clients look only there, passt's note), 54,
 * then what the client asked for in its order (RFC 2131 4.3.1 leaves the
 * order to the server; clients read what they asked for first), then the
 * rest in a fixed order.
 */
static void opt_emit_all(struct wr *w, struct opt_set *s,
			 const struct dhcp_request *req)
{
	static const uint8_t rest[] = {
		DHCP_OPT_LEASE_TIME,
		DHCP_OPT_RENEWAL_TIME,
		DHCP_OPT_REBINDING_TIME,
		DHCP_OPT_SUBNET_MASK,
		DHCP_OPT_ROUTER,
		DHCP_OPT_DNS_SERVER,
		DHCP_OPT_HOSTNAME,
		DHCP_OPT_DOMAIN_NAME,
		DHCP_OPT_INTERFACE_MTU,
		DHCP_OPT_DOMAIN_SEARCH,
		DHCP_OPT_CLASSLESS_ROUTES,
		DHCP_OPT_BROADCAST,
		DHCP_OPT_FQDN,
		DHCP_OPT_CLIENT_ID,
		DHCP_OPT_MESSAGE,
	};

	opt_emit(w, s, opt_find(s, DHCP_OPT_MESSAGE_TYPE));
	opt_emit(w, s, opt_find(s, DHCP_OPT_SERVER_ID));
	for (size_t i = 0; i < req->n_params; i++)
		opt_emit(w, s, opt_find(s, req->params[i]));
	for (size_t i = 0; i < ARRAY_SIZE(rest); i++)
		opt_emit(w, s, opt_find(s, rest[i]));
}

/* The fixed BOOTP header and cookie, RFC 2131 table 3. */
static void put_header(struct wr *w, const struct dhcp_request *req,
		       const struct dhcp_lease *lease, enum dhcp_action action)
{
	struct in_addr zero = {INADDR_ANY}, ciaddr = zero, yiaddr = zero;

	if (action == DHCP_ACTION_ACK || action == DHCP_ACTION_INFORM_ACK)
		ciaddr = req->ciaddr;
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
	wr_addr(w, zero); /* siaddr: no next server */
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
 * out whole (see opt_keep_order). Padded to DHCP_MIN_PACKET bytes.
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
	s.used = 0;
	s.n = 0;
	r = opt_collect(&s, req, lease, action);
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
