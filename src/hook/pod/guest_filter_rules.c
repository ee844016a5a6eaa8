// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a VM may say on its pod's network, as rules of the nftables bridge
 * family in the pod's own namespace (pure: the rules as data, nft_encode
 * writes them).
 *
 * DOC: The guest filter
 *
 * Every frame that the domain's bridge forwards to the pod interface from
 * another port comes from the VM (its tap; podnet's bridge has no other
 * port), and everything the VM says to the node, to the other pods or to
 * the world goes that way. The chain on the bridge family's forward hook
 * (priority -300: before anyone else's) matches "out of the pod interface,
 * in from any other port", which names no tap: the tap does not exist when
 * prepare runs, and is filtered from its first frame. (The input bridge,
 * meta ibrname, would also catch what the VM says to the responder, but
 * needs CONFIG_NFT_BRIDGE_META, which some kernels lack; the responder
 * checks its clients itself.)
 *
 * What the VM may say (everything else is dropped and counted by reason):
 *  - Ethernet source: the VM's MAC only; no VLAN tags (they would carry
 *    frames past the checks below);
 *  - ARP: Ethernet/IPv4 only, sender MAC the VM's, sender IP one of the
 *    pod's IPv4 addresses, or 0.0.0.0 in a request (RFC 5227 probe);
 *  - IPv4: source one of the pod's addresses (the DHCP client's 0.0.0.0
 *    stays in the pod, below);
 *  - IPv6: source one of the pod's addresses, a link-local address of
 *    fe80::/64 (RFC 4291 2.5.6: the guest picks its interface ID, EUI-64 or
 *    RFC 7217, so any) but the routers', or :: for what RFC 4861, 4862 and
 *    3590 send before an address is usable (RS, DAD's NS, MLD reports);
 *  - NA: only for a target the VM may own by the rule above, never for a
 *    router's link-local; NS/NA: at most one option, and a link-layer
 *    address option naming the VM's MAC;
 *  - never: UDP from port 67 or 547 (a DHCP server), RAs, redirects.
 * On a DHCP interface the VM's DHCPv4, DHCPv6 and RS are kept from the
 * pod interface too: the responder answers them on the bridge, the node
 * must not see a second client.
 * An L2-only interface (dhcp="off") gets the MAC rule only.
 */
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guest_filter_rules.h"

/* <linux/netfilter_bridge.h> drags in kernel headers that clash with libc's. */
#define BR_HOOK_FORWARD 2
/* Before the bridge's own (NF_BR_PRI_NAT_DST_BRIDGED) and everyone's filter.
 */
#define GUEST_FILTER_PRIORITY (-300)

#define ETHERTYPE_IPV4	  0x0800
#define ETHERTYPE_ARPT	  0x0806
#define ETHERTYPE_VLAN	  0x8100
#define ETHERTYPE_QINQ	  0x88a8
#define ETHERTYPE_IPV6T	  0x86dd
#define PROTO_ICMP	  1
#define PROTO_UDP	  17
#define PROTO_ICMPV6	  58
#define ICMP_REDIRECT_T	  5
#define ICMP6_RS	  133
#define ICMP6_RA	  134
#define ICMP6_NS	  135
#define ICMP6_NA	  136
#define ICMP6_REDIRECT	  137
#define ICMP6_MLD1_REPORT 131
#define ICMP6_MLD2_REPORT 143
#define PORT_DHCP4_SERVER 67
#define PORT_DHCP6_SERVER 547
/* NS/NA: the fixed part (RFC 4861 4.3, 4.4) and one 8-byte option. */
#define ND_FIXED_LEN	  24
#define ND_ONE_OPTION_LEN (ND_FIXED_LEN + 8)
#define ND_OPT_SLLA	  1
#define ND_OPT_TLLA	  2

const char *const guest_filter_reason_names[GUEST_FILTER_REASONS] = {
	[GUEST_FILTER_SRC_MAC] = "src_mac",
	[GUEST_FILTER_VLAN] = "vlan",
	[GUEST_FILTER_ARP_SENDER] = "arp_sender",
	[GUEST_FILTER_IP4_SOURCE] = "ip4_source",
	[GUEST_FILTER_IP6_SOURCE] = "ip6_source",
	[GUEST_FILTER_DHCP_SERVER] = "dhcp_server",
	[GUEST_FILTER_ROUTER_ADV] = "router_adv",
	[GUEST_FILTER_REDIRECT] = "redirect",
	[GUEST_FILTER_ND_TARGET] = "nd_target",
	[GUEST_FILTER_ND_LLADDR] = "nd_lladdr",
	[GUEST_FILTER_KEPT_IN_POD] = "kept_in_pod",
};

/* One rule under construction; overflow marks the table, never writes out. */
static struct nft_ir_rule *rule(struct nft_ir_table *t, const char *chain)
{
	struct nft_ir_rule *r;

	if (t->n_rules == NFT_IR_MAX_RULES) {
		t->overflow = true;
		return NULL;
	}
	r = &t->rules[t->n_rules++];
	memset(r, 0, sizeof(*r));
	(void)snprintf(r->chain, sizeof(r->chain), "%s", chain);
	return r;
}

static struct nft_ir_expr *expr(struct nft_ir_table *t, struct nft_ir_rule *r,
				enum nft_ir_kind kind)
{
	struct nft_ir_expr *e;

	if (!r || r->n == NFT_IR_RULE_EXPRS) {
		t->overflow = true;
		return NULL;
	}
	e = &r->e[r->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	return e;
}

static void meta(struct nft_ir_table *t, struct nft_ir_rule *r, uint32_t key)
{
	struct nft_ir_expr *e = expr(t, r, NFT_IR_META);

	if (e)
		e->key = key;
}

static void load(struct nft_ir_table *t, struct nft_ir_rule *r, uint32_t base,
		 uint32_t offset, uint32_t len)
{
	struct nft_ir_expr *e = expr(t, r, NFT_IR_PAYLOAD);

	if (e) {
		e->key = base;
		e->offset = offset;
		e->len = len;
	}
}

static void with_data(struct nft_ir_table *t, struct nft_ir_rule *r,
		      enum nft_ir_kind kind, uint32_t op, const void *data,
		      size_t len)
{
	struct nft_ir_expr *e = expr(t, r, kind);

	if (!e)
		return;
	if (len > sizeof(e->data)) {
		t->overflow = true;
		return;
	}
	e->key = op;
	e->len = (uint32_t)len;
	memcpy(e->data, data, len);
}

static void cmp(struct nft_ir_table *t, struct nft_ir_rule *r, uint32_t op,
		const void *data, size_t len)
{
	with_data(t, r, NFT_IR_CMP, op, data, len);
}

static void cmp_u8(struct nft_ir_table *t, struct nft_ir_rule *r, uint32_t op,
		   uint8_t v)
{
	cmp(t, r, op, &v, 1);
}

/* Network byte order, as the packet has it. */
static void cmp_u16(struct nft_ir_table *t, struct nft_ir_rule *r, uint32_t op,
		    uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	cmp(t, r, op, b, sizeof(b));
}

/* An interface name as the kernel loads it: IFNAMSIZ bytes, NUL-padded. */
static void cmp_ifname(struct nft_ir_table *t, struct nft_ir_rule *r,
		       uint32_t op, const char *name)
{
	char b[IFNAMSIZ] = {0};

	(void)snprintf(b, sizeof(b), "%s", name);
	cmp(t, r, op, b, sizeof(b));
}

static void count(struct nft_ir_table *t, struct nft_ir_rule *r,
		  enum guest_filter_reason why)
{
	struct nft_ir_expr *e = expr(t, r, NFT_IR_COUNT);

	if (e)
		(void)snprintf(e->name, sizeof(e->name), "%s",
			       guest_filter_reason_names[why]);
}

static void verdict(struct nft_ir_table *t, struct nft_ir_rule *r, int32_t code,
		    const char *chain)
{
	struct nft_ir_expr *e = expr(t, r, NFT_IR_VERDICT);

	if (e) {
		e->key = (uint32_t)code;
		if (chain)
			(void)snprintf(e->name, sizeof(e->name), "%s", chain);
	}
}

/* The rule's end: count @why and drop. */
static void drop(struct nft_ir_table *t, struct nft_ir_rule *r,
		 enum guest_filter_reason why)
{
	count(t, r, why);
	verdict(t, r, NF_DROP, NULL);
}

static void chain(struct nft_ir_table *t, const char *name, bool base,
		  uint32_t hook)
{
	struct nft_ir_chain *c;

	if (t->n_chains == NFT_IR_MAX_CHAINS) {
		t->overflow = true;
		return;
	}
	c = &t->chains[t->n_chains++];
	(void)snprintf(c->name, sizeof(c->name), "%s", name);
	c->base = base;
	c->hook = hook;
	c->priority = GUEST_FILTER_PRIORITY;
}

/* A rule that starts "meta l4proto P, th byte(s) at OFF == V". */
static struct nft_ir_rule *l4_rule(struct nft_ir_table *t, const char *c,
				   uint8_t proto, uint32_t off, uint32_t len,
				   uint16_t v)
{
	struct nft_ir_rule *r = rule(t, c);

	meta(t, r, NFT_META_L4PROTO);
	cmp_u8(t, r, NFT_CMP_EQ, proto);
	load(t, r, NFT_PAYLOAD_TRANSPORT_HEADER, off, len);
	if (len == 1)
		cmp_u8(t, r, NFT_CMP_EQ, (uint8_t)v);
	else
		cmp_u16(t, r, NFT_CMP_EQ, v);
	return r;
}

static void mac_and_dispatch(struct nft_ir_table *t,
			     const struct guest_filter_spec *s)
{
	static const struct {
		uint16_t type;
		const char *chain; /* NULL: a VLAN tag, dropped */
	} by_type[] = {
		{ETHERTYPE_VLAN, NULL},	  {ETHERTYPE_QINQ, NULL},
		{ETHERTYPE_ARPT, "arp"},  {ETHERTYPE_IPV4, "ip4"},
		{ETHERTYPE_IPV6T, "ip6"},
	};
	struct nft_ir_rule *r = rule(t, "vm");

	load(t, r, NFT_PAYLOAD_LL_HEADER, 6, MAC_LEN);
	cmp(t, r, NFT_CMP_NEQ, s->vm_mac, MAC_LEN);
	drop(t, r, GUEST_FILTER_SRC_MAC);
	if (s->l2_only)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(by_type); i++) {
		r = rule(t, "vm");
		load(t, r, NFT_PAYLOAD_LL_HEADER, 12, 2);
		cmp_u16(t, r, NFT_CMP_EQ, by_type[i].type);
		if (by_type[i].chain)
			verdict(t, r, NFT_GOTO, by_type[i].chain);
		else
			drop(t, r, GUEST_FILTER_VLAN);
	}
}

static void arp_rules(struct nft_ir_table *t, const struct guest_filter_spec *s)
{
	/* htype Ethernet, ptype IPv4, hlen 6, plen 4 (RFC 826). */
	static const uint8_t eth_ipv4[6] = {0, 1, 0x08, 0x00, 6, 4};
	static const uint8_t any4[4] = {0};
	struct nft_ir_rule *r = rule(t, "arp");

	load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 0, sizeof(eth_ipv4));
	cmp(t, r, NFT_CMP_NEQ, eth_ipv4, sizeof(eth_ipv4));
	drop(t, r, GUEST_FILTER_ARP_SENDER);
	r = rule(t, "arp");
	load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 8, MAC_LEN);
	cmp(t, r, NFT_CMP_NEQ, s->vm_mac, MAC_LEN);
	drop(t, r, GUEST_FILTER_ARP_SENDER);
	for (size_t i = 0; i < s->n_v4; i++) {
		r = rule(t, "arp");
		load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 14, 4);
		cmp(t, r, NFT_CMP_EQ, &s->v4[i], 4);
		verdict(t, r, NF_ACCEPT, NULL);
	}
	r = rule(t, "arp"); /* an RFC 5227 probe: a request from 0.0.0.0 */
	load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 6, 2);
	cmp_u16(t, r, NFT_CMP_EQ, 1);
	load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 14, 4);
	cmp(t, r, NFT_CMP_EQ, any4, sizeof(any4));
	verdict(t, r, NF_ACCEPT, NULL);
	drop(t, rule(t, "arp"), GUEST_FILTER_ARP_SENDER);
}

static void ip4_rules(struct nft_ir_table *t, const struct guest_filter_spec *s)
{
	drop(t, l4_rule(t, "ip4", PROTO_UDP, 0, 2, PORT_DHCP4_SERVER),
	     GUEST_FILTER_DHCP_SERVER);
	drop(t, l4_rule(t, "ip4", PROTO_ICMP, 0, 1, ICMP_REDIRECT_T),
	     GUEST_FILTER_REDIRECT);
	drop(t, l4_rule(t, "ip4", PROTO_UDP, 2, 2, PORT_DHCP4_SERVER),
	     GUEST_FILTER_KEPT_IN_POD);
	for (size_t i = 0; i < s->n_v4; i++) {
		struct nft_ir_rule *r = rule(t, "ip4");

		load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
		cmp(t, r, NFT_CMP_EQ, &s->v4[i], 4);
		verdict(t, r, NF_ACCEPT, NULL);
	}
	drop(t, rule(t, "ip4"), GUEST_FILTER_IP4_SOURCE);
}

/* A rule that starts "IPv6 address at @base/@off is link-local (/64)". */
static struct nft_ir_rule *ll_rule(struct nft_ir_table *t, const char *c,
				   uint32_t base, uint32_t off)
{
	static const uint8_t mask64[16] = {0xff, 0xff, 0xff, 0xff,
					   0xff, 0xff, 0xff, 0xff};
	static const uint8_t fe80[16] = {0xfe, 0x80};
	struct nft_ir_rule *r = rule(t, c);

	load(t, r, base, off, 16);
	with_data(t, r, NFT_IR_AND, 0, mask64, sizeof(mask64));
	cmp(t, r, NFT_CMP_EQ, fe80, sizeof(fe80));
	return r;
}

/* Rules in @c: an address at @base/@off that is a router's is @why,
 * one the VM may own gets @ok. */
static void ip6_owned(struct nft_ir_table *t, const struct guest_filter_spec *s,
		      const char *c, uint32_t base, uint32_t off,
		      enum guest_filter_reason why, int32_t ok)
{
	struct nft_ir_rule *r;

	for (size_t i = 0; i < s->n_routers; i++) {
		r = rule(t, c);
		load(t, r, base, off, 16);
		cmp(t, r, NFT_CMP_EQ, &s->routers[i], 16);
		drop(t, r, why);
	}
	for (size_t i = 0; i < s->n_v6; i++) {
		r = rule(t, c);
		load(t, r, base, off, 16);
		cmp(t, r, NFT_CMP_EQ, &s->v6[i], 16);
		verdict(t, r, ok, NULL);
	}
	verdict(t, ll_rule(t, c, base, off), ok, NULL);
}

static void ip6_rules(struct nft_ir_table *t, const struct guest_filter_spec *s)
{
	static const uint8_t any6[16] = {0};
	static const uint8_t from_any[] = {
		ICMP6_RS, ICMP6_NS, ICMP6_MLD1_REPORT, ICMP6_MLD2_REPORT};
	struct nft_ir_rule *r;

	drop(t, l4_rule(t, "ip6", PROTO_UDP, 0, 2, PORT_DHCP6_SERVER),
	     GUEST_FILTER_DHCP_SERVER);
	drop(t, l4_rule(t, "ip6", PROTO_ICMPV6, 0, 1, ICMP6_RA),
	     GUEST_FILTER_ROUTER_ADV);
	drop(t, l4_rule(t, "ip6", PROTO_ICMPV6, 0, 1, ICMP6_REDIRECT),
	     GUEST_FILTER_REDIRECT);
	drop(t, l4_rule(t, "ip6", PROTO_UDP, 2, 2, PORT_DHCP6_SERVER),
	     GUEST_FILTER_KEPT_IN_POD);
	drop(t, l4_rule(t, "ip6", PROTO_ICMPV6, 0, 1, ICMP6_RS),
	     GUEST_FILTER_KEPT_IN_POD);
	verdict(t, rule(t, "ip6"), NFT_JUMP, "ip6_source");
	verdict(t, l4_rule(t, "ip6", PROTO_ICMPV6, 0, 1, ICMP6_NA), NFT_GOTO,
		"nd");
	verdict(t, l4_rule(t, "ip6", PROTO_ICMPV6, 0, 1, ICMP6_NS), NFT_GOTO,
		"nd");

	ip6_owned(t, s, "ip6_source", NFT_PAYLOAD_NETWORK_HEADER, 8,
		  GUEST_FILTER_IP6_SOURCE, NFT_RETURN);
	for (size_t i = 0; i < ARRAY_SIZE(from_any); i++) {
		r = l4_rule(t, "ip6_source", PROTO_ICMPV6, 0, 1, from_any[i]);
		load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 8, 16);
		cmp(t, r, NFT_CMP_EQ, any6, sizeof(any6));
		verdict(t, r, NFT_RETURN, NULL);
	}
	drop(t, rule(t, "ip6_source"), GUEST_FILTER_IP6_SOURCE);

	/* NS and NA: at most one option (the payload length counts extension
	 * headers too: NDP rarely has any). */
	r = rule(t, "nd");
	load(t, r, NFT_PAYLOAD_NETWORK_HEADER, 4, 2);
	cmp_u16(t, r, NFT_CMP_GT, ND_ONE_OPTION_LEN);
	drop(t, r, GUEST_FILTER_ND_LLADDR);
	for (uint8_t opt = ND_OPT_SLLA; opt <= ND_OPT_TLLA; opt++) {
		uint8_t type_len[2] = {opt, 1};

		r = rule(t, "nd");
		load(t, r, NFT_PAYLOAD_TRANSPORT_HEADER, ND_FIXED_LEN, 2);
		cmp(t, r, NFT_CMP_EQ, type_len, sizeof(type_len));
		load(t, r, NFT_PAYLOAD_TRANSPORT_HEADER, ND_FIXED_LEN + 2,
		     MAC_LEN);
		cmp(t, r, NFT_CMP_NEQ, s->vm_mac, MAC_LEN);
		drop(t, r, GUEST_FILTER_ND_LLADDR);
	}
	/* An NS names no address it claims (DAD's target is checked by
	 * the NA that would defend it). */
	verdict(t, l4_rule(t, "nd", PROTO_ICMPV6, 0, 1, ICMP6_NS), NF_ACCEPT,
		NULL);
	ip6_owned(t, s, "nd", NFT_PAYLOAD_TRANSPORT_HEADER, 8,
		  GUEST_FILTER_ND_TARGET, NF_ACCEPT);
	drop(t, rule(t, "nd"), GUEST_FILTER_ND_TARGET);
}

/**
 * guest_filter_rules_build() - The guest filter of one interface, as data
 * @spec:	the VM's MAC, the pod's addresses, the bridge and pod interface
 * @ret:	filled with one table of the bridge family: its chains, named
 *		counters (one per reason, guest_filter_reason_names) and rules
 *
 * Return: 0, or -E2BIG if a limit of nft_ir.h was hit (@ret unusable)
 */
int guest_filter_rules_build(const struct guest_filter_spec *spec,
			     struct nft_ir_table *ret)
{
	struct nft_ir_rule *r;

	memset(ret, 0, sizeof(*ret));
	ret->family = NFPROTO_BRIDGE;
	(void)snprintf(ret->name, sizeof(ret->name), "%s", spec->table);
	(void)snprintf(ret->comment, sizeof(ret->comment), "%s", spec->comment);
	for (size_t i = 0; i < GUEST_FILTER_REASONS; i++)
		(void)snprintf(ret->counters[i], sizeof(ret->counters[i]), "%s",
			       guest_filter_reason_names[i]);
	ret->n_counters = GUEST_FILTER_REASONS;
	chain(ret, "forward", true, BR_HOOK_FORWARD);
	chain(ret, "vm", false, 0);
	r = rule(ret, "forward");
	meta(ret, r, NFT_META_OIFNAME);
	cmp_ifname(ret, r, NFT_CMP_EQ, spec->pod_iface);
	meta(ret, r, NFT_META_IIFNAME);
	cmp_ifname(ret, r, NFT_CMP_NEQ, spec->pod_iface);
	verdict(ret, r, NFT_JUMP, "vm");
	mac_and_dispatch(ret, spec);
	if (!spec->l2_only) {
		chain(ret, "arp", false, 0);
		chain(ret, "ip4", false, 0);
		chain(ret, "ip6", false, 0);
		chain(ret, "ip6_source", false, 0);
		chain(ret, "nd", false, 0);
		arp_rules(ret, spec);
		ip4_rules(ret, spec);
		ip6_rules(ret, spec);
	}
	return ret->overflow ? -E2BIG : 0;
}
