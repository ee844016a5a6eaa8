// SPDX-License-Identifier: GPL-2.0-or-later
/* Discovery of the pod's network facts: the pod interface (libnl; routes
 * through route_nl.c) and DNS. */
/* net/if.h first: linux/if.h (via libnl) defers to it, not the reverse. */
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/neighbour.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"
#include "errmsg.h"
#include "link_kind.h"
#include "netlink.h"
#include "read_file.h"
#include "route_nl.h"
#include "sysctl6.h"

/* An nl_addr of @af as a union inany; anything else is "none" of @af. */
static union inany nl_to_inany(const struct nl_addr *a, sa_family_t af)
{
	union inany r;

	if (!a || nl_addr_get_family(a) != af ||
	    inany_from_raw(&r, af, nl_addr_get_binary_addr(a),
			   nl_addr_get_len(a)) < 0)
		inany_any(&r, af);
	return r;
}

struct walk_ctx {
	struct pod_iface *iface;
	int overflow;
};

/*
 * The link-local address the kernel makes by itself when IPv6 comes up:
 * the EUI-64 one of the MAC, or (stable-privacy, random modes) any fe80::/64
 * of link scope. It comes back alone when disable_ipv6 goes back to 0.
 */
static bool kernel_link_local(const struct pod_iface *iface,
			      const struct pod_addr *a)
{
	struct in6_addr eui;
	int mode = iface->v6.sysctl6.addr_gen_mode;

	if (a->family != AF_INET6 || !IN6_IS_ADDR_LINKLOCAL(&a->local.a6) ||
	    a->prefix_len != 64 || a->scope != RT_SCOPE_LINK)
		return false;
	if (mode == IN6_ADDR_GEN_MODE_STABLE_PRIVACY ||
	    mode == IN6_ADDR_GEN_MODE_RANDOM)
		return true;
	pod_eui64_ll(iface->mac, &eui);
	return IN6_ARE_ADDR_EQUAL(&eui, &a->local.a6);
}

static void collect_addr(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct walk_ctx *ctx = arg;
	struct pod_iface *iface = ctx->iface;
	int family = rtnl_addr_get_family(a);
	struct pod_addr pa = {.family = (sa_family_t)family};
	const char *label = rtnl_addr_get_label(a);

	if ((family != AF_INET && family != AF_INET6) ||
	    rtnl_addr_get_ifindex(a) != iface->ifindex)
		return;
	pa.local = nl_to_inany(rtnl_addr_get_local(a), pa.family);
	pa.prefix_len = (uint8_t)rtnl_addr_get_prefixlen(a);
	pa.broadcast = nl_to_inany(rtnl_addr_get_broadcast(a), pa.family);
	pa.scope = (uint8_t)rtnl_addr_get_scope(a);
	pa.flags = (uint32_t)rtnl_addr_get_flags(a);
	if (family == AF_INET && label)
		(void)snprintf(pa.label, sizeof(pa.label), "%s", label);
	pa.valid_lft = rtnl_addr_get_valid_lifetime(a);
	pa.preferred_lft = rtnl_addr_get_preferred_lifetime(a);
	/* Privacy addresses (IFA_F_TEMPORARY) are the kernel's own too. */
	if (kernel_link_local(iface, &pa)) {
		iface->v6.kernel_ll = true;
		return;
	}
	if (family == AF_INET6 && (pa.flags & IFA_F_TEMPORARY))
		return;
	if (iface->n_addrs >= ARRAY_SIZE(iface->addrs)) {
		ctx->overflow = 1;
		return;
	}
	iface->addrs[iface->n_addrs++] = pa;
}

/* Permanent entries, and noarp ones for a unicast MAC: the others are the
 * kernel's cache (its noarp entries for multicast and broadcast too). */
static void collect_neigh(struct nl_object *obj, void *arg)
{
	struct rtnl_neigh *n = (struct rtnl_neigh *)obj;
	struct walk_ctx *ctx = arg;
	struct pod_iface *iface = ctx->iface;
	const struct nl_addr *ll = rtnl_neigh_get_lladdr(n);
	struct pod_neigh *pn;
	int family = rtnl_neigh_get_family(n);

	if ((family != AF_INET && family != AF_INET6) ||
	    rtnl_neigh_get_ifindex(n) != iface->ifindex ||
	    !(rtnl_neigh_get_state(n) & (NUD_PERMANENT | NUD_NOARP)) || !ll ||
	    nl_addr_get_len(ll) != MAC_LEN)
		return;
	/* The group bit: multicast, and broadcast (all ones). */
	if (!(rtnl_neigh_get_state(n) & NUD_PERMANENT) &&
	    (((const uint8_t *)nl_addr_get_binary_addr(ll))[0] & 1))
		return;
	if (iface->n_neighs >= ARRAY_SIZE(iface->neighs)) {
		ctx->overflow = 1;
		return;
	}
	pn = &iface->neighs[iface->n_neighs++];
	memset(pn, 0, sizeof(*pn));
	pn->family = (sa_family_t)family;
	pn->dst = nl_to_inany(rtnl_neigh_get_dst(n), pn->family);
	memcpy(pn->lladdr, nl_addr_get_binary_addr(ll), MAC_LEN);
	pn->state = (uint16_t)rtnl_neigh_get_state(n);
	pn->flags = (uint8_t)rtnl_neigh_get_flags(n);
}

enum collect_what { COLLECT_ADDRS, COLLECT_NEIGHS };

static int collect(struct nl_sock *sk, struct pod_iface *iface,
		   enum collect_what what)
{
	static void (*const walkers[])(struct nl_object *, void *) = {
		[COLLECT_ADDRS] = collect_addr,
		[COLLECT_NEIGHS] = collect_neigh,
	};
	struct walk_ctx ctx = {.iface = iface};
	struct nl_cache *cache = NULL;
	int err;

	switch (what) {
	case COLLECT_ADDRS:
		err = rtnl_addr_alloc_cache(sk, &cache);
		break;
	default:
		err = rtnl_neigh_alloc_cache(sk, &cache);
		break;
	}
	if (err < 0)
		return -netlink_errno(err);
	nl_cache_foreach(cache, walkers[what], &ctx);
	nl_cache_free(cache);
	return ctx.overflow ? -E2BIG : 0;
}

/**
 * discover_iface_config() - Read what is configured on a link now
 * @sk:		connected NETLINK_ROUTE socket
 * @ret:	its ifindex, name and MAC set; addresses, routes and
 *		neighbours of both families and the IPv6 sysctls filled
 *
 * The same reading serves the record at prepare and the check after a
 * restore, so that both compare like with like.
 *
 * Return: 0 or a negative errno (-E2BIG: more than a record holds)
 */
int discover_iface_config(struct nl_sock *sk, struct pod_iface *ret)
{
	int rc;

	ret->n_addrs = ret->n_routes = ret->n_neighs = 0;
	ret->v6.kernel_ll = false;
	/* First: which link-local is the kernel's depends on the mode. */
	sysctl6_read(ret->name, &ret->v6.sysctl6);
	rc = collect(sk, ret, COLLECT_ADDRS);
	if (rc == 0)
		rc = route_collect(sk, ret);
	if (rc == 0)
		rc = collect(sk, ret, COLLECT_NEIGHS);
	return rc;
}

/**
 * discover_iface_now() - Read a link's facts and configuration as they are
 * @sk:		connected NETLINK_ROUTE socket
 * @ifindex:	the link
 * @ret:	MAC, MTU, kept flags, addresses, routes, neighbours
 *
 * Return: 0 or a negative errno
 */
int discover_iface_now(struct nl_sock *sk, int ifindex, struct pod_iface *ret)
{
	struct rtnl_link *link = NULL;
	const struct nl_addr *mac;
	int rc = rtnl_link_get_kernel(sk, ifindex, NULL, &link);

	if (rc < 0)
		return -netlink_errno(rc);
	memset(ret, 0, sizeof(*ret));
	ret->ifindex = ifindex;
	(void)snprintf(ret->name, sizeof(ret->name), "%s",
		       rtnl_link_get_name(link));
	mac = rtnl_link_get_addr(link);
	if (mac && nl_addr_get_len(mac) == MAC_LEN)
		memcpy(ret->mac, nl_addr_get_binary_addr(mac), MAC_LEN);
	ret->mtu = rtnl_link_get_mtu(link);
	ret->link_flags = rtnl_link_get_flags(link) & POD_LINK_FLAGS_KEPT;
	rtnl_link_put(link);
	return discover_iface_config(sk, ret);
}

/* A kind of link that cannot carry a VM's traffic as a bridge port. */
static const char *kind_refusal(struct rtnl_link *link)
{
	const char *kind = rtnl_link_get_type(link);
	uint32_t mode = 0;

	if (kind &&
	    (strcmp(kind, "macvlan") == 0 || strcmp(kind, "macvtap") == 0))
		mode = rtnl_link_macvlan_get_mode(link);
	return link_kind_refusal(kind, mode);
}

static int fill_link(struct nl_sock *sk, const char *name,
		     struct pod_iface *iface, char *err, size_t err_len)
{
	struct rtnl_link *link = NULL;
	const struct nl_addr *mac;
	const char *refusal;
	int rc;

	rc = rtnl_link_get_kernel(sk, 0, name, &link);
	if (rc < 0) {
		errmsg_set(err, err_len, "interface '%s': not found in the pod",
			   name);
		return -ENODEV;
	}
	rc = 0;
	mac = rtnl_link_get_addr(link);
	refusal = kind_refusal(link);
	if (refusal) {
		errmsg_set(err, err_len, "interface '%s': %s", name, refusal);
		rc = -EOPNOTSUPP;
	} else if (rtnl_link_get_arptype(link) != ARPHRD_ETHER || !mac ||
		   nl_addr_get_len(mac) != MAC_LEN) {
		errmsg_set(err, err_len,
			   "interface '%s': is not an Ethernet interface",
			   name);
		rc = -EINVAL;
	} else if (!(rtnl_link_get_flags(link) & IFF_UP)) {
		errmsg_set(err, err_len, "interface '%s': is down", name);
		rc = -ENETDOWN;
	} else if (rtnl_link_get_master(link) > 0) {
		errmsg_set(
			err, err_len,
			"interface '%s': is already a port of another device",
			name);
		rc = -EBUSY;
	} else {
		(void)snprintf(iface->name, sizeof(iface->name), "%s", name);
		iface->ifindex = rtnl_link_get_ifindex(link);
		memcpy(iface->mac, nl_addr_get_binary_addr(mac), MAC_LEN);
		iface->mtu = rtnl_link_get_mtu(link);
		iface->link_flags =
			rtnl_link_get_flags(link) & POD_LINK_FLAGS_KEPT;
	}
	rtnl_link_put(link);
	return rc;
}

/**
 * discover_pod_iface() - Collect the facts of a pod interface
 * @sk:		connected NETLINK_ROUTE socket
 * @name:	interface name in the pod
 * @need_addr:	whether it must have an address, IPv4 or IPv6 (it is
 *		served DHCP)
 * @ret:	filled on success
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Return: 0, or a negative errno with @err set
 */
int discover_pod_iface(struct nl_sock *sk, const char *name, bool need_addr,
		       struct pod_iface *ret, char *err, size_t err_len)
{
	struct pod_iface iface = {0};
	int rc;

	rc = fill_link(sk, name, &iface, err, err_len);
	if (rc < 0)
		return rc;
	rc = discover_iface_config(sk, &iface);
	if (rc == -EMLINK) {
		/* Refused rather than lost: restore could not put it back. */
		errmsg_set(
			err, err_len,
			"interface '%s': a multipath route goes through it, which podnet cannot record and restore; make it single-path",
			name);
		return -EOPNOTSUPP;
	}
	if (rc == -E2BIG) {
		errmsg_set(
			err, err_len,
			"interface '%s': has more addresses, routes or permanent neighbours than podnet records (%d, %d, %d, both families together)",
			name, PODNET_MAX_ADDRS, PODNET_MAX_POD_ROUTES,
			PODNET_MAX_NEIGHS);
		return rc;
	}
	if (rc < 0) {
		errmsg_set(
			err, err_len,
			"interface '%s': cannot read its addresses, routes and neighbours: %s",
			name, strerror(-rc));
		return rc;
	}
	/* IPv6-only is served: DHCPv4 is then off for it (no IPv4 in the
	 * record), the responder's IPv6 side hands out its addresses. */
	if (need_addr && !pod_primary_addr(&iface) &&
	    !pod_global_addr6(&iface)) {
		errmsg_set(
			err, err_len,
			"interface '%s': has no IPv4 or IPv6 address (for an L2-only interface, tag it with dhcp=\"off\")",
			name);
		return -EADDRNOTAVAIL;
	}
	*ret = iface;
	return 0;
}

/**
 * discover_link_exists() - Whether a network interface of that name exists
 * @sk:		connected NETLINK_ROUTE socket
 * @name:	interface name
 *
 * Return: its ifindex if it exists, 0 if not, negative errno on error
 */
int discover_link_exists(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = NULL;
	int rc = rtnl_link_get_kernel(sk, 0, name, &link);

	if (rc < 0)
		return netlink_errno(rc) == ENODEV ? 0 : -netlink_errno(rc);
	rc = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return rc;
}

/**
 * discover_dns() - Read the pod's resolv.conf
 * @path:	usually /etc/resolv.conf (the pod's, in its mount namespace)
 * @ret:	filled on success; empty when the file is missing
 *
 * A missing or unreadable file is not fatal: the VM then gets no DNS
 * options, as a container in that pod would get no name service.
 *
 * Return: 0, or a negative errno when the file exists but cannot be read
 * (-EFBIG: too big)
 */
int discover_dns(const char *path, struct resolv_conf *ret)
{
	/* resolv.conf is small; anything past 64 KiB is not a resolv.conf. */
	const size_t cap = 65536 + 1;
	_cleanup_(freep) char *buf = malloc(cap);
	size_t len;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (!buf)
		return -ENOMEM;
	rc = read_file(path, 0, buf, cap, &len);
	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? rc : resolv_parse(buf, len, ret);
}
