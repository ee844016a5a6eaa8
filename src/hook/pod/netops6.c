// SPDX-License-Identifier: GPL-2.0-or-later
/* Single netlink changes to IPv6 addresses and neighbours (libnl). */
/* net/if.h first: linux/if.h (via libnl) defers to it, not the reverse. */
#include <net/if.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/neighbour.h>

#include "netlink.h"
#include "netops6.h"

static int nle(int rc)
{
	return rc < 0 ? -netlink_errno(rc) : 0;
}

/**
 * netops6_addr_add() - Add an IPv6 address as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link
 * @a:		the address: its settable flags (nodad, noprefixroute, ...)
 *		and, when finite, its lifetimes
 *
 * Return: 0 (also when it is already there) or a negative errno
 */
int netops6_addr_add(struct nl_sock *sk, int ifindex, const struct pod_addr6 *a)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(AF_INET6, &a->local, 16);
	int rc = -ENOMEM;

	if (!ra || !local)
		goto out;
	nl_addr_set_prefixlen(local, a->prefix_len);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET6);
	rc = nle(rtnl_addr_set_local(ra, local));
	if (rc < 0)
		goto out;
	rtnl_addr_set_prefixlen(ra, a->prefix_len);
	rtnl_addr_set_scope(ra, a->scope);
	rtnl_addr_set_flags(ra, a->flags & POD_ADDR6_FLAGS_SET);
	if (a->valid_lft != POD_LIFETIME_FOREVER ||
	    a->preferred_lft != POD_LIFETIME_FOREVER) {
		rtnl_addr_set_valid_lifetime(ra, a->valid_lft);
		rtnl_addr_set_preferred_lifetime(ra, a->preferred_lft);
	}
	rc = nle(rtnl_addr_add(sk, ra, NLM_F_CREATE | NLM_F_EXCL));
	if (rc == -EEXIST)
		rc = 0;
out:
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return rc;
}

/**
 * netops6_neigh_set() - Add or replace a static IPv6 neighbour entry
 * @sk:		netlink socket
 * @ifindex:	the link
 * @n:		the entry (NUD_PERMANENT or NUD_NOARP, NTF_ROUTER kept)
 *
 * Return: 0 or a negative errno
 */
int netops6_neigh_set(struct nl_sock *sk, int ifindex,
		      const struct pod_neigh6 *n)
{
	struct rtnl_neigh *ne = rtnl_neigh_alloc();
	struct nl_addr *dst = nl_addr_build(AF_INET6, &n->dst, 16);
	struct nl_addr *ll = nl_addr_build(AF_LLC, n->lladdr, MAC_LEN);
	int rc = -ENOMEM;

	if (ne && dst && ll) {
		rtnl_neigh_set_ifindex(ne, ifindex);
		rtnl_neigh_set_family(ne, AF_INET6);
		rc = nle(rtnl_neigh_set_dst(ne, dst));
		if (rc == 0) {
			rtnl_neigh_set_lladdr(ne, ll);
			rtnl_neigh_set_state(ne, n->state);
			rtnl_neigh_set_flags(ne, n->flags);
			rc = nle(rtnl_neigh_add(sk, ne,
						NLM_F_CREATE | NLM_F_REPLACE));
		}
	}
	if (ll)
		nl_addr_put(ll);
	if (dst)
		nl_addr_put(dst);
	if (ne)
		rtnl_neigh_put(ne);
	return rc;
}
