// SPDX-License-Identifier: GPL-2.0-or-later
/* The per-domain state record's text: what prepare changed, and how to undo
 * it. statedir.c keeps it in the state folder. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "textbuf.h"

/* Version 5 adds the line "incoming" (prepare for an incoming live
 * migration: the responder stays silent until the VM arrives); a record
 * without it, of any version, is an ordinary start. Version 4 writes one
 * addr, route and neigh line for both families (the family the address
 * shows). Version 3 added the IPv6 lines (addr6,
 * route6, neigh6, router6, sysctl6, dns6), its addr, route and neigh
 * lines being IPv4's; a version-2 record has no IPv6 facts, and its
 * prepare changed no IPv6 state. Both are still read. */
#define STATE_MAGIC    "podnet-state 5"
#define STATE_MAGIC_V4 "podnet-state 4"
#define STATE_MAGIC_V3 "podnet-state 3"
#define STATE_MAGIC_V2 "podnet-state 2"

/**
 * state_uuid_valid() - Whether @uuid is a canonical lower-case UUID
 * @uuid:	text to check (it becomes part of a file name)
 *
 * Return: true if valid
 */
bool state_uuid_valid(const char *uuid)
{
	for (size_t i = 0; i < PODNET_UUID_STR_LEN; i++) {
		char c = uuid[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? c != '-'
			 : !(isdigit((unsigned char)c) ||
			     (c >= 'a' && c <= 'f')))
			return false;
	}
	return uuid[PODNET_UUID_STR_LEN] == '\0';
}

static const char *ip(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *ip6(const struct in6_addr *a, char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static const char *mac_text(const uint8_t m[MAC_LEN], char buf[MAC_STR_LEN])
{
	(void)snprintf(buf, MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
		       m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* " -" or " N=V ...": a route's RTA_METRICS. */
static void format_metrics(struct textbuf *w, uint32_t mask,
			   const uint32_t metrics[POD_ROUTE_METRICS])
{
	textbuf_put(w, "%s", mask ? "" : " -");
	for (unsigned int m = 0; m < POD_ROUTE_METRICS; m++)
		if (mask & (1u << m))
			textbuf_put(w, " %u=%u", m, metrics[m]);
	textbuf_put(w, "\n");
}

/* The address lines, both families (IPv6 has no broadcast or label). */
static void format_addrs(struct textbuf *w, size_t i, const struct pod_iface *o)
{
	char a[INANY_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	const struct pod_addr *pa;

	pod_for_each (pa, o->addrs, o->n_addrs, AF_UNSPEC) {
		bool v4 = pa->family == AF_INET;

		textbuf_put(w, "addr %zu %s/%u", i, inany_ntop(&pa->local, a),
			    pa->prefix_len);
		if (v4)
			textbuf_put(w, " brd %s", ip(pa->broadcast.v4.a4, b));
		textbuf_put(w, " scope %u flags %u", pa->scope, pa->flags);
		if (v4)
			textbuf_put(w, " label %s",
				    pa->label[0] ? pa->label : "-");
		textbuf_put(w, " lft %u %u\n", pa->valid_lft,
			    pa->preferred_lft);
	}
}

/* The route lines, both families (IPv4 ends with tos, IPv6 with pref). */
static void format_routes(struct textbuf *w, size_t i,
			  const struct pod_iface *o)
{
	char a[INANY_ADDRSTRLEN], b[INANY_ADDRSTRLEN], c[INANY_ADDRSTRLEN];
	const struct pod_route *r;

	pod_for_each (r, o->routes, o->n_routes, AF_UNSPEC) {
		bool v6 = r->family == AF_INET6;

		textbuf_put(w,
			    "route %zu table %u dst %s/%u gw %s src %s "
			    "metric %u proto %u scope %u type %u nhflags %u",
			    i, r->table, inany_ntop(&r->dst, a), r->dst_len,
			    inany_ntop(&r->gateway, b),
			    inany_ntop(&r->prefsrc, c), r->priority,
			    r->protocol, r->scope, r->type, r->nh_flags);
		textbuf_put(w, v6 ? " pref %u metrics" : " tos %u metrics",
			    v6 ? r->pref : r->tos);
		format_metrics(w, r->metric_mask, r->metrics);
	}
}

/* The neighbour lines, both families. */
static void format_neighs(struct textbuf *w, size_t i,
			  const struct pod_iface *o)
{
	char a[INANY_ADDRSTRLEN], m[MAC_STR_LEN];
	const struct pod_neigh *n;

	pod_for_each (n, o->neighs, o->n_neighs, AF_UNSPEC)
		textbuf_put(w, "neigh %zu %s lladdr %s state %u flags %u\n", i,
			    inany_ntop(&n->dst, a), mac_text(n->lladdr, m),
			    n->state, n->flags);
}

static void format_iface6(struct textbuf *w, size_t i,
			  const struct pod_iface *o)
{
	char a[INET6_ADDRSTRLEN];
	char m1[MAC_STR_LEN];
	const struct pod_sysctl6 *y = &o->v6.sysctl6;

	textbuf_put(w, "router6 %zu %s mac %s\n", i, ip6(&o->v6.router_ll, a),
		    mac_text(o->v6.router_mac, m1));
	textbuf_put(w,
		    "sysctl6 %zu disable_ipv6 %d accept_ra %d accept_dad %d "
		    "addr_gen_mode %d\n",
		    i, y->disable_ipv6, y->accept_ra, y->accept_dad,
		    y->addr_gen_mode);
}

static void format_iface(struct textbuf *w, size_t i,
			 const struct state_iface *s)
{
	const struct pod_iface *o = &s->orig;
	char a[INET_ADDRSTRLEN];
	char m1[MAC_STR_LEN], m2[MAC_STR_LEN], m3[MAC_STR_LEN];

	textbuf_put(w, "iface %zu pod %s ifindex %d mac %s mtu %u flags %u\n",
		    i, o->name, o->ifindex, mac_text(o->mac, m1), o->mtu,
		    o->link_flags);
	textbuf_put(w,
		    "iface %zu vm_mac %s bridge %s owned %d bridge_mac %s "
		    "pod_mac_changed %d temp_mac %s\n",
		    i, mac_text(s->vm_mac, m1), s->bridge, s->bridge_owned,
		    mac_text(s->bridge_mac, m2), s->pod_mac_changed,
		    mac_text(s->temp_mac, m3));
	format_addrs(w, i, o);
	format_routes(w, i, o);
	textbuf_put(w, "iface %zu dhcp %s lease %u siaddr %s\n", i,
		    s->dhcp.no_dhcp ? "off" : "on", s->dhcp.lease_seconds,
		    ip(s->dhcp.siaddr, a));
	for (size_t k = 0; k < s->dhcp.n_ntp; k++)
		textbuf_put(w, "ntp %zu %s\n", i, ip(s->dhcp.ntp[k], a));
	for (size_t k = 0; k < s->dhcp.n; k++) {
		const struct dhcp_extra_opt *x = &s->dhcp.opts[k];

		textbuf_put(w, "dhcpopt %zu %u ", i, x->code);
		for (size_t at = 0; at < x->len; at++)
			textbuf_put(w, "%02x", s->dhcp.data[x->off + at]);
		textbuf_put(w, "\n");
	}
	format_neighs(w, i, o);
	format_iface6(w, i, o);
}

/**
 * state_format() - Write a record as text
 * @rec:	the record
 * @buf:	output buffer
 * @cap:	its size
 *
 * Return: text length, or -EMSGSIZE
 */
int state_format(const struct state_record *rec, char *buf, size_t cap)
{
	struct textbuf w = {.buf = buf, .cap = cap};
	char a[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];

	textbuf_put(&w, STATE_MAGIC "\n");
	textbuf_put(&w, "domain %s\nuuid %s\nhostname %s\nphase %s\n",
		    rec->domain, rec->uuid,
		    rec->hostname[0] ? rec->hostname : "-",
		    rec->phase == STATE_PHASE_READY ? "ready" : "preparing");
	if (rec->incoming)
		textbuf_put(&w, "incoming\n");
	textbuf_put(&w, "responder %d %llu\n", (int)rec->responder_pid,
		    rec->responder_start);
	for (size_t i = 0; i < rec->dns.n_servers; i++)
		textbuf_put(&w, "dns %s\n", ip(rec->dns.servers[i], a));
	for (size_t i = 0; i < rec->dns.n_nameservers6; i++)
		textbuf_put(&w, "dns6 %s\n",
			    ip6(&rec->dns.nameservers6[i], a6));
	for (size_t i = 0; i < rec->dns.n_search; i++)
		textbuf_put(&w, "search %s\n", rec->dns.search[i]);
	for (size_t i = 0; i < rec->n_ifaces; i++)
		format_iface(&w, i, &rec->ifaces[i]);
	textbuf_put(&w, "end\n");
	return w.overflow ? -EMSGSIZE : (int)w.len;
}

static int parse_ip(const char *text, struct in_addr *ret)
{
	return inet_pton(AF_INET, text, ret) == 1 ? 0 : -EINVAL;
}

static int parse_mac(const char *text, uint8_t ret[MAC_LEN])
{
	unsigned int m[MAC_LEN];
	char tail;

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2],
		   &m[3], &m[4], &m[5], &tail) != MAC_LEN)
		return -EINVAL;
	for (size_t i = 0; i < MAC_LEN; i++)
		ret[i] = (uint8_t)m[i];
	return 0;
}

static struct state_iface *iface_at(struct state_record *rec, size_t i)
{
	if (i >= PODNET_MAX_IFACES)
		return NULL;
	while (rec->n_ifaces <= i) {
		struct state_iface *s = &rec->ifaces[rec->n_ifaces++];

		dhcp_extras_init(&s->dhcp);
		s->orig.v6.sysctl6 = (struct pod_sysctl6){
			.disable_ipv6 = POD_SYSCTL6_UNKNOWN,
			.accept_ra = POD_SYSCTL6_UNKNOWN,
			.accept_dad = POD_SYSCTL6_UNKNOWN,
			.addr_gen_mode = POD_SYSCTL6_UNKNOWN,
		};
	}
	return &rec->ifaces[i];
}

static int parse_iface_dhcp_line(struct state_record *rec, const char *line)
{
	char onoff[4], si[INET_ADDRSTRLEN];
	unsigned int lease;
	struct state_iface *s;
	size_t i;

	if (sscanf(line, "iface %zu dhcp %3s lease %u siaddr %15s", &i, onoff,
		   &lease, si) != 4 ||
	    (strcmp(onoff, "on") != 0 && strcmp(onoff, "off") != 0))
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s || parse_ip(si, &s->dhcp.siaddr) < 0)
		return -EINVAL;
	s->dhcp.no_dhcp = strcmp(onoff, "off") == 0;
	s->dhcp.lease_seconds = lease;
	return 0;
}

static int parse_ntp_line(struct state_record *rec, const char *line)
{
	char a[INET_ADDRSTRLEN];
	struct state_iface *s;
	size_t i;

	if (sscanf(line, "ntp %zu %15s", &i, a) != 2)
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s || s->dhcp.n_ntp >= DHCP_EXTRA_MAX_NTP)
		return -EINVAL;
	return parse_ip(a, &s->dhcp.ntp[s->dhcp.n_ntp++]);
}

static int parse_dhcpopt_line(struct state_record *rec, const char *line)
{
	uint8_t bytes[DHCP_EXTRA_DATA_MAX];
	unsigned int code;
	struct state_iface *s;
	size_t i, n = 0;
	int at = 0;

	if (sscanf(line, "dhcpopt %zu %u %n", &i, &code, &at) != 2 || !at ||
	    code < 1 || code > 254)
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s)
		return -EINVAL;
	for (const char *h = line + at; *h; h += 2) {
		unsigned int v;

		if (n >= sizeof(bytes) || !isxdigit((unsigned char)h[0]) ||
		    !isxdigit((unsigned char)h[1]) || sscanf(h, "%2x", &v) != 1)
			return -EINVAL;
		bytes[n++] = (uint8_t)v;
	}
	return dhcp_extras_add(&s->dhcp, (uint8_t)code, bytes, n) < 0 ? -EINVAL
								      : 0;
}

static int parse_iface_line(struct state_record *rec, const char *line)
{
	char name[IFNAMSIZ], m1[MAC_STR_LEN], m2[MAC_STR_LEN], m3[MAC_STR_LEN];
	int ifindex, owned, changed;
	unsigned int mtu, flags;
	struct state_iface *s;
	size_t i;

	if (sscanf(line,
		   "iface %zu pod %15s ifindex %d mac %17s mtu %u flags %u", &i,
		   name, &ifindex, m1, &mtu, &flags) == 6) {
		s = iface_at(rec, i);
		if (!s || parse_mac(m1, s->orig.mac) < 0)
			return -EINVAL;
		(void)snprintf(s->orig.name, sizeof(s->orig.name), "%s", name);
		s->orig.ifindex = ifindex;
		s->orig.mtu = mtu;
		s->orig.link_flags = flags;
		return 0;
	}
	if (sscanf(line,
		   "iface %zu vm_mac %17s bridge %15s owned %d bridge_mac %17s "
		   "pod_mac_changed %d temp_mac %17s",
		   &i, m1, name, &owned, m2, &changed, m3) == 7) {
		s = iface_at(rec, i);
		if (!s || parse_mac(m1, s->vm_mac) < 0 ||
		    parse_mac(m2, s->bridge_mac) < 0 ||
		    parse_mac(m3, s->temp_mac) < 0)
			return -EINVAL;
		(void)snprintf(s->bridge, sizeof(s->bridge), "%s", name);
		s->bridge_owned = owned != 0;
		s->pod_mac_changed = changed != 0;
		return 0;
	}
	return parse_iface_dhcp_line(rec, line);
}

/* The tail of an address line after "ADDR/LEN": IPv4 has "brd B" first
 * and "label L" after the flags, IPv6 neither. */
static int parse_addr_tail(const char *tail, struct pod_addr *a)
{
	char brd[INANY_ADDRSTRLEN], label[IFNAMSIZ];
	unsigned int scope, flags, valid, preferred;

	if (a->family == AF_INET6) {
		inany_any(&a->broadcast, AF_INET6);
		label[0] = '-';
		label[1] = '\0';
		if (sscanf(tail, " scope %u flags %u lft %u %u", &scope, &flags,
			   &valid, &preferred) != 4)
			return -EINVAL;
	} else if (sscanf(tail,
			  " brd %45s scope %u flags %u label %15s lft %u %u",
			  brd, &scope, &flags, label, &valid,
			  &preferred) != 6 ||
		   inany_pton(AF_INET, brd, &a->broadcast) < 0) {
		return -EINVAL;
	}
	if (scope > 255)
		return -EINVAL;
	a->scope = (uint8_t)scope;
	a->flags = flags;
	a->valid_lft = valid;
	a->preferred_lft = preferred;
	(void)snprintf(a->label, sizeof(a->label), "%s",
		       strcmp(label, "-") == 0 ? "" : label);
	return 0;
}

/* "addr I ADDR/LEN ..."; the family: @af, fixed by the keyword ("addr6"),
 * or the one the address shows (AF_UNSPEC). */
static int parse_addr_line(struct state_record *rec, const char *line,
			   sa_family_t af)
{
	char local[INANY_ADDRSTRLEN];
	unsigned int plen;
	struct state_iface *s;
	struct pod_addr *a;
	int tail = 0;
	size_t i;

	if (sscanf(line, "%*s %zu %45[0-9a-f:.]/%u%n", &i, local, &plen,
		   &tail) != 3 ||
	    !tail)
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s || s->orig.n_addrs >= PODNET_MAX_ADDRS)
		return -EINVAL;
	a = &s->orig.addrs[s->orig.n_addrs];
	if (inany_pton(af, local, &a->local) < 0)
		return -EINVAL;
	a->family = inany_family(&a->local);
	if (plen > (a->family == AF_INET ? 32u : 128u) ||
	    parse_addr_tail(line + tail, a) < 0)
		return -EINVAL;
	a->prefix_len = (uint8_t)plen;
	s->orig.n_addrs++;
	return 0;
}

/* " -" or " N=V N=V ...": the route's RTA_METRICS. */
static int parse_metrics(const char *text, uint32_t *mask,
			 uint32_t metrics[POD_ROUTE_METRICS])
{
	unsigned int m, v;
	int used;

	if (strcmp(text, " -") == 0)
		return 0;
	while (*text) {
		if (sscanf(text, " %u=%u%n", &m, &v, &used) != 2 ||
		    m >= POD_ROUTE_METRICS || (*mask & (1u << m)))
			return -EINVAL;
		metrics[m] = v;
		*mask |= 1u << m;
		text += used;
	}
	return *mask ? 0 : -EINVAL;
}

/* "route I table T dst D/L gw G src S metric M proto P scope C type Y
 * nhflags F tos|pref V metrics ..."; the family: @af, fixed by the
 * keyword ("route6"), or the one the destination shows (AF_UNSPEC); tos
 * belongs to IPv4, pref to IPv6. */
static int parse_route_line(struct state_record *rec, const char *line,
			    sa_family_t af)
{
	char dst[INANY_ADDRSTRLEN], gw[INANY_ADDRSTRLEN], src[INANY_ADDRSTRLEN];
	char last[8];
	unsigned int table, plen, metric, proto, scope, type, nhflags, v;
	struct state_iface *s;
	struct pod_route *r;
	int metrics_at = 0;
	size_t i;

	if (sscanf(line,
		   "%*s %zu table %u dst %45[0-9a-f:.]/%u gw %45s src %45s "
		   "metric %u proto %u scope %u type %u nhflags %u %7s %u "
		   "metrics%n",
		   &i, &table, dst, &plen, gw, src, &metric, &proto, &scope,
		   &type, &nhflags, last, &v, &metrics_at) != 13 ||
	    metrics_at == 0 || proto > 255 || scope > 255 || type > 255 ||
	    v > 255)
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s || s->orig.n_routes >= PODNET_MAX_POD_ROUTES)
		return -EINVAL;
	r = &s->orig.routes[s->orig.n_routes];
	if (inany_pton(af, dst, &r->dst) < 0)
		return -EINVAL;
	r->family = inany_family(&r->dst);
	if (plen > (r->family == AF_INET ? 32u : 128u) ||
	    strcmp(last, r->family == AF_INET ? "tos" : "pref") != 0 ||
	    inany_pton(r->family, gw, &r->gateway) < 0 ||
	    inany_pton(r->family, src, &r->prefsrc) < 0)
		return -EINVAL;
	r->table = table;
	r->dst_len = (uint8_t)plen;
	r->priority = metric;
	r->protocol = (uint8_t)proto;
	r->scope = (uint8_t)scope;
	r->type = (uint8_t)type;
	r->nh_flags = nhflags;
	if (r->family == AF_INET)
		r->tos = (uint8_t)v;
	else
		r->pref = (uint8_t)v;
	if (parse_metrics(line + metrics_at, &r->metric_mask, r->metrics) < 0)
		return -EINVAL;
	s->orig.n_routes++;
	return 0;
}

/* "neigh I ADDR lladdr MAC state S flags F"; the family: @af, fixed by
 * the keyword ("neigh6"), or the one the address shows (AF_UNSPEC). */
static int parse_neigh_line(struct state_record *rec, const char *line,
			    sa_family_t af)
{
	char dst[INANY_ADDRSTRLEN], m[MAC_STR_LEN];
	unsigned int st, flags;
	struct state_iface *s;
	struct pod_neigh *n;
	size_t i;

	if (sscanf(line, "%*s %zu %45s lladdr %17s state %u flags %u", &i, dst,
		   m, &st, &flags) != 5 ||
	    st > 0xffff || flags > 255)
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s || s->orig.n_neighs >= PODNET_MAX_NEIGHS)
		return -EINVAL;
	n = &s->orig.neighs[s->orig.n_neighs];
	if (inany_pton(af, dst, &n->dst) < 0 || parse_mac(m, n->lladdr) < 0)
		return -EINVAL;
	n->family = inany_family(&n->dst);
	n->state = (uint16_t)st;
	n->flags = (uint8_t)flags;
	s->orig.n_neighs++;
	return 0;
}

static int parse_ip6(const char *text, struct in6_addr *ret)
{
	return inet_pton(AF_INET6, text, ret) == 1 ? 0 : -EINVAL;
}

static int parse_router6_line(struct state_record *rec, const char *line)
{
	char ll[INET6_ADDRSTRLEN], m[MAC_STR_LEN];
	struct state_iface *s;
	size_t i;

	if (sscanf(line, "router6 %zu %45s mac %17s", &i, ll, m) != 3)
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s || parse_ip6(ll, &s->orig.v6.router_ll) < 0 ||
	    parse_mac(m, s->orig.v6.router_mac) < 0)
		return -EINVAL;
	return 0;
}

/* A sysctl value as recorded: POD_SYSCTL6_UNKNOWN or a small number. */
static bool sysctl6_valid(int v)
{
	return v >= POD_SYSCTL6_UNKNOWN && v <= 255;
}

static int parse_sysctl6_line(struct state_record *rec, const char *line)
{
	struct pod_sysctl6 y;
	struct state_iface *s;
	size_t i;

	if (sscanf(line,
		   "sysctl6 %zu disable_ipv6 %d accept_ra %d accept_dad %d "
		   "addr_gen_mode %d",
		   &i, &y.disable_ipv6, &y.accept_ra, &y.accept_dad,
		   &y.addr_gen_mode) != 5 ||
	    !sysctl6_valid(y.disable_ipv6) || !sysctl6_valid(y.accept_ra) ||
	    !sysctl6_valid(y.accept_dad) || !sysctl6_valid(y.addr_gen_mode))
		return -EINVAL;
	s = iface_at(rec, i);
	if (!s)
		return -EINVAL;
	s->orig.v6.sysctl6 = y;
	return 0;
}

static bool line_is_v6(const char *line)
{
	static const char *const words[] = {"addr6 ",	"route6 ",  "neigh6 ",
					    "router6 ", "sysctl6 ", "dns6 "};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(line, words[i], strlen(words[i])) == 0)
			return true;
	return false;
}

/* @split: a version 2 or 3 record, whose IPv6 objects have lines of their
 * own (addr6, route6, neigh6); version 4 writes them as addr, route, neigh. */
static int parse_line6(struct state_record *rec, const char *line, bool split)
{
	char a[INET6_ADDRSTRLEN];

	if (sscanf(line, "dns6 %45s", a) == 1) {
		if (rec->dns.n_nameservers6 >= PODNET_MAX_DNS)
			return -EINVAL;
		return parse_ip6(
			a, &rec->dns.nameservers6[rec->dns.n_nameservers6++]);
	}
	if (split && strncmp(line, "addr6 ", 6) == 0)
		return parse_addr_line(rec, line, AF_INET6);
	if (split && strncmp(line, "route6 ", 7) == 0)
		return parse_route_line(rec, line, AF_INET6);
	if (split && strncmp(line, "neigh6 ", 7) == 0)
		return parse_neigh_line(rec, line, AF_INET6);
	if (strncmp(line, "router6 ", 8) == 0)
		return parse_router6_line(rec, line);
	if (strncmp(line, "sysctl6 ", 8) == 0)
		return parse_sysctl6_line(rec, line);
	return -EINVAL;
}

/* @plain: the family of an addr, route or neigh line (version 4: the one
 * its address shows, AF_UNSPEC; before, IPv4's). */
static int parse_line(struct state_record *rec, const char *line,
		      sa_family_t plain)
{
	char word[PODNET_NAME_MAX + 1];
	char host[PODNET_HOSTNAME_MAX + 1];
	char small[INET_ADDRSTRLEN];
	int pid;

	/* First: "dns %15s" would also match "dns6 ...". */
	if (line_is_v6(line))
		return parse_line6(rec, line, plain != AF_UNSPEC);
	if (strncmp(line, "domain ", 7) == 0)
		return snprintf(rec->domain, sizeof(rec->domain), "%s",
				line + 7) < (int)sizeof(rec->domain)
			       ? 0
			       : -EINVAL;
	if (sscanf(line, "uuid %36s", rec->uuid) == 1)
		return state_uuid_valid(rec->uuid) ? 0 : -EINVAL;
	if (sscanf(line, "hostname %63s", host) == 1) {
		(void)snprintf(rec->hostname, sizeof(rec->hostname), "%s",
			       strcmp(host, "-") == 0 ? "" : host);
		return 0;
	}
	if (sscanf(line, "phase %15s", small) == 1) {
		rec->phase = strcmp(small, "ready") == 0
				     ? STATE_PHASE_READY
				     : STATE_PHASE_PREPARING;
		return 0;
	}
	if (sscanf(line, "responder %d %llu", &pid, &rec->responder_start) ==
	    2) {
		rec->responder_pid = pid > 0 ? pid : 0;
		return 0;
	}
	if (sscanf(line, "dns %15s", small) == 1) {
		if (rec->dns.n_servers >= PODNET_MAX_DNS)
			return -EINVAL;
		return parse_ip(small, &rec->dns.servers[rec->dns.n_servers++]);
	}
	if (sscanf(line, "search %253s", word) == 1) {
		if (rec->dns.n_search >= PODNET_MAX_SEARCH)
			return -EINVAL;
		(void)snprintf(rec->dns.search[rec->dns.n_search++],
			       PODNET_NAME_MAX + 1, "%s", word);
		return 0;
	}
	if (strncmp(line, "iface ", 6) == 0)
		return parse_iface_line(rec, line);
	if (strncmp(line, "addr ", 5) == 0)
		return parse_addr_line(rec, line, plain);
	if (strncmp(line, "route ", 6) == 0)
		return parse_route_line(rec, line, plain);
	if (strncmp(line, "neigh ", 6) == 0)
		return parse_neigh_line(rec, line, plain);
	if (strncmp(line, "ntp ", 4) == 0)
		return parse_ntp_line(rec, line);
	if (strncmp(line, "dhcpopt ", 8) == 0)
		return parse_dhcpopt_line(rec, line);
	return -EINVAL;
}

/* Each interface needs both of its "iface" lines: an address or route
 * line alone names an interface the record does not describe. */
static bool ifaces_complete(const struct state_record *rec)
{
	for (size_t i = 0; i < rec->n_ifaces; i++) {
		const struct state_iface *s = &rec->ifaces[i];

		if (!s->orig.name[0] || s->orig.ifindex <= 0 || !s->bridge[0])
			return false;
	}
	return true;
}

/**
 * state_parse() - Read a record from text
 * @text:	the record text (need not be NUL-terminated)
 * @len:	its length
 * @ret:	filled on success
 *
 * Return: 0, or -EINVAL for a damaged or truncated record
 */
int state_parse(const char *text, size_t len, struct state_record *ret)
{
	struct state_record *rec = calloc(1, sizeof(*rec));
	size_t pos = 0, lineno = 0;
	bool v2 = false, v3 = false, v4 = false;
	int rc = -EINVAL;

	if (!rec)
		return -ENOMEM;
	while (pos < len) {
		char line[1024];
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		if (!nl || n >= sizeof(line))
			break;
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		if (lineno++ == 0) {
			v2 = strcmp(line, STATE_MAGIC_V2) == 0;
			v3 = strcmp(line, STATE_MAGIC_V3) == 0;
			v4 = strcmp(line, STATE_MAGIC_V4) == 0;
			if (!v2 && !v3 && !v4 && strcmp(line, STATE_MAGIC) != 0)
				break;
			continue;
		}
		/* "incoming" is version 5's. */
		if (strcmp(line, "incoming") == 0) {
			if (v2 || v3 || v4)
				break;
			rec->incoming = true;
			continue;
		}
		/* Version 2 knew no IPv6 lines: one there is damage. */
		if (v2 && line_is_v6(line))
			break;
		if (strcmp(line, "end") == 0) {
			rc = pos == len && rec->uuid[0] && ifaces_complete(rec)
				     ? 0
				     : -EINVAL;
			break;
		}
		if (parse_line(rec, line, v2 || v3 ? AF_INET : AF_UNSPEC) < 0)
			break;
	}
	if (rc == 0)
		*ret = *rec;
	free(rec);
	return rc;
}
