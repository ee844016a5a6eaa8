// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of DHCPv6 parsing, the decision and the replies (RFC 8415). */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "be_bytes.h"
#include "dhcp6_wire.h"
#include "lease6.h"
#include "util.h"
#include "lease6_fixture.h"
#include "test.h"

static const uint8_t br_mac[MAC_LEN] = {0x5a, 0x30, 0x4d, 0xd3, 0x6a, 0x41};
static const uint8_t cid[] = {0, 3, 0, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56};

static struct lease6 lease;

static void setup(void)
{
	lease6_fixture(&lease, br_mac);
	lease.n_search = 2;
	strcpy(lease.search[0], "pod.example.test");
	strcpy(lease.search[1], "example.test");
	strcpy(lease.hostname, "vm1");
}

/* A message builder: type, xid 0x010203, then options. */
struct msgb {
	uint8_t b[1500];
	size_t n;
};

static void m_start(struct msgb *m, uint8_t type)
{
	m->b[0] = type;
	m->b[1] = 1;
	m->b[2] = 2;
	m->b[3] = 3;
	m->n = 4;
}

static void m_opt(struct msgb *m, uint16_t code, const void *data, size_t len)
{
	m->b[m->n++] = (uint8_t)(code >> 8);
	m->b[m->n++] = (uint8_t)code;
	m->b[m->n++] = (uint8_t)(len >> 8);
	m->b[m->n++] = (uint8_t)len;
	if (len)
		memcpy(m->b + m->n, data, len);
	m->n += len;
}

static void m_ia_na(struct msgb *m, uint32_t iaid, const char *addr)
{
	uint8_t b[12 + 28] = {(uint8_t)(iaid >> 24), (uint8_t)(iaid >> 16),
			      (uint8_t)(iaid >> 8), (uint8_t)iaid};
	size_t n = 12;

	if (addr) {
		b[12] = 0;
		b[13] = DHCP6_OPT_IAADDR;
		b[14] = 0;
		b[15] = 24;
		a6(addr, b + 16);
		memset(b + 32, 0, 8);
		n += 28;
	}
	m_opt(m, DHCP6_OPT_IA_NA, b, n);
}

static enum dhcp6_action decide(const struct msgb *m)
{
	struct dhcp6_request r;

	if (dhcp6_wire_parse(m->b, m->n, &r) < 0)
		return (enum dhcp6_action) - 1;
	return dhcp6_wire_decide(&r, &lease, NULL);
}

static void decisions(void)
{
	struct msgb m;

	setup();
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_ADVERTISE);
	m_opt(&m, DHCP6_OPT_SERVERID, lease.duid, sizeof(lease.duid));
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);

	m_start(&m, DHCP6_SOLICIT); /* no Client ID */
	m_ia_na(&m, 1, NULL);
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);

	m_start(&m, DHCP6_REQUEST);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 1, "2001:db8:1::10");
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE); /* no Server ID */
	m_opt(&m, DHCP6_OPT_SERVERID, lease.duid, sizeof(lease.duid));
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_REPLY);
	m.b[m.n - 1] ^= 1; /* another server */
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);

	m_start(&m, DHCP6_REQUEST);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_opt(&m, DHCP6_OPT_SERVERID, lease.duid, sizeof(lease.duid));
	m_ia_na(&m, 1, "2001:db8:99::1");
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_REPLY_NOTONLINK);

	m_start(&m, DHCP6_REBIND);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 1, "2001:db8:1::10");
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_REPLY);
	m_opt(&m, DHCP6_OPT_SERVERID, lease.duid, sizeof(lease.duid));
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);

	m_start(&m, DHCP6_CONFIRM);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 1, NULL);
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE); /* names no address */
	m_ia_na(&m, 2, "2001:db8:1::77"); /* on-link prefix: fine */
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_CONFIRM_OK);
	m_ia_na(&m, 3, "2001:db8:2::1");
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_CONFIRM_NOTONLINK);

	m_start(&m, DHCP6_INFORMATION_REQUEST); /* Client ID optional */
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_INFO);

	m_start(&m, DHCP6_RELEASE);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);
	m_opt(&m, DHCP6_OPT_SERVERID, lease.duid, sizeof(lease.duid));
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_RELEASED);
	m.b[0] = DHCP6_DECLINE;
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_DECLINED);
	m.b[0] = DHCP6_ADVERTISE;
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);
	m.b[0] = 12; /* RELAY-FORW */
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_IGNORE);
}

static void malformed(void)
{
	struct dhcp6_request r;
	struct msgb m;
	uint8_t ia[12 + 4] = {0, 0, 0, 1, [12] = 0, 5, 0, 24};

	setup();
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, 3, &r), -EBADMSG);
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n - 1, &r), -EBADMSG);
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, 4 + 3, &r), -EBADMSG);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid)); /* twice */
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), -EBADMSG);
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, 1); /* too short a DUID */
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), -EBADMSG);
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_IA_NA, ia, sizeof(ia)); /* IAADDR past its IA */
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), -EBADMSG);
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_IA_NA, ia, 11); /* IA_NA shorter than fixed */
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), -EBADMSG);
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_RAPID_COMMIT, ia, 1);
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), -EBADMSG);
}

/* Finds option @code at the top level of a reply; NULL if absent. */
static const uint8_t *find(const uint8_t *b, size_t n, uint16_t code,
			   size_t *ret_len)
{
	for (size_t i = 4; i + 4 <= n;) {
		uint16_t c = (uint16_t)(b[i] << 8 | b[i + 1]);
		size_t l = (size_t)(b[i + 2] << 8 | b[i + 3]);

		if (i + 4 + l > n)
			return NULL;
		if (c == code) {
			*ret_len = l;
			return b + i + 4;
		}
		i += 4 + l;
	}
	return NULL;
}

static void advertise_contents(void)
{
	static const uint8_t dom[] = {3,   'p', 'o', 'd', 7,   'e', 'x', 'a',
				      'm', 'p', 'l', 'e', 4,   't', 'e', 's',
				      't', 0,	7,   'e', 'x', 'a', 'm', 'p',
				      'l', 'e', 4,   't', 'e', 's', 't', 0};
	static const uint8_t fqdn[] = {4, 3, 'v', 'm', '1'};
	struct dhcp6_request r;
	uint8_t out[1500];
	const uint8_t *o;
	struct msgb m;
	size_t l = 0;
	ssize_t n;

	setup();
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 7, NULL);
	m_ia_na(&m, 8, NULL);
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), 0);
	n = dhcp6_reply_build(&r, &lease, DHCP6_ACTION_ADVERTISE, out,
			      sizeof(out));
	CHECK(n > 0);
	if (n <= 0)
		return;
	CHECK_EQ_INT(out[0], DHCP6_ADVERTISE);
	CHECK(memcmp(out + 1, "\x01\x02\x03", 3) == 0);
	o = find(out, (size_t)n, DHCP6_OPT_SERVERID, &l);
	CHECK(o && l == 10 && memcmp(o, "\x00\x03\x00\x01", 4) == 0 &&
	      memcmp(o + 4, br_mac, MAC_LEN) == 0);
	o = find(out, (size_t)n, DHCP6_OPT_CLIENTID, &l);
	CHECK(o && l == sizeof(cid) && memcmp(o, cid, l) == 0);
	o = find(out, (size_t)n, DHCP6_OPT_PREFERENCE, &l);
	CHECK(o && l == 1 && o[0] == 255);
	o = find(out, (size_t)n, DHCP6_OPT_IA_NA, &l);
	/* iaid 7, T1 = T2 = infinite, one IAADDR with infinite lifetimes. */
	CHECK(o && l == 12 + 28);
	if (o && l == 40) {
		CHECK(memcmp(o, "\0\0\0\x07\xff\xff\xff\xff\xff\xff\xff\xff",
			     12) == 0);
		CHECK(memcmp(o + 16, &lease.addrs[0], 16) == 0);
		CHECK(memcmp(o + 32, "\xff\xff\xff\xff\xff\xff\xff\xff", 8) ==
		      0);
	}
	o = find(out, (size_t)n, DHCP6_OPT_DNS_SERVERS, &l);
	CHECK(o && l == 16 && memcmp(o, &lease.dns[0], 16) == 0);
	o = find(out, (size_t)n, DHCP6_OPT_DOMAIN_LIST, &l);
	CHECK(o && l == sizeof(dom) && memcmp(o, dom, l) == 0);
	o = find(out, (size_t)n, DHCP6_OPT_CLIENT_FQDN, &l);
	CHECK(o && l == sizeof(fqdn) && memcmp(o, fqdn, l) == 0);

	/* Rapid Commit: a REPLY with the option, no preference. */
	m_opt(&m, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), 0);
	n = dhcp6_reply_build(&r, &lease, DHCP6_ACTION_ADVERTISE, out,
			      sizeof(out));
	CHECK(n > 0 && out[0] == DHCP6_REPLY);
	CHECK(n > 0 && find(out, (size_t)n, DHCP6_OPT_RAPID_COMMIT, &l) &&
	      l == 0);
	CHECK(n > 0 && !find(out, (size_t)n, DHCP6_OPT_PREFERENCE, &l));
	CHECK_EQ_INT(dhcp6_reply_build(&r, &lease, DHCP6_ACTION_IGNORE, out,
				       sizeof(out)),
		     -EINVAL);
}

static void capped_at_min_mtu(void)
{
	struct dhcp6_request r;
	uint8_t out[4000];
	struct msgb m;
	ssize_t n;
	size_t l;

	setup();
	lease.n_search = PODNET_MAX_SEARCH;
	for (size_t i = 0; i < lease.n_search; i++) {
		memset(lease.search[i], 'a', 62);
		lease.search[i][62] = '.';
		memset(lease.search[i] + 63, 'b', 20);
		lease.search[i][83] = 0;
		lease.search[i][0] = (char)('a' + i);
	}
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 7, NULL);
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), 0);
	n = dhcp6_reply_build(&r, &lease, DHCP6_ACTION_ADVERTISE, out,
			      sizeof(out));
	CHECK(n > 0 && n <= 1232);
	/* The search list does not fit: left out whole, the rest stays. */
	CHECK(n > 0 && !find(out, (size_t)n, DHCP6_OPT_DOMAIN_LIST, &l));
	CHECK(n > 0 && find(out, (size_t)n, DHCP6_OPT_DNS_SERVERS, &l));
	CHECK(n > 0 && find(out, (size_t)n, DHCP6_OPT_IA_NA, &l));
	CHECK_EQ_INT(
		dhcp6_reply_build(&r, &lease, DHCP6_ACTION_ADVERTISE, out, 20),
		-EMSGSIZE);
}

static void status_codes(void)
{
	struct dhcp6_request r;
	uint8_t out[1500], pd[12] = {0, 0, 0, 9};
	struct msgb m;
	const uint8_t *o;
	ssize_t n;
	size_t l = 0;

	setup();
	m_start(&m, DHCP6_SOLICIT);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_opt(&m, DHCP6_OPT_IA_PD, pd, sizeof(pd));
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), 0);
	n = dhcp6_reply_build(&r, &lease, DHCP6_ACTION_ADVERTISE, out,
			      sizeof(out));
	o = n > 0 ? find(out, (size_t)n, DHCP6_OPT_STATUS_CODE, &l) : NULL;
	CHECK(o && o[0] == 0 && o[1] == DHCP6_STATUS_NOADDRSAVAIL);
	o = n > 0 ? find(out, (size_t)n, DHCP6_OPT_IA_PD, &l) : NULL;
	CHECK(o && l > 16 && o[12] == 0 && o[13] == DHCP6_OPT_STATUS_CODE &&
	      o[17] == DHCP6_STATUS_NOPREFIXAVAIL);

	m_start(&m, DHCP6_CONFIRM);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 1, "2001:db8:2::1");
	CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), 0);
	n = dhcp6_reply_build(&r, &lease, DHCP6_ACTION_CONFIRM_NOTONLINK, out,
			      sizeof(out));
	o = n > 0 ? find(out, (size_t)n, DHCP6_OPT_STATUS_CODE, &l) : NULL;
	CHECK(o && o[1] == DHCP6_STATUS_NOTONLINK);
	CHECK(n > 0 && out[0] == DHCP6_REPLY);
	CHECK(n > 0 && !find(out, (size_t)n, DHCP6_OPT_IA_NA, &l));
}

/* The VM moved to a pod with other addresses (a live migration): its
 * RENEW (to this server) or REBIND naming the old pod's address gets the
 * old one back with lifetimes 0 and this pod's with infinite ones, in the
 * same IA (RFC 8415 18.3.4, 18.3.5: not appropriate for the link); its
 * CONFIRM gets NotOnLink (18.3.3); its REQUEST NotOnLink in the IA. */
static void moved_guest(void)
{
	static const char *const old = "2001:db8:99::10";
	static const uint8_t types[] = {DHCP6_RENEW, DHCP6_REBIND};
	struct dhcp6_request r;
	uint8_t out[1500], want_old[16], want_new[16];
	struct msgb m;
	const uint8_t *ia;
	size_t l = 0;
	ssize_t n;

	setup();
	a6(old, want_old);
	a6("2001:db8:1::10", want_new);
	for (size_t t = 0; t < sizeof(types); t++) {
		bool seen_old = false, seen_new = false;

		m_start(&m, types[t]);
		m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
		if (types[t] == DHCP6_RENEW)
			m_opt(&m, DHCP6_OPT_SERVERID, lease.duid,
			      sizeof(lease.duid));
		m_ia_na(&m, 7, old);
		CHECK_EQ_INT(decide(&m), DHCP6_ACTION_REPLY);
		CHECK_EQ_INT(dhcp6_wire_parse(m.b, m.n, &r), 0);
		n = dhcp6_reply_build(&r, &lease, DHCP6_ACTION_REPLY, out,
				      sizeof(out));
		CHECK(n > 0 && out[0] == DHCP6_REPLY);
		ia = n > 0 ? find(out, (size_t)n, DHCP6_OPT_IA_NA, &l) : NULL;
		CHECK(ia != NULL && l >= 12);
		/* The IAADDRs after iaid, T1, T2: address, preferred, valid. */
		for (size_t i = 12; ia && i + 4 + 24 <= l;) {
			size_t len = (size_t)ia[i + 2] << 8 | ia[i + 3];
			const uint8_t *a = ia + i + 4;

			if ((ia[i] << 8 | ia[i + 1]) == DHCP6_OPT_IAADDR &&
			    len >= 24) {
				uint32_t pref = be32_get(a + 16),
					 valid = be32_get(a + 20);

				if (memcmp(a, want_old, 16) == 0) {
					seen_old = true;
					CHECK(pref == 0 && valid == 0);
				} else if (memcmp(a, want_new, 16) == 0) {
					seen_new = true;
					CHECK(pref == LEASE6_INFINITE &&
					      valid == LEASE6_INFINITE);
				}
			}
			i += 4 + len;
		}
		CHECK(seen_old && seen_new);
	}
	m_start(&m, DHCP6_CONFIRM);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_ia_na(&m, 7, old);
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_CONFIRM_NOTONLINK);
	m_start(&m, DHCP6_REQUEST);
	m_opt(&m, DHCP6_OPT_CLIENTID, cid, sizeof(cid));
	m_opt(&m, DHCP6_OPT_SERVERID, lease.duid, sizeof(lease.duid));
	m_ia_na(&m, 7, old);
	CHECK_EQ_INT(decide(&m), DHCP6_ACTION_REPLY_NOTONLINK);
}

int main(void)
{
	RUN(decisions);
	RUN(moved_guest);
	RUN(malformed);
	RUN(advertise_contents);
	RUN(capped_at_min_mtu);
	RUN(status_codes);
	return TEST_SUMMARY();
}
