// SPDX-License-Identifier: GPL-2.0-or-later
/* Single rtnetlink changes to links, addresses, neighbours and routes of
 * both families, each one message built by nlmsg.c and sent through
 * netlink_request(): the result is the kernel's errno as it came. */
#include <net/if.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "netlink.h"
#include "netops.h"
#include "pod_nl.h"

/* An RTM_NEWLINK change of the link @ifindex: the caller adds attributes. */
static struct ifinfomsg *link_req(struct nlmsg_req *req, int ifindex)
{
	struct ifinfomsg *ifi = nlmsg_begin(req, RTM_NEWLINK, 0, sizeof(*ifi));

	if (ifi) {
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = ifindex;
	}
	return ifi;
}

static int link_get_cb(const struct nlmsghdr *h, void *arg)
{
	return pod_nl_link(h, arg) == -EBADMSG ? -EBADMSG : 0;
}

/**
 * netops_link_read() - Read one link, by index or by name
 * @sk:		netlink socket
 * @ifindex:	the link, or 0 to find it by @name
 * @name:	its name when @ifindex is 0, else NULL
 * @ret:	what the kernel says of it
 *
 * Return: 0, -ENODEV if there is no such link, or another negative errno
 */
int netops_link_read(struct nl_sock *sk, int ifindex, const char *name,
		     struct nl_link *ret)
{
	struct nlmsg_req req;
	struct ifinfomsg *ifi = nlmsg_begin(&req, RTM_GETLINK, 0, sizeof(*ifi));
	int rc;

	if (ifi)
		ifi->ifi_index = ifindex;
	if (name)
		(void)nlmsg_put_str(&req, IFLA_IFNAME, name);
	memset(ret, 0, sizeof(*ret));
	ret->ifindex = -1;
	rc = netlink_get(sk, &req, link_get_cb, ret);
	if (rc == 0 && ret->ifindex < 0)
		rc = -ENODEV; /* acked, but no answer: none of that name */
	return rc;
}

/*
 * No IPv6 link-local address on the new bridge (it is still down), so no
 * RS, NS or MLD of its own toward the node. By netlink, because /proc/sys
 * is read-only in an unprivileged container (bridge.c also writes
 * disable_ipv6 where it can). The kernel takes this on a change, not at
 * creation. Best effort: a kernel without it has IPv6 off anyway.
 */
static void no_ipv6_address(struct nl_sock *sk, int ifindex)
{
	struct nlmsg_req req;
	struct nlattr *spec, *inet6;

	(void)link_req(&req, ifindex);
	spec = nlmsg_nest_begin(&req, IFLA_AF_SPEC);
	inet6 = nlmsg_nest_begin(&req, AF_INET6);
	(void)nlmsg_put_u8(&req, IFLA_INET6_ADDR_GEN_MODE,
			   IN6_ADDR_GEN_MODE_NONE);
	nlmsg_nest_end(&req, inet6);
	nlmsg_nest_end(&req, spec);
	(void)netlink_request(sk, &req);
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
	struct nlmsg_req req;
	struct nl_link got;
	struct nlattr *info;
	int rc;

	(void)nlmsg_begin(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
			  sizeof(struct ifinfomsg));
	(void)nlmsg_put_str(&req, IFLA_IFNAME, name);
	(void)nlmsg_put_u32(&req, IFLA_MTU, mtu);
	(void)nlmsg_put(&req, IFLA_ADDRESS, mac, MAC_LEN);
	info = nlmsg_nest_begin(&req, IFLA_LINKINFO);
	(void)nlmsg_put_str(&req, IFLA_INFO_KIND, "bridge");
	nlmsg_nest_end(&req, info);
	rc = netlink_request(sk, &req);
	if (rc < 0)
		return rc;
	rc = netops_link_read(sk, 0, name, &got);
	if (rc < 0)
		return rc;
	no_ipv6_address(sk, got.ifindex);
	return got.ifindex;
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
	struct nlmsg_req req;
	struct ifinfomsg *ifi = nlmsg_begin(&req, RTM_DELLINK, 0, sizeof(*ifi));

	if (ifi)
		ifi->ifi_index = ifindex;
	return netlink_request(sk, &req);
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
	struct nlmsg_req req;

	(void)link_req(&req, ifindex);
	(void)nlmsg_put(&req, IFLA_ADDRESS, mac, MAC_LEN);
	return netlink_request(sk, &req);
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
	struct nlmsg_req req;

	(void)link_req(&req, ifindex);
	(void)nlmsg_put_u32(&req, IFLA_MTU, mtu);
	return netlink_request(sk, &req);
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
	struct nlmsg_req req;

	(void)link_req(&req, ifindex);
	(void)nlmsg_put_u32(&req, IFLA_MASTER, (uint32_t)master);
	return netlink_request(sk, &req);
}

/* Set the flags of @mask to their values in @flags, leave the others. */
static int link_set_flags(struct nl_sock *sk, int ifindex, uint32_t mask,
			  uint32_t flags)
{
	struct nlmsg_req req;
	struct ifinfomsg *ifi = link_req(&req, ifindex);

	if (ifi) {
		ifi->ifi_flags = flags & mask;
		ifi->ifi_change = mask;
	}
	return netlink_request(sk, &req);
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
	return link_set_flags(sk, ifindex, IFF_UP, up ? IFF_UP : 0);
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
	return link_set_flags(sk, ifindex, POD_LINK_FLAGS_KEPT, flags);
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
	struct nl_link l;
	int rc = netops_link_read(sk, ifindex, NULL, &l);

	if (rc < 0)
		return rc;
	if (ret_name)
		(void)snprintf(ret_name, IFNAMSIZ, "%s", l.name);
	if (ret_mac && l.has_mac)
		memcpy(ret_mac, l.mac, MAC_LEN);
	if (ret_mtu)
		*ret_mtu = l.mtu;
	if (ret_master)
		*ret_master = l.master;
	if (ret_is_bridge)
		*ret_is_bridge = strcmp(l.kind, "bridge") == 0;
	return 0;
}

/* An address attribute of @af from @a. */
static void put_inany(struct nlmsg_req *req, uint16_t type,
		      const union inany *a, sa_family_t af)
{
	size_t len;
	const void *raw = inany_raw(a, af, &len);

	(void)nlmsg_put(req, type, raw, len);
}

/* Where the families differ: IPv4 has broadcast and label, and takes every
 * flag but IFA_F_SECONDARY (the kernel sets that itself, passing it in is
 * refused); IPv6 takes only the settable flags. A finite lifetime keeps
 * what it had left. */
static void addr_req(struct nlmsg_req *req, int type, int flags, int ifindex,
		     const struct pod_addr *a)
{
	bool v4 = a->family == AF_INET;
	uint32_t fl = v4 ? a->flags & ~(uint32_t)IFA_F_SECONDARY
			 : a->flags & POD_ADDR6_FLAGS_SET;
	bool finite = v4 ? a->valid_lft && a->valid_lft != POD_LIFETIME_FOREVER
			 : a->valid_lft != POD_LIFETIME_FOREVER ||
				      a->preferred_lft != POD_LIFETIME_FOREVER;
	struct ifaddrmsg *ifa =
		nlmsg_begin(req, (uint16_t)type, (uint16_t)flags, sizeof(*ifa));

	if (ifa) {
		ifa->ifa_family = (uint8_t)a->family;
		ifa->ifa_prefixlen = a->prefix_len;
		ifa->ifa_flags = (uint8_t)fl;
		ifa->ifa_scope = a->scope;
		ifa->ifa_index = (uint32_t)ifindex;
	}
	put_inany(req, IFA_LOCAL, &a->local, a->family);
	put_inany(req, IFA_ADDRESS, &a->local, a->family);
	(void)nlmsg_put_u32(req, IFA_FLAGS, fl);
	if (v4 && a->label[0])
		(void)nlmsg_put_str(req, IFA_LABEL, a->label);
	if (v4 && !inany_is_any(&a->broadcast))
		put_inany(req, IFA_BROADCAST, &a->broadcast, AF_INET);
	if (finite) {
		struct ifa_cacheinfo ci = {.ifa_prefered = a->preferred_lft,
					   .ifa_valid = a->valid_lft};

		(void)nlmsg_put(req, IFA_CACHEINFO, &ci, sizeof(ci));
	}
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
	struct nlmsg_req req;
	int rc;

	addr_req(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, a);
	rc = netlink_request(sk, &req);
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
	struct nlmsg_req req;
	int rc;

	addr_req(&req, RTM_DELADDR, 0, ifindex, a);
	rc = netlink_request(sk, &req);
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
	struct nlmsg_req req;
	struct ndmsg *nd = nlmsg_begin(
		&req, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, sizeof(*nd));

	if (nd) {
		nd->ndm_family = (uint8_t)n->family;
		nd->ndm_ifindex = ifindex;
		nd->ndm_state = n->state;
		nd->ndm_flags = n->flags;
	}
	put_inany(&req, NDA_DST, &n->dst, n->family);
	(void)nlmsg_put(&req, NDA_LLADDR, n->lladdr, MAC_LEN);
	return netlink_request(sk, &req);
}

/* One request for @r of its family: IPv4 has tos, IPv6 RTA_PREF; the
 * gateway and preferred source only when there is one; the metrics
 * only to add. */
static void route_req(struct nlmsg_req *req, int type, int flags, int ifindex,
		      const struct pod_route *r)
{
	bool v6 = r->family == AF_INET6;
	struct rtmsg *rtm =
		nlmsg_begin(req, (uint16_t)type, (uint16_t)flags, sizeof(*rtm));

	if (rtm) {
		rtm->rtm_family = (uint8_t)r->family;
		rtm->rtm_dst_len = r->dst_len;
		rtm->rtm_tos = v6 ? 0 : r->tos;
		rtm->rtm_table =
			r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
		rtm->rtm_protocol = r->protocol;
		rtm->rtm_scope = r->scope;
		rtm->rtm_type = r->type;
		rtm->rtm_flags = r->nh_flags;
	}
	(void)nlmsg_put_u32(req, RTA_TABLE, r->table);
	put_inany(req, RTA_DST, &r->dst, r->family);
	(void)nlmsg_put_u32(req, RTA_OIF, (uint32_t)ifindex);
	(void)nlmsg_put_u32(req, RTA_PRIORITY, r->priority);
	if (v6)
		(void)nlmsg_put_u8(req, RTA_PREF, r->pref);
	if (!inany_is_any(&r->gateway))
		put_inany(req, RTA_GATEWAY, &r->gateway, r->family);
	if (!inany_is_any(&r->prefsrc))
		put_inany(req, RTA_PREFSRC, &r->prefsrc, r->family);
	if (r->metric_mask && type == RTM_NEWROUTE) {
		struct nlattr *mx = nlmsg_nest_begin(req, RTA_METRICS);

		for (uint16_t k = 1; k < POD_ROUTE_METRICS; k++)
			if (r->metric_mask & (1u << k))
				(void)nlmsg_put_u32(req, k, r->metrics[k]);
		nlmsg_nest_end(req, mx);
	}
}

/**
 * netops_route_add() - Add a route of either family as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link the route goes through
 * @r:		the route, with its metrics (mtu, advmss, ...), tos or
 *		preference
 *
 * Return: 0, -EEXIST if its key (table, dst, tos or metric) is taken, or
 * another negative errno
 */
int netops_route_add(struct nl_sock *sk, int ifindex, const struct pod_route *r)
{
	struct nlmsg_req req;

	route_req(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex, r);
	return netlink_request(sk, &req);
}

/**
 * netops_route_del() - Delete a route of either family
 * @sk:		netlink socket
 * @ifindex:	the link
 * @r:		the route
 *
 * Return: 0, also when it is already gone (ESRCH, the kernel's "no such
 * route" for both families), or a negative errno
 */
int netops_route_del(struct nl_sock *sk, int ifindex, const struct pod_route *r)
{
	struct nlmsg_req req;
	int rc;

	route_req(&req, RTM_DELROUTE, 0, ifindex, r);
	rc = netlink_request(sk, &req);
	return rc == -ESRCH ? 0 : rc;
}
