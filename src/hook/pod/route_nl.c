// SPDX-License-Identifier: GPL-2.0-or-later
/* Routes of both families by raw rtnetlink messages, one builder and one
 * dump parser: libnl's route object carries no RTA_PREF, which an exact
 * IPv6 restore needs, and one mechanism serves both families. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <string.h>

#include "netlink.h"
#include "route_nl.h"

struct dump_ctx {
	struct pod_iface *iface;
	int overflow;
	int multipath; /* several next hops, one of them ours */
};

/* An address attribute of @af into @ret; absent or odd: none of @af. */
static void attr_addr(struct nlattr *a, sa_family_t af, union inany *ret)
{
	if (!a || inany_from_raw(ret, af, nla_data(a), (size_t)nla_len(a)) < 0)
		inany_any(ret, af);
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

static void fill_metrics(struct nlattr *m, uint32_t *mask,
			 uint32_t metrics[POD_ROUTE_METRICS])
{
	struct nlattr *a;
	int rem;

	if (!m)
		return;
	/* RTAX_CC_ALGO is a name, not a number: not kept. */
	nla_for_each_nested(a, m, rem)
	{
		int t = nla_type(a);

		if (t > 0 && t < POD_ROUTE_METRICS && t != RTAX_CC_ALGO &&
		    nla_len(a) == 4) {
			metrics[t] = nla_get_u32(a);
			*mask |= 1u << t;
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
bool route6_kernel_own(const struct pod_route *r)
{
	static const uint8_t fe80[8] = {0xfe, 0x80};

	if (r->table == RT_TABLE_LOCAL && r->protocol == RTPROT_KERNEL)
		return true;
	return r->protocol == RTPROT_KERNEL && r->table == RT_TABLE_MAIN &&
	       r->dst_len == 64 && memcmp(r->dst.a6.s6_addr, fe80, 8) == 0 &&
	       inany_is_any(&r->gateway);
}

/* One route of the dump; the families differ in what is the kernel's
 * own (IPv4: the local table's; IPv6: route6_kernel_own(), and cached
 * clones), and in tos (IPv4) and pref (IPv6). */
static void on_route_of(struct dump_ctx *ctx, const struct rtmsg *rtm,
			struct nlattr **tb)
{
	struct pod_iface *iface = ctx->iface;
	sa_family_t af = rtm->rtm_family;
	struct pod_route r = {.family = af};

	if (af == AF_INET6 && (rtm->rtm_flags & RTM_F_CLONED))
		return;
	r.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	attr_addr(tb[RTA_DST], af, &r.dst);
	r.dst_len = rtm->rtm_dst_len;
	attr_addr(tb[RTA_GATEWAY], af, &r.gateway);
	attr_addr(tb[RTA_PREFSRC], af, &r.prefsrc);
	r.priority = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	r.protocol = rtm->rtm_protocol;
	r.scope = rtm->rtm_scope;
	r.type = rtm->rtm_type;
	r.nh_flags = rtm->rtm_flags & RTNH_F_ONLINK;
	fill_metrics(tb[RTA_METRICS], &r.metric_mask, r.metrics);
	if (af == AF_INET)
		r.tos = rtm->rtm_tos;
	else if (tb[RTA_PREF] && nla_len(tb[RTA_PREF]) >= 1)
		r.pref = nla_get_u8(tb[RTA_PREF]);
	/* IPv4: the kernel's local and broadcast routes come back with the
	 * addresses; every other route through the link is recorded. */
	if (af == AF_INET
		    ? r.table == RT_TABLE_LOCAL && r.protocol == RTPROT_KERNEL
		    : route6_kernel_own(&r))
		return;
	if (iface->n_routes >= PODNET_MAX_POD_ROUTES) {
		ctx->overflow = 1;
		return;
	}
	iface->routes[iface->n_routes++] = r;
}

static int on_route(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	int oif;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return NL_OK;
	rtm = nlmsg_data(h);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return NL_OK;
	if (tb[RTA_MULTIPATH]) {
		if (multipath_uses(tb[RTA_MULTIPATH], ctx->iface->ifindex))
			ctx->multipath = 1;
		return NL_OK;
	}
	oif = tb[RTA_OIF] ? (int)nla_get_u32(tb[RTA_OIF]) : 0;
	if (oif != ctx->iface->ifindex)
		return NL_OK;
	on_route_of(ctx, rtm, tb);
	return NL_OK;
}

/**
 * route_collect() - Read every route through the pod interface, both families
 * @sk:		netlink socket
 * @iface:	its ifindex set; routes filled (the kernel's own left out)
 *
 * Return: 0, -EMLINK for a multipath route through it, -E2BIG for more
 * than a record holds, or another negative errno
 */
int route_collect(struct nl_sock *sk, struct pod_iface *iface)
{
	struct rtmsg rtm = {.rtm_family = AF_UNSPEC};
	struct dump_ctx ctx = {.iface = iface};
	struct nl_cb *cb, *sock_cb;
	int rc;

	iface->n_routes = 0;
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

/* One request for @r of its family: IPv4 has tos, IPv6 RTA_PREF; the
 * gateway and preferred source only when there is one. */
static int route_change(struct nl_sock *sk, int ifindex,
			const struct pod_route *r, int type, int flags)
{
	size_t alen;
	const void *dst = inany_raw(&r->dst, r->family, &alen);
	const void *gw = inany_raw(&r->gateway, r->family, &alen);
	const void *src = inany_raw(&r->prefsrc, r->family, &alen);
	bool v6 = r->family == AF_INET6;
	struct rtmsg rtm = {
		.rtm_family = (unsigned char)r->family,
		.rtm_dst_len = r->dst_len,
		.rtm_tos = v6 ? 0 : r->tos,
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
	    nla_put(m, RTA_DST, (int)alen, dst) < 0 ||
	    nla_put_u32(m, RTA_OIF, (uint32_t)ifindex) < 0 ||
	    nla_put_u32(m, RTA_PRIORITY, r->priority) < 0 ||
	    (v6 && nla_put_u8(m, RTA_PREF, r->pref) < 0) ||
	    (!inany_is_any(&r->gateway) &&
	     nla_put(m, RTA_GATEWAY, (int)alen, gw) < 0) ||
	    (!inany_is_any(&r->prefsrc) &&
	     nla_put(m, RTA_PREFSRC, (int)alen, src) < 0))
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
	rc = netlink_request(sk, m);
out:
	nlmsg_free(m);
	return rc;
}

/**
 * route_add() - Add a route of either family as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link the route goes through
 * @r:		the route, with its metrics (mtu, advmss, ...), tos or
 *		preference
 *
 * Return: 0, -EEXIST if its key (table, dst, tos or metric) is taken, or
 * another negative errno
 */
int route_add(struct nl_sock *sk, int ifindex, const struct pod_route *r)
{
	return route_change(sk, ifindex, r, RTM_NEWROUTE,
			    NLM_F_CREATE | NLM_F_EXCL);
}

/**
 * route_del() - Delete a route of either family
 * @sk:		netlink socket
 * @ifindex:	the link
 * @r:		the route
 *
 * Return: 0, also when it is already gone (ESRCH, the kernel's "no such
 * route" for both families), or a negative errno
 */
int route_del(struct nl_sock *sk, int ifindex, const struct pod_route *r)
{
	int rc = route_change(sk, ifindex, r, RTM_DELROUTE, 0);

	return rc == -ESRCH ? 0 : rc;
}
