// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's rtnetlink answers read into the pod model. Every attribute
 * comes through nlmsg_parse() (lengths checked); what the record keeps
 * and what is the kernel's own, per kind of object, is decided here. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "nlmsg.h"
#include "pod_nl.h"

/* An address attribute of @af into @ret; absent or odd: none of @af. */
static void attr_addr(const struct nlattr *a, sa_family_t af, union inany *ret)
{
	if (!a || inany_from_raw(ret, af, nlattr_data(a), nlattr_len(a)) < 0)
		inany_any(ret, af);
}

static bool family_ok(int af)
{
	return af == AF_INET || af == AF_INET6;
}

/* Index the attributes of @h if it is a @type message.
 * Return: 1, 0 for another type, or -EBADMSG */
static int parse_of(const struct nlmsghdr *h, uint16_t type, size_t fixed_len,
		    const struct nlattr **tb, unsigned int max)
{
	if (h->nlmsg_type != type)
		return 0;
	return nlmsg_parse(h, fixed_len, tb, max) < 0 ? -EBADMSG : 1;
}

/* IFLA_LINKINFO: the kind, and a macvlan's mode. */
static int link_info(const struct nlattr *li, struct nl_link *ret)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];
	const struct nlattr *mv[IFLA_MACVLAN_MAX + 1];
	const struct nlattr *data;

	if (nlattr_parse(tb, IFLA_INFO_MAX, nlattr_data(li), nlattr_len(li)) <
	    0)
		return -EBADMSG;
	(void)nlattr_str(tb[IFLA_INFO_KIND], ret->kind, sizeof(ret->kind));
	data = tb[IFLA_INFO_DATA];
	if (!data || (strcmp(ret->kind, "macvlan") != 0 &&
		      strcmp(ret->kind, "macvtap") != 0))
		return 0;
	if (nlattr_parse(mv, IFLA_MACVLAN_MAX, nlattr_data(data),
			 nlattr_len(data)) < 0)
		return -EBADMSG;
	ret->macvlan_mode = nlattr_u32(mv[IFLA_MACVLAN_MODE], 0);
	return 0;
}

/**
 * pod_nl_link() - Read one RTM_NEWLINK
 * @h:		the message
 * @ret:	the link
 *
 * Return: 0, -ENOMSG for another message type, or -EBADMSG
 */
int pod_nl_link(const struct nlmsghdr *h, struct nl_link *ret)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct nlattr *mac;
	int rc = parse_of(h, RTM_NEWLINK, sizeof(*ifi), tb, IFLA_MAX);

	if (rc <= 0)
		return rc < 0 ? rc : -ENOMSG;
	memset(ret, 0, sizeof(*ret));
	ret->ifindex = ifi->ifi_index;
	ret->flags = ifi->ifi_flags;
	ret->arptype = ifi->ifi_type;
	(void)nlattr_str(tb[IFLA_IFNAME], ret->name, sizeof(ret->name));
	mac = tb[IFLA_ADDRESS];
	if (mac && nlattr_len(mac) == MAC_LEN) {
		ret->has_mac = true;
		memcpy(ret->mac, nlattr_data(mac), MAC_LEN);
	}
	ret->mtu = nlattr_u32(tb[IFLA_MTU], 0);
	ret->master = (int)nlattr_u32(tb[IFLA_MASTER], 0);
	return tb[IFLA_LINKINFO] ? link_info(tb[IFLA_LINKINFO], ret) : 0;
}

/**
 * pod_nl_neigh() - Read one RTM_NEWNEIGH with an IP address and a MAC
 * @h:		the message
 * @ret:	the entry (dst, lladdr, state, flags) and its link
 *
 * Return: 1 for such an entry, 0 for any other (another family, no MAC),
 * or -EBADMSG
 */
int pod_nl_neigh(const struct nlmsghdr *h, struct nl_neigh *ret)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *nd = NLMSG_DATA(h);
	const struct nlattr *ll;
	int rc = parse_of(h, RTM_NEWNEIGH, sizeof(*nd), tb, NDA_MAX);

	if (rc <= 0)
		return rc;
	ll = tb[NDA_LLADDR];
	if (!family_ok(nd->ndm_family) || !tb[NDA_DST] || !ll ||
	    nlattr_len(ll) != MAC_LEN)
		return 0;
	memset(ret, 0, sizeof(*ret));
	ret->ifindex = nd->ndm_ifindex;
	ret->n.family = nd->ndm_family;
	attr_addr(tb[NDA_DST], nd->ndm_family, &ret->n.dst);
	memcpy(ret->n.lladdr, nlattr_data(ll), MAC_LEN);
	ret->n.state = nd->ndm_state;
	ret->n.flags = nd->ndm_flags;
	return 1;
}

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

/* RTM_NEWADDR into @pa. IFA_LOCAL is the address when there is a peer
 * (IFA_ADDRESS is then the peer's); IFA_FLAGS holds all the flags. */
static void addr_read(const struct ifaddrmsg *ifa, const struct nlattr **tb,
		      struct pod_addr *pa)
{
	sa_family_t af = ifa->ifa_family;
	const struct nlattr *ci = tb[IFA_CACHEINFO];

	pa->family = af;
	attr_addr(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], af,
		  &pa->local);
	pa->prefix_len = ifa->ifa_prefixlen;
	attr_addr(tb[IFA_BROADCAST], af, &pa->broadcast);
	pa->scope = ifa->ifa_scope;
	pa->flags = nlattr_u32(tb[IFA_FLAGS], ifa->ifa_flags);
	if (af == AF_INET)
		(void)nlattr_str(tb[IFA_LABEL], pa->label, sizeof(pa->label));
	if (ci && nlattr_len(ci) >= sizeof(struct ifa_cacheinfo)) {
		struct ifa_cacheinfo c;

		memcpy(&c, nlattr_data(ci), sizeof(c));
		pa->valid_lft = c.ifa_valid;
		pa->preferred_lft = c.ifa_prefered;
	}
}

/**
 * pod_nl_collect_addr() - Dump callback: the link's addresses, both families
 * @h:		one RTM_NEWADDR
 * @arg:	struct pod_nl_collect
 *
 * The kernel's own link-local is noted (iface->v6.kernel_ll), not
 * recorded; privacy addresses (IFA_F_TEMPORARY) are the kernel's too.
 *
 * Return: 0, or -EBADMSG
 */
int pod_nl_collect_addr(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct pod_nl_collect *ctx = arg;
	struct pod_iface *iface = ctx->iface;
	struct pod_addr pa = {0};
	int rc = parse_of(h, RTM_NEWADDR, sizeof(*ifa), tb, IFA_MAX);

	if (rc <= 0 || !family_ok(ifa->ifa_family) ||
	    (int)ifa->ifa_index != iface->ifindex)
		return rc < 0 ? rc : 0;
	addr_read(ifa, tb, &pa);
	if (kernel_link_local(iface, &pa)) {
		iface->v6.kernel_ll = true;
		return 0;
	}
	if (pa.family == AF_INET6 && (pa.flags & IFA_F_TEMPORARY))
		return 0;
	if (iface->n_addrs >= ARRAY_SIZE(iface->addrs)) {
		ctx->overflow = true;
		return 0;
	}
	iface->addrs[iface->n_addrs++] = pa;
	return 0;
}

/**
 * pod_nl_collect_neigh() - Dump callback: the link's static neighbours
 * @h:		one RTM_NEWNEIGH
 * @arg:	struct pod_nl_collect
 *
 * Permanent entries, and noarp ones for a unicast MAC: the others are the
 * kernel's cache (its noarp entries for multicast and broadcast too).
 *
 * Return: 0, or -EBADMSG
 */
int pod_nl_collect_neigh(const struct nlmsghdr *h, void *arg)
{
	struct pod_nl_collect *ctx = arg;
	struct pod_iface *iface = ctx->iface;
	struct nl_neigh e;
	int rc = pod_nl_neigh(h, &e);

	if (rc <= 0)
		return rc;
	if (e.ifindex != iface->ifindex ||
	    !(e.n.state & (NUD_PERMANENT | NUD_NOARP)))
		return 0;
	/* The group bit: multicast, and broadcast (all ones). */
	if (!(e.n.state & NUD_PERMANENT) && (e.n.lladdr[0] & 1))
		return 0;
	if (iface->n_neighs >= ARRAY_SIZE(iface->neighs)) {
		ctx->overflow = true;
		return 0;
	}
	iface->neighs[iface->n_neighs++] = e.n;
	return 0;
}

static bool multipath_uses(const struct nlattr *mp, int ifindex)
{
	const char *p = nlattr_data(mp);
	size_t left = nlattr_len(mp);

	while (left >= sizeof(struct rtnexthop)) {
		struct rtnexthop nh;

		memcpy(&nh, p, sizeof(nh));
		if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > left)
			break;
		if (nh.rtnh_ifindex == ifindex)
			return true;
		if ((size_t)RTNH_ALIGN(nh.rtnh_len) >= left)
			break;
		left -= (size_t)RTNH_ALIGN(nh.rtnh_len);
		p += RTNH_ALIGN(nh.rtnh_len);
	}
	return false;
}

static int fill_metrics(const struct nlattr *m, uint32_t *mask,
			uint32_t metrics[POD_ROUTE_METRICS])
{
	const struct nlattr *tb[POD_ROUTE_METRICS];

	if (!m)
		return 0;
	if (nlattr_parse(tb, POD_ROUTE_METRICS - 1, nlattr_data(m),
			 nlattr_len(m)) < 0)
		return -EBADMSG;
	/* RTAX_CC_ALGO is a name, not a number: not kept. */
	for (int t = 1; t < POD_ROUTE_METRICS; t++) {
		if (t == RTAX_CC_ALGO || !tb[t] || nlattr_len(tb[t]) != 4)
			continue;
		metrics[t] = nlattr_u32(tb[t], 0);
		*mask |= 1u << t;
	}
	return 0;
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

/* One route through the link; the families differ in tos (IPv4) and
 * pref (IPv6). */
static int route_read(const struct rtmsg *rtm, const struct nlattr **tb,
		      struct pod_route *r)
{
	sa_family_t af = rtm->rtm_family;

	r->family = af;
	r->table = nlattr_u32(tb[RTA_TABLE], rtm->rtm_table);
	attr_addr(tb[RTA_DST], af, &r->dst);
	r->dst_len = rtm->rtm_dst_len;
	attr_addr(tb[RTA_GATEWAY], af, &r->gateway);
	attr_addr(tb[RTA_PREFSRC], af, &r->prefsrc);
	r->priority = nlattr_u32(tb[RTA_PRIORITY], 0);
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	r->nh_flags = rtm->rtm_flags & RTNH_F_ONLINK;
	if (af == AF_INET)
		r->tos = rtm->rtm_tos;
	else
		r->pref = nlattr_u8(tb[RTA_PREF], 0);
	return fill_metrics(tb[RTA_METRICS], &r->metric_mask, r->metrics);
}

/**
 * pod_nl_collect_route() - Dump callback: the routes through the link
 * @h:		one RTM_NEWROUTE
 * @arg:	struct pod_nl_collect
 *
 * The kernel's own routes are left out: IPv4's local table (its local and
 * broadcast routes come back with the addresses), IPv6's route6_kernel_own()
 * and cached clones. A multipath route through the link is noted.
 *
 * Return: 0, or -EBADMSG
 */
int pod_nl_collect_route(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm = NLMSG_DATA(h);
	struct pod_nl_collect *ctx = arg;
	struct pod_iface *iface = ctx->iface;
	struct pod_route r = {0};
	int rc = parse_of(h, RTM_NEWROUTE, sizeof(*rtm), tb, RTA_MAX);

	if (rc <= 0 || !family_ok(rtm->rtm_family))
		return rc < 0 ? rc : 0;
	if (tb[RTA_MULTIPATH]) {
		if (multipath_uses(tb[RTA_MULTIPATH], iface->ifindex))
			ctx->multipath = true;
		return 0;
	}
	if ((int)nlattr_u32(tb[RTA_OIF], 0) != iface->ifindex ||
	    (rtm->rtm_family == AF_INET6 && (rtm->rtm_flags & RTM_F_CLONED)))
		return 0;
	if (route_read(rtm, tb, &r) < 0)
		return -EBADMSG;
	if (r.family == AF_INET
		    ? r.table == RT_TABLE_LOCAL && r.protocol == RTPROT_KERNEL
		    : route6_kernel_own(&r))
		return 0;
	if (iface->n_routes >= PODNET_MAX_POD_ROUTES) {
		ctx->overflow = true;
		return 0;
	}
	iface->routes[iface->n_routes++] = r;
	return 0;
}
