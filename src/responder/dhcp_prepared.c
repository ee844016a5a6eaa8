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

#include "dhcp_prepared.h"

/* Offsets in the frame: IPv4 header, UDP header, BOOTP message. */
#define IP_OFF_CSUM   10
#define IP_OFF_SRC    12
#define IP_OFF_DST    16
#define IP_HEADER_LEN 20
#define UDP_OFF	      IP_HEADER_LEN
#define UDP_OFF_DPORT (UDP_OFF + 2)
#define UDP_OFF_CSUM  (UDP_OFF + 6)
#define BOOTP_OFF     UDP_FRAME_HEADER_LEN
/* The request's fields in the reply (RFC 2131 figure 1). */
#define BOOTP_OFF_XID	 (BOOTP_OFF + 4)
#define BOOTP_OFF_FLAGS	 (BOOTP_OFF + 10)
#define BOOTP_OFF_CIADDR (BOOTP_OFF + 12)
#define BOOTP_OFF_GIADDR (BOOTP_OFF + 24) /* chaddr follows at + 28 */

/* Each filled field starts at an even offset of the UDP segment. */
_Static_assert((BOOTP_OFF_XID - UDP_OFF) % 2 == 0 &&
		       (BOOTP_OFF_FLAGS - UDP_OFF) % 2 == 0 &&
		       (BOOTP_OFF_CIADDR - UDP_OFF) % 2 == 0 &&
		       (BOOTP_OFF_GIADDR - UDP_OFF) % 2 == 0,
	       "checksum words line up");

static int kind_index(enum dhcp_action action)
{
	switch (action) {
	case DHCP_ACTION_OFFER:
		return 0;
	case DHCP_ACTION_ACK:
		return 1;
	case DHCP_ACTION_NAK:
		return 2;
	case DHCP_ACTION_INFORM_ACK:
		return 3;
	default:
		return -1;
	}
}

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
	return k->valid && k->limit == dhcp_wire_reply_max(req) &&
	       k->n_params == req->n_params &&
	       k->client_id_len == req->client_id_len &&
	       k->has_fqdn == req->has_fqdn && k->fqdn_e == fqdn_e(req) &&
	       memcmp(k->params, req->params, req->n_params) == 0 &&
	       memcmp(k->client_id, req->client_id, req->client_id_len) == 0;
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
	k->limit = dhcp_wire_reply_max(req);
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
	/* The IPv4 header but its checksum; the destination is 0 here. */
	k->ip_sum = udp_frame_csum_add(0, f, IP_OFF_CSUM);
	k->ip_sum = udp_frame_csum_add(k->ip_sum, f + IP_OFF_SRC,
				       IP_HEADER_LEN - IP_OFF_SRC);
	/* RFC 768 pseudo-header, the UDP header but its checksum, payload. */
	udp_len = (uint16_t)(k->len - IP_HEADER_LEN);
	k->udp_sum = udp_frame_csum_add(0, f + IP_OFF_SRC, 8);
	k->udp_sum += IPPROTO_UDP + (uint32_t)udp_len;
	k->udp_sum = udp_frame_csum_add(k->udp_sum, f + UDP_OFF,
					UDP_OFF_CSUM - UDP_OFF);
	k->udp_sum = udp_frame_csum_add(k->udp_sum, f + UDP_OFF_CSUM + 2,
					k->len - UDP_OFF_CSUM - 2);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, sizeof(v));
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
 * @req:	parsed request
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
	int i = kind_index(action);
	struct dhcp_prepared *k;
	uint32_t ip, udp;
	uint16_t sum;

	if (i < 0 || !req || !lease || !dst || !buf)
		return -EINVAL;
	k = &c->kind[i];
	if (!same_shape(k, req)) {
		prepare(k, req, lease, action);
		c->builds++;
	}
	if (k->err)
		return k->err;
	if (k->len > cap)
		return -EMSGSIZE;

	memcpy(buf, k->frame, k->len);
	memcpy(buf + BOOTP_OFF_XID, &req->xid, sizeof(req->xid));
	put_be16(buf + BOOTP_OFF_FLAGS, req->flags);
	if (echoes_ciaddr(action))
		memcpy(buf + BOOTP_OFF_CIADDR, &req->ciaddr,
		       sizeof(req->ciaddr));
	memcpy(buf + BOOTP_OFF_GIADDR, &req->giaddr, sizeof(req->giaddr));
	memcpy(buf + BOOTP_OFF_GIADDR + 4, req->chaddr, sizeof(req->chaddr));
	memcpy(buf + IP_OFF_DST, &dst->addr, sizeof(dst->addr));
	put_be16(buf + UDP_OFF_DPORT, dst->port);

	/* Both sums: the constant part plus the fields just filled. */
	ip = udp_frame_csum_add(k->ip_sum, buf + IP_OFF_DST, 4);
	put_be16(buf + IP_OFF_CSUM, udp_frame_csum_fold(ip));
	udp = k->udp_sum + dst->port + req->flags;
	udp = udp_frame_csum_add(udp, buf + IP_OFF_DST, 4);
	udp = udp_frame_csum_add(udp, buf + BOOTP_OFF_XID, 4);
	udp = udp_frame_csum_add(udp, buf + BOOTP_OFF_CIADDR, 4);
	udp = udp_frame_csum_add(udp, buf + BOOTP_OFF_GIADDR,
				 4 + sizeof(req->chaddr));
	sum = udp_frame_csum_fold(udp);
	put_be16(buf + UDP_OFF_CSUM, sum ? sum : 0xffff);
	return (ssize_t)k->len;
}
