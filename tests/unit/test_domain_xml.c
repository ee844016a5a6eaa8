// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for domain_xml_parse(): each tests/data file with its exact
 * outcome. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <libxml/parser.h>

#include "domain_uuid.h"
#include "domain_xml.h"
#include "test.h"

#define UUID1 "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"

struct want_tag {
	const char *mac;
	const char *pod_iface;
	const char *bridge;
};

struct xml_case {
	const char *file;
	int rc;
	const char *err; /* "" on success */
	const char *name;
	const char *uuid;
	const char *hostname;
	size_t n_tags;
	struct want_tag tags[2];
};

#define TAGGED(f, n, u, h, k, ...)                                             \
	{                                                                      \
		.file = (f), .rc = DOMAIN_XML_TAGGED, .err = "", .name = (n),  \
		.uuid = (u), .hostname = (h), .n_tags = (k), .tags = {         \
			__VA_ARGS__                                            \
		}                                                              \
	}
#define UNTAGGED(f, n)                                                         \
	{                                                                      \
		.file = (f), .rc = DOMAIN_XML_UNTAGGED, .err = "", .name = (n) \
	}
#define BAD(f, m)                                                              \
	{                                                                      \
		.file = (f), .rc = -EINVAL, .err = (m)                         \
	}
#define TAG_ETH0                                                               \
	{                                                                      \
		"52:54:00:12:34:56", "eth0", "pn-eth0"                         \
	}

static const struct xml_case cases[] = {
	TAGGED("tagged-one.xml", "vm1", UUID1, "vm1-host", 1, TAG_ETH0),
	TAGGED("tagged-two.xml", "vm1", UUID1, "vm1", 2, TAG_ETH0,
	       {"52:54:00:aa:bb:cc", "net1", "pn-net1"}),
	TAGGED("tagged-default-iface.xml", "vm1", UUID1, "vm1", 1, TAG_ETH0),
	TAGGED("tagged-upper-mac.xml", "vm1", UUID1, "vm1", 1,
	       {"52:54:00:ab:cd:ef", "eth0", "pn-eth0"}),
	TAGGED("tagged-ns-on-root.xml", "vm1", UUID1, "vm1", 1, TAG_ETH0),
	TAGGED("tagged-uuid-upper.xml", "vm1", UUID1, "vm1", 1, TAG_ETH0),
	TAGGED("tagged-name-derived.xml", "My_VM.prod", UUID1, "my-vm-prod", 1,
	       TAG_ETH0),
	TAGGED("tagged-name-nothing.xml", "___", UUID1, "", 1, TAG_ETH0),
	TAGGED("calico.xml", "calico-vm",
	       "0f6c1a52-7d3e-4b8a-9c21-5e4f3a2b1c0d", "calico-vm-0", 1,
	       {"0a:58:c6:33:64:0a", "eth0", "pn-eth0"}),
	TAGGED("live-libvirt9.xml", "web-0",
	       "9b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8", "web-0", 2,
	       {"52:54:00:6b:3c:01", "eth0", "pn-eth0"},
	       {"52:54:00:6b:3c:02", "net1", "pn-net1"}),
	UNTAGGED("untagged.xml", "vm1"),
	UNTAGGED("untagged-other-ns.xml", "vm1"),
	TAGGED("tagged-dhcp-off.xml", "vm1", UUID1, "vm1-host", 1, TAG_ETH0),
	BAD("bad-dhcp-off-with-options.xml",
	    "interface 'eth0': invalid podnet metadata: DHCP options given, but dhcp is off"),
	BAD("bad-option-twice.xml",
	    "interface 'eth0': invalid podnet metadata: an option code given twice"),
	BAD("bad-too-many-ntp.xml",
	    "interface 'eth0': invalid podnet metadata: more than 8 ntp-server elements"),
	BAD("bad-mac-no-interface.xml",
	    "interface 'eth0': no <interface> in the domain has MAC '52:54:00:aa:bb:cc'"),
	BAD("bad-not-bridge.xml",
	    "interface 'eth0': the <interface> with MAC '52:54:00:12:34:56' has type 'network', not 'bridge'"),
	BAD("bad-no-source.xml",
	    "interface 'eth0': the <interface> with MAC '52:54:00:12:34:56' has no <source bridge>"),
	BAD("bad-bridge-too-long.xml",
	    "interface 'eth0': bridge name 'pn-eth0-0123456789' is longer than 15 bytes"),
	BAD("bad-bridge-invalid.xml",
	    "interface 'eth0': invalid bridge name 'pn/eth0'"),
	BAD("bad-two-tags-one-pod-iface.xml",
	    "interface 'eth0': tagged twice, for MAC '52:54:00:12:34:56' and MAC '52:54:00:aa:bb:cc'"),
	BAD("bad-two-tags-same-mac.xml",
	    "MAC '52:54:00:12:34:56' is tagged twice"),
	BAD("bad-two-tags-same-bridge.xml",
	    "interface 'net1': bridge 'pn-eth0' is already used by interface 'eth0'"),
	BAD("bad-two-interfaces-same-mac.xml",
	    "interface 'eth0': 2 <interface> elements have MAC '52:54:00:12:34:56'"),
	BAD("bad-too-many-tags.xml",
	    "invalid podnet metadata: 9 interfaces tagged, at most 8 are supported"),
	BAD("bad-schema-attr.xml",
	    "invalid podnet metadata: element 'interface': unexpected attribute 'mtu'"),
	BAD("bad-schema-mac.xml",
	    "invalid podnet metadata: element 'interface': invalid value 'zz' for attribute 'mac'"),
	BAD("bad-schema-multicast-mac.xml",
	    "invalid podnet metadata: element 'interface': invalid value '01:00:5e:00:00:01' for attribute 'mac'"),
	BAD("bad-schema-hostname.xml",
	    "invalid podnet metadata: element 'network': invalid value 'vm1.example.org' for attribute 'hostname'"),
	BAD("bad-schema-no-interface.xml",
	    "invalid podnet metadata: element 'network': missing child element"),
	BAD("bad-two-network-elements.xml",
	    "invalid podnet metadata: more than one element 'network'"),
	BAD("bad-misnamed-element.xml",
	    "invalid podnet metadata: unexpected element 'networks' in <metadata>, expected 'network'"),
	BAD("bad-no-uuid.xml", "domain XML has no <uuid>"),
	BAD("bad-uuid.xml", "domain XML has an invalid <uuid> 'not-a-uuid'"),
	BAD("bad-no-name.xml", "domain XML has no <name>"),
	BAD("bad-undeclared-prefix.xml",
	    "malformed domain XML: Namespace prefix podnet on network is not defined"),
	BAD("bad-root.xml",
	    "domain XML: root element is 'network', not 'domain'"),
	BAD("bad-empty.xml", "malformed domain XML: Document is empty"),
	BAD("bad-malformed.xml",
	    "malformed domain XML: Opening and ending tag mismatch: vcpu line 10 and cpu"),
	BAD("bad-dtd.xml", "domain XML must not carry a DTD"),
	BAD("bad-dtd-external.xml", "domain XML must not carry a DTD"),
};

/* Read tests/data/@file into a buffer of exactly its size (no NUL). */
static char *slurp(const char *file, size_t *ret_len)
{
	char path[256];
	FILE *f;
	char *buf;
	long n;

	if (snprintf(path, sizeof(path), "tests/data/%s", file) >=
	    (int)sizeof(path))
		return NULL;
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static void check_result(const struct xml_case *c,
			 const struct podnet_domain *dom)
{
	CHECK_EQ_STR(dom->name, c->name);
	if (c->rc != DOMAIN_XML_TAGGED)
		return;
	CHECK_EQ_STR(dom->uuid, c->uuid);
	CHECK_EQ_STR(dom->hostname, c->hostname);
	CHECK_EQ_INT(dom->n_tags, c->n_tags);
	for (size_t i = 0; i < c->n_tags && i < dom->n_tags; i++) {
		CHECK_EQ_STR(dom->tags[i].mac_str, c->tags[i].mac);
		CHECK_EQ_STR(dom->tags[i].pod_iface, c->tags[i].pod_iface);
		CHECK_EQ_STR(dom->tags[i].bridge, c->tags[i].bridge);
	}
}

static void run_case(const struct xml_case *c)
{
	static struct podnet_domain dom;
	char err[512] = "untouched";
	size_t len = 0;
	char *xml = slurp(c->file, &len);
	int rc;

	CHECK(xml != NULL);
	if (!xml)
		return;
	memset(&dom, 0x5a, sizeof(dom));
	rc = domain_xml_parse(xml, len, &dom, err, sizeof(err));
	free(xml);
	CHECK_EQ_INT(rc, c->rc);
	CHECK_EQ_STR(err, c->err);
	if (rc < 0) {
		/* On error the struct is left alone. */
		CHECK_EQ_INT(((unsigned char *)&dom)[0], 0x5a);
		return;
	}
	check_result(c, &dom);
}

/* Each row is a case of its own, reported by file name like RUN() does. */
static void run_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		RUN_NAMED(run_case(&cases[i]), "", cases[i].file);
}

/* The bytes "mac" in a good tag: the same one everywhere. */
static const char good_xml[] =
	"<domain><name>vm1</name><uuid>" UUID1
	"</uuid><metadata><p:network xmlns:p='urn:podnet:xmlns:1'><p:interface mac='52:54:00:12:34:56'/></p:network></metadata><devices><interface type='bridge'><mac address='52:54:00:12:34:56'/><source bridge='br0'/></interface></devices></domain>";

static void test_null_input(void)
{
	struct podnet_domain dom;
	char err[128];

	CHECK_EQ_INT(domain_xml_parse(NULL, 0, &dom, err, sizeof(err)),
		     -EINVAL);
	CHECK_EQ_STR(err, "no domain XML");
	CHECK_EQ_INT(domain_xml_parse(good_xml, sizeof(good_xml) - 1, NULL, err,
				      sizeof(err)),
		     -EINVAL);
}

static void test_memory_buffer(void)
{
	struct podnet_domain dom;
	char err[128];

	CHECK_EQ_INT(domain_xml_parse(good_xml, sizeof(good_xml) - 1, &dom, err,
				      sizeof(err)),
		     DOMAIN_XML_TAGGED);
	CHECK_EQ_STR(dom.tags[0].bridge, "br0");
	/* The length is honoured: a cut document is malformed. */
	CHECK_EQ_INT(domain_xml_parse(good_xml, 20, &dom, err, sizeof(err)),
		     -EINVAL);
	CHECK(!strncmp(err, "malformed domain XML: ", 22));
	/* A NUL byte inside the document. */
	char with_nul[sizeof(good_xml)];

	memcpy(with_nul, good_xml, sizeof(good_xml));
	with_nul[12] = '\0'; /* inside <name> */
	CHECK_EQ_INT(domain_xml_parse(with_nul, sizeof(with_nul) - 1, &dom, err,
				      sizeof(err)),
		     -EINVAL);
	CHECK_EQ_STR(err,
		     "malformed domain XML: Char 0x0 out of allowed range");
}

/* A short err buffer gets a shortened message, never an overrun. */
static void test_short_err_buffer(void)
{
	struct podnet_domain dom;
	char err[16];

	CHECK_EQ_INT(domain_xml_parse("<x/>", 4, &dom, err, sizeof(err)),
		     -EINVAL);
	CHECK_EQ_STR(err, "domain XML: ...");
	CHECK_EQ_INT(domain_xml_parse("<x/>", 4, &dom, NULL, 0), -EINVAL);
}

/* libxml2 must print nothing: the hook's stderr carries exactly one line. */
static void test_silent_stderr(void)
{
	static const char *const files[] = {
		"bad-malformed.xml",  "bad-dtd.xml",
		"bad-schema-mac.xml", "bad-undeclared-prefix.xml",
		"bad-empty.xml",      "bad-schema-no-interface.xml",
	};
	FILE *tmp = tmpfile();
	int saved = dup(2);

	CHECK(tmp && saved >= 0);
	if (!tmp || saved < 0)
		return;
	fflush(stderr);
	CHECK(dup2(fileno(tmp), 2) == 2);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct podnet_domain dom;
		char err[256];
		size_t len = 0;
		char *xml = slurp(files[i], &len);

		if (xml)
			(void)domain_xml_parse(xml, len, &dom, err,
					       sizeof(err));
		free(xml);
	}
	fflush(stderr);
	(void)dup2(saved, 2);
	close(saved);
	CHECK_EQ_INT(ftell(tmp), 0);
	fclose(tmp);
}

/* The tag's DHCP side, value by value. */
static void dhcp_options_read(void)
{
	static struct podnet_domain dom;
	char err[256] = "";
	const struct dhcp_extras *x;
	const struct dhcp_extra_opt *o;
	size_t len = 0;
	char *xml = slurp("tagged-dhcp-options.xml", &len);

	CHECK(xml != NULL);
	if (!xml)
		return;
	CHECK_EQ_INT(domain_xml_parse(xml, len, &dom, err, sizeof(err)),
		     DOMAIN_XML_TAGGED);
	free(xml);
	x = &dom.tags[0].dhcp;
	CHECK(!x->no_dhcp);
	CHECK_EQ_INT(x->lease_seconds, 3600);
	CHECK_EQ_INT(x->n_ntp, 1);
	CHECK_EQ_INT(ntohl(x->ntp[0].s_addr), 0xc633647b);
	CHECK_EQ_INT(ntohl(x->siaddr.s_addr), 0xc6336405);
	o = dhcp_extras_find(x, 67);
	CHECK(o && o->len == 10 && !memcmp(x->data + o->off, "pxelinux.0", 10));
	o = dhcp_extras_find(x, 224);
	CHECK(o && o->len == 2 && x->data[o->off] == 1 &&
	      x->data[o->off + 1] == 0xff);
	o = dhcp_extras_find(x, 250);
	CHECK(o && o->len == 4 && !memcmp(x->data + o->off, "site", 4));
	CHECK(dhcp_extras_find(x, 66) != NULL);
}

/* release's UUID reading takes the same hardened parse: no DTD. */
static void uuid_read_refuses_dtd(void)
{
	char uuid[PODNET_UUID_STR_LEN + 1] = "";
	size_t len = 0;
	char *xml = slurp("tagged-dhcp-options.xml", &len);

	CHECK(xml != NULL);
	if (xml)
		CHECK_EQ_INT(domain_uuid_read(xml, len, uuid), 0);
	free(xml);
	CHECK_EQ_STR(uuid, UUID1);
	for (size_t i = 0; i < 2; i++) {
		xml = slurp(i ? "bad-dtd-external.xml" : "bad-dtd.xml", &len);
		CHECK(xml != NULL);
		if (xml)
			CHECK_EQ_INT(domain_uuid_read(xml, len, uuid), -EINVAL);
		free(xml);
	}
}

int main(void)
{
	xmlInitParser();
	run_table();
	RUN(dhcp_options_read);
	RUN(test_null_input);
	RUN(test_memory_buffer);
	RUN(test_short_err_buffer);
	RUN(test_silent_stderr);
	RUN(uuid_read_refuses_dtd);
	xmlCleanupParser();
	return TEST_SUMMARY();
}
