// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the rtnetlink message builder and parsers: bounds of the
 * builder (oversize attributes, a full request), of the attribute parser
 * (bad nla_len, cut attributes), of the datagram walk (truncated messages,
 * acks, errors with the kernel's extended ack, the end of a dump), and the
 * kernel's answers read into the pod model. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "nlmsg.h"
#include "pod_diff.h"
#include "pod_nl.h"
#include "test.h"

static void build_and_parse_back(void)
{
	struct nlmsg_req req;
	const struct nlattr *tb[IFLA_MAX + 1], *in[IFLA_INFO_MAX + 1];
	struct ifinfomsg *ifi =
		nlmsg_begin(&req, RTM_NEWLINK, NLM_F_CREATE, sizeof(*ifi));
	struct nlattr *nest;
	char name[IFNAMSIZ];

	CHECK(ifi != NULL);
	CHECK_EQ_INT(req.h.nlmsg_len, NLMSG_SPACE(sizeof(*ifi)));
	CHECK_EQ_INT(req.h.nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE);
	ifi->ifi_index = 7;
	CHECK(nlmsg_put_str(&req, IFLA_IFNAME, "pn-eth0"));
	CHECK(nlmsg_put_u32(&req, IFLA_MTU, 1400));
	nest = nlmsg_nest_begin(&req, IFLA_LINKINFO);
	CHECK(nlmsg_put_str(&req, IFLA_INFO_KIND, "bridge"));
	nlmsg_nest_end(&req, nest);
	CHECK(!req.overflow);
	/* Every attribute starts aligned, the message ends aligned. */
	CHECK_EQ_INT(req.h.nlmsg_len % NLMSG_ALIGNTO, 0);
	CHECK_EQ_INT(nlmsg_parse(&req.h, sizeof(*ifi), tb, IFLA_MAX), 0);
	CHECK(nlattr_str(tb[IFLA_IFNAME], name, sizeof(name)));
	CHECK_EQ_STR(name, "pn-eth0");
	CHECK_EQ_INT(nlattr_u32(tb[IFLA_MTU], 0), 1400);
	CHECK(tb[IFLA_ADDRESS] == NULL);
	CHECK_EQ_INT(nlattr_parse(in, IFLA_INFO_MAX,
				  nlattr_data(tb[IFLA_LINKINFO]),
				  nlattr_len(tb[IFLA_LINKINFO])),
		     0);
	CHECK(nlattr_str(in[IFLA_INFO_KIND], name, sizeof(name)));
	CHECK_EQ_STR(name, "bridge");
}

static void builder_bounds(void)
{
	static char big[70000];
	struct nlmsg_req req;
	int n = 0;

	(void)nlmsg_begin(&req, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	/* Larger than nla_len can say, and larger than the request. */
	CHECK(!nlmsg_put(&req, IFLA_IFNAME, big, 0xffff));
	CHECK(req.overflow);
	CHECK(!nlmsg_put_u32(&req, IFLA_MTU, 1)); /* stays refused */
	(void)nlmsg_begin(&req, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	CHECK(!nlmsg_put(&req, IFLA_IFNAME, big, sizeof(big)));
	/* Fill it up: the last append that fits ends exactly at the end. */
	(void)nlmsg_begin(&req, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	while (nlmsg_put_u32(&req, IFLA_MTU, 1))
		n++;
	CHECK_EQ_INT(n,
		     (NLMSG_REQ_SIZE - NLMSG_SPACE(sizeof(struct ifinfomsg))) /
			     8);
	CHECK(req.overflow);
	CHECK(req.h.nlmsg_len <= NLMSG_REQ_SIZE);
	CHECK(nlmsg_nest_begin(&req, IFLA_LINKINFO) == NULL);
	nlmsg_nest_end(&req, NULL);
	/* A family header that cannot fit. */
	CHECK(nlmsg_begin(&req, RTM_NEWLINK, 0, NLMSG_REQ_SIZE) == NULL);
	CHECK(req.overflow);
}

/* Attributes by hand: @words 32-bit words, lengths as given. */
static int parse_words(const uint32_t *words, size_t len)
{
	const struct nlattr *tb[8];

	return nlattr_parse(tb, 7, words, len);
}

static void parser_bounds(void)
{
	/* nla_len 8, type 1, payload; then nla_len 8, type 2. */
	uint32_t good[4] = {8 | 1u << 16, 42, 8 | 2u << 16, 43};
	uint32_t short_len[2] = {3 | 1u << 16, 0};
	uint32_t past_end[2] = {12 | 1u << 16, 0};
	const struct nlattr *tb[8];
	uint32_t pad[3] = {5 | 1u << 16, 0x41, 0};

	CHECK_EQ_INT(parse_words(good, sizeof(good)), 0);
	CHECK_EQ_INT(nlattr_parse(tb, 7, good, sizeof(good)), 0);
	CHECK_EQ_INT(nlattr_u32(tb[1], 0), 42);
	CHECK_EQ_INT(nlattr_u32(tb[2], 0), 43);
	/* nla_len below its own header, past the end, a cut header. */
	CHECK_EQ_INT(parse_words(short_len, sizeof(short_len)), -EBADMSG);
	CHECK_EQ_INT(parse_words(past_end, sizeof(past_end)), -EBADMSG);
	CHECK_EQ_INT(parse_words(good, sizeof(good) - 2), -EBADMSG);
	CHECK_EQ_INT(parse_words(good, 6), -EBADMSG);
	/* A 1-byte payload padded to 4, the run ending in its padding. */
	CHECK_EQ_INT(nlattr_parse(tb, 7, pad, 8), 0);
	CHECK_EQ_INT(nlattr_u8(tb[1], 0), 0x41);
	CHECK_EQ_INT(nlattr_u32(tb[1], 9), 9); /* not 4 bytes: absent */
	/* Types above max are skipped, not an error. */
	CHECK_EQ_INT(nlattr_parse(tb, 1, good, sizeof(good)), 0);
	CHECK_EQ_INT(nlattr_u32(tb[1], 0), 42);
}

/* A datagram being put together for the walk. */
struct dgram {
	union {
		struct nlmsghdr h;
		char buf[2048];
	};
	size_t len;
};

static struct nlmsghdr *add_msg(struct dgram *d, uint16_t type, uint32_t seq,
				uint16_t flags, const void *payload, size_t n)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(d->buf + d->len);

	h->nlmsg_len = (uint32_t)NLMSG_LENGTH(n);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = 0;
	memcpy(NLMSG_DATA(h), payload, n);
	d->len += NLMSG_ALIGN(h->nlmsg_len);
	return h;
}

static int count_cb(const struct nlmsghdr *h, void *arg)
{
	(void)h;
	++*(int *)arg;
	return 0;
}

static void walk_dump(void)
{
	struct dgram d = {.len = 0};
	struct nlmsg_status st = {0};
	struct rtmsg rtm = {.rtm_family = AF_INET};
	int done_err = 0, n = 0;

	add_msg(&d, RTM_NEWROUTE, 5, NLM_F_MULTI, &rtm, sizeof(rtm));
	add_msg(&d, RTM_NEWROUTE, 4, NLM_F_MULTI, &rtm, sizeof(rtm)); /* old */
	add_msg(&d, RTM_NEWROUTE, 5, NLM_F_MULTI | NLM_F_DUMP_INTR, &rtm,
		sizeof(rtm));
	add_msg(&d, NLMSG_DONE, 5, NLM_F_MULTI, &done_err, sizeof(done_err));
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, count_cb, &n, &st), 0);
	CHECK_EQ_INT(n, 2);
	CHECK(st.done);
	CHECK(st.intr);
	CHECK_EQ_INT(st.error, 0);

	/* The dump's own error in NLMSG_DONE. */
	memset(&st, 0, sizeof(st));
	d.len = 0;
	done_err = -EPERM;
	add_msg(&d, NLMSG_DONE, 5, NLM_F_MULTI, &done_err, sizeof(done_err));
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, NULL, NULL, &st), 0);
	CHECK(st.done);
	CHECK_EQ_INT(st.error, -EPERM);
}

static void walk_truncated(void)
{
	struct dgram d = {.len = 0};
	struct nlmsg_status st = {0};
	struct rtmsg rtm = {.rtm_family = AF_INET};
	struct nlmsghdr *h;
	int n = 0;

	add_msg(&d, RTM_NEWROUTE, 5, NLM_F_MULTI, &rtm, sizeof(rtm));
	h = add_msg(&d, RTM_NEWROUTE, 5, NLM_F_MULTI, &rtm, sizeof(rtm));
	/* The datagram ends inside the second message. */
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len - 4, 5, count_cb, &n, &st),
		     -EBADMSG);
	CHECK_EQ_INT(n, 1);
	/* A length below the header's own: no endless walk. */
	h->nlmsg_len = 4;
	n = 0;
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, count_cb, &n, &st), -EBADMSG);
	/* An unaligned last length is within the datagram: fine. */
	h->nlmsg_len = (uint32_t)NLMSG_LENGTH(sizeof(rtm)) - 1;
	n = 0;
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len - 1, 5, count_cb, &n, &st), 0);
	CHECK_EQ_INT(n, 2);
	/* An error too short for its errno. */
	d.len = 0;
	add_msg(&d, NLMSG_ERROR, 5, 0, &rtm, 2);
	memset(&st, 0, sizeof(st));
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, NULL, NULL, &st), -EBADMSG);
	CHECK(!st.done);
}

/* An NLMSG_ERROR as the kernel sends it: the error, the request's header
 * (capped) or all of it, then the extended ack's attributes. */
static void add_error(struct dgram *d, int error, bool capped, const char *msg,
		      uint16_t msg_len_over)
{
	char payload[512];
	struct nlmsgerr e = {.error = error};
	size_t n = sizeof(e), req_extra = capped ? 0 : 12;
	struct nlattr a;
	uint16_t flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);

	e.msg.nlmsg_len = (uint32_t)(sizeof(e.msg) + req_extra);
	e.msg.nlmsg_type = RTM_NEWROUTE;
	memset(payload, 0x55, sizeof(payload));
	memcpy(payload, &e, sizeof(e));
	n += req_extra;
	n = NLMSG_ALIGN(n);
	a.nla_type = NLMSGERR_ATTR_MSG;
	a.nla_len = (uint16_t)(NLA_HDRLEN + strlen(msg) + 1 + msg_len_over);
	memcpy(payload + n, &a, sizeof(a));
	memcpy(payload + n + NLA_HDRLEN, msg, strlen(msg) + 1);
	n += NLA_ALIGN(NLA_HDRLEN + strlen(msg) + 1);
	add_msg(d, NLMSG_ERROR, 5, flags, payload, n);
}

static void walk_errors(void)
{
	struct dgram d = {.len = 0};
	struct nlmsg_status st = {0};
	struct nlmsgerr ack = {.error = 0};

	add_msg(&d, NLMSG_ERROR, 5, 0, &ack, sizeof(ack));
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, NULL, NULL, &st), 0);
	CHECK(st.done);
	CHECK_EQ_INT(st.error, 0);

	for (int capped = 0; capped < 2; capped++) {
		d.len = 0;
		memset(&st, 0, sizeof(st));
		add_error(&d, -ENETUNREACH, capped,
			  "Nexthop has invalid gateway", 0);
		CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, NULL, NULL, &st), 0);
		CHECK_EQ_INT(st.error, -ENETUNREACH);
		CHECK_EQ_STR(st.ext_msg, "Nexthop has invalid gateway");
	}
	/* An extended ack whose nla_len runs past the message: the errno
	 * stays, the text is dropped. */
	d.len = 0;
	memset(&st, 0, sizeof(st));
	add_error(&d, -EINVAL, true, "too long", 200);
	CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, NULL, NULL, &st), 0);
	CHECK_EQ_INT(st.error, -EINVAL);
	CHECK_EQ_STR(st.ext_msg, "");
	/* A message longer than the status keeps: dropped, not cut. */
	{
		char longmsg[NLMSG_EXT_MSG_MAX + 10];

		memset(longmsg, 'x', sizeof(longmsg) - 1);
		longmsg[sizeof(longmsg) - 1] = '\0';
		d.len = 0;
		memset(&st, 0, sizeof(st));
		add_error(&d, -EINVAL, true, longmsg, 0);
		CHECK_EQ_INT(nlmsg_walk(d.buf, d.len, 5, NULL, NULL, &st), 0);
		CHECK_EQ_STR(st.ext_msg, "");
	}
}

/* A route message as the kernel dumps it, built with the request builder. */
static void route_msg(struct nlmsg_req *m, int oif, bool bad_metrics)
{
	struct rtmsg *rtm = nlmsg_begin(m, RTM_NEWROUTE, 0, sizeof(*rtm));
	uint8_t gw[4] = {198, 51, 100, 1}, dst[4] = {198, 51, 100, 0};
	struct nlattr *mx;

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_flags = RTNH_F_ONLINK;
	(void)nlmsg_put_u32(m, RTA_TABLE, 100);
	(void)nlmsg_put(m, RTA_DST, dst, 4);
	(void)nlmsg_put(m, RTA_GATEWAY, gw, 4);
	(void)nlmsg_put_u32(m, RTA_OIF, (uint32_t)oif);
	(void)nlmsg_put_u32(m, RTA_PRIORITY, 50);
	mx = nlmsg_nest_begin(m, RTA_METRICS);
	(void)nlmsg_put_u32(m, RTAX_MTU, 1400);
	(void)nlmsg_put_u8(m, RTAX_ADVMSS, 1); /* not 4 bytes: not kept */
	nlmsg_nest_end(m, mx);
	if (bad_metrics)
		mx->nla_len = (uint16_t)(mx->nla_len + 64);
}

static void pod_route_from_kernel(void)
{
	static struct pod_iface iface;
	struct pod_nl_collect ctx = {.iface = &iface};
	struct nlmsg_req m;
	const struct pod_route *r = &iface.routes[0];
	char text[200];

	iface.ifindex = 3;
	route_msg(&m, 3, false);
	CHECK_EQ_INT(pod_nl_collect_route(&m.h, &ctx), 0);
	CHECK_EQ_INT(iface.n_routes, 1);
	CHECK_EQ_INT(r->table, 100);
	CHECK_EQ_INT(r->priority, 50);
	CHECK_EQ_INT(r->nh_flags, RTNH_F_ONLINK);
	CHECK_EQ_INT(r->metric_mask, 1u << RTAX_MTU);
	CHECK_EQ_INT(r->metrics[RTAX_MTU], 1400);
	(void)pod_route_text(r, text, sizeof(text));
	CHECK_EQ_STR(
		text,
		"198.51.100.0/24 via 198.51.100.1 table 100 proto 4 scope 0");
	/* Another link's: not ours. */
	route_msg(&m, 4, false);
	CHECK_EQ_INT(pod_nl_collect_route(&m.h, &ctx), 0);
	CHECK_EQ_INT(iface.n_routes, 1);
	/* A nest whose length runs past the message. */
	route_msg(&m, 3, true);
	CHECK_EQ_INT(pod_nl_collect_route(&m.h, &ctx), -EBADMSG);
	CHECK_EQ_INT(iface.n_routes, 1);
	/* Shorter than its rtmsg. */
	m.h.nlmsg_len = NLMSG_LENGTH(4);
	CHECK_EQ_INT(pod_nl_collect_route(&m.h, &ctx), -EBADMSG);
}

static void pod_multipath_seen(void)
{
	static struct pod_iface iface;
	struct pod_nl_collect ctx = {.iface = &iface};
	struct nlmsg_req m;
	struct rtnexthop nh[2] = {
		{.rtnh_len = sizeof(struct rtnexthop), .rtnh_ifindex = 9},
		{.rtnh_len = sizeof(struct rtnexthop), .rtnh_ifindex = 3}};
	struct rtmsg *rtm = nlmsg_begin(&m, RTM_NEWROUTE, 0, sizeof(*rtm));

	iface.ifindex = 3;
	rtm->rtm_family = AF_INET;
	(void)nlmsg_put(&m, RTA_MULTIPATH, nh, sizeof(nh));
	CHECK_EQ_INT(pod_nl_collect_route(&m.h, &ctx), 0);
	CHECK(ctx.multipath);
	CHECK_EQ_INT(iface.n_routes, 0);
	/* A next hop whose length runs past the attribute: walk stops. */
	ctx.multipath = false;
	nh[0].rtnh_len = 200;
	rtm = nlmsg_begin(&m, RTM_NEWROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	(void)nlmsg_put(&m, RTA_MULTIPATH, nh, sizeof(nh));
	CHECK_EQ_INT(pod_nl_collect_route(&m.h, &ctx), 0);
	CHECK(!ctx.multipath);
}

static void pod_addr_neigh_link(void)
{
	static struct pod_iface iface;
	struct pod_nl_collect ctx = {.iface = &iface};
	struct nlmsg_req m;
	uint8_t a4[4] = {198, 51, 100, 10}, peer[4] = {198, 51, 100, 99};
	uint8_t mac[MAC_LEN] = {2, 0, 0, 0, 0, 1};
	struct ifa_cacheinfo ci = {.ifa_prefered = 30, .ifa_valid = 60};
	struct ifaddrmsg *ifa = nlmsg_begin(&m, RTM_NEWADDR, 0, sizeof(*ifa));
	struct ndmsg *nd;
	struct ifinfomsg *ifi;
	struct nlattr *li, *data;
	struct nl_link link;

	iface.ifindex = 3;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 3;
	(void)nlmsg_put(&m, IFA_ADDRESS, peer, 4);
	(void)nlmsg_put(&m, IFA_LOCAL, a4, 4);
	(void)nlmsg_put_u32(&m, IFA_FLAGS, IFA_F_NOPREFIXROUTE);
	(void)nlmsg_put_str(&m, IFA_LABEL, "eth0:1");
	(void)nlmsg_put(&m, IFA_CACHEINFO, &ci, sizeof(ci));
	CHECK_EQ_INT(pod_nl_collect_addr(&m.h, &ctx), 0);
	CHECK_EQ_INT(iface.n_addrs, 1);
	CHECK(memcmp(&iface.addrs[0].local.v4.a4, a4, 4) == 0);
	CHECK_EQ_INT(iface.addrs[0].flags, IFA_F_NOPREFIXROUTE);
	CHECK_EQ_STR(iface.addrs[0].label, "eth0:1");
	CHECK_EQ_INT(iface.addrs[0].valid_lft, 60);
	CHECK_EQ_INT(iface.addrs[0].preferred_lft, 30);

	nd = nlmsg_begin(&m, RTM_NEWNEIGH, 0, sizeof(*nd));
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = 3;
	nd->ndm_state = NUD_PERMANENT;
	(void)nlmsg_put(&m, NDA_DST, peer, 4);
	(void)nlmsg_put(&m, NDA_LLADDR, mac, 5); /* not a MAC: skipped */
	CHECK_EQ_INT(pod_nl_collect_neigh(&m.h, &ctx), 0);
	CHECK_EQ_INT(iface.n_neighs, 0);
	nd = nlmsg_begin(&m, RTM_NEWNEIGH, 0, sizeof(*nd));
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = 3;
	nd->ndm_state = NUD_PERMANENT;
	(void)nlmsg_put(&m, NDA_DST, peer, 4);
	(void)nlmsg_put(&m, NDA_LLADDR, mac, MAC_LEN);
	CHECK_EQ_INT(pod_nl_collect_neigh(&m.h, &ctx), 0);
	CHECK_EQ_INT(iface.n_neighs, 1);
	CHECK_EQ_INT(iface.neighs[0].lladdr[5], 1);

	ifi = nlmsg_begin(&m, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_index = 3;
	ifi->ifi_type = 1;
	(void)nlmsg_put_str(&m, IFLA_IFNAME, "eth0");
	(void)nlmsg_put(&m, IFLA_ADDRESS, mac, MAC_LEN);
	li = nlmsg_nest_begin(&m, IFLA_LINKINFO);
	(void)nlmsg_put_str(&m, IFLA_INFO_KIND, "macvlan");
	data = nlmsg_nest_begin(&m, IFLA_INFO_DATA);
	(void)nlmsg_put_u32(&m, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
	nlmsg_nest_end(&m, data);
	nlmsg_nest_end(&m, li);
	CHECK_EQ_INT(pod_nl_link(&m.h, &link), 0);
	CHECK_EQ_STR(link.name, "eth0");
	CHECK_EQ_STR(link.kind, "macvlan");
	CHECK_EQ_INT(link.macvlan_mode, MACVLAN_MODE_BRIDGE);
	CHECK(link.has_mac);
	data->nla_len = 2; /* shorter than its header */
	CHECK_EQ_INT(pod_nl_link(&m.h, &link), -EBADMSG);
}

int main(void)
{
	RUN(build_and_parse_back);
	RUN(builder_bounds);
	RUN(parser_bounds);
	RUN(walk_dump);
	RUN(walk_truncated);
	RUN(walk_errors);
	RUN(pod_route_from_kernel);
	RUN(pod_multipath_seen);
	RUN(pod_addr_neigh_link);
	return TEST_SUMMARY();
}
