// SPDX-License-Identifier: GPL-2.0-or-later
/* Discovery of the pod's network facts: the pod interface (rtnetlink
 * dumps read by pod_nl.c) and DNS. */
#include <net/if.h>
#include <errno.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "discover.h"
#include "errmsg.h"
#include "link_kind.h"
#include "netlink.h"
#include "netops.h"
#include "pod_nl.h"
#include "read_file.h"
#include "sysctl6.h"

/* A dump the kernel says changed while it ran is read again, this often. */
#define DISCOVER_DUMP_TRIES 3

/* One dump of both families (@type: RTM_GETADDR, ...; @fixed_len: its
 * family header, AF_UNSPEC) into @ctx by @cb; @reset empties what a
 * dump interrupted by a change had collected. */
static int collect(struct nl_sock *sk, struct pod_nl_collect *ctx,
		   uint16_t type, size_t fixed_len, nlmsg_cb cb, size_t *reset)
{
	int rc = -EAGAIN;

	for (int i = 0; i < DISCOVER_DUMP_TRIES && rc == -EAGAIN; i++) {
		struct nlmsg_req req;

		*reset = 0;
		ctx->overflow = ctx->multipath = false;
		/* Every family header starts with its family: AF_UNSPEC. */
		(void)nlmsg_begin(&req, type, 0, fixed_len);
		rc = netlink_dump(sk, &req, cb, ctx);
	}
	if (rc < 0)
		return rc;
	if (ctx->multipath)
		return -EMLINK;
	return ctx->overflow ? -E2BIG : 0;
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
	struct pod_nl_collect ctx = {.iface = ret};
	int rc;

	ret->n_addrs = ret->n_routes = ret->n_neighs = 0;
	ret->v6.kernel_ll = false;
	/* First: which link-local is the kernel's depends on the mode. */
	sysctl6_read(ret->name, &ret->v6.sysctl6);
	rc = collect(sk, &ctx, RTM_GETADDR, sizeof(struct ifaddrmsg),
		     pod_nl_collect_addr, &ret->n_addrs);
	if (rc == 0)
		rc = collect(sk, &ctx, RTM_GETROUTE, sizeof(struct rtmsg),
			     pod_nl_collect_route, &ret->n_routes);
	if (rc == 0)
		rc = collect(sk, &ctx, RTM_GETNEIGH, sizeof(struct ndmsg),
			     pod_nl_collect_neigh, &ret->n_neighs);
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
	struct nl_link link;
	int rc = netops_link_read(sk, ifindex, NULL, &link);

	if (rc < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->ifindex = ifindex;
	(void)snprintf(ret->name, sizeof(ret->name), "%s", link.name);
	if (link.has_mac)
		memcpy(ret->mac, link.mac, MAC_LEN);
	ret->mtu = link.mtu;
	ret->link_flags = link.flags & POD_LINK_FLAGS_KEPT;
	return discover_iface_config(sk, ret);
}

static int fill_link(struct nl_sock *sk, const char *name,
		     struct pod_iface *iface, char *err, size_t err_len)
{
	struct nl_link link;
	const char *refusal;

	if (netops_link_read(sk, 0, name, &link) < 0) {
		errmsg_set(err, err_len, "interface '%s': not found in the pod",
			   name);
		return -ENODEV;
	}
	refusal = link_kind_refusal(link.kind[0] ? link.kind : NULL,
				    link.macvlan_mode);
	if (refusal) {
		errmsg_set(err, err_len, "interface '%s': %s", name, refusal);
		return -EOPNOTSUPP;
	}
	if (link.arptype != ARPHRD_ETHER || !link.has_mac) {
		errmsg_set(err, err_len,
			   "interface '%s': is not an Ethernet interface",
			   name);
		return -EINVAL;
	}
	if (!(link.flags & IFF_UP)) {
		errmsg_set(err, err_len, "interface '%s': is down", name);
		return -ENETDOWN;
	}
	if (link.master > 0) {
		errmsg_set(
			err, err_len,
			"interface '%s': is already a port of another device",
			name);
		return -EBUSY;
	}
	(void)snprintf(iface->name, sizeof(iface->name), "%s", name);
	iface->ifindex = link.ifindex;
	memcpy(iface->mac, link.mac, MAC_LEN);
	iface->mtu = link.mtu;
	iface->link_flags = link.flags & POD_LINK_FLAGS_KEPT;
	return 0;
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
			name, netlink_strerror(sk, rc));
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
	struct nl_link link;
	int rc = netops_link_read(sk, 0, name, &link);

	if (rc < 0)
		return rc == -ENODEV ? 0 : rc;
	return link.ifindex;
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
