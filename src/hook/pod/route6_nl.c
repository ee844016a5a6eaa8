// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv6 routes by raw rtnetlink messages: libnl's route object carries no
 * RTA_PREF, and an exact restore needs it. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <string.h>

#include "netlink.h"
#include "route6_nl.h"

struct dump_ctx {
	struct pod_iface *iface;
	int overflow;
	int multipath; /* several next hops, one of them ours */
};

static struct in6_addr attr_in6(struct nlattr *a)
{
	struct in6_addr r = IN6ADDR_ANY_INIT;

	if (a && nla_len(a) == (int)sizeof(r))
		memcpy(&r, nla_data(a), sizeof(r));
	return r;
}

static bool multipath_uses(struct nlattr *mp, int ifindex)
{
	struct rtnexthop *nh = nla_data(mp);
	int left = nla_len(mp);

	while (left >= (int)sizeof(*nh) && nh->rtnh_len >= sizeof(*nh) &&
	       nh->rtnh_len <= left) {
		if (nh->rtnh_ifindex == ifindex)
			return true;
		left -= NLMSG_ALIGN(nh->rtnh_len);
		nh = (struct rtnexthop *)((char *)nh +
					  NLMSG_ALIGN(nh->rtnh_len));
	}
	return false;
}

static void fill_metrics(struct nlattr *m, struct pod_route6 *r)
{
	struct nlattr *a;
	int rem;

	if (!m)
		return;
	/* RTAX_CC_ALGO is a name, not a number: as for IPv4, not kept. */
	nla_for_each_nested(a, m, rem)
	{
		int t = nla_type(a);

		if (t > 0 && t < POD_ROUTE_METRICS && t != RTAX_CC_ALGO &&
		    nla_len(a) == 4) {
			r->metrics[t] = nla_get_u32(a);
			r->metric_mask |= 1u << t;
		}
	}
}

/**
 * route6_kernel_own() - Whether the kernel makes this route by itself
 * @r:		a route through the pod interface
 *
 * Measured (Linux 6.x, `ip -6 -d route show table all` after
 * disable_ipv6 0->1->0 and the addresses added again): the local table's
 * routes (each address's `local` route, `multicast ff00::/8`, anycast)
 * and `fe80::/64 proto kernel` in main come back alone. Each address's
 * prefix route comes back too, but a CNI may have changed or deleted it:
 * that one is recorded, and restore drops what the record lacks.
 *
 * Return: true if it is the kernel's, not configuration
 */
bool route6_kernel_own(const struct pod_route6 *r)
{
	static const uint8_t fe80[8] = {0xfe, 0x80};

	if (r->table == RT_TABLE_LOCAL && r->protocol == RTPROT_KERNEL)
		return true;
	return r->protocol == RTPROT_KERNEL && r->table == RT_TABLE_MAIN &&
	       r->dst_len == 64 && memcmp(r->dst.s6_addr, fe80, 8) == 0 &&
	       IN6_IS_ADDR_UNSPECIFIED(&r->gateway);
}

static int on_route(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	struct pod_route6 r;
	int oif;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return NL_OK;
	rtm = nlmsg_data(h);
	if (rtm->rtm_family != AF_INET6 || (rtm->rtm_flags & RTM_F_CLONED))
		return NL_OK;
	if (tb[RTA_MULTIPATH]) {
		if (multipath_uses(tb[RTA_MULTIPATH], ctx->iface->ifindex))
			ctx->multipath = 1;
		return NL_OK;
	}
	oif = tb[RTA_OIF] ? (int)nla_get_u32(tb[RTA_OIF]) : 0;
	if (oif != ctx->iface->ifindex)
		return NL_OK;
	memset(&r, 0, sizeof(r));
	r.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	r.dst = attr_in6(tb[RTA_DST]);
	r.dst_len = rtm->rtm_dst_len;
	r.gateway = attr_in6(tb[RTA_GATEWAY]);
	r.prefsrc = attr_in6(tb[RTA_PREFSRC]);
	r.priority = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	r.protocol = rtm->rtm_protocol;
	r.scope = rtm->rtm_scope;
	r.type = rtm->rtm_type;
	r.nh_flags = rtm->rtm_flags & RTNH_F_ONLINK;
	r.pref = tb[RTA_PREF] && nla_len(tb[RTA_PREF]) >= 1
			 ? nla_get_u8(tb[RTA_PREF])
			 : 0;
	fill_metrics(tb[RTA_METRICS], &r);
	if (route6_kernel_own(&r))
		return NL_OK;
	if (ctx->iface->n_routes6 >= PODNET_MAX_ROUTES6) {
		ctx->overflow = 1;
		return NL_OK;
	}
	ctx->iface->routes6[ctx->iface->n_routes6++] = r;
	return NL_OK;
}

/**
 * route6_collect() - Read every IPv6 route through the pod interface
 * @sk:		netlink socket
 * @iface:	its ifindex set; routes6 filled (the kernel's own left out)
 *
 * Return: 0, -EMLINK for a multipath route through it, -E2BIG for more
 * than a record holds, or another negative errno
 */
int route6_collect(struct nl_sock *sk, struct pod_iface *iface)
{
	struct rtmsg rtm = {.rtm_family = AF_INET6};
	struct dump_ctx ctx = {.iface = iface};
	struct nl_cb *cb, *sock_cb;
	int rc;

	iface->n_routes6 = 0;
	rc = nl_send_simple(sk, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm));
	if (rc < 0)
		return -netlink_errno(rc);
	/* nl_socket_get_cb() takes a reference: the clone is ours alone. */
	sock_cb = nl_socket_get_cb(sk);
	cb = sock_cb ? nl_cb_clone(sock_cb) : NULL;
	if (sock_cb)
		nl_cb_put(sock_cb);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_route, &ctx);
	rc = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (rc < 0)
		return -netlink_errno(rc);
	if (ctx.multipath)
		return -EMLINK;
	return ctx.overflow ? -E2BIG : 0;
}

static int put_in6(struct nl_msg *m, int type, const struct in6_addr *a)
{
	return nla_put(m, type, sizeof(*a), a);
}

static int route6_change(struct nl_sock *sk, int ifindex,
			 const struct pod_route6 *r, int type, int flags)
{
	struct rtmsg rtm = {
		.rtm_family = AF_INET6,
		.rtm_dst_len = r->dst_len,
		.rtm_table =
			r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = r->protocol,
		.rtm_scope = r->scope,
		.rtm_type = r->type,
		.rtm_flags = r->nh_flags,
	};
	struct nl_msg *m = nlmsg_alloc_simple(type, flags | NLM_F_ACK);
	struct nlattr *mx;
	int rc = -ENOMEM;

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, RTA_TABLE, r->table) < 0 ||
	    put_in6(m, RTA_DST, &r->dst) < 0 ||
	    nla_put_u32(m, RTA_OIF, (uint32_t)ifindex) < 0 ||
	    nla_put_u32(m, RTA_PRIORITY, r->priority) < 0 ||
	    nla_put_u8(m, RTA_PREF, r->pref) < 0)
		goto out;
	if (!IN6_IS_ADDR_UNSPECIFIED(&r->gateway) &&
	    put_in6(m, RTA_GATEWAY, &r->gateway) < 0)
		goto out;
	if (!IN6_IS_ADDR_UNSPECIFIED(&r->prefsrc) &&
	    put_in6(m, RTA_PREFSRC, &r->prefsrc) < 0)
		goto out;
	if (r->metric_mask && type == RTM_NEWROUTE) {
		mx = nla_nest_start(m, RTA_METRICS);
		if (!mx)
			goto out;
		for (int k = 1; k < POD_ROUTE_METRICS; k++)
			if ((r->metric_mask & (1u << k)) &&
			    nla_put_u32(m, k, r->metrics[k]) < 0)
				goto out;
		nla_nest_end(m, mx);
	}
	rc = nl_send_auto(sk, m);
	if (rc >= 0)
		rc = nl_wait_for_ack(sk);
	rc = rc < 0 ? -netlink_errno(rc) : 0;
out:
	nlmsg_free(m);
	return rc;
}

/**
 * route6_add() - Add an IPv6 route as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link
 * @r:		the route, with its preference and metrics
 *
 * Return: 0, -EEXIST if its key is taken, or another negative errno
 */
int route6_add(struct nl_sock *sk, int ifindex, const struct pod_route6 *r)
{
	return route6_change(sk, ifindex, r, RTM_NEWROUTE,
			     NLM_F_CREATE | NLM_F_EXCL);
}

/**
 * route6_del() - Delete an IPv6 route
 * @sk:		netlink socket
 * @ifindex:	the link
 * @r:		the route
 *
 * Return: 0 (also when it is already gone) or a negative errno
 */
int route6_del(struct nl_sock *sk, int ifindex, const struct pod_route6 *r)
{
	int rc = route6_change(sk, ifindex, r, RTM_DELROUTE, 0);

	/* ESRCH comes back from libnl as NLE_OBJ_NOTFOUND (ENODEV). */
	return rc == -ESRCH || rc == -ENOENT || rc == -ENODEV ? 0 : rc;
}
