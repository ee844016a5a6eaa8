// SPDX-License-Identifier: GPL-2.0-or-later
/* tag_fast_check() never accepts what the RelaxNG schema refuses: every
 * schema example and a set of edge values, each through both. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "metadata_schema.h"
#include "tag_fast_check.h"
#include "test.h"
#include "util.h"

#define SCHEMA_DIR "tests/data/schema"

static int fast_accepted;

/* Both on one document; returns whether the hand check accepted it. */
static int check_doc(const char *text, const char *what)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "tag.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR |
					      XML_PARSE_NOWARNING);
	char err[256] = "";
	int fast, full;

	CHECK(doc != NULL);
	if (!doc)
		return 0;
	fast = tag_fast_check(xmlDocGetRootElement(doc));
	full = metadata_schema_validate_relaxng(xmlDocGetRootElement(doc), err,
						sizeof(err));
	xmlFreeDoc(doc);
	if (fast && full != 0)
		printf("FAIL fast check accepts what the schema refuses: %s (%s)\n",
		       what, err);
	CHECK(!fast || full == 0);
	fast_accepted += fast;
	return fast;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int is_example(const struct dirent *e)
{
	return ends_with(e->d_name, ".xml");
}

static void test_examples(void)
{
	struct dirent **list = NULL;
	int n = scandir(SCHEMA_DIR, &list, is_example, alphasort);

	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		char path[512], *text;
		FILE *f;
		long len;

		(void)snprintf(path, sizeof(path), "%s/%s", SCHEMA_DIR,
			       list[i]->d_name);
		f = fopen(path, "rb");
		CHECK(f != NULL);
		if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 &&
		    fseek(f, 0, SEEK_SET) == 0) {
			text = calloc(1, (size_t)len + 1);
			CHECK(text &&
			      fread(text, 1, (size_t)len, f) == (size_t)len);
			if (text) {
				int fast = check_doc(text, list[i]->d_name);

				/* A refusal is always the schema's. */
				if (ends_with(list[i]->d_name, "-invalid.xml"))
					CHECK(!fast);
			}
			free(text);
		}
		if (f)
			fclose(f);
		free(list[i]);
	}
	free(list);
	/* minimal.xml at least is of the plain kind. */
	CHECK(fast_accepted > 0);
}

#define NET_OPEN "<podnet:network xmlns:podnet='urn:podnet:xmlns:1'"

/* One interface with the attributes @attrs, and the network's @net_attrs. */
static void check_attrs(const char *net_attrs, const char *attrs)
{
	char doc[1024];

	(void)snprintf(doc, sizeof(doc),
		       NET_OPEN " %s>\n  <podnet:interface %s/>\n"
				"</podnet:network>\n",
		       net_attrs, attrs);
	(void)check_doc(doc, doc);
}

static void test_edge_values(void)
{
	static const char *const hostnames[] = {
		"hostname='a'",
		"hostname='vm-1'",
		"hostname='-a'",
		"hostname='a-'",
		"hostname='a.b'",
		"hostname=''",
		"hostname=' a'",
		"hostname='a_b'",
		"hostname='abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc'",
		"hostname='abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd'",
		"x='1'",
		"podnet:hostname='a'",
		""};
	static const char *const macs[] = {"mac='52:54:00:12:34:56'",
					   "mac='53:54:00:12:34:56'",
					   "mac='00:00:00:00:00:00'",
					   "mac='00:00:00:00:00:01'",
					   "mac='0A:BC:DE:F0:12:34'",
					   "mac='52:54:00:12:34'",
					   "mac='52-54-00-12-34-56'",
					   "mac=' 52:54:00:12:34:56'",
					   "mac='52:54:00:12:34:56 '",
					   "mac='52:54:00:12:34:5g'",
					   "mac='ff:ff:ff:ff:ff:ff'",
					   "mac='fe:ff:ff:ff:ff:ff'",
					   ""};
	static const char *const others[] = {"",
					     "pod-interface='eth0'",
					     "pod-interface='.'",
					     "pod-interface='..'",
					     "pod-interface='...'",
					     "pod-interface='abcdefghijklmno'",
					     "pod-interface='abcdefghijklmnop'",
					     "pod-interface='a/b'",
					     "pod-interface='a:b'",
					     "pod-interface='a b'",
					     "pod-interface='\xc3\xa9'",
					     "pod-interface='!~'",
					     "pod-interface=''",
					     "dhcp='on'",
					     "dhcp='off'",
					     "dhcp=' on'",
					     "dhcp='ON'",
					     "lease-time='10'",
					     "lease-time='9'",
					     "lease-time='010'",
					     "lease-time='+10'",
					     "lease-time=' 10'",
					     "lease-time='4294967294'",
					     "lease-time='4294967295'",
					     "lease-time='99999999999'",
					     "lease-time='infinite'",
					     "lease-time='Infinite'",
					     "mtu='1400'",
					     "podnet:mac='52:54:00:12:34:56'"};

	for (size_t h = 0; h < ARRAY_SIZE(hostnames); h++)
		for (size_t m = 0; m < ARRAY_SIZE(macs); m++)
			for (size_t o = 0; o < ARRAY_SIZE(others); o++) {
				char attrs[256];

				(void)snprintf(attrs, sizeof(attrs), "%s %s",
					       macs[m], others[o]);
				check_attrs(hostnames[h], attrs);
			}
}

/* Content the hand check leaves to the schema, or accepts as the schema. */
static void test_content(void)
{
	static const char *const docs[] = {
		NET_OPEN "/>",
		NET_OPEN
		">text<podnet:interface mac='52:54:00:12:34:56'/></podnet:network>",
		NET_OPEN
		"><!-- c --><podnet:interface mac='52:54:00:12:34:56'/></podnet:network>",
		NET_OPEN
		"><podnet:interface mac='52:54:00:12:34:56'> </podnet:interface></podnet:network>",
		NET_OPEN
		"><podnet:interface mac='52:54:00:12:34:56'><podnet:boot-file name='a'/></podnet:interface></podnet:network>",
		NET_OPEN
		"><podnet:interface mac='52:54:00:12:34:56'/><podnet:interface mac='52:54:00:12:34:58'/></podnet:network>",
		NET_OPEN
		"><interface mac='52:54:00:12:34:56'/></podnet:network>",
		"<network xmlns='urn:podnet:xmlns:1'><interface mac='52:54:00:12:34:56'/></network>",
		"<network xmlns='urn:other'><interface mac='52:54:00:12:34:56'/></network>",
		NET_OPEN
		"><podnet:interface mac='52:54:00:12:34:56' pod-interface='a&amp;b'/></podnet:network>",
		NET_OPEN "><podnet:route/></podnet:network>",
	};

	for (size_t i = 0; i < ARRAY_SIZE(docs); i++)
		(void)check_doc(docs[i], docs[i]);
}

int main(void)
{
	xmlInitParser();
	RUN(test_examples);
	RUN(test_edge_values);
	RUN(test_content);
	xmlCleanupParser();
	return TEST_SUMMARY();
}
