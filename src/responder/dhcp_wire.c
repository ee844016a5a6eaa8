// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv4 wire format: validate a guest's BOOTREQUEST, decide the answer and
 * where it goes. The reply itself is built in dhcp_reply.c. */

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "be_bytes.h"
#include "dhcp_wire.h"
#include "dhcp_wire_internal.h"

_Static_assert(sizeof(struct in_addr) == 4, "in_addr is 4 bytes");

/* Bounds-checked read cursor over guest bytes (an options area). */
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
			size = be16_get(val);
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
	const uint8_t *p = c->p, *end = c->p + c->left;

	while (p < end) {
		uint8_t code = *p++, len;
		int r;

		if (code == DHCP_OPT_END)
			break;
		if (code == DHCP_OPT_PAD)
			continue;
		if (p == end)
			return -EBADMSG;
		len = *p++;
		if (len > (size_t)(end - p))
			return -EBADMSG;
		r = parse_option(req, code, p, len, overload);
		if (r < 0)
			return r;
		p += len;
	}
	c->left -= (size_t)(p - c->p);
	c->p = p;
	return 0;
}

/* Offsets in the fixed BOOTP header (RFC 2131 figure 1). */
#define BOOTP_OFF_XID	 4
#define BOOTP_OFF_SECS	 8
#define BOOTP_OFF_FLAGS	 10
#define BOOTP_OFF_CIADDR 12
#define BOOTP_OFF_GIADDR 24
#define BOOTP_OFF_CHADDR 28
#define BOOTP_OFF_SNAME	 44
#define BOOTP_OFF_FILE	 108
#define BOOTP_OFF_COOKIE 236

/*
 * The fixed BOOTP header up to and including the magic cookie; the caller
 * made sure that all of it is there, so it is read at its offsets.
 */
static int parse_fixed(struct rd *c, struct dhcp_request *req,
		       struct rd *ret_sname, struct rd *ret_file)
{
	const uint8_t *m = c->p;
	_Static_assert(
		BOOTP_OFF_FILE + BOOTP_FILE_LEN == BOOTP_OFF_COOKIE &&
			BOOTP_OFF_SNAME + BOOTP_SNAME_LEN == BOOTP_OFF_FILE &&
			BOOTP_OFF_CHADDR + BOOTP_CHADDR_LEN == BOOTP_OFF_SNAME,
		"BOOTP fields are contiguous");
	if (!rd_take(c, BOOTP_OFF_COOKIE + sizeof(uint32_t)))
		return -EBADMSG;
	if (be32_get(m + BOOTP_OFF_COOKIE) != DHCP_COOKIE ||
	    m[0] != BOOTP_REQUEST)
		return -EBADMSG;
	if (m[1] != BOOTP_HTYPE_ETHER || m[2] != MAC_LEN)
		return -EPROTONOSUPPORT;
	memcpy(&req->xid, m + BOOTP_OFF_XID, sizeof(req->xid));
	req->secs = be16_get(m + BOOTP_OFF_SECS);
	req->flags = be16_get(m + BOOTP_OFF_FLAGS);
	memcpy(&req->ciaddr, m + BOOTP_OFF_CIADDR, sizeof(req->ciaddr));
	memcpy(&req->giaddr, m + BOOTP_OFF_GIADDR, sizeof(req->giaddr));
	_Static_assert(sizeof(req->chaddr) <= BOOTP_CHADDR_LEN, "chaddr fits");
	memcpy(req->chaddr, m + BOOTP_OFF_CHADDR, sizeof(req->chaddr));
	*ret_sname =
		(struct rd){.p = m + BOOTP_OFF_SNAME, .left = BOOTP_SNAME_LEN};
	*ret_file =
		(struct rd){.p = m + BOOTP_OFF_FILE, .left = BOOTP_FILE_LEN};
	return 0;
}

/**
 * dhcp_wire_parse_request_into() - dhcp_wire_parse_request() in place
 * @msg:	UDP payload (the BOOTP message), untrusted
 * @len:	Length of @msg in bytes
 * @req:	Parsed request; scratch: on an error its contents mean nothing
 *
 * The packet loop's call: no staging copy of the request.
 *
 * Return: as dhcp_wire_parse_request()
 */
int dhcp_wire_parse_request_into(const uint8_t *msg, size_t len,
				 struct dhcp_request *req)
{
	struct rd c = {.p = msg, .left = len}, sname, file;
	uint8_t overload = 0;
	int r;

	/* No UDP datagram is longer; read_len then always fits. */
	if (!msg || len < DHCP_FIXED_LEN + sizeof(uint32_t) || len > UINT16_MAX)
		return -EBADMSG;
	/* The lists are filled up to their counts: no need to clear them. */
	memset(req, 0, offsetof(struct dhcp_request, params));
	r = parse_fixed(&c, req, &sname, &file);
	if (r < 0)
		return r;
	r = parse_options(&c, req, &overload);
	req->overloaded = overload != 0;
	req->read_len = (uint16_t)(req->overloaded ? len : (size_t)(c.p - msg));
	if (r == 0 && (overload & DHCP_OVERLOAD_FILE))
		r = parse_options(&file, req, NULL);
	if (r == 0 && (overload & DHCP_OVERLOAD_SNAME))
		r = parse_options(&sname, req, NULL);
	if (r < 0)
		return r;
	if (req->msg_type < DHCP_MSG_DISCOVER ||
	    req->msg_type > DHCP_MSG_INFORM)
		return -EBADMSG;
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
	struct dhcp_request req;
	int r = dhcp_wire_parse_request_into(msg, len, &req);

	if (r < 0)
		return r;
	memcpy(ret_req, &req, offsetof(struct dhcp_request, params));
	memcpy(ret_req->params, req.params, req.n_params);
	memcpy(ret_req->client_id, req.client_id, req.client_id_len);
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
