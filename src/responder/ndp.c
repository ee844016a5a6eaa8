// SPDX-License-Identifier: GPL-2.0-or-later
/* Neighbour Discovery with the VM: Router Solicitations and Neighbour
 * Solicitations are read (bounds-checked: every byte is the guest's), and
 * Router Advertisements built that make the guest ask DHCPv6 for exactly
 * the pod's addresses (M=1, O=1, no prefix with A=1) and route where the pod
 * did. */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "dhcp_wire_internal.h"
#include "dns_name.h"
#include "ndp.h"

#define RS_LEN	  8
#define NS_LEN	  24
#define RA_LEN	  16
#define RA_FLAG_M 0x80
#define RA_FLAG_O 0x40
/* The guest's hop limit for its own packets (RFC 4861 6.2.1 CurHopLimit). */
#define RA_CUR_HOP_LIMIT 64

#define OPT_PIO	   3
#define OPT_MTU	   5
#define OPT_RIO	   24
#define OPT_RDNSS  25
#define OPT_DNSSL  31
#define PIO_FLAG_L 0x80

/**
 * ndp_parse() - Read an RS or NS (RFC 4861 6.1.1, 7.1.1 validity checks)
 * @v:		the ICMPv6 message (ip6_frame_parse(): checksum verified)
 * @ret:	its contents
 *
 * Hop limit 255 (so it was not forwarded), code 0, the fixed part present,
 * every option with a non-zero length that ends inside the message, and no
 * source link-layer option when the source is the unspecified address.
 *
 * Return: 0, -EBADMSG if invalid, -ENOMSG if not an RS or NS
 */
int ndp_parse(const struct ip6_view *v, struct ndp_msg *ret)
{
	struct ndp_msg m = {0};
	const uint8_t *p = v->payload;
	size_t fixed, left;

	if (v->next != IPPROTO_ICMPV6 || v->payload_len < 4)
		return -EBADMSG;
	m.type = p[0];
	if (m.type == NDP_RS)
		fixed = RS_LEN;
	else if (m.type == NDP_NS)
		fixed = NS_LEN;
	else
		return -ENOMSG;
	if (v->hop_limit != NDP_HOP_LIMIT || p[1] != 0 ||
	    v->payload_len < fixed)
		return -EBADMSG;
	if (m.type == NDP_NS) {
		memcpy(&m.target, p + 8, sizeof(m.target));
		if (IN6_IS_ADDR_MULTICAST(&m.target))
			return -EBADMSG;
	}
	p += fixed;
	left = v->payload_len - fixed;
	while (left > 0) {
		size_t olen;

		if (left < 2 || p[1] == 0)
			return -EBADMSG;
		olen = (size_t)p[1] * 8;
		if (olen > left)
			return -EBADMSG;
		if (p[0] == NDP_OPT_SLLA && olen >= 2 + MAC_LEN) {
			m.has_slla = true;
			memcpy(m.slla, p + 2, MAC_LEN);
		}
		p += olen;
		left -= olen;
	}
	if (m.has_slla && IN6_IS_ADDR_UNSPECIFIED(&v->src))
		return -EBADMSG;
	*ret = m;
	return 0;
}

/**
 * ndp_ra_source() - The RA's source: the guest's default router
 * @l:	the lease
 *
 * router_ll when the pod has a default route (a link-local the real next
 * hop answers the guest's NUD for), else the bridge's EUI-64 link-local,
 * with router lifetime 0 so the guest makes no default route of it.
 *
 * Return: the address
 */
const struct in6_addr *ndp_ra_source(const struct lease6 *l)
{
	return IN6_IS_ADDR_UNSPECIFIED(&l->router_ll) ? &l->server_ll
						      : &l->router_ll;
}

static void put_pio(struct wr *w, const struct lease6_prefix *p)
{
	wr_u8(w, OPT_PIO);
	wr_u8(w, 4);
	wr_u8(w, p->len);
	/* L=1: on-link. A=0: no SLAAC, the address comes from DHCPv6. */
	wr_u8(w, PIO_FLAG_L);
	wr_be32(w, LEASE6_INFINITE);
	wr_be32(w, LEASE6_INFINITE);
	wr_be32(w, 0);
	wr_put(w, &p->prefix, sizeof(p->prefix));
}

/* RFC 4191 2.3: 8, 16 or 24 bytes as the prefix needs 0, 8 or 16. */
static void put_rio(struct wr *w, const struct lease6_route *r)
{
	uint8_t units = r->len == 0 ? 1 : r->len <= 64 ? 2 : 3;

	wr_u8(w, OPT_RIO);
	wr_u8(w, units);
	wr_u8(w, r->len);
	wr_u8(w, (uint8_t)((r->pref & 3) << 3));
	wr_be32(w, LEASE6_INFINITE);
	wr_put(w, &r->dst, (size_t)(units - 1) * 8);
}

/* Each optional option in whole or not at all (the 1280-byte cap). */
static void try_rdnss(struct wr *w, const struct lease6 *l)
{
	struct wr save = *w;

	if (l->n_dns == 0)
		return;
	wr_u8(w, OPT_RDNSS);
	wr_u8(w, (uint8_t)(1 + 2 * l->n_dns));
	wr_be16(w, 0);
	wr_be32(w, LEASE6_INFINITE);
	for (size_t i = 0; i < l->n_dns; i++)
		wr_put(w, &l->dns[i], sizeof(l->dns[i]));
	if (w->err)
		*w = save;
}

static void try_dnssl(struct wr *w, const struct lease6 *l)
{
	struct wr save = *w;
	size_t at = wr_len(w), len;

	if (l->n_search == 0)
		return;
	wr_u8(w, OPT_DNSSL);
	wr_u8(w, 0);
	wr_be16(w, 0);
	wr_be32(w, LEASE6_INFINITE);
	for (size_t i = 0; i < l->n_search && !w->err; i++)
		if (dns_name_put(w, l->search[i], sizeof(l->search[i]), false,
				 true) < 0 &&
		    !w->err)
			w->err = -EINVAL;
	/* RFC 8106 5.2: padded with zeros to a multiple of 8 bytes. */
	len = wr_len(w) - at;
	if (len % 8)
		wr_zero(w, 8 - len % 8);
	len = wr_len(w) - at;
	if (w->err || len / 8 > UINT8_MAX) {
		*w = save;
		return;
	}
	w->base[at + 1] = (uint8_t)(len / 8);
}

/**
 * ndp_build_ra() - A Router Advertisement frame for the VM
 * @l:		the lease
 * @dst:	IPv6 destination: the RS's source, or ff02::1 (unsolicited)
 * @buf:	output, from the Ethernet header on
 * @cap:	its size
 *
 * Ethernet destination: always the VM's MAC, so that no RA ever reaches
 * the node even when the bridge would flood a multicast. M=1 and O=1, the
 * router lifetime of the lease (> 0 iff the pod has a default route), SLLA
 * = the real router's MAC (the guest's NUD then goes to it), MTU, a PIO
 * with L=1 A=0 per on-link prefix, RIOs for the pod's other routes, RDNSS
 * and DNSSL; at most 1280 bytes of IPv6 packet (the optional options are
 * left out in whole when they do not fit).
 *
 * Return: frame length, or -EMSGSIZE
 */
ssize_t ndp_build_ra(const struct lease6 *l, const struct in6_addr *dst,
		     uint8_t *buf, size_t cap)
{
	uint8_t msg[IP6_MIN_MTU - IP6_HEADER_LEN];
	struct wr w;

	wr_init(&w, msg, sizeof(msg));
	wr_u8(&w, NDP_RA);
	wr_u8(&w, 0);
	wr_be16(&w, 0); /* checksum: ip6_frame_build_icmp6() */
	wr_u8(&w, RA_CUR_HOP_LIMIT);
	wr_u8(&w, RA_FLAG_M | RA_FLAG_O);
	wr_be16(&w, l->router_lifetime);
	wr_be32(&w, 0); /* reachable time: the guest's own */
	wr_be32(&w, 0); /* retrans timer: the guest's own */
	if (IN6_IS_ADDR_UNSPECIFIED(&l->router_ll) || l->has_router_mac) {
		wr_u8(&w, NDP_OPT_SLLA);
		wr_u8(&w, 1);
		wr_put(&w,
		       IN6_IS_ADDR_UNSPECIFIED(&l->router_ll) ? l->server_mac
							      : l->router_mac,
		       MAC_LEN);
	}
	if (l->mtu) {
		wr_u8(&w, OPT_MTU);
		wr_u8(&w, 1);
		wr_be16(&w, 0);
		wr_be32(&w, l->mtu);
	}
	for (size_t i = 0; i < l->n_prefixes; i++)
		put_pio(&w, &l->prefixes[i]);
	if (w.err)
		return w.err;
	try_rdnss(&w, l);
	try_dnssl(&w, l);
	for (size_t i = 0; i < l->n_routes; i++) {
		struct wr save = w;

		put_rio(&w, &l->routes[i]);
		if (w.err) {
			w = save;
			break;
		}
	}
	return ip6_frame_build_icmp6(buf, cap, l->client_mac, l->server_mac,
				     ndp_ra_source(l), dst, NDP_HOP_LIMIT, msg,
				     wr_len(&w));
}
