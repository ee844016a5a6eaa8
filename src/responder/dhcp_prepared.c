// SPDX-License-Identifier: GPL-2.0-or-later
/* Replies built once. The lease never changes while the domain runs, and a
 * client sends the same parameter request list, maximum size, client id and
 * FQDN flags every time: so each reply kind is encoded (options, fitting,
 * RFC 3396 split, framing) once, and an exchange only copies the prepared
 * frame, fills the few fields that come from the request and patches both
 * checksums by adding just those fields. */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "bytes_equal.h"
#include "dhcp_prepared.h"
#include "inet_csum.h"

/* Offsets in the frame: IPv4 header, UDP header, BOOTP message. */
#define IP_OFF_CSUM   10
#define IP_OFF_SRC    12
#define IP_OFF_DST    16
#define IP_HEADER_LEN 20
#define UDP_OFF	      IP_HEADER_LEN
#define UDP_OFF_DPORT (UDP_OFF + 2)
#define UDP_OFF_LEN   (UDP_OFF + 4)
#define UDP_OFF_CSUM  (UDP_OFF + 6)
#define BOOTP_OFF     UDP_FRAME_HEADER_LEN
/* The request's fields in the reply (RFC 2131 figure 1): xid, secs, flags,
 * ciaddr, yiaddr, siaddr, giaddr, chaddr[0..6): summed per request. */
#define BOOTP_OFF_XID	 (BOOTP_OFF + 4)
#define BOOTP_OFF_FLAGS	 (BOOTP_OFF + 10)
#define BOOTP_OFF_CIADDR (BOOTP_OFF + 12)
#define BOOTP_OFF_GIADDR (BOOTP_OFF + 24)
#define BOOTP_OFF_CHADDR (BOOTP_OFF + 28)
#define FILLED_OFF	 BOOTP_OFF_XID
#define FILLED_LEN	 (BOOTP_OFF_CHADDR + MAC_LEN - BOOTP_OFF_XID)

/* The filled block starts at an even offset of the UDP segment. */
_Static_assert((FILLED_OFF - UDP_OFF) % 2 == 0, "checksum words line up");

/* RFC 2131 table 3: ciaddr is echoed in an ACK (and INFORM's ACK) only. */
static bool echoes_ciaddr(enum dhcp_action action)
{
	return action == DHCP_ACTION_ACK || action == DHCP_ACTION_INFORM_ACK;
}

static uint8_t fqdn_e(const struct dhcp_request *req)
{
	return req->has_fqdn ? req->fqdn_flags & DHCP_FQDN_FLAG_E : 0;
}

/* Was @k built for a request of this shape? */
static bool same_shape(const struct dhcp_prepared *k,
		       const struct dhcp_request *req)
{
	return k->valid && k->max_msg_size == req->max_msg_size &&
	       k->n_params == req->n_params &&
	       k->client_id_len == req->client_id_len &&
	       k->has_fqdn == req->has_fqdn && k->fqdn_e == fqdn_e(req) &&
	       bytes_equal(k->params, req->params, req->n_params) &&
	       bytes_equal(k->client_id, req->client_id, req->client_id_len);
}

/*
 * Builds @k for @req's shape exactly as the reply builder and the framer
 * do, with every field filled per request (xid, flags, ciaddr, giaddr,
 * chaddr, destination address and port) left 0, and sums the rest.
 */
static void prepare(struct dhcp_prepared *k, const struct dhcp_request *req,
		    const struct dhcp_lease *lease, enum dhcp_action action)
{
	uint8_t payload[DHCP_MAX_PACKET];
	struct dhcp_request shape = *req;
	struct in_addr none = {INADDR_ANY};
	const uint8_t *f = k->frame;
	uint16_t udp_len;
	ssize_t n;

	shape.xid = 0;
	shape.flags = 0;
	shape.ciaddr = none;
	shape.giaddr = none;
	memset(shape.chaddr, 0, sizeof(shape.chaddr));
	k->valid = true;
	k->max_msg_size = req->max_msg_size;
	k->n_params = req->n_params;
	memcpy(k->params, req->params, req->n_params);
	k->client_id_len = req->client_id_len;
	memcpy(k->client_id, req->client_id, req->client_id_len);
	k->has_fqdn = req->has_fqdn;
	k->fqdn_e = fqdn_e(req);
	k->len = 0;

	n = dhcp_wire_build_reply(&shape, lease, action, payload,
				  sizeof(payload));
	if (n >= 0)
		n = udp_frame_build(k->frame, sizeof(k->frame),
				    lease->server_id, none, DHCP_SERVER_PORT, 0,
				    payload, (size_t)n);
	if (n < 0) {
		k->err = (int)n;
		return;
	}
	k->err = 0;
	k->len = (size_t)n;
	/* The IPv4 header but its checksum and destination. */
	k->ip_sum = inet_csum_add(0, f, IP_OFF_CSUM);
	k->ip_sum = inet_csum_add(k->ip_sum, f + IP_OFF_SRC, 4);
	/*
	 * RFC 768 pseudo-header (source, protocol, length), the UDP header
	 * but its destination port and checksum, the payload but the block
	 * filled per request.
	 */
	udp_len = (uint16_t)(k->len - IP_HEADER_LEN);
	k->udp_sum = inet_csum_add(0, f + IP_OFF_SRC, 4);
	k->udp_sum += IPPROTO_UDP + (uint32_t)udp_len;
	k->udp_sum = inet_csum_add(k->udp_sum, f + UDP_OFF, 2);
	k->udp_sum = inet_csum_add(k->udp_sum, f + UDP_OFF_LEN, 2);
	k->udp_sum = inet_csum_add(k->udp_sum, f + BOOTP_OFF,
				   FILLED_OFF - BOOTP_OFF);
	k->udp_sum = inet_csum_add(k->udp_sum, f + FILLED_OFF + FILLED_LEN,
				   k->len - FILLED_OFF - FILLED_LEN);
}

/**
 * dhcp_reply_cache_reset() - Forget every prepared reply
 * @c:		the cache (call it when the lease it was built from changes)
 */
void dhcp_reply_cache_reset(struct dhcp_reply_cache *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->kind); i++)
		c->kind[i].valid = false;
}

/**
 * dhcp_reply_frame() - The reply frame for a decided request
 * @c:		prepared replies of @lease (the lease must not change)
 * @req:	parsed request (every pointer argument must be valid)
 * @lease:	what this client is given
 * @action:	OFFER, ACK, NAK or INFORM_ACK
 * @dst:	dhcp_wire_reply_destination() of @req and @action
 * @buf:	output: the IPv4 packet
 * @cap:	size of @buf
 *
 * Byte for byte what dhcp_wire_build_reply() into a DHCP_MAX_PACKET buffer
 * followed by udp_frame_build() from the lease's server id to @dst gives;
 * the options are encoded only when this reply kind was never built or
 * the request's parameter list, maximum size, client id or FQDN flags
 * differ from the last ones.
 *
 * Return: the packet length, or the builder's negative errno
 */
ssize_t
dhcp_reply_frame(struct dhcp_reply_cache *c, const struct dhcp_request *req,
		 const struct dhcp_lease *lease, enum dhcp_action action,
		 const struct dhcp_destination *dst, uint8_t *buf, size_t cap)
{
	int i = dhcp_wire_reply_kind(action);
	struct dhcp_prepared *k;
	const uint8_t *x;
	uint64_t udp;
	uint32_t d;
	uint16_t sum;

	if (i < 0)
		return -EINVAL;
	k = &c->kind[i];
	/* A request of the same parse has the same shape: no compare. */
	if (!k->valid || !req->parse_serial ||
	    k->parse_serial != req->parse_serial) {
		if (!same_shape(k, req)) {
			prepare(k, req, lease, action);
			c->builds++;
		}
		k->parse_serial = req->parse_serial;
	}
	if (k->err)
		return k->err;
	if (k->len > cap)
		return -EMSGSIZE;

	memcpy(buf, k->frame, k->len);
	memcpy(buf + BOOTP_OFF_XID, &req->xid, sizeof(req->xid));
	be16_put(buf + BOOTP_OFF_FLAGS, req->flags);
	if (echoes_ciaddr(action))
		memcpy(buf + BOOTP_OFF_CIADDR, &req->ciaddr,
		       sizeof(req->ciaddr));
	memcpy(buf + BOOTP_OFF_GIADDR, &req->giaddr, sizeof(req->giaddr));
	memcpy(buf + BOOTP_OFF_CHADDR, req->chaddr, sizeof(req->chaddr));
	memcpy(buf + IP_OFF_DST, &dst->addr, sizeof(dst->addr));
	be16_put(buf + UDP_OFF_DPORT, dst->port);

	/* Both sums: the constant part plus the fields just filled. */
	d = be32_get(buf + IP_OFF_DST);
	be16_put(buf + IP_OFF_CSUM,
		 inet_csum_fold(inet_csum_fold64((uint64_t)k->ip_sum + d)));
	/* Written out: the block is 7 words and a half, every time. */
	_Static_assert(FILLED_LEN == 7 * 4 + 2, "filled block size");
	x = buf + FILLED_OFF;
	udp = (uint64_t)k->udp_sum + dst->port + d + be32_get(x) +
	      be32_get(x + 4) + be32_get(x + 8) + be32_get(x + 12) +
	      be32_get(x + 16) + be32_get(x + 20) + be32_get(x + 24) +
	      ((uint32_t)x[28] << 8 | x[29]);
	sum = inet_csum_fold(inet_csum_fold64(udp));
	be16_put(buf + UDP_OFF_CSUM, sum ? sum : 0xffff);
	return (ssize_t)k->len;
}
