// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the state record: text round trip, damage detection, files. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"
#include "statedir.h"
#include "pod_build.h"
#include "test.h"

/* A dual-stack subnet pod: a /64 and a nodad /128, the kernel's on-link
 * route, a default route with a preference and an MTU, a permanent
 * neighbour, the router, the sysctls and an IPv6 name server. */
static void add_ipv6(struct state_record *r)
{
	struct pod_iface *o = &r->ifaces[0].orig;
	struct pod_neigh *n;
	struct pod_addr *a;
	struct pod_route *rt;

	inet_pton(AF_INET6, "2001:db8::53", &r->dns.nameservers6[0]);
	r->dns.n_nameservers6 = 1;
	a = pod_build_addr(o, "2001:db8:1::10", 64);
	a->flags = 0x80;
	a->valid_lft = POD_LIFETIME_FOREVER;
	a->preferred_lft = POD_LIFETIME_FOREVER;
	a = pod_build_addr(o, "2001:db8:2::10", 128);
	a->flags = 0x80 | 0x02 | 0x200;
	a->valid_lft = 86400;
	a->preferred_lft = 3600;
	rt = &o->routes[o->n_routes++];
	*rt = pod_build_route("2001:db8:1::", 64, "::");
	rt->priority = 256;
	rt->protocol = 2;
	rt = &o->routes[o->n_routes++];
	*rt = pod_build_route("::", 0, "2001:db8:1::1");
	inany_pton(AF_INET6, "2001:db8:1::10", &rt->prefsrc);
	rt->priority = 1024;
	rt->protocol = 3;
	rt->nh_flags = 4;
	rt->pref = 1;
	rt->metric_mask = 1u << 2;
	rt->metrics[2] = 1400;
	n = &o->neighs[o->n_neighs++];
	n->family = AF_INET6;
	inany_pton(AF_INET6, "2001:db8:1::1", &n->dst);
	memcpy(n->lladdr, "\x0a\x58\xc6\x33\x64\x01", 6);
	n->state = 0x80;
	n->flags = 0x80;
	inet_pton(AF_INET6, "fe80::858:c6ff:fe33:6401", &o->v6.router_ll);
	memcpy(o->v6.router_mac, "\x0a\x58\xc6\x33\x64\x01", 6);
	o->v6.sysctl6 = (struct pod_sysctl6){.disable_ipv6 = 0,
					     .accept_ra = 1,
					     .accept_dad = 1,
					     .addr_gen_mode = 0};
}

static struct state_record *sample(void)
{
	struct state_record *r = calloc(1, sizeof(*r));
	struct state_iface *s = &r->ifaces[0];

	snprintf(r->domain, sizeof(r->domain), "my vm (test)");
	snprintf(r->uuid, sizeof(r->uuid),
		 "11111111-2222-3333-4444-555555555555");
	snprintf(r->hostname, sizeof(r->hostname), "vm1");
	r->phase = STATE_PHASE_READY;
	r->responder_pid = 4242;
	r->responder_start = 123456789ULL;
	inet_pton(AF_INET, "198.51.100.53", &r->dns.servers[0]);
	r->dns.n_servers = 1;
	snprintf(r->dns.search[0], sizeof(r->dns.search[0]),
		 "pod.example.test");
	r->dns.n_search = 1;
	r->n_ifaces = 1;
	snprintf(s->orig.name, sizeof(s->orig.name), "eth0");
	s->orig.ifindex = 2;
	memcpy(s->orig.mac, "\x0a\x58\xc6\x33\x64\x0a", 6);
	s->orig.mtu = 1400;
	(void)pod_build_addr(&s->orig, "198.51.100.10", 24);
	s->orig.addrs[0].flags = 128;
	snprintf(s->orig.addrs[0].label, IFNAMSIZ, "eth0");
	s->orig.routes[s->orig.n_routes++] =
		pod_build_route("0.0.0.0", 0, "169.254.1.1");
	s->orig.routes[0].table = 254;
	s->orig.routes[0].protocol = 3;
	s->orig.routes[0].type = 1;
	s->orig.routes[0].nh_flags = 4;
	s->orig.routes[0].tos = 16;
	/* Cilium's `mtu 1350` and an advmss: RTA_METRICS come back too. */
	s->orig.routes[0].metric_mask = 1u << 2 | 1u << 8;
	s->orig.routes[0].metrics[2] = 1350;
	s->orig.routes[0].metrics[8] = 1310;
	s->orig.addrs[0].valid_lft = 0xffffffffu;
	s->orig.addrs[0].preferred_lft = 3600;
	s->orig.link_flags = 0x1003;
	/* AWS VPC CNI's permanent neighbour for its gateway. */
	s->orig.n_neighs = 1;
	s->orig.neighs[0].family = AF_INET;
	inany_pton(AF_INET, "169.254.1.1", &s->orig.neighs[0].dst);
	memcpy(s->orig.neighs[0].lladdr, "\xee\xee\xee\xee\xee\xee", 6);
	s->orig.neighs[0].state = 0x80;
	memcpy(s->vm_mac, "\x52\x54\x00\x12\x34\x56", 6);
	/* The tag's DHCP side: lease time, NTP, next server, options. */
	dhcp_extras_init(&s->dhcp);
	s->dhcp.lease_seconds = 3600;
	s->dhcp.n_ntp = 2;
	inet_pton(AF_INET, "198.51.100.123", &s->dhcp.ntp[0]);
	inet_pton(AF_INET, "198.51.100.124", &s->dhcp.ntp[1]);
	inet_pton(AF_INET, "198.51.100.5", &s->dhcp.siaddr);
	dhcp_extras_add(&s->dhcp, 67, "pxelinux.0", 10);
	dhcp_extras_add(&s->dhcp, 224, "\x00\x01\xff", 3);
	snprintf(s->bridge, sizeof(s->bridge), "pn-eth0");
	s->bridge_owned = true;
	s->pod_mac_changed = true;
	memcpy(s->temp_mac, "\x02\x00\x00\x00\x00\x01", 6);
	add_ipv6(r);
	return r;
}

static void round_trip(void)
{
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	char text[8192];
	int len = state_format(r, text, sizeof(text));

	CHECK(len > 0);
	/* Version 5: one addr, route and neigh line for both families. */
	CHECK(strstr(text, "podnet-state 5\n") == text);
	CHECK(strstr(text, "\nincoming\n") == NULL);
	CHECK(strstr(text,
		     "\naddr 0 198.51.100.10/24 brd 0.0.0.0 scope 0 "
		     "flags 128 label eth0 lft 4294967295 3600\n") != NULL);
	CHECK(strstr(text, "\naddr 0 2001:db8:2::10/128 scope 0 flags 642 "
			   "lft 86400 3600\n") != NULL);
	CHECK(strstr(text, "\nroute 0 table 254 dst ::/0 gw 2001:db8:1::1 "
			   "src 2001:db8:1::10 metric 1024 proto 3 scope 0 "
			   "type 1 nhflags 4 pref 1 metrics 2=1400\n") != NULL);
	CHECK(strstr(text, "\nneigh 0 2001:db8:1::1 lladdr 0a:58:c6:33:64:01 "
			   "state 128 flags 128\n") != NULL);
	CHECK(strstr(text, "addr6 ") == NULL &&
	      strstr(text, "route6 ") == NULL &&
	      strstr(text, "neigh6 ") == NULL);
	CHECK(strstr(text, "\nrouter6 0 fe80::858:c6ff:fe33:6401 mac "
			   "0a:58:c6:33:64:01\n") != NULL);
	CHECK(strstr(text, "\nsysctl6 0 disable_ipv6 0 accept_ra 1 "
			   "accept_dad 1 addr_gen_mode 0\n") != NULL);
	CHECK(strstr(text, "\ndns6 2001:db8::53\n") != NULL);
	CHECK_EQ_INT(state_parse(text, (size_t)len, back), 0);
	CHECK_EQ_STR(back->domain, "my vm (test)");
	CHECK_EQ_STR(back->uuid, r->uuid);
	CHECK_EQ_INT(back->phase, STATE_PHASE_READY);
	CHECK_EQ_INT(back->responder_pid, 4242);
	CHECK(back->responder_start == 123456789ULL);
	CHECK_EQ_INT(back->dns.n_servers, 1);
	CHECK_EQ_INT(back->dns.n_nameservers6, 1);
	CHECK(memcmp(&back->dns, &r->dns, sizeof(r->dns)) == 0);
	CHECK_EQ_STR(back->dns.search[0], "pod.example.test");
	CHECK_EQ_INT(back->n_ifaces, 1);
	CHECK(memcmp(&back->ifaces[0].orig, &r->ifaces[0].orig,
		     sizeof(r->ifaces[0].orig)) == 0);
	CHECK(memcmp(back->ifaces[0].temp_mac, r->ifaces[0].temp_mac, 6) == 0);
	CHECK(back->ifaces[0].bridge_owned && back->ifaces[0].pod_mac_changed);
	CHECK_EQ_STR(back->ifaces[0].bridge, "pn-eth0");
	CHECK(memcmp(&back->ifaces[0].dhcp, &r->ifaces[0].dhcp,
		     sizeof(r->ifaces[0].dhcp)) == 0);
	free(r);
	free(back);
}

/* Version 5's "incoming" line: written for an incoming migration, read
 * back; a version-4 record (no such line) is an ordinary start, and one
 * with the line is damaged. */
static void version5_incoming(void)
{
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	static char text[8192];
	char *magic;
	int len;

	r->incoming = true;
	len = state_format(r, text, sizeof(text));
	CHECK(len > 0);
	CHECK(strstr(text, "\nphase ready\nincoming\nresponder ") != NULL);
	CHECK_EQ_INT(state_parse(text, (size_t)len, back), 0);
	CHECK(back->incoming);
	/* The same text as version 4: refused (the line is not v4's). */
	magic = strstr(text, "podnet-state 5");
	CHECK(magic == text);
	text[13] = '4';
	CHECK_EQ_INT(state_parse(text, (size_t)len, back), -EINVAL);
	r->incoming = false;
	len = state_format(r, text, sizeof(text));
	text[13] = '4';
	memset(back, 0, sizeof(*back));
	CHECK_EQ_INT(state_parse(text, (size_t)len, back), 0);
	CHECK(!back->incoming);
	CHECK_EQ_STR(back->uuid, r->uuid);
	free(r);
	free(back);
}

/* A record written by the version before IPv6 is still read: it has no
 * IPv6 facts, and its sysctls are unknown, so restore leaves them alone. */
static void version2_is_read(void)
{
	struct state_record *back = calloc(1, sizeof(*back));
	const char *v2 =
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"iface 0 pod eth0 ifindex 2 mac 0a:58:c6:33:64:0a mtu 1400 "
		"flags 4099\n"
		"iface 0 vm_mac 52:54:00:12:34:56 bridge pn-eth0 owned 1 "
		"bridge_mac 02:00:00:00:00:01 pod_mac_changed 0 temp_mac "
		"00:00:00:00:00:00\n"
		"addr 0 198.51.100.10/24 brd 0.0.0.0 scope 0 flags 128 label "
		"eth0 lft 4294967295 4294967295\nend\n";

	CHECK_EQ_INT(state_parse(v2, strlen(v2), back), 0);
	CHECK_EQ_INT(back->ifaces[0].orig.n_addrs, 1);
	CHECK_EQ_INT(pod_count(back->ifaces[0].orig.addrs,
			       back->ifaces[0].orig.n_addrs, AF_INET6),
		     0);
	CHECK_EQ_INT(pod_count(back->ifaces[0].orig.routes,
			       back->ifaces[0].orig.n_routes, AF_INET6),
		     0);
	CHECK_EQ_INT(back->ifaces[0].orig.v6.sysctl6.disable_ipv6,
		     POD_SYSCTL6_UNKNOWN);
	CHECK_EQ_INT(back->ifaces[0].orig.v6.sysctl6.addr_gen_mode,
		     POD_SYSCTL6_UNKNOWN);
	CHECK(IN6_IS_ADDR_UNSPECIFIED(&back->ifaces[0].orig.v6.router_ll));
	free(back);
}

/* A record of version 3 (IPv6 in addr6, route6 and neigh6 lines; addr,
 * route and neigh lines are IPv4's) is read into the same objects a
 * version-4 record gives, and written back as version 4. */
static void version3_is_read(void)
{
	struct state_record *back = calloc(1, sizeof(*back));
	struct state_record *again = calloc(1, sizeof(*again));
	const struct pod_iface *o = &back->ifaces[0].orig;
	char text[8192], v6[INANY_ADDRSTRLEN];
	const char *head =
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"iface 0 pod eth0 ifindex 2 mac 0a:58:c6:33:64:0a mtu 1400 "
		"flags 4099\n"
		"iface 0 vm_mac 52:54:00:12:34:56 bridge pn-eth0 owned 1 "
		"bridge_mac 02:00:00:00:00:01 pod_mac_changed 0 temp_mac "
		"00:00:00:00:00:00\n";
	const char *body =
		"addr 0 198.51.100.10/24 brd 198.51.100.255 scope 0 flags 128 "
		"label eth0 lft 4294967295 4294967295\n"
		"route 0 table 254 dst 0.0.0.0/0 gw 198.51.100.1 src 0.0.0.0 "
		"metric 0 proto 3 scope 0 type 1 nhflags 0 tos 16 metrics -\n"
		"neigh 0 198.51.100.1 lladdr ee:ee:ee:ee:ee:ee state 128 "
		"flags 0\n"
		"addr6 0 2001:db8:1::10/64 scope 0 flags 128 lft 4294967295 "
		"4294967295\n"
		"route6 0 table 254 dst ::/0 gw 2001:db8:1::1 src :: metric "
		"1024 proto 3 scope 0 type 1 nhflags 0 pref 1 metrics 2=1400\n"
		"neigh6 0 2001:db8:1::1 lladdr 0a:58:c6:33:64:01 state 128 "
		"flags 0\nend\n";
	int len = snprintf(text, sizeof(text), "%s%s", head, body);

	CHECK_EQ_INT(state_parse(text, (size_t)len, back), 0);
	CHECK_EQ_INT(o->n_addrs, 2);
	CHECK_EQ_INT(o->addrs[0].family, AF_INET);
	CHECK_EQ_INT(o->addrs[1].family, AF_INET6);
	CHECK_EQ_STR(inany_ntop(&o->addrs[1].local, v6), "2001:db8:1::10");
	CHECK_EQ_STR(o->addrs[0].label, "eth0");
	CHECK_EQ_INT(o->n_routes, 2);
	CHECK_EQ_INT(o->routes[0].tos, 16);
	CHECK_EQ_INT(o->routes[1].family, AF_INET6);
	CHECK_EQ_INT(o->routes[1].pref, 1);
	CHECK_EQ_INT(o->routes[1].metrics[2], 1400);
	CHECK_EQ_INT(o->n_neighs, 2);
	CHECK_EQ_INT(o->neighs[1].family, AF_INET6);
	/* Written again, as version 5, it reads back the same. */
	len = state_format(back, text, sizeof(text));
	CHECK(len > 0 && strstr(text, "podnet-state 5\n") == text);
	CHECK_EQ_INT(state_parse(text, (size_t)len, again), 0);
	CHECK(memcmp(&again->ifaces[0].orig, o, sizeof(*o)) == 0);
	/* In version 3 an addr, route or neigh line is IPv4's. */
	len = snprintf(text, sizeof(text), "%s%s", head,
		       "addr 0 2001:db8:1::10/64 scope 0 flags 128 lft 1 1\n"
		       "end\n");
	CHECK_EQ_INT(state_parse(text, (size_t)len, again), -EINVAL);
	/* And a version-3 keyword keeps its family in any version. */
	len = snprintf(text, sizeof(text), "%s%s", head,
		       "neigh6 0 198.51.100.1 lladdr ee:ee:ee:ee:ee:ee "
		       "state 128 flags 0\nend\n");
	CHECK_EQ_INT(state_parse(text, (size_t)len, again), -EINVAL);
	/* Version 4 has no addr6, route6 or neigh6 lines: one is damage. */
	len = snprintf(text, sizeof(text), "podnet-state 4%s%s",
		       strchr(head, '\n'),
		       "addr6 0 2001:db8:1::10/64 scope 0 flags 128 lft 1 1\n"
		       "end\n");
	CHECK_EQ_INT(state_parse(text, (size_t)len, again), -EINVAL);
	free(back);
	free(again);
}

/* Keep only the IPv6 objects of ARR[0..N), in their order. */
#define KEEP_IPV6(arr, n)                                                      \
	do {                                                                   \
		size_t kept_ = 0;                                              \
		for (size_t i_ = 0; i_ < (n); i_++)                            \
			if ((arr)[i_].family == AF_INET6)                      \
				(arr)[kept_++] = (arr)[i_];                    \
		memset(&(arr)[kept_], 0, ((n)-kept_) * sizeof((arr)[0]));      \
		(n) = kept_;                                                   \
	} while (0)

/* An IPv6-only pod: no IPv4 address at all is a valid record. */
static void ipv6_only_round_trip(void)
{
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	char text[8192];
	int len;

	KEEP_IPV6(r->ifaces[0].orig.routes, r->ifaces[0].orig.n_routes);
	KEEP_IPV6(r->ifaces[0].orig.addrs, r->ifaces[0].orig.n_addrs);
	KEEP_IPV6(r->ifaces[0].orig.neighs, r->ifaces[0].orig.n_neighs);
	r->dns.n_servers = 0;
	len = state_format(r, text, sizeof(text));
	CHECK(len > 0);
	CHECK_EQ_INT(state_parse(text, (size_t)len, back), 0);
	CHECK(memcmp(&back->ifaces[0].orig, &r->ifaces[0].orig,
		     sizeof(r->ifaces[0].orig)) == 0);
	CHECK(pod_primary_addr(&back->ifaces[0].orig) == NULL);
	free(r);
	free(back);
}

static void truncated_is_refused(void)
{
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	char text[8192];
	int len = state_format(r, text, sizeof(text));

	/* Every prefix of a record (a torn write) must be refused. */
	for (int cut = 0; cut < len; cut++)
		if (state_parse(text, (size_t)cut, back) == 0) {
			CHECK(!"a truncated record was accepted");
			break;
		}
	free(r);
	free(back);
}

static void damaged_is_refused(void)
{
	struct state_record *back = calloc(1, sizeof(*back));
	const char *bad[] = {
		"",
		/* A record of an older format is not guessed at. */
		"podnet-state 1\nuuid "
		"11111111-2222-3333-4444-555555555555\nend\n",
		"podnet-state 2\nuuid ../../etc/passwd\nend\n",
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"addr 9 198.51.100.1/24 brd 0.0.0.0 scope 0 flags 0 label "
		"- lft 0 0\nend\n",
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"route 0 table 254 dst 0.0.0.0/33 gw 0.0.0.0 src 0.0.0.0 "
		"metric 0 proto 3 scope 0 type 1 nhflags 0 tos 0 metrics "
		"-\nend\n",
		/* Metrics: an index out of range, one twice, junk. */
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"route 0 table 254 dst 0.0.0.0/0 gw 0.0.0.0 src 0.0.0.0 "
		"metric 0 proto 3 scope 0 type 1 nhflags 0 tos 0 metrics "
		"99=1\nend\n",
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"route 0 table 254 dst 0.0.0.0/0 gw 0.0.0.0 src 0.0.0.0 "
		"metric 0 proto 3 scope 0 type 1 nhflags 0 tos 0 metrics "
		"2=1 2=5\nend\n",
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"route 0 table 254 dst 0.0.0.0/0 gw 0.0.0.0 src 0.0.0.0 "
		"metric 0 proto 3 scope 0 type 1 nhflags 0 tos 0 metrics "
		"2=x\nend\n",
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"neigh 0 169.254.1.1 lladdr ee:ee:ee:ee:ee state 128 flags "
		"0\nend\n",
		/* An interface named only by its address line. */
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"addr 0 198.51.100.1/24 brd 0.0.0.0 scope 0 flags 0 label "
		"- lft 0 0\nend\n",
		"podnet-state 2\nend\n",
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"bogus line\nend\n",
		/* IPv6 lines in a version-2 record: damage, not a guess. */
		"podnet-state 2\nuuid 11111111-2222-3333-4444-555555555555\n"
		"dns6 2001:db8::53\nend\n",
		/* IPv6 lines: bad prefix, bad address, count, sysctl range. */
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"addr6 0 2001:db8::1/129 scope 0 flags 0 lft 0 0\nend\n",
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"addr6 0 2001:db8:::1/64 scope 0 flags 0 lft 0 0\nend\n",
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"route6 0 table 254 dst ::/0 gw 198.51.100.1 src :: metric 0 "
		"proto 3 scope 0 type 1 nhflags 0 pref 0 metrics -\nend\n",
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"route6 0 table 254 dst ::/0 gw :: src :: metric 0 proto 3 "
		"scope 0 type 1 nhflags 0 pref 256 metrics -\nend\n",
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"neigh6 0 2001:db8::1 lladdr ee:ee:ee:ee:ee state 128 flags "
		"0\nend\n",
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"router6 0 fe80::1\nend\n",
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"sysctl6 0 disable_ipv6 -2 accept_ra 0 accept_dad 0 "
		"addr_gen_mode 0\nend\n",
		/* An interface named only by its IPv6 address line. */
		"podnet-state 3\nuuid 11111111-2222-3333-4444-555555555555\n"
		"addr6 0 2001:db8::1/64 scope 0 flags 0 lft 0 0\nend\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ_INT(state_parse(bad[i], strlen(bad[i]), back),
			     -EINVAL);
	free(back);
}

static void uuid_validation(void)
{
	CHECK(state_uuid_valid("11111111-2222-3333-4444-555555555555"));
	CHECK(!state_uuid_valid("11111111-2222-3333-4444-55555555555"));
	CHECK(!state_uuid_valid("11111111-2222-3333-4444-5555555555555"));
	CHECK(!state_uuid_valid("11111111/2222-3333-4444-555555555555"));
	CHECK(!state_uuid_valid("1111111G-2222-3333-4444-555555555555"));
}

static void files_write_read_remove(void)
{
	char dir[] = "/tmp/podnet-test-state-XXXXXX";
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	int lock;

	CHECK(mkdtemp(dir) != NULL);
	setenv("PODNET_STATE_DIR", dir, 1);
	CHECK_EQ_STR(state_dir(), dir);
	CHECK_EQ_INT(state_read(r->uuid, back), -ENOENT);
	lock = state_lock(r->uuid);
	CHECK(lock >= 0);
	CHECK_EQ_INT(state_write(r), 0);
	CHECK_EQ_INT(state_read(r->uuid, back), 0);
	CHECK_EQ_STR(back->hostname, "vm1");
	CHECK_EQ_INT(state_remove(r->uuid), 0);
	CHECK_EQ_INT(state_remove(r->uuid), 0);
	state_unlock_remove(r->uuid, lock);
	CHECK_EQ_INT(rmdir(dir), 0); /* nothing left behind */
	unsetenv("PODNET_STATE_DIR");
	free(r);
	free(back);
}

/* A UUID that has no record, only a lock. */
#define UUID_A "aaaaaaaa-2222-3333-4444-555555555555"

/* Every per-domain file is UUID@POD_KEY.suffix in the folder (UUID.suffix
 * in the legacy layout); a bad UUID is none. */
static void statedir_paths(void)
{
	static const struct {
		enum statedir_file file;
		const char *suffix;
	} files[] = {
		{STATEDIR_RECORD, ".state"},
		{STATEDIR_RECORD_TMP, ".state.tmp"},
		{STATEDIR_LOCK, ".lock"},
		{STATEDIR_RESPONDER, ".responder"},
		{STATEDIR_LEASE, ".lease"},
		{STATEDIR_LOG, ".log"},
		{STATEDIR_INCOMING, ".incoming"},
	};
	char path[STATEDIR_PATH_MAX], want[STATEDIR_PATH_MAX];
	const char *key = statedir_pod_key();

	CHECK(key != NULL);
	/* The netns cookie of a 5.14+ kernel: 16 hex digits. */
	CHECK_EQ_INT(strlen(key ? key : ""), 16);
	CHECK_EQ_STR(statedir_pod_key(), key);
	setenv("PODNET_STATE_DIR", "/s", 1);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		CHECK_EQ_INT(statedir_path(UUID_A, files[i].file, path), 0);
		(void)snprintf(want, sizeof(want), "/s/%s@%s%s", UUID_A, key,
			       files[i].suffix);
		CHECK_EQ_STR(path, want);
		CHECK_EQ_INT(statedir_legacy_path(UUID_A, files[i].file, path),
			     0);
		(void)snprintf(want, sizeof(want), "/s/%s%s", UUID_A,
			       files[i].suffix);
		CHECK_EQ_STR(path, want);
	}
	CHECK_EQ_INT(statedir_path("../etc/passwd", STATEDIR_RECORD, path),
		     -EINVAL);
	setenv("PODNET_STATE_DIR", "relative", 1);
	CHECK_EQ_STR(state_dir(), STATEDIR_DEFAULT);
	unsetenv("PODNET_STATE_DIR");
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	CHECK(fd >= 0 && close(fd) == 0);
}

/* Another pod's record of the same UUID is not this pod's; a legacy one
 * is listed apart and adopted under this pod's names. */
static void statedir_pods_and_legacy(void)
{
	char dir[] = "/tmp/podnet-test-state-XXXXXX";
	char path[STATEDIR_PATH_MAX], to[STATEDIR_PATH_MAX];
	char uuids[4][PODNET_UUID_STR_LEN + 1];
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	size_t n = 9;

	CHECK(mkdtemp(dir) != NULL);
	setenv("PODNET_STATE_DIR", dir, 1);
	/* Another pod (key 0000000000000001: never a live netns here). */
	(void)snprintf(path, sizeof(path), "%s/%s@0000000000000001.state", dir,
		       r->uuid);
	touch(path);
	CHECK(!state_has_record(r->uuid));
	CHECK(!state_has_files(r->uuid));
	CHECK_EQ_INT(state_read(r->uuid, back), -ENOENT);
	CHECK_EQ_INT(statedir_list(uuids, ARRAY_SIZE(uuids), &n), 0);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(unlink(path), 0);
	/* A legacy record and responder lock: adopted by renaming. */
	CHECK_EQ_INT(state_write(r), 0);
	CHECK_EQ_INT(statedir_path(r->uuid, STATEDIR_RECORD, path), 0);
	CHECK_EQ_INT(statedir_legacy_path(r->uuid, STATEDIR_RECORD, to), 0);
	CHECK_EQ_INT(rename(path, to), 0);
	CHECK_EQ_INT(statedir_legacy_path(r->uuid, STATEDIR_RESPONDER, path),
		     0);
	touch(path);
	CHECK(state_has_legacy_record(r->uuid));
	CHECK(!state_has_record(r->uuid));
	CHECK_EQ_INT(statedir_list(uuids, ARRAY_SIZE(uuids), &n), 0);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(statedir_legacy_list(uuids, ARRAY_SIZE(uuids), &n), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_STR(uuids[0], r->uuid);
	CHECK_EQ_INT(statedir_legacy_adopt(r->uuid), 0);
	CHECK(!state_has_legacy_record(r->uuid));
	CHECK_EQ_INT(state_read(r->uuid, back), 0);
	CHECK_EQ_STR(back->hostname, "vm1");
	CHECK_EQ_INT(statedir_path(r->uuid, STATEDIR_RESPONDER, path), 0);
	CHECK_EQ_INT(access(path, F_OK), 0);
	CHECK_EQ_INT(state_remove(r->uuid), 0);
	state_unlock_remove(r->uuid, -1);
	CHECK_EQ_INT(rmdir(dir), 0); /* nothing left behind */
	unsetenv("PODNET_STATE_DIR");
	free(r);
	free(back);
}

/* A record that cannot be read is an error, never an empty record; the
 * folder lists only UUID.state files. */
static void statedir_read_errors_and_list(void)
{
	char dir[] = "/tmp/podnet-test-state-XXXXXX";
	char path[STATEDIR_PATH_MAX], uuids[4][PODNET_UUID_STR_LEN + 1];
	struct state_record *r = sample(), *back = calloc(1, sizeof(*back));
	size_t n = 9;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	setenv("PODNET_STATE_DIR", dir, 1);
	CHECK_EQ_INT(statedir_path(r->uuid, STATEDIR_RECORD, path), 0);
	CHECK_EQ_INT(mkdir(path, 0700), 0);
	CHECK_EQ_INT(state_read(r->uuid, back), -EISDIR);
	CHECK_EQ_INT(rmdir(path), 0);
	/* Larger than any record state_write() stores: damaged. */
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ_INT(ftruncate(fd, (off_t)STATE_MAX_TEXT), 0);
	CHECK_EQ_INT(close(fd), 0);
	CHECK_EQ_INT(state_read(r->uuid, back), -EINVAL);
	CHECK_EQ_INT(state_write(r), 0);
	CHECK_EQ_INT(statedir_path(UUID_A, STATEDIR_LOCK, path), 0);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK_EQ_INT(statedir_list(uuids, ARRAY_SIZE(uuids), &n), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_STR(uuids[0], r->uuid);
	CHECK(state_has_files(UUID_A));
	CHECK(!state_has_record(UUID_A));
	CHECK_EQ_INT(state_remove(r->uuid), 0);
	state_unlock_remove(r->uuid, -1);
	state_unlock_remove(UUID_A, -1);
	CHECK_EQ_INT(rmdir(dir), 0); /* nothing left behind */
	unsetenv("PODNET_STATE_DIR");
	free(r);
	free(back);
}

int main(void)
{
	RUN(round_trip);
	RUN(version2_is_read);
	RUN(version5_incoming);
	RUN(version3_is_read);
	RUN(ipv6_only_round_trip);
	RUN(truncated_is_refused);
	RUN(damaged_is_refused);
	RUN(uuid_validation);
	RUN(files_write_read_remove);
	RUN(statedir_paths);
	RUN(statedir_read_errors_and_list);
	RUN(statedir_pods_and_legacy);
	return TEST_SUMMARY();
}
