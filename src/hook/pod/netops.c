// SPDX-License-Identifier: GPL-2.0-or-later
/* Single netlink changes to links, addresses and neighbours (built by
 * libnl), with the kernel's errno as the result; routes: route_nl.c. */
/* net/if.h first: linux/if.h (via libnl) defers to it, not the reverse. */
#include <net/if.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/neighbour.h>
#include <stdio.h>
#include <string.h>

#include "netlink.h"
#include "netops.h"

static int nle(int rc)
{
	return rc < 0 ? -netlink_errno(rc) : 0;
}

/* Send a request that libnl built (@built: its result) and free it: the
 * kernel's errno comes back as it is (netlink_request()). */
static int request(struct nl_sock *sk, int built, struct nl_msg *msg)
{
	int rc;

	if (built < 0)
		return nle(built);
	rc = netlink_request(sk, msg);
	nlmsg_free(msg);
	return rc;
}

/*
 * No IPv6 link-local address on the new bridge (it is still down), so no
 * RS, NS or MLD of its own toward the node. By netlink, because /proc/sys
 * is read-only in an unprivileged container (bridge.c also writes
 * disable_ipv6 where it can). The kernel takes this on a change, not at
 * creation. Best effort: a kernel without it has IPv6 off anyway.
 */
static void no_ipv6_address(struct nl_sock *sk, struct rtnl_link *bridge)
{
	struct rtnl_link *req = rtnl_link_alloc();

	if (req &&
	    rtnl_link_inet6_set_addr_gen_mode(req, IN6_ADDR_GEN_MODE_NONE) == 0)
		(void)rtnl_link_change(sk, bridge, req, 0);
	if (req)
		rtnl_link_put(req);
}

/**
 * netops_bridge_create() - Create a bridge that must not exist yet
 * @sk:		netlink socket
 * @name:	bridge name
 * @mtu:	MTU to give it (the pod interface's)
 * @mac:	its fixed MAC, so that ports joining later never change it
 *
 * Return: the new bridge's ifindex, or a negative errno (-EEXIST if taken)
 */
int netops_bridge_create(struct nl_sock *sk, const char *name, uint32_t mtu,
			 const uint8_t mac[MAC_LEN])
{
	struct rtnl_link *link = rtnl_link_bridge_alloc();
	struct nl_addr *addr = nl_addr_build(AF_LLC, mac, MAC_LEN);
	struct rtnl_link *got = NULL;
	struct nl_msg *msg = NULL;
	int rc = -ENOMEM;

	if (!link || !addr)
		goto out;
	rtnl_link_set_name(link, name);
	rtnl_link_set_mtu(link, mtu);
	rtnl_link_set_addr(link, addr);
	rc = rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rc = request(sk, rc, msg);
	if (rc < 0)
		goto out;
	rc = nle(rtnl_link_get_kernel(sk, 0, name, &got));
	if (rc == 0) {
		rc = rtnl_link_get_ifindex(got);
		no_ipv6_address(sk, got);
	}
out:
	if (got)
		rtnl_link_put(got);
	if (addr)
		nl_addr_put(addr);
	if (link)
		rtnl_link_put(link);
	return rc;
}

/**
 * netops_link_delete() - Delete a link by index
 * @sk:		netlink socket
 * @ifindex:	the link
 *
 * Return: 0 or negative errno
 */
int netops_link_delete(struct nl_sock *sk, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc();
	struct nl_msg *msg = NULL;
	int rc;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	rc = rtnl_link_build_delete_request(link, &msg);
	rc = request(sk, rc, msg);
	rtnl_link_put(link);
	return rc;
}

/* Apply the attributes set on @req to the link @ifindex (RTM_NEWLINK). */
static int link_change(struct nl_sock *sk, int ifindex, struct rtnl_link *req)
{
	struct rtnl_link *orig = NULL;
	struct nl_msg *msg = NULL;
	int rc = nle(rtnl_link_get_kernel(sk, ifindex, NULL, &orig));

	if (rc == 0) {
		rc = rtnl_link_build_change_request(orig, req, 0, &msg);
		rc = request(sk, rc, msg);
	}
	if (orig)
		rtnl_link_put(orig);
	return rc;
}

/**
 * netops_link_set_mac() - Set a link's MAC address
 * @sk:		netlink socket
 * @ifindex:	the link
 * @mac:	new address
 *
 * Return: 0 or negative errno
 */
int netops_link_set_mac(struct nl_sock *sk, int ifindex,
			const uint8_t mac[MAC_LEN])
{
	struct rtnl_link *req = rtnl_link_alloc();
	struct nl_addr *addr = nl_addr_build(AF_LLC, mac, MAC_LEN);
	int rc = -ENOMEM;

	if (req && addr) {
		rtnl_link_set_addr(req, addr);
		rc = link_change(sk, ifindex, req);
	}
	if (addr)
		nl_addr_put(addr);
	if (req)
		rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_set_mtu() - Set a link's MTU
 * @sk:		netlink socket
 * @ifindex:	the link
 * @mtu:	new MTU
 *
 * Return: 0 or negative errno
 */
int netops_link_set_mtu(struct nl_sock *sk, int ifindex, uint32_t mtu)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	rtnl_link_set_mtu(req, mtu);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_set_up() - Set a link administratively up or down
 * @sk:		netlink socket
 * @ifindex:	the link
 * @up:		true for up
 *
 * Return: 0 or negative errno
 */
int netops_link_set_up(struct nl_sock *sk, int ifindex, bool up)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	if (up)
		rtnl_link_set_flags(req, IFF_UP);
	else
		rtnl_link_unset_flags(req, IFF_UP);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_set_master() - Make a link a port of @master, or of nothing
 * @sk:		netlink socket
 * @ifindex:	the link
 * @master:	bridge ifindex, or 0 to release the link
 *
 * Return: 0 or negative errno
 */
int netops_link_set_master(struct nl_sock *sk, int ifindex, int master)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	rtnl_link_set_master(req, master);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_get() - Read a link's current name, MAC, MTU, master, kind
 * @sk:			netlink socket
 * @ifindex:		the link
 * @ret_name:		IFNAMSIZ buffer, or NULL
 * @ret_mac:		MAC, or NULL
 * @ret_mtu:		MTU, or NULL
 * @ret_master:		master ifindex (0: none), or NULL
 * @ret_is_bridge:	whether it is a bridge, or NULL
 *
 * Return: 0, -ENODEV if there is no such link, or another negative errno
 */
int netops_link_get(struct nl_sock *sk, int ifindex, char *ret_name,
		    uint8_t ret_mac[MAC_LEN], uint32_t *ret_mtu,
		    int *ret_master, bool *ret_is_bridge)
{
	struct rtnl_link *link = NULL;
	const struct nl_addr *mac;
	const char *kind;
	int rc = nle(rtnl_link_get_kernel(sk, ifindex, NULL, &link));

	if (rc < 0)
		return rc;
	mac = rtnl_link_get_addr(link);
	kind = rtnl_link_get_type(link);
	if (ret_name)
		(void)snprintf(ret_name, IFNAMSIZ, "%s",
			       rtnl_link_get_name(link));
	if (ret_mac && mac && nl_addr_get_len(mac) == MAC_LEN)
		memcpy(ret_mac, nl_addr_get_binary_addr(mac), MAC_LEN);
	if (ret_mtu)
		*ret_mtu = rtnl_link_get_mtu(link);
	if (ret_master)
		*ret_master = rtnl_link_get_master(link);
	if (ret_is_bridge)
		*ret_is_bridge = kind && strcmp(kind, "bridge") == 0;
	rtnl_link_put(link);
	return 0;
}

/* An nl_addr of @a's family from @a, with @prefix_len. */
static struct nl_addr *inany_to_nl(const union inany *a, sa_family_t af,
				   uint8_t prefix_len)
{
	size_t len;
	const void *raw = inany_raw(a, af, &len);
	struct nl_addr *r = nl_addr_build(af, raw, len);

	if (r)
		nl_addr_set_prefixlen(r, (int)prefix_len);
	return r;
}

/* Where the families differ: IPv4 has broadcast and label, and takes every
 * flag but IFA_F_SECONDARY (the kernel sets that itself, passing it in is
 * refused); IPv6 takes only the settable flags. A finite lifetime keeps
 * what it had left. */
static struct rtnl_addr *addr_build(int ifindex, const struct pod_addr *a)
{
	bool v4 = a->family == AF_INET;
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local =
		inany_to_nl(&a->local, a->family, a->prefix_len);
	struct nl_addr *brd = NULL;
	bool finite = v4 ? a->valid_lft && a->valid_lft != POD_LIFETIME_FOREVER
			 : a->valid_lft != POD_LIFETIME_FOREVER ||
				      a->preferred_lft != POD_LIFETIME_FOREVER;

	if (!ra || !local)
		goto fail;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, a->family);
	if (rtnl_addr_set_local(ra, local) < 0)
		goto fail;
	rtnl_addr_set_prefixlen(ra, a->prefix_len);
	rtnl_addr_set_scope(ra, a->scope);
	rtnl_addr_set_flags(ra, v4 ? a->flags & ~(unsigned int)IFA_F_SECONDARY
				   : a->flags & POD_ADDR6_FLAGS_SET);
	if (v4 && a->label[0])
		(void)rtnl_addr_set_label(ra, a->label);
	if (finite) {
		rtnl_addr_set_valid_lifetime(ra, a->valid_lft);
		rtnl_addr_set_preferred_lifetime(ra, a->preferred_lft);
	}
	if (v4 && !inany_is_any(&a->broadcast)) {
		brd = inany_to_nl(&a->broadcast, AF_INET, 32);
		if (!brd || rtnl_addr_set_broadcast(ra, brd) < 0)
			goto fail;
		nl_addr_put(brd);
	}
	nl_addr_put(local);
	return ra;
fail:
	if (brd)
		nl_addr_put(brd);
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return NULL;
}

/**
 * netops_addr_add() - Add an address of either family as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link
 * @a:		the address
 *
 * Return: 0 (also when it is already there) or negative errno
 */
int netops_addr_add(struct nl_sock *sk, int ifindex, const struct pod_addr *a)
{
	struct rtnl_addr *ra = addr_build(ifindex, a);
	struct nl_msg *msg = NULL;
	int rc;

	if (!ra)
		return -ENOMEM;
	rc = rtnl_addr_build_add_request(ra, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rc = request(sk, rc, msg);
	rtnl_addr_put(ra);
	return rc == -EEXIST ? 0 : rc;
}

/**
 * netops_addr_del() - Remove an address of either family
 * @sk:		netlink socket
 * @ifindex:	the link
 * @a:		the address
 *
 * Return: 0 (also when it is already gone) or negative errno
 */
int netops_addr_del(struct nl_sock *sk, int ifindex, const struct pod_addr *a)
{
	struct rtnl_addr *ra = addr_build(ifindex, a);
	struct nl_msg *msg = NULL;
	int rc;

	if (!ra)
		return -ENOMEM;
	rc = rtnl_addr_build_delete_request(ra, 0, &msg);
	rc = request(sk, rc, msg);
	rtnl_addr_put(ra);
	return rc == -EADDRNOTAVAIL || rc == -ENODEV ? 0 : rc;
}

/**
 * netops_neigh_set() - Add or replace a static neighbour entry
 * @sk:		netlink socket
 * @ifindex:	the link
 * @n:		the entry, of its family (state NUD_PERMANENT or NUD_NOARP)
 *
 * Return: 0 or negative errno
 */
int netops_neigh_set(struct nl_sock *sk, int ifindex, const struct pod_neigh *n)
{
	size_t dst_len;
	const void *dst_raw = inany_raw(&n->dst, n->family, &dst_len);
	struct rtnl_neigh *ne = rtnl_neigh_alloc();
	struct nl_addr *dst = nl_addr_build(n->family, dst_raw, dst_len);
	struct nl_addr *ll = nl_addr_build(AF_LLC, n->lladdr, MAC_LEN);
	struct nl_msg *msg = NULL;
	int rc = -ENOMEM;

	if (ne && dst && ll) {
		rtnl_neigh_set_ifindex(ne, ifindex);
		rtnl_neigh_set_family(ne, n->family);
		rc = nle(rtnl_neigh_set_dst(ne, dst));
		if (rc == 0) {
			rtnl_neigh_set_lladdr(ne, ll);
			rtnl_neigh_set_state(ne, n->state);
			rtnl_neigh_set_flags(ne, n->flags);
			rc = rtnl_neigh_build_add_request(
				ne, NLM_F_CREATE | NLM_F_REPLACE, &msg);
			rc = request(sk, rc, msg);
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

/**
 * netops_link_set_flags() - Set the kept IFF_* flags of a link as recorded
 * @sk:		netlink socket
 * @ifindex:	the link
 * @flags:	the flags wanted, among POD_LINK_FLAGS_KEPT
 *
 * Return: 0 or negative errno
 */
int netops_link_set_flags(struct nl_sock *sk, int ifindex, uint32_t flags)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	rtnl_link_set_flags(req, flags & POD_LINK_FLAGS_KEPT);
	rtnl_link_unset_flags(req, ~flags & POD_LINK_FLAGS_KEPT);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}
