// SPDX-License-Identifier: GPL-2.0-or-later
/* A domain's <interface> with another link state: the device XML of a
 * link-refresh (podnet link-refresh, src/link_refresh/).
 *
 * libvirt refuses any change to a running interface but its link state
 * (and a few others), so the device XML sent is the live definition's own
 * <interface> element, found by its <mac address>, with only <link state>
 * set (the element added when the definition has none). Pure libxml2: no
 * libvirt here, so that the unit tests see it. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "errmsg.h"
#include "iface_link_xml.h"

static bool element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       xmlStrEqual(n->name, BAD_CAST name);
}

static bool has_mac(xmlNodePtr iface, const char *mac)
{
	for (xmlNodePtr m = iface->children; m; m = m->next) {
		xmlChar *a;
		bool same;

		if (!element(m, "mac"))
			continue;
		a = xmlGetProp(m, BAD_CAST "address");
		same = a && strcasecmp((const char *)a, mac) == 0;
		xmlFree(a);
		if (same)
			return true;
	}
	return false;
}

/* The <interface> under the root's <devices> whose MAC is @mac, or NULL. */
static xmlNodePtr find_interface(xmlDocPtr doc, const char *mac)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	if (!root || !element(root, "domain"))
		return NULL;
	for (xmlNodePtr d = root->children; d; d = d->next) {
		if (!element(d, "devices"))
			continue;
		for (xmlNodePtr i = d->children; i; i = i->next)
			if (element(i, "interface") && has_mac(i, mac))
				return i;
	}
	return NULL;
}

static int set_link_state(xmlNodePtr iface, const char *state)
{
	xmlNodePtr l = NULL;

	for (xmlNodePtr c = iface->children; c && !l; c = c->next)
		if (element(c, "link"))
			l = c;
	if (!l)
		l = xmlNewChild(iface, NULL, BAD_CAST "link", NULL);
	if (!l || !xmlSetProp(l, BAD_CAST "state", BAD_CAST state))
		return -ENOMEM;
	return 0;
}

/**
 * iface_link_xml() - The device XML that sets one interface's link state
 * @doc:	the domain's live XML (changed: the interface's <link>)
 * @mac:	the interface's MAC, as libvirt writes it (any case)
 * @state:	"up" or "down"
 * @ret_xml:	on success, the <interface> element's XML (xmlFree() it)
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Return: 0, -ENOENT (no such interface), -EINVAL (bad @state) or -ENOMEM,
 * with @err set on failure
 */
int iface_link_xml(xmlDocPtr doc, const char *mac, const char *state,
		   xmlChar **ret_xml, char *err, size_t err_len)
{
	xmlNodePtr iface;
	xmlBufferPtr buf;

	*ret_xml = NULL;
	if (strcmp(state, "up") != 0 && strcmp(state, "down") != 0) {
		errmsg_set(err, err_len,
			   "link state '%s' is neither up nor down", state);
		return -EINVAL;
	}
	iface = doc ? find_interface(doc, mac) : NULL;
	if (!iface) {
		errmsg_set(err, err_len, "no interface with MAC %s", mac);
		return -ENOENT;
	}
	buf = xmlBufferCreate();
	if (!buf || set_link_state(iface, state) < 0 ||
	    xmlNodeDump(buf, doc, iface, 0, 0) < 0) {
		xmlBufferFree(buf);
		errmsg_set(err, err_len, "out of memory");
		return -ENOMEM;
	}
	*ret_xml = xmlStrdup(xmlBufferContent(buf));
	xmlBufferFree(buf);
	if (!*ret_xml) {
		errmsg_set(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
