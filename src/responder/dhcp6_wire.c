// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv6 (RFC 8415) from the guest: bounds-checked parsing and the decision
 * which answer, if any, a message gets. Every byte here is untrusted. */

#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "dhcp6_wire.h"

#define DHCP6_HEADER_LEN 4
#define OPT_HEADER_LEN	 4
#define IA_NA_FIXED	 12 /* IAID, T1, T2 */
#define IA_TA_FIXED	 4  /* IAID */
#define IAADDR_FIXED	 24 /* address, preferred, valid */

/*
 * Walks options in [p, p + len): calls @fn for each; -EBADMSG if an option
 * header or body runs past the end. @fn returning < 0 stops the walk.
 */
typedef int (*opt_fn)(uint16_t code, const uint8_t *body, size_t len,
		      void *ctx);

static int walk_options(const uint8_t *p, size_t len, opt_fn fn, void *ctx)
{
	while (len > 0) {
		uint16_t code, olen;
		int rc;

		if (len < OPT_HEADER_LEN)
			return -EBADMSG;
		code = be16_get(p);
		olen = be16_get(p + 2);
		if (olen > len - OPT_HEADER_LEN)
			return -EBADMSG;
		rc = fn(code, p + OPT_HEADER_LEN, olen, ctx);
		if (rc < 0)
			return rc;
		p += OPT_HEADER_LEN + olen;
		len -= OPT_HEADER_LEN + (size_t)olen;
	}
	return 0;
}

/* Bounds only: checks the nesting of options nobody reads. */
static int bounds_only(uint16_t code, const uint8_t *body, size_t len,
		       void *ctx)
{
	(void)code;
	(void)body;
	(void)len;
	(void)ctx;
	return 0;
}

/* IAADDR (5) options inside an IA_NA / IA_TA. */
static int ia_option(uint16_t code, const uint8_t *body, size_t len, void *ctx)
{
	struct dhcp6_ia *ia = ctx;

	if (code != DHCP6_OPT_IAADDR)
		return 0;
	if (len < IAADDR_FIXED)
		return -EBADMSG;
	/* Nested options of the IAADDR are checked for their bounds too. */
	if (walk_options(body + IAADDR_FIXED, len - IAADDR_FIXED, bounds_only,
			 NULL) < 0)
		return -EBADMSG;
	if (ia->n_addrs < DHCP6_MAX_IA_ADDRS)
		memcpy(&ia->addrs[ia->n_addrs++], body,
		       sizeof(struct in6_addr));
	return 0;
}

static int parse_ia(struct dhcp6_request *r, uint16_t code, const uint8_t *body,
		    size_t len)
{
	size_t fixed = code == DHCP6_OPT_IA_TA ? IA_TA_FIXED : IA_NA_FIXED;
	struct dhcp6_ia ia = {.type = code};
	int rc;

	if (len < fixed)
		return -EBADMSG;
	ia.iaid = be32_get(body);
	if (code == DHCP6_OPT_IA_PD) {
		/* Prefixes asked for are never given: only bounds matter. */
		rc = walk_options(body + fixed, len - fixed, bounds_only, NULL);
	} else {
		rc = walk_options(body + fixed, len - fixed, ia_option, &ia);
	}
	if (rc < 0)
		return rc;
	if (r->n_ia < DHCP6_MAX_IA)
		r->ia[r->n_ia++] = ia;
	return 0;
}

static int top_option(uint16_t code, const uint8_t *body, size_t len, void *ctx)
{
	struct dhcp6_request *r = ctx;

	switch (code) {
	case DHCP6_OPT_CLIENTID:
	case DHCP6_OPT_SERVERID:
		/* RFC 8415 11.1: a DUID is 2 to 130 bytes; a second copy
		 * of either is a malformed message. */
		if (len < 2 || len > DHCP6_DUID_MAX + 2)
			return -EBADMSG;
		if (code == DHCP6_OPT_CLIENTID) {
			if (r->client_id)
				return -EBADMSG;
			r->client_id = body;
			r->client_id_len = len;
		} else {
			if (r->server_id)
				return -EBADMSG;
			r->server_id = body;
			r->server_id_len = len;
		}
		return 0;
	case DHCP6_OPT_IA_NA:
	case DHCP6_OPT_IA_TA:
	case DHCP6_OPT_IA_PD:
		return parse_ia(r, code, body, len);
	case DHCP6_OPT_RAPID_COMMIT:
		if (len != 0)
			return -EBADMSG;
		r->rapid_commit = true;
		return 0;
	case DHCP6_OPT_CLIENT_FQDN:
		r->sent_fqdn = true;
		return 0;
	default:
		return 0;
	}
}

/**
 * dhcp6_wire_parse() - Read a client message
 * @msg:	the UDP payload, untrusted
 * @len:	its length
 * @ret:	what it says; ids point into @msg
 *
 * Relay messages are not parsed (the VM is the only client, on the link).
 * An option running past the end of the message or of its IA, a DUID of
 * an impossible length, or a duplicate Client or Server ID makes the whole
 * message malformed.
 *
 * Return: 0, or -EBADMSG
 */
int dhcp6_wire_parse(const uint8_t *msg, size_t len, struct dhcp6_request *ret)
{
	struct dhcp6_request r;
	int rc;

	if (!msg || len < DHCP6_HEADER_LEN)
		return -EBADMSG;
	memset(&r, 0, sizeof(r));
	r.type = msg[0];
	memcpy(r.xid, msg + 1, sizeof(r.xid));
	rc = walk_options(msg + DHCP6_HEADER_LEN, len - DHCP6_HEADER_LEN,
			  top_option, &r);
	if (rc < 0)
		return rc;
	*ret = r;
	return 0;
}

static bool is_our_server_id(const struct dhcp6_request *r,
			     const struct lease6 *l)
{
	return r->server_id && r->server_id_len == sizeof(l->duid) &&
	       memcmp(r->server_id, l->duid, sizeof(l->duid)) == 0;
}

/* Does any IA_NA/IA_TA of @r name an address that is not the pod's? */
static bool names_foreign(const struct dhcp6_request *r, const struct lease6 *l,
			  bool on_link_ok, size_t *ret_named)
{
	size_t named = 0;
	bool foreign = false;

	for (size_t i = 0; i < r->n_ia; i++) {
		const struct dhcp6_ia *ia = &r->ia[i];

		if (ia->type == DHCP6_OPT_IA_PD)
			continue;
		for (size_t j = 0; j < ia->n_addrs; j++) {
			named++;
			if (on_link_ok ? !lease6_on_link(l, &ia->addrs[j])
				       : !lease6_has_addr(l, &ia->addrs[j]))
				foreign = true;
		}
	}
	if (ret_named)
		*ret_named = named;
	return foreign;
}

/* Only the first IA_NA is checked for REQUEST: the others get none. */
static bool first_ia_na_foreign(const struct dhcp6_request *r,
				const struct lease6 *l)
{
	for (size_t i = 0; i < r->n_ia; i++) {
		const struct dhcp6_ia *ia = &r->ia[i];

		if (ia->type != DHCP6_OPT_IA_NA)
			continue;
		for (size_t j = 0; j < ia->n_addrs; j++)
			if (!lease6_has_addr(l, &ia->addrs[j]))
				return true;
		return false;
	}
	return false;
}

/**
 * dhcp6_wire_decide() - Which answer a parsed message gets (RFC 8415 16)
 * @req:	the client's message
 * @lease:	what the VM is given
 * @ret_why:	for IGNORE, a reason for the log (or NULL); may be NULL
 *
 * No Client ID: ignored (Information-request excepted, RFC 8415 16.12).
 * SOLICIT, CONFIRM, REBIND with a Server ID: ignored (16.2, 16.5, 16.7).
 * REQUEST, RENEW, RELEASE, DECLINE without our Server ID: ignored (16.4,
 * 16.6, 16.8, 16.9). INFORMATION-REQUEST with another server's ID: ignored.
 * CONFIRM naming no address: ignored (18.3.3).
 *
 * Return: the action
 */
enum dhcp6_action dhcp6_wire_decide(const struct dhcp6_request *req,
				    const struct lease6 *lease,
				    const char **ret_why)
{
	const char *why = NULL;
	enum dhcp6_action a = DHCP6_ACTION_IGNORE;
	size_t named = 0;

	if (!req->client_id && req->type != DHCP6_INFORMATION_REQUEST) {
		why = "no Client ID";
		goto out;
	}
	switch (req->type) {
	case DHCP6_SOLICIT:
		if (req->server_id)
			why = "Solicit with a Server ID";
		else
			a = DHCP6_ACTION_ADVERTISE;
		break;
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		if (!is_our_server_id(req, lease)) {
			why = req->server_id ? "another server's ID"
					     : "no Server ID";
			break;
		}
		if (req->type == DHCP6_RELEASE)
			a = DHCP6_ACTION_RELEASED;
		else if (req->type == DHCP6_DECLINE)
			a = DHCP6_ACTION_DECLINED;
		else if (req->type == DHCP6_REQUEST &&
			 first_ia_na_foreign(req, lease))
			a = DHCP6_ACTION_REPLY_NOTONLINK;
		else
			a = DHCP6_ACTION_REPLY;
		break;
	case DHCP6_REBIND:
		if (req->server_id)
			why = "Rebind with a Server ID";
		else
			a = DHCP6_ACTION_REPLY;
		break;
	case DHCP6_CONFIRM: {
		bool foreign;

		if (req->server_id) {
			why = "Confirm with a Server ID";
			break;
		}
		foreign = names_foreign(req, lease, true, &named);
		if (named == 0)
			why = "Confirm naming no address";
		else
			a = foreign ? DHCP6_ACTION_CONFIRM_NOTONLINK
				    : DHCP6_ACTION_CONFIRM_OK;
		break;
	}
	case DHCP6_INFORMATION_REQUEST:
		if (req->server_id && !is_our_server_id(req, lease))
			why = "another server's ID";
		else
			a = DHCP6_ACTION_INFO;
		break;
	default:
		why = "not a client message the server answers";
		break;
	}
out:
	if (ret_why)
		*ret_why = why;
	return a;
}

/**
 * dhcp6_wire_msg_name() - The RFC 8415 name of a message type, for logs
 * @type:	message type
 *
 * Return: a static string
 */
const char *dhcp6_wire_msg_name(uint8_t type)
{
	static const char *const names[] = {
		[DHCP6_SOLICIT] = "SOLICIT",
		[DHCP6_ADVERTISE] = "ADVERTISE",
		[DHCP6_REQUEST] = "REQUEST",
		[DHCP6_CONFIRM] = "CONFIRM",
		[DHCP6_RENEW] = "RENEW",
		[DHCP6_REBIND] = "REBIND",
		[DHCP6_REPLY] = "REPLY",
		[DHCP6_RELEASE] = "RELEASE",
		[DHCP6_DECLINE] = "DECLINE",
		[10] = "RECONFIGURE",
		[DHCP6_INFORMATION_REQUEST] = "INFORMATION-REQUEST",
		[12] = "RELAY-FORW",
		[13] = "RELAY-REPL",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type]
						       : "unknown";
}

/**
 * dhcp6_wire_action_name() - What the server does, for logs
 * @a:	the action
 *
 * Return: a static string
 */
const char *dhcp6_wire_action_name(enum dhcp6_action a)
{
	switch (a) {
	case DHCP6_ACTION_ADVERTISE:
		return "ADVERTISE";
	case DHCP6_ACTION_REPLY:
		return "REPLY";
	case DHCP6_ACTION_REPLY_NOTONLINK:
		return "REPLY (NotOnLink)";
	case DHCP6_ACTION_CONFIRM_OK:
		return "REPLY (Confirm: Success)";
	case DHCP6_ACTION_CONFIRM_NOTONLINK:
		return "REPLY (Confirm: NotOnLink)";
	case DHCP6_ACTION_INFO:
		return "REPLY (Information)";
	case DHCP6_ACTION_RELEASED:
		return "REPLY (Release)";
	case DHCP6_ACTION_DECLINED:
		return "REPLY (Decline)";
	case DHCP6_ACTION_IGNORE:
		break;
	}
	return "nothing";
}
