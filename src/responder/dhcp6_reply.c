// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv6 (RFC 8415) answers to the guest: ADVERTISE and REPLY with the pod's
 * addresses, its name servers, search list and host name. Pure: no I/O. */

#include <errno.h>
#include <string.h>

#include "dhcp6_wire.h"
#include "dhcp_wire_internal.h"
#include "dns_name.h"
#include "ip6_frame.h"

/* RFC 8415 7.6 / 21.8: a server's preference of 255 ends the client's wait
 * for other advertisements. */
#define DHCP6_PREFERENCE_MAX 255
/* The reply fits the IPv6 minimum MTU with its IPv6 and UDP headers. */
#define DHCP6_REPLY_MAX (IP6_MIN_MTU - IP6_HEADER_LEN - IP6_UDP_HEADER_LEN)
/* RFC 4704 4.1: N=1, the server does no DNS updates for the client. */
#define FQDN_FLAG_N 0x04

/* An option's header; its length is patched by opt_end(). */
static size_t opt_begin(struct wr *w, uint16_t code)
{
	size_t at = wr_len(w);

	wr_be16(w, code);
	wr_be16(w, 0);
	return at;
}

static void opt_end(struct wr *w, size_t at)
{
	size_t len = wr_len(w) - at - 4;

	if (w->err)
		return;
	if (len > UINT16_MAX) {
		w->err = -EMSGSIZE;
		return;
	}
	w->base[at + 2] = (uint8_t)(len >> 8);
	w->base[at + 3] = (uint8_t)len;
}

static void put_status(struct wr *w, uint16_t status, const char *text)
{
	size_t at = opt_begin(w, DHCP6_OPT_STATUS_CODE);

	wr_be16(w, status);
	wr_put(w, text, strlen(text));
	opt_end(w, at);
}

static void put_iaaddr(struct wr *w, const struct in6_addr *a, uint32_t lft)
{
	size_t at = opt_begin(w, DHCP6_OPT_IAADDR);

	wr_put(w, a, sizeof(*a));
	wr_be32(w, lft); /* preferred */
	wr_be32(w, lft); /* valid */
	opt_end(w, at);
}

/* The IA that holds the pod's addresses (RFC 8415 21.4). */
static void put_ia_with_addrs(struct wr *w, const struct dhcp6_ia *ia,
			      const struct lease6 *l, bool zero_foreign)
{
	size_t at = opt_begin(w, DHCP6_OPT_IA_NA);

	wr_be32(w, ia->iaid);
	/* Infinite lifetimes: the client never needs to renew. */
	wr_be32(w, LEASE6_INFINITE);
	wr_be32(w, LEASE6_INFINITE);
	for (size_t i = 0; i < l->n_addrs; i++)
		put_iaaddr(w, &l->addrs[i], LEASE6_INFINITE);
	/* RENEW/REBIND naming an address that is not the pod's: it goes
	 * back with lifetimes 0 (RFC 8415 18.3.4, 18.3.5). */
	for (size_t i = 0; zero_foreign && i < ia->n_addrs; i++)
		if (!lease6_has_addr(l, &ia->addrs[i]))
			put_iaaddr(w, &ia->addrs[i], 0);
	if (l->n_addrs == 0)
		put_status(w, DHCP6_STATUS_NOADDRSAVAIL, "no addresses");
	opt_end(w, at);
}

/* An IA that gets nothing but a status code. */
static void put_ia_status(struct wr *w, const struct dhcp6_ia *ia,
			  uint16_t status, const char *text)
{
	size_t at = opt_begin(w, ia->type);

	wr_be32(w, ia->iaid);
	if (ia->type != DHCP6_OPT_IA_TA) {
		wr_be32(w, 0);
		wr_be32(w, 0);
	}
	put_status(w, status, text);
	opt_end(w, at);
}

/* Every IA of the request, answered (RFC 8415 18.3.1, 18.3.2). */
static void put_ias(struct wr *w, const struct dhcp6_request *req,
		    const struct lease6 *l, enum dhcp6_action action)
{
	bool first_na = true, any_na = false;

	for (size_t i = 0; i < req->n_ia; i++) {
		const struct dhcp6_ia *ia = &req->ia[i];

		if (ia->type == DHCP6_OPT_IA_PD) {
			put_ia_status(w, ia, DHCP6_STATUS_NOPREFIXAVAIL,
				      "no prefixes delegated");
		} else if (ia->type == DHCP6_OPT_IA_TA || !first_na) {
			put_ia_status(w, ia, DHCP6_STATUS_NOADDRSAVAIL,
				      "the pod's addresses are in one IA_NA");
		} else if (action == DHCP6_ACTION_REPLY_NOTONLINK) {
			/* Inside the IA: ISC dhclient takes a Reply that
			 * lacks its address as NoAddrsAvail and retries. */
			put_ia_status(w, ia, DHCP6_STATUS_NOTONLINK,
				      "not the pod's address");
			first_na = false;
			any_na = true;
		} else {
			put_ia_with_addrs(w, ia, l,
					  req->type == DHCP6_RENEW ||
						  req->type == DHCP6_REBIND);
			first_na = false;
			any_na = true;
		}
	}
	/* RFC 8415 18.3.9: an Advertise that assigns nothing says so. */
	if (!any_na && req->type == DHCP6_SOLICIT)
		put_status(w, DHCP6_STATUS_NOADDRSAVAIL,
			   "ask for an IA_NA: the pod's addresses");
}

/*
 * The optional options: each goes in whole or not at all, so that a long
 * search list cannot push the reply past the minimum MTU.
 */
static void try_dns(struct wr *w, const struct lease6 *l)
{
	struct wr save = *w;
	size_t at;

	if (l->n_dns == 0)
		return;
	at = opt_begin(w, DHCP6_OPT_DNS_SERVERS);
	for (size_t i = 0; i < l->n_dns; i++)
		wr_put(w, &l->dns[i], sizeof(l->dns[i]));
	opt_end(w, at);
	if (w->err)
		*w = save;
}

static void try_domains(struct wr *w, const struct lease6 *l)
{
	struct wr save = *w;
	size_t at;

	if (l->n_search == 0)
		return;
	at = opt_begin(w, DHCP6_OPT_DOMAIN_LIST);
	/* RFC 8415 10: uncompressed names, each with its root label. */
	for (size_t i = 0; i < l->n_search && !w->err; i++)
		if (dns_name_put(w, l->search[i], sizeof(l->search[i]), false,
				 true) < 0 &&
		    !w->err)
			w->err = -EINVAL;
	opt_end(w, at);
	if (w->err)
		*w = save;
}

static void try_fqdn(struct wr *w, const struct lease6 *l)
{
	struct wr save = *w;
	size_t at;

	if (!l->hostname[0])
		return;
	at = opt_begin(w, DHCP6_OPT_CLIENT_FQDN);
	wr_u8(w, FQDN_FLAG_N);
	/* A partial name (no root label): the guest's host name. */
	if (dns_name_put(w, l->hostname, sizeof(l->hostname), false, false) <
		    0 &&
	    !w->err)
		w->err = -EINVAL;
	opt_end(w, at);
	if (w->err)
		*w = save;
}

/**
 * dhcp6_reply_build() - The ADVERTISE or REPLY for a decided action
 * @req:	the client's message (dhcp6_wire_parse())
 * @lease:	what the VM is given
 * @action:	from dhcp6_wire_decide(), not IGNORE
 * @buf:	output: the UDP payload
 * @cap:	size of @buf (the reply never exceeds 1232 bytes: 1280 with
 *		the IPv6 and UDP headers)
 *
 * Every reply carries our Server ID and the client's Client ID. A SOLICIT
 * with Rapid Commit gets a REPLY with Rapid Commit (RFC 8415 18.3.1); an
 * ADVERTISE carries Preference 255. The first IA_NA holds the pod's
 * addresses with infinite lifetimes, any other IA_NA or IA_TA gets
 * NoAddrsAvail, an IA_PD NoPrefixAvail. Name servers (23), the search list
 * (24) and the host name (39) go in where there is room.
 *
 * Return: payload length, -EINVAL for IGNORE, -EMSGSIZE if even the
 * mandatory part does not fit
 */
ssize_t dhcp6_reply_build(const struct dhcp6_request *req,
			  const struct lease6 *lease, enum dhcp6_action action,
			  uint8_t *buf, size_t cap)
{
	bool rapid = action == DHCP6_ACTION_ADVERTISE && req->rapid_commit;
	struct wr w;
	size_t at;

	if (action == DHCP6_ACTION_IGNORE)
		return -EINVAL;
	wr_init(&w, buf, cap < DHCP6_REPLY_MAX ? cap : DHCP6_REPLY_MAX);
	wr_u8(&w, action == DHCP6_ACTION_ADVERTISE && !rapid ? DHCP6_ADVERTISE
							     : DHCP6_REPLY);
	wr_put(&w, req->xid, sizeof(req->xid));
	at = opt_begin(&w, DHCP6_OPT_SERVERID);
	wr_put(&w, lease->duid, sizeof(lease->duid));
	opt_end(&w, at);
	if (req->client_id) {
		at = opt_begin(&w, DHCP6_OPT_CLIENTID);
		wr_put(&w, req->client_id, req->client_id_len);
		opt_end(&w, at);
	}
	switch (action) {
	case DHCP6_ACTION_ADVERTISE:
		if (rapid) {
			wr_be16(&w, DHCP6_OPT_RAPID_COMMIT);
			wr_be16(&w, 0);
		} else {
			at = opt_begin(&w, DHCP6_OPT_PREFERENCE);
			wr_u8(&w, DHCP6_PREFERENCE_MAX);
			opt_end(&w, at);
		}
		put_ias(&w, req, lease, action);
		break;
	case DHCP6_ACTION_REPLY:
	case DHCP6_ACTION_REPLY_NOTONLINK:
		put_ias(&w, req, lease, action);
		break;
	case DHCP6_ACTION_CONFIRM_OK:
		put_status(&w, DHCP6_STATUS_SUCCESS, "on link");
		break;
	case DHCP6_ACTION_CONFIRM_NOTONLINK:
		put_status(&w, DHCP6_STATUS_NOTONLINK,
			   "not the pod's addresses");
		break;
	case DHCP6_ACTION_RELEASED:
	case DHCP6_ACTION_DECLINED:
		put_status(&w, DHCP6_STATUS_SUCCESS, "noted");
		break;
	case DHCP6_ACTION_INFO:
	case DHCP6_ACTION_IGNORE:
		break;
	}
	if (w.err)
		return w.err;
	if (action == DHCP6_ACTION_ADVERTISE || action == DHCP6_ACTION_REPLY ||
	    action == DHCP6_ACTION_INFO) {
		try_dns(&w, lease);
		try_domains(&w, lease);
		try_fqdn(&w, lease);
	}
	return w.err ? w.err : (ssize_t)wr_len(&w);
}
