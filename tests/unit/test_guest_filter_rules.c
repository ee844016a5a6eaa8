// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit test of the guest filter's rules (guest_filter_rules.c): a small
 * evaluator runs the rules as the kernel's nf_tables would on hand-made
 * frames, and each frame must get its verdict and its counter; then the
 * transaction nft_encode makes of them is walked message by message. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_filter_rules.h"
#include "nft_encode.h"
#include "test.h"

static const uint8_t vm_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t other_mac[MAC_LEN] = {0x52, 0x54, 0x00, 0x66, 0x66, 0x66};
static struct nft_ir_table table;

/* A frame as the forward hook sees it. */
struct frame {
	uint8_t b[128];
	size_t len;
	const char *iif, *oif;
};

/* What the evaluator found: the verdict and the last counter it passed. */
struct outcome {
	int verdict;
	const char *counter;
};

static bool l4(const struct frame *f, uint8_t *proto, size_t *thoff)
{
	uint16_t type = (uint16_t)(f->b[12] << 8 | f->b[13]);

	if (type == 0x0800) {
		*proto = f->b[14 + 9];
		*thoff = 14 + (size_t)(f->b[14] & 0x0f) * 4;
		return true;
	}
	if (type == 0x86dd) {
		*proto = f->b[14 + 6];
		*thoff = 14 + 40;
		return true;
	}
	return false;
}

/* One expression into @reg; false: the rule does not match (NFT_BREAK). */
static bool load(const struct nft_ir_expr *e, const struct frame *f,
		 uint8_t reg[16])
{
	uint8_t proto;
	size_t off = 0, thoff;

	memset(reg, 0, 16);
	if (e->kind == NFT_IR_META) {
		if (e->key == NFT_META_L4PROTO) {
			if (!l4(f, &proto, &thoff))
				return false;
			reg[0] = proto;
			return true;
		}
		(void)snprintf((char *)reg, 16, "%s",
			       e->key == NFT_META_IIFNAME ? f->iif : f->oif);
		return true;
	}
	if (e->key == NFT_PAYLOAD_NETWORK_HEADER)
		off = 14;
	if (e->key == NFT_PAYLOAD_TRANSPORT_HEADER) {
		if (!l4(f, &proto, &thoff))
			return false;
		off = thoff;
	}
	if (off + e->offset + e->len > f->len)
		return false;
	memcpy(reg, f->b + off + e->offset, e->len);
	return true;
}

static int run_chain(const char *chain, const struct frame *f,
		     struct outcome *o, int depth)
{
	if (depth > 8)
		return -100;
	for (size_t i = 0; i < table.n_rules; i++) {
		const struct nft_ir_rule *r = &table.rules[i];
		uint8_t reg[16] = {0};
		bool match = true;

		if (strcmp(r->chain, chain) != 0)
			continue;
		for (size_t k = 0; k < r->n && match; k++) {
			const struct nft_ir_expr *e = &r->e[k];
			int c, v;

			switch (e->kind) {
			case NFT_IR_META:
			case NFT_IR_PAYLOAD:
				match = load(e, f, reg);
				break;
			case NFT_IR_CMP:
				c = memcmp(reg, e->data, e->len);
				match = e->key == NFT_CMP_EQ	? c == 0
					: e->key == NFT_CMP_NEQ ? c != 0
					: e->key == NFT_CMP_GT	? c > 0
								: false;
				break;
			case NFT_IR_AND:
				for (size_t j = 0; j < e->len; j++)
					reg[j] &= e->data[j];
				break;
			case NFT_IR_COUNT:
				o->counter = e->name;
				break;
			case NFT_IR_VERDICT:
				v = (int)e->key;
				if (v == NF_DROP || v == NF_ACCEPT ||
				    v == NFT_RETURN)
					return v;
				v = run_chain(e->name, f, o, depth + 1);
				if (e->key == (uint32_t)NFT_GOTO ||
				    v != NFT_RETURN)
					return v;
				match = false; /* back from a jump: next rule */
				break;
			}
		}
	}
	return NFT_RETURN;
}

static struct outcome run(const struct frame *f)
{
	struct outcome o = {0};

	o.verdict = run_chain("forward", f, &o, 0);
	if (o.verdict == NFT_RETURN)
		o.verdict = NF_ACCEPT; /* the base chain's policy */
	if (o.verdict == NF_ACCEPT)
		o.counter = NULL;
	return o;
}

static void build(const struct guest_filter_spec *spec)
{
	CHECK_EQ_INT(guest_filter_rules_build(spec, &table), 0);
}

static void spec_default(struct guest_filter_spec *s, bool l2_only)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->table, "podnet-br0");
	strcpy(s->comment, "podnet domain test");
	strcpy(s->pod_iface, "eth0");
	memcpy(s->vm_mac, vm_mac, MAC_LEN);
	s->l2_only = l2_only;
	s->n_v4 = 1;
	inet_pton(AF_INET, "198.51.100.10", &s->v4[0]);
	s->n_v6 = 1;
	inet_pton(AF_INET6, "2001:db8:1::10", &s->v6[0]);
	s->n_routers = 1;
	inet_pton(AF_INET6, "fe80::1", &s->routers[0]);
}

/* Frame builders: Ethernet from @src, from the VM's tap out to eth0. */
static struct frame *eth(struct frame *f, const uint8_t src[MAC_LEN],
			 uint16_t type)
{
	memset(f, 0, sizeof(*f));
	memset(f->b, 0xff, 6);
	memcpy(f->b + 6, src, MAC_LEN);
	f->b[12] = (uint8_t)(type >> 8);
	f->b[13] = (uint8_t)type;
	f->len = 14;
	f->iif = "vnet0";
	f->oif = "eth0";
	return f;
}

static void put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void ip4(struct frame *f, const uint8_t src[MAC_LEN], const char *saddr,
		uint8_t proto)
{
	uint8_t h[20] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, proto};

	eth(f, src, 0x0800);
	inet_pton(AF_INET, saddr, h + 12);
	inet_pton(AF_INET, "198.51.100.1", h + 16);
	put(f, h, sizeof(h));
}

static void udp4(struct frame *f, const char *saddr, uint16_t sport,
		 uint16_t dport)
{
	uint8_t u[8] = {(uint8_t)(sport >> 8), (uint8_t)sport,
			(uint8_t)(dport >> 8), (uint8_t)dport};

	ip4(f, vm_mac, saddr, 17);
	put(f, u, sizeof(u));
}

static void arp(struct frame *f, uint16_t op, const uint8_t sha[MAC_LEN],
		const char *spa)
{
	uint8_t a[28] = {0, 1, 8, 0, 6, 4, 0, (uint8_t)op};

	eth(f, vm_mac, 0x0806);
	memcpy(a + 8, sha, MAC_LEN);
	inet_pton(AF_INET, spa, a + 14);
	inet_pton(AF_INET, "198.51.100.1", a + 24);
	put(f, a, sizeof(a));
}

static void ip6(struct frame *f, const char *saddr, uint8_t next,
		uint16_t payload)
{
	uint8_t h[40] = {
		0x60, 0,  0, 0, (uint8_t)(payload >> 8), (uint8_t)payload,
		next, 255};

	eth(f, vm_mac, 0x86dd);
	inet_pton(AF_INET6, saddr, h + 8);
	inet_pton(AF_INET6, "ff02::1", h + 24);
	put(f, h, sizeof(h));
}

static void icmp6(struct frame *f, const char *saddr, uint8_t type)
{
	uint8_t i[8] = {type};

	ip6(f, saddr, 58, sizeof(i));
	put(f, i, sizeof(i));
}

/* An NA for @target, one target link-layer option naming @mac (NULL: none),
 * @extra more bytes of options. */
static void na(struct frame *f, const char *target, const uint8_t *mac,
	       size_t extra)
{
	uint8_t n[24 + 8 + 8] = {136, 0, 0, 0, 0x20};
	size_t len = 24 + (mac ? 8 : 0) + extra;

	inet_pton(AF_INET6, target, n + 8);
	if (mac) {
		n[24] = 2;
		n[25] = 1;
		memcpy(n + 26, mac, MAC_LEN);
	}
	ip6(f, "fe80::5054:ff:fe12:3456", 58, (uint16_t)len);
	put(f, n, len);
}

static void udp6(struct frame *f, const char *saddr, uint16_t sport,
		 uint16_t dport)
{
	uint8_t u[8] = {(uint8_t)(sport >> 8), (uint8_t)sport,
			(uint8_t)(dport >> 8), (uint8_t)dport};

	ip6(f, saddr, 17, sizeof(u));
	put(f, u, sizeof(u));
}

static void expect(const char *what, const struct frame *f, int verdict,
		   const char *counter)
{
	struct outcome o = run(f);
	int before = test_failed_checks;

	CHECK_EQ_INT(o.verdict, verdict);
	CHECK_EQ_STR(o.counter ? o.counter : "-", counter ? counter : "-");
	test_case_end(before, "rules: ", what);
}

static void ipv4_and_arp(void)
{
	struct guest_filter_spec s;
	struct frame f;

	spec_default(&s, false);
	build(&s);
	udp4(&f, "198.51.100.10", 40000, 9);
	expect("UDP from the pod's address", &f, NF_ACCEPT, NULL);
	f.iif = "eth0";
	f.oif = "vnet0";
	memcpy(f.b + 6, other_mac, MAC_LEN);
	expect("toward the VM: not the filter's", &f, NF_ACCEPT, NULL);
	udp4(&f, "198.51.100.10", 40000, 9);
	memcpy(f.b + 6, other_mac, MAC_LEN);
	expect("another source MAC", &f, NF_DROP, "src_mac");
	udp4(&f, "198.51.100.99", 40000, 9);
	expect("another source IPv4", &f, NF_DROP, "ip4_source");
	udp4(&f, "198.51.100.10", 67, 68);
	expect("DHCP server reply", &f, NF_DROP, "dhcp_server");
	udp4(&f, "0.0.0.0", 68, 67);
	expect("DHCP DISCOVER stays in the pod", &f, NF_DROP, "kept_in_pod");
	udp4(&f, "0.0.0.0", 40000, 9);
	expect("other UDP from 0.0.0.0", &f, NF_DROP, "ip4_source");
	ip4(&f, vm_mac, "198.51.100.10", 1);
	put(&f, (const uint8_t[]){5, 1, 0, 0, 0, 0, 0, 0}, 8);
	expect("ICMP redirect", &f, NF_DROP, "redirect");
	eth(&f, vm_mac, 0x8100);
	put(&f, (const uint8_t[]){0, 5, 8, 0}, 4);
	expect("VLAN tag", &f, NF_DROP, "vlan");
	arp(&f, 1, vm_mac, "198.51.100.10");
	expect("ARP for the pod's address", &f, NF_ACCEPT, NULL);
	arp(&f, 1, vm_mac, "0.0.0.0");
	expect("ARP probe", &f, NF_ACCEPT, NULL);
	arp(&f, 2, vm_mac, "0.0.0.0");
	expect("ARP reply from 0.0.0.0", &f, NF_DROP, "arp_sender");
	arp(&f, 2, vm_mac, "198.51.100.1");
	expect("ARP reply claiming the gateway", &f, NF_DROP, "arp_sender");
	arp(&f, 1, other_mac, "198.51.100.10");
	expect("ARP naming another MAC", &f, NF_DROP, "arp_sender");
	arp(&f, 1, vm_mac, "198.51.100.10");
	f.b[14 + 5] = 16; /* plen: not IPv4 */
	expect("ARP of another protocol size", &f, NF_DROP, "arp_sender");
}

static void ipv6(void)
{
	struct guest_filter_spec s;
	struct frame f;

	spec_default(&s, false);
	build(&s);
	udp6(&f, "2001:db8:1::10", 40000, 9);
	expect("UDP from the pod's IPv6", &f, NF_ACCEPT, NULL);
	udp6(&f, "fe80::5054:ff:fe12:3456", 40000, 9);
	expect("UDP from a link-local", &f, NF_ACCEPT, NULL);
	udp6(&f, "fe80::1", 40000, 9);
	expect("UDP from the router's link-local", &f, NF_DROP, "ip6_source");
	udp6(&f, "fe80:0:0:1::5", 40000, 9);
	expect("UDP from outside fe80::/64", &f, NF_DROP, "ip6_source");
	udp6(&f, "2001:db8:ffff::99", 40000, 9);
	expect("UDP from another IPv6", &f, NF_DROP, "ip6_source");
	udp6(&f, "::", 40000, 9);
	expect("UDP from ::", &f, NF_DROP, "ip6_source");
	icmp6(&f, "::", 135);
	expect("DAD's NS from ::", &f, NF_ACCEPT, NULL);
	icmp6(&f, "::", 143);
	expect("MLD report from ::", &f, NF_ACCEPT, NULL);
	udp6(&f, "fe80::5054:ff:fe12:3456", 547, 546);
	expect("DHCPv6 server reply", &f, NF_DROP, "dhcp_server");
	udp6(&f, "fe80::5054:ff:fe12:3456", 546, 547);
	expect("DHCPv6 SOLICIT stays in the pod", &f, NF_DROP, "kept_in_pod");
	icmp6(&f, "fe80::5054:ff:fe12:3456", 133);
	expect("RS stays in the pod", &f, NF_DROP, "kept_in_pod");
	icmp6(&f, "fe80::5054:ff:fe12:3456", 134);
	expect("RA", &f, NF_DROP, "router_adv");
	icmp6(&f, "fe80::5054:ff:fe12:3456", 137);
	expect("ICMPv6 redirect", &f, NF_DROP, "redirect");
	na(&f, "2001:db8:1::10", vm_mac, 0);
	expect("NA for the pod's address", &f, NF_ACCEPT, NULL);
	na(&f, "fe80::5054:ff:fe12:3456", NULL, 0);
	expect("NA for a link-local, no option", &f, NF_ACCEPT, NULL);
	na(&f, "2001:db8:1::1", vm_mac, 0);
	expect("NA for the gateway", &f, NF_DROP, "nd_target");
	na(&f, "fe80::1", vm_mac, 0);
	expect("NA for the router's link-local", &f, NF_DROP, "nd_target");
	na(&f, "2001:db8:1::10", other_mac, 0);
	expect("NA naming another MAC", &f, NF_DROP, "nd_lladdr");
	na(&f, "2001:db8:1::10", vm_mac, 8);
	expect("NA with a second option", &f, NF_DROP, "nd_lladdr");
}

static void l2_only(void)
{
	struct guest_filter_spec s;
	struct frame f;

	spec_default(&s, true);
	build(&s);
	udp4(&f, "198.51.100.99", 67, 68);
	expect("L2-only: any IPv4 from the VM's MAC", &f, NF_ACCEPT, NULL);
	icmp6(&f, "fe80::1", 134);
	expect("L2-only: an RA from the VM's MAC", &f, NF_ACCEPT, NULL);
	udp4(&f, "198.51.100.10", 40000, 9);
	memcpy(f.b + 6, other_mac, MAC_LEN);
	expect("L2-only: another source MAC", &f, NF_DROP, "src_mac");
}

static void limits(void)
{
	struct guest_filter_spec s;

	spec_default(&s, false);
	s.n_v4 = s.n_v6 = s.n_routers = PODNET_MAX_ADDRS;
	CHECK_EQ_INT(guest_filter_rules_build(&s, &table), 0);
	CHECK(!table.overflow);
}

/* The transaction: begin, table (exclusive, with its comment), counters,
 * chains, rules, end; every message asks for an ACK. */
static void encoded(void)
{
	struct guest_filter_spec s;
	struct nft_msg m = {.cap = (size_t)256 * 1024};
	size_t off = 0, n_obj = 0, n_chain = 0, n_rule = 0, n_msgs = 0;
	uint8_t udata[NFT_ENCODE_UDATA_MAX];
	size_t ulen;
	bool excl = false, comment = false;

	spec_default(&s, false);
	build(&s);
	m.buf = malloc(m.cap);
	CHECK(m.buf != NULL);
	if (!m.buf)
		return;
	nft_encode_create(&table, &m);
	CHECK(!m.overflow);
	ulen = nft_encode_udata(s.comment, udata);
	CHECK_EQ_INT(ulen, 2 + strlen(s.comment) + 1);
	CHECK_EQ_INT(udata[0], 0);
	CHECK_EQ_INT(udata[1], strlen(s.comment) + 1);
	while (off + NLMSG_HDRLEN <= m.len) {
		const struct nlmsghdr *h = (const void *)(m.buf + off);
		uint16_t type = h->nlmsg_type & 0xff;

		CHECK(h->nlmsg_len >= NLMSG_HDRLEN &&
		      off + h->nlmsg_len <= m.len);
		if (h->nlmsg_len < NLMSG_HDRLEN || off + h->nlmsg_len > m.len)
			break;
		if (off == 0)
			CHECK_EQ_INT(h->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
		if (h->nlmsg_type >> 8 == NFNL_SUBSYS_NFTABLES) {
			n_msgs++;
			CHECK(h->nlmsg_flags & NLM_F_ACK);
			if (type == NFT_MSG_NEWTABLE) {
				excl = h->nlmsg_flags & NLM_F_EXCL;
				comment = memmem(h, h->nlmsg_len, udata,
						 ulen) != NULL;
			}
			n_obj += type == NFT_MSG_NEWOBJ;
			n_chain += type == NFT_MSG_NEWCHAIN;
			n_rule += type == NFT_MSG_NEWRULE;
		}
		if (off + NLMSG_ALIGN(h->nlmsg_len) == m.len)
			CHECK_EQ_INT(h->nlmsg_type, NFNL_MSG_BATCH_END);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	CHECK_EQ_INT(off, m.len);
	CHECK(excl);
	CHECK(comment);
	CHECK_EQ_INT(n_obj, GUEST_FILTER_REASONS);
	CHECK_EQ_INT(n_chain, table.n_chains);
	CHECK_EQ_INT(n_rule, table.n_rules);
	CHECK_EQ_INT(m.acks, n_msgs);
	free(m.buf);
	m = (struct nft_msg){.buf = udata, .cap = 8};
	nft_encode_create(&table, &m);
	CHECK(m.overflow); /* a small buffer is never sent half */
}

int main(void)
{
	ipv4_and_arp();
	ipv6();
	l2_only();
	RUN_NAMED(limits(), "rules: ", "every limit of the spec fits");
	RUN_NAMED(encoded(), "encode: ", "one transaction, whole");
	return TEST_SUMMARY();
}
