// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of iface_link_xml(): the device XML of a link-refresh is the
 * live <interface> itself with only its <link state> set. */

#include <errno.h>
#include <libxml/parser.h>
#include <string.h>

#include "iface_link_xml.h"
#include "test.h"

static const char domain[] =
	"<domain type='qemu'><name>vm1</name><devices>"
	"<interface type='bridge'><mac address='52:54:00:aa:bb:01'/>"
	"<source bridge='other0'/><model type='virtio'/></interface>"
	"<interface type='bridge'><mac address='52:54:00:12:34:56'/>"
	"<source bridge='pn-eth0'/><target dev='vnet0'/>"
	"<model type='virtio'/><alias name='net1'/></interface>"
	"</devices></domain>";

static xmlDocPtr parse(const char *xml)
{
	return xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
			     XML_PARSE_NONET);
}

static void sets_only_the_link(void)
{
	char err[128] = "";
	xmlDocPtr doc = parse(domain);
	xmlChar *x = NULL;

	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:12:34:56", "down", &x, err,
				    sizeof(err)),
		     0);
	CHECK_EQ_STR(
		(const char *)x,
		"<interface type=\"bridge\"><mac address=\"52:54:00:12:34:56\"/>"
		"<source bridge=\"pn-eth0\"/><target dev=\"vnet0\"/>"
		"<model type=\"virtio\"/><alias name=\"net1\"/>"
		"<link state=\"down\"/></interface>");
	xmlFree(x);
	/* Up again: the same <link> element, not a second one. */
	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:12:34:56", "up", &x, err,
				    sizeof(err)),
		     0);
	CHECK(strstr((const char *)x, "<link state=\"up\"/></interface>") !=
	      NULL);
	CHECK(strstr((const char *)x, "down") == NULL);
	xmlFree(x);
	/* A MAC in another case: the same interface. */
	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:AA:BB:01", "up", &x, err,
				    sizeof(err)),
		     0);
	CHECK(strstr((const char *)x, "other0") != NULL);
	xmlFree(x);
	xmlFreeDoc(doc);
}

static void keeps_an_existing_link(void)
{
	char err[128] = "";
	xmlDocPtr doc = parse("<domain><devices><interface type='bridge'>"
			      "<mac address='52:54:00:12:34:56'/>"
			      "<link state='up'/><mtu size='1400'/>"
			      "</interface></devices></domain>");
	xmlChar *x = NULL;

	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:12:34:56", "down", &x, err,
				    sizeof(err)),
		     0);
	CHECK_EQ_STR(
		(const char *)x,
		"<interface type=\"bridge\"><mac address=\"52:54:00:12:34:56\"/>"
		"<link state=\"down\"/><mtu size=\"1400\"/></interface>");
	xmlFree(x);
	xmlFreeDoc(doc);
}

static void refuses(void)
{
	char err[128] = "";
	xmlDocPtr doc = parse(domain);
	xmlChar *x = (xmlChar *)"not reset";

	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:00:00:99", "down", &x, err,
				    sizeof(err)),
		     -ENOENT);
	CHECK(x == NULL);
	CHECK_EQ_STR(err, "no interface with MAC 52:54:00:00:00:99");
	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:12:34:56", "off", &x, err,
				    sizeof(err)),
		     -EINVAL);
	CHECK_EQ_INT(iface_link_xml(NULL, "52:54:00:12:34:56", "up", &x, err,
				    sizeof(err)),
		     -ENOENT);
	xmlFreeDoc(doc);
	/* An <interface> outside <devices>, or under another root: not one. */
	doc = parse(
		"<domain><metadata><interface><mac address='52:54:00:12:34:56'/>"
		"</interface></metadata></domain>");
	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:12:34:56", "up", &x, err,
				    sizeof(err)),
		     -ENOENT);
	xmlFreeDoc(doc);
	doc = parse(
		"<network><devices><interface><mac address='52:54:00:12:34:56'/>"
		"</interface></devices></network>");
	CHECK_EQ_INT(iface_link_xml(doc, "52:54:00:12:34:56", "up", &x, err,
				    sizeof(err)),
		     -ENOENT);
	xmlFreeDoc(doc);
}

int main(void)
{
	RUN(sets_only_the_link);
	RUN(keeps_an_existing_link);
	RUN(refuses);
	return TEST_SUMMARY();
}
