// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compiling schemas/podnet.rng was half of the instructions of a prepare
 * (1.09M of 2.27M, callgrind). Most tags are the plain kind:
 *
 *	<podnet:network hostname="vm1">
 *	  <podnet:interface mac="52:54:00:12:34:56" pod-interface="eth0"/>
 *	</podnet:network>
 *
 * tag_fast_check() says "valid" only for a tag of that kind that the schema
 * accepts too: <network> with at most a hostname, holding only
 * <interface> elements (and white space between them), each with only mac,
 * pod-interface, dhcp, guest-filter and lease-time and no content at all, every
 *value checked against the schema's pattern, written the one plain way (no
 * white space the schema would collapse, no leading zeros, no sign).
 * Everything else, valid or not, is for the schema: it stays the one
 * definition of a valid tag, and every refusal keeps its message.
 * tests/unit/test_tag_fast_check.c holds the two to that.
 */
#include <string.h>

#include "tag_fast_check.h"

#define PODNET_NS "urn:podnet:xmlns:1"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* hostnameLabel: [A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])? */
static bool hostname_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 1 || n > 63 || !is_alnum(v[0]) || !is_alnum(v[n - 1]))
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if (!is_alnum(v[i]) && v[i] != '-')
			return false;
	return true;
}

/* unicastMac: [0-9A-Fa-f][02468ACEace](:[0-9A-Fa-f]{2}){5}, not all zero. */
static bool mac_ok(const char *v)
{
	bool nonzero = false;

	if (strlen(v) != 17)
		return false;
	for (size_t i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (v[i] != ':')
				return false;
			continue;
		}
		if (!is_hex(v[i]))
			return false;
		nonzero |= v[i] != '0';
	}
	return strchr("02468ACEace", v[1]) != NULL && nonzero;
}

/* ifname: [!-.0-9;-~]{1,15}, not "." or "..". */
static bool ifname_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 1 || n > 15 || !strcmp(v, ".") || !strcmp(v, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c < 0x21 || c > 0x7e || c == '/' || c == ':')
			return false;
	}
	return true;
}

/* "infinite", or an unsignedInt 10..4294967294 written plainly. */
static bool lease_time_ok(const char *v)
{
	size_t n = strlen(v);
	unsigned long long x = 0;

	if (!strcmp(v, "infinite"))
		return true;
	if (n < 2 || n > 10 || v[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (unsigned long long)(v[i] - '0');
	}
	return x >= 10 && x <= 4294967294ULL;
}

static bool in_podnet_ns(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, PODNET_NS) &&
	       !strcmp((const char *)n->name, name);
}

/* The attribute's value when it is one plain text node, else NULL. */
static const char *plain_value(const xmlAttr *a)
{
	const xmlNode *t = a->children;

	if (a->ns || !t || t->type != XML_TEXT_NODE || t->next || !t->content)
		return NULL;
	return (const char *)t->content;
}

static bool blank(const xmlNode *t)
{
	const char *s = (const char *)t->content;

	if (t->type != XML_TEXT_NODE || !s)
		return false;
	return s[strspn(s, " \t\r\n")] == '\0';
}

static bool interface_ok(const xmlNode *n)
{
	bool mac = false;

	if (!in_podnet_ns(n, "interface") || n->children)
		return false;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name, *v = plain_value(a);
		bool ok;

		if (!v)
			return false;
		if (!strcmp(name, "mac"))
			ok = mac = mac_ok(v);
		else if (!strcmp(name, "pod-interface"))
			ok = ifname_ok(v);
		else if (!strcmp(name, "dhcp") || !strcmp(name, "guest-filter"))
			ok = !strcmp(v, "on") || !strcmp(v, "off");
		else if (!strcmp(name, "lease-time"))
			ok = lease_time_ok(v);
		else
			ok = false;
		if (!ok)
			return false;
	}
	return mac;
}

/**
 * tag_fast_check() - Is this a plain tag that the schema accepts?
 * @network:	the <podnet:network> element
 *
 * Return: true only if the schema would accept @network; false when it is
 * invalid or merely not of the plain kind (the schema then decides)
 */
bool tag_fast_check(const xmlNode *network)
{
	int interfaces = 0;

	if (!network || !in_podnet_ns(network, "network"))
		return false;
	for (const xmlAttr *a = network->properties; a; a = a->next) {
		const char *v = plain_value(a);

		if (!v || strcmp((const char *)a->name, "hostname") != 0 ||
		    !hostname_ok(v))
			return false;
	}
	for (const xmlNode *c = network->children; c; c = c->next) {
		if (blank(c))
			continue;
		if (!interface_ok(c))
			return false;
		interfaces++;
	}
	return interfaces > 0;
}
