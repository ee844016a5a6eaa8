// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor for `make bench`: one process doing the rtnetlink work of the
 * hook's prepare (and release) with raw rtnetlink and no library but libc,
 * so that the hook's figure can be set against what the kernel itself costs.
 *
 * CLI, exactly the hook's (bench.py runs it as it runs the hook):
 *
 *	ip netns exec POD env -i PODNET_STATE_DIR=DIR \
 *		netlink_floor NAME prepare begin -   < domain.xml
 *	ip netns exec POD env -i PODNET_STATE_DIR=DIR \
 *		netlink_floor NAME release end -     < domain.xml
 *
 * stdin is read to EOF and ignored. The pod interface is eth0 and the
 * bridge pn-eth0 (FLOOR_IFACE, FLOOR_BRIDGE override them). Any other
 * event exits 0. Exit 1 with one line on stderr on failure.
 *
 * prepare, the requests the hook sends, in its order:
 *	1 RTM_GETLINK eth0			(ifindex, MTU)
 *	2 RTM_GETADDR dump, AF_INET		(eth0's addresses, recorded)
 *	3 RTM_GETROUTE dump, AF_INET		(eth0's gateway routes,
 *recorded) 4 RTM_GETNEIGH dump			(the hook records permanent
 *ones) 5 RTM_GETLINK pn-eth0			(must not exist: ENODEV) 6
 *RTM_NEWLINK bridge pn-eth0		(MTU and MAC of its own) 7 RTM_NEWLINK
 *addrgenmode none		(no IPv6 link-local on it) write
 * /proc/sys/net/ipv6/conf/pn-eth0/disable_ipv6 8 RTM_DELADDR each address of
 *eth0 9 RTM_NEWLINK eth0 master pn-eth0 10 RTM_NEWLINK pn-eth0 up and the
 *record (addresses and gateway routes) is written to
 * PODNET_STATE_DIR/floor-NAME. No responder is started: the hook's
 * responder start is measured on its own (responder_ready_ms).
 *
 * release: read the record; RTM_DELLINK pn-eth0 (the kernel releases the
 * port); RTM_NEWADDR each recorded address; RTM_NEWROUTE each recorded
 * gateway route; remove the record.
 */
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FLOOR_MAX 16

struct floor_addr {
	struct in_addr local;
	uint8_t prefix_len;
};

struct floor_route {
	struct in_addr dst, gw;
	uint8_t dst_len;
	uint32_t table;
};

struct floor_record {
	uint32_t n_addrs, n_routes;
	struct floor_addr addrs[FLOOR_MAX];
	struct floor_route routes[FLOOR_MAX];
};

static int nl_fd = -1;
static uint32_t nl_seq;
static char nl_buf[65536] __attribute__((aligned(4)));

static void die(const char *what, int err)
{
	fprintf(stderr, "netlink_floor: %s: %s\n", what, strerror(err));
	exit(1);
}

/* A request being built in one buffer. */
struct req {
	struct nlmsghdr *h;
	char buf[1024] __attribute__((aligned(4)));
};

static void *req_init(struct req *r, uint16_t type, uint16_t flags,
		      size_t hdr_len)
{
	memset(r->buf, 0, sizeof(r->buf));
	r->h = (struct nlmsghdr *)r->buf;
	r->h->nlmsg_len = NLMSG_LENGTH(hdr_len);
	r->h->nlmsg_type = type;
	r->h->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	r->h->nlmsg_seq = ++nl_seq;
	return NLMSG_DATA(r->h);
}

static struct rtattr *attr_put(struct req *r, uint16_t type, const void *data,
			       size_t len)
{
	struct rtattr *a =
		(struct rtattr *)(r->buf + NLMSG_ALIGN(r->h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	r->h->nlmsg_len = NLMSG_ALIGN(r->h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void attr_end(struct req *r, struct rtattr *nest)
{
	nest->rta_len =
		(unsigned short)(r->buf + r->h->nlmsg_len - (char *)nest);
}

typedef void (*on_msg)(const struct nlmsghdr *h, void *arg);

/* Send @r, read the answer (every part of a dump); 0 or a negative errno. */
static int talk(struct req *r, on_msg fn, void *arg)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};

	if (sendto(nl_fd, r->buf, r->h->nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(nl_fd, nl_buf, sizeof(nl_buf), 0);
		int len = (int)n;

		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)nl_buf;
		     NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != r->h->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (fn)
				fn(h, arg);
			if (!(h->nlmsg_flags & NLM_F_MULTI) &&
			    !(r->h->nlmsg_flags & NLM_F_ACK))
				return 0;
		}
	}
}

static void on_link(const struct nlmsghdr *h, void *arg)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	uint32_t *mtu = arg;
	int len = (int)IFLA_PAYLOAD(h);

	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len);
	     a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_MTU)
			memcpy(mtu, RTA_DATA(a), sizeof(*mtu));
	mtu[1] = (uint32_t)ifi->ifi_index;
}

/* ifindex and MTU of @name; -ENODEV if it does not exist. */
static int link_get(const char *name, uint32_t *ifindex, uint32_t *mtu)
{
	struct req r;
	struct ifinfomsg *ifi =
		req_init(&r, RTM_GETLINK, NLM_F_ACK, sizeof(*ifi));
	uint32_t got[2] = {0, 0};
	int rc;

	ifi->ifi_family = AF_UNSPEC;
	attr_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	rc = talk(&r, on_link, got);
	if (rc == 0) {
		*mtu = got[0];
		*ifindex = got[1];
	}
	return rc;
}

struct dump_ctx {
	uint32_t ifindex;
	struct floor_record *rec;
};

static void on_addr(const struct nlmsghdr *h, void *arg)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct dump_ctx *c = arg;
	int len = (int)IFA_PAYLOAD(h);

	if (ifa->ifa_index != c->ifindex || ifa->ifa_family != AF_INET ||
	    c->rec->n_addrs >= FLOOR_MAX)
		return;
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type != IFA_LOCAL)
			continue;
		struct floor_addr *fa = &c->rec->addrs[c->rec->n_addrs++];

		memcpy(&fa->local, RTA_DATA(a), sizeof(fa->local));
		fa->prefix_len = ifa->ifa_prefixlen;
	}
}

static void on_route(const struct nlmsghdr *h, void *arg)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	struct dump_ctx *c = arg;
	struct floor_route fr = {.dst_len = rtm->rtm_dst_len,
				 .table = rtm->rtm_table};
	int len = (int)RTM_PAYLOAD(h);
	uint32_t oif = 0;

	for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_OIF)
			memcpy(&oif, RTA_DATA(a), sizeof(oif));
		else if (a->rta_type == RTA_GATEWAY)
			memcpy(&fr.gw, RTA_DATA(a), sizeof(fr.gw));
		else if (a->rta_type == RTA_DST)
			memcpy(&fr.dst, RTA_DATA(a), sizeof(fr.dst));
		else if (a->rta_type == RTA_TABLE)
			memcpy(&fr.table, RTA_DATA(a), sizeof(fr.table));
	}
	/* The kernel makes the others again when the address comes back. */
	if (oif == c->ifindex && fr.gw.s_addr && c->rec->n_routes < FLOOR_MAX)
		c->rec->routes[c->rec->n_routes++] = fr;
}

static int dump(uint16_t type, uint8_t family, on_msg fn, void *arg)
{
	struct req r;
	/* rtgenmsg-sized header is enough for every dump asked here. */
	struct rtmsg *m = req_init(&r, type, NLM_F_DUMP, sizeof(*m));

	m->rtm_family = family;
	return talk(&r, fn, arg);
}

static int link_change(uint32_t ifindex, uint32_t flags, uint32_t change,
		       int master)
{
	struct req r;
	struct ifinfomsg *ifi =
		req_init(&r, RTM_NEWLINK, NLM_F_ACK, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	if (master >= 0) {
		uint32_t m = (uint32_t)master;

		attr_put(&r, IFLA_MASTER, &m, sizeof(m));
	}
	return talk(&r, NULL, NULL);
}

static int bridge_create(const char *name, uint32_t mtu)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
	struct req r;
	struct ifinfomsg *ifi =
		req_init(&r, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
			 sizeof(*ifi));
	struct rtattr *info;

	ifi->ifi_family = AF_UNSPEC;
	attr_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	attr_put(&r, IFLA_MTU, &mtu, sizeof(mtu));
	attr_put(&r, IFLA_ADDRESS, mac, sizeof(mac));
	info = attr_put(&r, IFLA_LINKINFO, NULL, 0);
	attr_put(&r, IFLA_INFO_KIND, "bridge", sizeof("bridge"));
	attr_end(&r, info);
	return talk(&r, NULL, NULL);
}

static int no_ipv6_address(uint32_t ifindex)
{
	struct req r;
	struct ifinfomsg *ifi =
		req_init(&r, RTM_NEWLINK, NLM_F_ACK, sizeof(*ifi));
	struct rtattr *spec, *in6;
	uint8_t mode = IN6_ADDR_GEN_MODE_NONE;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	spec = attr_put(&r, IFLA_AF_SPEC, NULL, 0);
	in6 = attr_put(&r, AF_INET6, NULL, 0);
	attr_put(&r, IFLA_INET6_ADDR_GEN_MODE, &mode, sizeof(mode));
	attr_end(&r, in6);
	attr_end(&r, spec);
	return talk(&r, NULL, NULL);
}

static int addr_change(uint16_t type, uint32_t ifindex,
		       const struct floor_addr *a)
{
	struct req r;
	struct ifaddrmsg *ifa = req_init(
		&r, type,
		NLM_F_ACK |
			(type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0),
		sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = a->prefix_len;
	ifa->ifa_index = ifindex;
	attr_put(&r, IFA_LOCAL, &a->local, sizeof(a->local));
	attr_put(&r, IFA_ADDRESS, &a->local, sizeof(a->local));
	return talk(&r, NULL, NULL);
}

static int route_add(uint32_t ifindex, const struct floor_route *fr)
{
	struct req r;
	struct rtmsg *rtm =
		req_init(&r, RTM_NEWROUTE,
			 NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = fr->dst_len;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	attr_put(&r, RTA_TABLE, &fr->table, sizeof(fr->table));
	if (fr->dst_len)
		attr_put(&r, RTA_DST, &fr->dst, sizeof(fr->dst));
	attr_put(&r, RTA_GATEWAY, &fr->gw, sizeof(fr->gw));
	attr_put(&r, RTA_OIF, &ifindex, sizeof(ifindex));
	return talk(&r, NULL, NULL);
}

static void disable_ipv6(const char *bridge)
{
	char path[128];
	int fd;

	(void)snprintf(path, sizeof(path),
		       "/proc/sys/net/ipv6/conf/%s/disable_ipv6", bridge);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, "1", 1);
		(void)close(fd);
	}
}

static void record_path(char *path, size_t len, const char *name)
{
	const char *dir = getenv("PODNET_STATE_DIR");

	(void)snprintf(path, len, "%s/floor-%s", dir ? dir : "/tmp", name);
}

static void prepare(const char *iface, const char *bridge, const char *path)
{
	static struct floor_record rec;
	struct dump_ctx c = {.rec = &rec};
	uint32_t mtu = 0, br = 0, br_mtu;
	int rc, fd;

	rc = link_get(iface, &c.ifindex, &mtu);
	if (rc < 0)
		die(iface, -rc);
	if ((rc = dump(RTM_GETADDR, AF_INET, on_addr, &c)) < 0 ||
	    (rc = dump(RTM_GETROUTE, AF_INET, on_route, &c)) < 0 ||
	    (rc = dump(RTM_GETNEIGH, AF_UNSPEC, NULL, NULL)) < 0)
		die("dump", -rc);
	rc = link_get(bridge, &br, &br_mtu);
	if (rc != -ENODEV)
		die("bridge exists or cannot be read", rc ? -rc : EEXIST);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
		die(path, errno);
	(void)close(fd);
	rc = bridge_create(bridge, mtu);
	if (rc < 0)
		die("create bridge", -rc);
	br = if_nametoindex(bridge);
	if (!br)
		die("bridge index", errno);
	(void)no_ipv6_address(br);
	disable_ipv6(bridge);
	for (uint32_t i = rec.n_addrs; i-- > 0;) {
		rc = addr_change(RTM_DELADDR, c.ifindex, &rec.addrs[i]);
		if (rc < 0)
			die("delete address", -rc);
	}
	if ((rc = link_change(c.ifindex, 0, 0, (int)br)) < 0)
		die("add to bridge", -rc);
	if ((rc = link_change(br, IFF_UP, IFF_UP, -1)) < 0)
		die("bring bridge up", -rc);
}

static void release(const char *iface, const char *bridge, const char *path)
{
	static struct floor_record rec;
	uint32_t ifindex, br, mtu;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return; /* nothing prepared */
	if (read(fd, &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
		die(path, EIO);
	(void)close(fd);
	if (link_get(bridge, &br, &mtu) == 0) {
		struct req r;
		struct ifinfomsg *ifi =
			req_init(&r, RTM_DELLINK, NLM_F_ACK, sizeof(*ifi));

		ifi->ifi_index = (int)br;
		if ((rc = talk(&r, NULL, NULL)) < 0)
			die("delete bridge", -rc);
	}
	if ((rc = link_get(iface, &ifindex, &mtu)) < 0)
		die(iface, -rc);
	for (uint32_t i = 0; i < rec.n_addrs && i < FLOOR_MAX; i++)
		if ((rc = addr_change(RTM_NEWADDR, ifindex, &rec.addrs[i])) < 0)
			die("add address", -rc);
	for (uint32_t i = 0; i < rec.n_routes && i < FLOOR_MAX; i++)
		if ((rc = route_add(ifindex, &rec.routes[i])) < 0 &&
		    rc != -EEXIST)
			die("add route", -rc);
	(void)unlink(path);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	const char *iface = getenv("FLOOR_IFACE");
	const char *bridge = getenv("FLOOR_BRIDGE");
	int prep, rel;
	char path[512];

	if (argc < 4)
		return 0;
	prep = strcmp(argv[2], "prepare") == 0 && strcmp(argv[3], "begin") == 0;
	rel = strcmp(argv[2], "release") == 0 && strcmp(argv[3], "end") == 0;
	if (!prep && !rel)
		return 0;
	while (read(STDIN_FILENO, nl_buf, sizeof(nl_buf)) > 0)
		;
	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl_fd < 0 ||
	    bind(nl_fd, (struct sockaddr *)&local, sizeof(local)) < 0)
		die("netlink", errno);
	record_path(path, sizeof(path), argv[1]);
	if (prep)
		prepare(iface ? iface : "eth0", bridge ? bridge : "pn-eth0",
			path);
	else
		release(iface ? iface : "eth0", bridge ? bridge : "pn-eth0",
			path);
	return 0;
}
