// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest filter of one tagged interface (guest_filter_rules.c says what
 * it allows) in the pod's namespace: one nftables table of the bridge family
 * per bridge, "podnet-BRIDGE", made in one transaction at prepare before the
 * VM's tap can exist, deleted at release. The table's comment names the
 * domain: release deletes only a table that says it is this domain's, and
 * prepare never takes over a table of that name (the transaction fails).
 */
#include <errno.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fault.h"
#include "guest_filter.h"
#include "nft_encode.h"
#include "nft_sock.h"

/* The transaction of a table with every limit of nft_ir.h reached fits. */
#define GUEST_FILTER_BATCH_MAX ((size_t)256 * 1024)

static void table_name(const struct state_iface *s, char ret[NFT_IR_NAME_MAX])
{
	(void)snprintf(ret, NFT_IR_NAME_MAX, "podnet-%s", s->bridge);
}

static void owner_comment(const char *uuid, char ret[NFT_IR_COMMENT_MAX])
{
	(void)snprintf(ret, NFT_IR_COMMENT_MAX, "podnet domain %s", uuid);
}

static void add_router(struct guest_filter_spec *spec, const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a) || !IN6_IS_ADDR_LINKLOCAL(a))
		return;
	for (size_t i = 0; i < spec->n_routers; i++)
		if (IN6_ARE_ADDR_EQUAL(&spec->routers[i], a))
			return;
	if (spec->n_routers < ARRAY_SIZE(spec->routers))
		spec->routers[spec->n_routers++] = *a;
}

/**
 * guest_filter_spec_from() - What the filter of @s is made of
 * @uuid:	the domain (named in the table's comment)
 * @s:		the interface as recorded
 * @ret:	the VM's MAC, the pod's addresses, the routers' link-locals
 *		(the IPv6 router podnet answers for and every link-local
 *		gateway of the pod's routes)
 */
void guest_filter_spec_from(const char *uuid, const struct state_iface *s,
			    struct guest_filter_spec *ret)
{
	const struct pod_addr *a;
	const struct pod_route *r;

	memset(ret, 0, sizeof(*ret));
	table_name(s, ret->table);
	owner_comment(uuid, ret->comment);
	(void)snprintf(ret->pod_iface, sizeof(ret->pod_iface), "%s",
		       s->orig.name);
	memcpy(ret->vm_mac, s->vm_mac, MAC_LEN);
	ret->l2_only = s->dhcp.no_dhcp;
	pod_for_each (a, s->orig.addrs, s->orig.n_addrs, AF_UNSPEC) {
		if (a->family == AF_INET && ret->n_v4 < ARRAY_SIZE(ret->v4))
			ret->v4[ret->n_v4++] = a->local.v4.a4;
		else if (a->family == AF_INET6 &&
			 ret->n_v6 < ARRAY_SIZE(ret->v6))
			ret->v6[ret->n_v6++] = a->local.a6;
	}
	add_router(ret, &s->orig.v6.router_ll);
	pod_for_each (r, s->orig.routes, s->orig.n_routes, AF_INET6)
		add_router(ret, &r->gateway.a6);
}

static int fail(char *err, size_t err_len, const struct state_iface *s,
		const char *table, int rc)
{
	if (rc == -EEXIST)
		errmsg_set(
			err, err_len,
			"interface '%s': nftables table 'bridge %s' exists and podnet did not make it; delete it or choose another <source bridge>",
			s->orig.name, table);
	else
		errmsg_set(
			err, err_len,
			"interface '%s': cannot set up the guest filter (nftables table 'bridge %s'): %s; guest-filter=\"off\" on the tag goes without it",
			s->orig.name, table, strerror(-rc));
	return rc;
}

/**
 * guest_filter_add() - Make the guest filter of @s, in one transaction
 * @uuid:	the domain
 * @s:		the interface (its bridge exists; the VM's tap may not yet)
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Nothing when the tag turned the filter off. On failure nothing of it is
 * left: the kernel applies the transaction whole or not at all.
 *
 * Return: 0, or a negative errno with @err set
 */
int guest_filter_add(const char *uuid, const struct state_iface *s, char *err,
		     size_t err_len)
{
	struct guest_filter_spec spec;
	struct nft_ir_table *t;
	struct nft_msg m = {0};
	int rc;

	if (s->guest_filter_off)
		return 0;
	rc = fault_point("guest filter", err, err_len);
	if (rc < 0)
		return rc;
	guest_filter_spec_from(uuid, s, &spec);
	t = malloc(sizeof(*t));
	m.buf = malloc(GUEST_FILTER_BATCH_MAX);
	m.cap = GUEST_FILTER_BATCH_MAX;
	rc = t && m.buf ? guest_filter_rules_build(&spec, t) : -ENOMEM;
	if (rc == 0) {
		nft_encode_create(t, &m);
		rc = nft_sock_transact(&m);
	}
	free(m.buf);
	free(t);
	return rc < 0 ? fail(err, err_len, s, spec.table, rc) : 0;
}

/* 1: the table is there and says it is @uuid's; 0: it is not there; -EPERM:
 * someone else's; else a negative errno. */
static int ours(const char *uuid, const char *table)
{
	uint8_t have[NFT_ENCODE_UDATA_MAX], want[NFT_ENCODE_UDATA_MAX];
	char comment[NFT_IR_COMMENT_MAX];
	size_t have_len = 0, want_len;
	int rc = nft_sock_table_udata(NFPROTO_BRIDGE, table, have, sizeof(have),
				      &have_len);

	/* No nf_tables here: no table of anyone's either. */
	if (rc == -ENOENT || rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT ||
	    rc == -EOPNOTSUPP)
		return 0;
	if (rc == -EMSGSIZE)
		return -EPERM;
	if (rc < 0)
		return rc;
	owner_comment(uuid, comment);
	want_len = nft_encode_udata(comment, want);
	return have_len == want_len && memcmp(have, want, want_len) == 0
		       ? 1
		       : -EPERM;
}

/**
 * guest_filter_remove() - Delete the guest filter of @s, if podnet made it
 * @uuid:	the domain
 * @s:		the interface as recorded
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Looks for the table whatever the tag said (a hook killed after making it
 * leaves no other trace); a table of that name with another comment is left
 * alone. Then checks it is gone.
 *
 * Return: 0 (deleted, or none of ours), or a negative errno with @err set
 */
int guest_filter_remove(const char *uuid, const struct state_iface *s,
			char *err, size_t err_len)
{
	uint8_t buf[512];
	struct nft_msg m = {.buf = buf, .cap = sizeof(buf)};
	char table[NFT_IR_NAME_MAX];
	int rc;

	table_name(s, table);
	rc = ours(uuid, table);
	if (rc == 0 || rc == -EPERM)
		return 0;
	if (rc == 1) {
		nft_encode_delete(NFPROTO_BRIDGE, table, &m);
		rc = nft_sock_transact(&m);
		if (rc == 0)
			rc = ours(uuid, table) == 0 ? 0 : -EEXIST;
	}
	if (rc < 0)
		errmsg_set(err, err_len,
			   "cannot delete nftables table 'bridge %s': %s",
			   table, strerror(-rc));
	return rc;
}

struct collect {
	uint64_t *packets;
	bool any;
};

static void on_counter(void *arg, const char *name, uint64_t packets,
		       uint64_t bytes)
{
	struct collect *c = arg;

	(void)bytes;
	for (size_t i = 0; i < GUEST_FILTER_REASONS; i++)
		if (strcmp(name, guest_filter_reason_names[i]) == 0) {
			c->packets[i] = packets;
			c->any = true;
		}
}

/**
 * guest_filter_counters() - The drops of @s's guest filter, by reason
 * @uuid:	the domain
 * @s:		the interface as recorded
 * @ret:	packets dropped, indexed by enum guest_filter_reason
 *
 * Return: 1 if the filter is there, 0 if not (off, or not made yet), or a
 * negative errno
 */
int guest_filter_counters(const char *uuid, const struct state_iface *s,
			  uint64_t ret[GUEST_FILTER_REASONS])
{
	struct collect c = {.packets = ret};
	char table[NFT_IR_NAME_MAX];
	int rc;

	memset(ret, 0, GUEST_FILTER_REASONS * sizeof(*ret));
	table_name(s, table);
	rc = ours(uuid, table);
	if (rc <= 0)
		return rc == -EPERM ? 0 : rc;
	rc = nft_sock_counters(NFPROTO_BRIDGE, table, on_counter, &c);
	if (rc < 0)
		return rc;
	return c.any ? 1 : 0;
}
