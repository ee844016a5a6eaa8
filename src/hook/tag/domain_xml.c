// SPDX-License-Identifier: GPL-2.0-or-later
/* Read libvirt's domain XML (from a buffer) into podnet's tagged interfaces. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "domain_xml.h"
#include "errmsg.h"
#include "ident.h"
#include "metadata_schema.h"
#include "tag_options.h"
#include "xml_quiet.h"

/* The pod interface a tag takes over when it names none (every CNI's). */
#define DEFAULT_POD_IFACE "eth0"
/* The most xmlCtxtReadMemory() takes (its length is an int). */
#define XML_LEN_MAX ((size_t)INT_MAX)
/* Longest user-supplied string quoted in a message; longer ones end "...". */
#define QUOTE_MAX 64

/* What the parser told us, collected from its callbacks. */
struct parse_capture {
	bool seen;
	bool dtd;
	int code;
	char message[160];
};

static void xml_doc_freep(xmlDocPtr *p)
{
	xmlFreeDoc(*p);
}

static void xml_freep(xmlChar **p)
{
	xmlFree(*p);
}

static void parser_ctxt_freep(xmlParserCtxtPtr *p)
{
	xmlFreeParserCtxt(*p);
}

/* snprintf() that says whether all of @src fit into @dst. */
static bool str_copy(char *dst, size_t size, const char *src)
{
	int n = snprintf(dst, size, "%s", src);

	return n >= 0 && (size_t)n < size;
}

/* Keep the parser's first error: later ones are mostly its consequences. */
static void capture_parse_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_capture *pc = ctxt ? ctxt->_private : NULL;
	size_t n;

	if (!pc || pc->seen || !e || e->level < XML_ERR_ERROR)
		return;
	pc->seen = true;
	pc->code = e->code;
	ident_quote(pc->message, sizeof(pc->message), e->message);
	/* libxml2 ends its sentences with a newline; keep the first line. */
	n = strcspn(e->message ? e->message : "", "\n");
	if (n < sizeof(pc->message))
		pc->message[n] = '\0';
	for (n = strlen(pc->message); n && pc->message[n - 1] == ' '; n--)
		pc->message[n - 1] = '\0';
}

/*
 * SAX callback for <!DOCTYPE ...>: stop before the subset is parsed, so no
 * entity is ever declared, let alone expanded (libvirt LSN-2014-0003).
 */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext_id,
		       const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_capture *pc = ctxt->_private;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	pc->dtd = true;
	xmlStopParser(ctxt);
}

/**
 * domain_xml_read_doc() - Parse a domain XML, the one hardened way
 * @xml:	document text
 * @len:	its length
 * @ret_doc:	the document, to xmlFreeDoc()
 * @err:	one-line reason on failure (may be NULL)
 * @err_len:	size of @err
 *
 * No network, no DTD (refused before its subset is read, so no entity is
 * ever declared), nothing that is not well-formed, namespaces included.
 *
 * Return: 0, -ENOMEM, or -EINVAL with @err set
 */
int domain_xml_read_doc(const char *xml, size_t len, xmlDocPtr *ret_doc,
			char *err, size_t err_len)
{
	_cleanup_(parser_ctxt_freep) xmlParserCtxtPtr ctxt = NULL;
	_cleanup_(xml_doc_freep) xmlDocPtr doc = NULL;
	struct parse_capture pc = {0};

	if (len > XML_LEN_MAX) {
		errmsg_set(err, err_len, "domain XML is too large");
		return -EINVAL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		errmsg_set(err, err_len,
			   "cannot parse domain XML: out of memory");
		return -ENOMEM;
	}
	ctxt->_private = &pc;
	ctxt->sax->internalSubset = refuse_dtd;
	ctxt->sax->serror = capture_parse_error;
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (pc.dtd || (doc && (doc->intSubset || doc->extSubset))) {
		errmsg_set(err, err_len, "domain XML must not carry a DTD");
		return -EINVAL;
	}
	if (pc.code == XML_ERR_NO_MEMORY) {
		errmsg_set(err, err_len,
			   "cannot parse domain XML: out of memory");
		return -ENOMEM;
	}
	if (!doc || pc.seen || !ctxt->wellFormed || !ctxt->nsWellFormed) {
		errmsg_set(err, err_len, "malformed domain XML: %s",
			   pc.seen ? pc.message : "unknown parser error");
		return -EINVAL;
	}
	*ret_doc = doc;
	/* Ownership moves to the caller; the cleanup handler sees NULL. */
	// cppcheck-suppress unreadVariable
	doc = NULL;
	return 0;
}

/* An element of libvirt's own vocabulary (no namespace) called @name. */
static bool is_elem(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !n->ns &&
	       !strcmp((const char *)n->name, name);
}

static xmlNodePtr first_child(const xmlNode *parent, const char *name)
{
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		if (is_elem(c, name))
			return c;
	}
	return NULL;
}

/* <name>: required when tagged (messages name the domain by it). */
static int read_name(const xmlNode *root, struct podnet_domain *dom, char *err,
		     size_t err_len)
{
	xmlNodePtr node = first_child(root, "name");
	_cleanup_(xml_freep) xmlChar *name =
		node ? xmlNodeGetContent(node) : NULL;

	if (!name || !*name) {
		errmsg_set(err, err_len, "domain XML has no <name>");
		return -EINVAL;
	}
	if (!str_copy(dom->name, sizeof(dom->name), (const char *)name)) {
		dom->name[0] = '\0';
		errmsg_set(err, err_len, "domain name is longer than %d bytes",
			   PODNET_DOMAIN_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

/* <uuid>: required when tagged, since the hook keys its state by it. */
static int read_uuid(const xmlNode *root, struct podnet_domain *dom, char *err,
		     size_t err_len)
{
	xmlNodePtr node = first_child(root, "uuid");
	_cleanup_(xml_freep) xmlChar *uuid =
		node ? xmlNodeGetContent(node) : NULL;

	if (!uuid) {
		errmsg_set(err, err_len, "domain XML has no <uuid>");
		return -EINVAL;
	}
	if (!ident_uuid_normalise((const char *)uuid, dom->uuid)) {
		char quoted[QUOTE_MAX + 1];

		ident_quote(quoted, sizeof(quoted), (const char *)uuid);
		errmsg_set(err, err_len,
			   "domain XML has an invalid <uuid> '%s'", quoted);
		return -EINVAL;
	}
	return 0;
}

/*
 * The <metadata> child in podnet's namespace. Return: 1 and *ret_net if
 * there is one, 0 if none, -EINVAL if it is doubled or misnamed (libvirt
 * keeps one element per namespace; a typo must not silently untag).
 */
static int find_network(const xmlNode *root, xmlNodePtr *ret_net, char *err,
			size_t err_len)
{
	xmlNodePtr found = NULL;

	for (xmlNodePtr m = root->children; m; m = m->next) {
		if (!is_elem(m, "metadata"))
			continue;
		for (xmlNodePtr c = m->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE || !c->ns ||
			    !c->ns->href ||
			    strcmp((const char *)c->ns->href, PODNET_XMLNS) !=
				    0)
				continue;
			if (strcmp((const char *)c->name, "network") != 0) {
				char quoted[QUOTE_MAX + 1];

				ident_quote(quoted, sizeof(quoted),
					    (const char *)c->name);
				errmsg_set(
					err, err_len,
					"invalid podnet metadata: unexpected element '%s' in <metadata>, expected 'network'",
					quoted);
				return -EINVAL;
			}
			if (found) {
				errmsg_set(
					err, err_len,
					"invalid podnet metadata: more than one element 'network'");
				return -EINVAL;
			}
			found = c;
		}
	}
	*ret_net = found;
	return found ? 1 : 0;
}

/* Fill @tag from one <podnet:interface> (already schema-valid). */
static int read_tag(xmlNodePtr node, struct podnet_tag *tag, char *err,
		    size_t err_len)
{
	_cleanup_(xml_freep) xmlChar *mac =
		xmlGetNoNsProp(node, BAD_CAST "mac");
	_cleanup_(xml_freep) xmlChar *pod =
		xmlGetNoNsProp(node, BAD_CAST "pod-interface");
	_cleanup_(xml_freep) xmlChar *filter =
		xmlGetNoNsProp(node, BAD_CAST "guest-filter");
	const char *pod_iface = pod ? (const char *)pod : DEFAULT_POD_IFACE;

	/* ident_ifname_valid() bounds the length to IFNAMSIZ - 1. */
	if (!ident_ifname_valid(pod_iface) ||
	    !str_copy(tag->pod_iface, sizeof(tag->pod_iface), pod_iface)) {
		errmsg_set(err, err_len,
			   "invalid podnet metadata: invalid pod-interface");
		return -EINVAL;
	}
	if (!mac || !ident_mac_parse((const char *)mac, tag->mac)) {
		errmsg_set(
			err, err_len,
			"interface '%s': invalid podnet metadata: invalid mac",
			tag->pod_iface);
		return -EINVAL;
	}
	ident_mac_format(tag->mac, tag->mac_str);
	/* The schema allows "on" and "off" only. */
	tag->guest_filter_off =
		filter && strcmp((const char *)filter, "off") == 0;
	return tag_options_read(node, tag->pod_iface, &tag->dhcp, err, err_len);
}

/* Two tags must not share a MAC or a pod interface. */
static int check_tag_unique(const struct podnet_domain *dom,
			    const struct podnet_tag *tag, char *err,
			    size_t err_len)
{
	for (size_t i = 0; i < dom->n_tags; i++) {
		const struct podnet_tag *t = &dom->tags[i];

		if (!memcmp(t->mac, tag->mac, MAC_LEN)) {
			errmsg_set(err, err_len, "MAC '%s' is tagged twice",
				   tag->mac_str);
			return -EINVAL;
		}
		if (!strcmp(t->pod_iface, tag->pod_iface)) {
			errmsg_set(
				err, err_len,
				"interface '%s': tagged twice, for MAC '%s' and MAC '%s'",
				tag->pod_iface, t->mac_str, tag->mac_str);
			return -EINVAL;
		}
	}
	return 0;
}

/* Every <podnet:interface> into @dom->tags, checking count and duplicates. */
static int read_tags(const xmlNode *net, struct podnet_domain *dom, char *err,
		     size_t err_len)
{
	size_t count = 0;
	int rc;

	for (xmlNodePtr c = net->children; c; c = c->next)
		count += c->type == XML_ELEMENT_NODE;
	if (count > PODNET_MAX_IFACES) {
		errmsg_set(
			err, err_len,
			"invalid podnet metadata: %zu interfaces tagged, at most %d are supported",
			count, PODNET_MAX_IFACES);
		return -EINVAL;
	}
	for (xmlNodePtr c = net->children; c; c = c->next) {
		struct podnet_tag *tag = &dom->tags[dom->n_tags];

		if (c->type != XML_ELEMENT_NODE)
			continue;
		rc = read_tag(c, tag, err, err_len);
		if (rc < 0)
			return rc;
		rc = check_tag_unique(dom, tag, err, err_len);
		if (rc < 0)
			return rc;
		dom->n_tags++;
	}
	return 0;
}

/* The <interface> elements with MAC @mac: how many, and the last one. */
static int find_interface(const xmlNode *root, const uint8_t mac[MAC_LEN],
			  xmlNodePtr *ret_iface)
{
	int n = 0;

	for (xmlNodePtr d = root->children; d; d = d->next) {
		if (!is_elem(d, "devices"))
			continue;
		for (xmlNodePtr i = d->children; i; i = i->next) {
			xmlNodePtr m = is_elem(i, "interface")
					       ? first_child(i, "mac")
					       : NULL;
			_cleanup_(xml_freep) xmlChar *addr =
				m ? xmlGetNoNsProp(m, BAD_CAST "address")
				  : NULL;
			uint8_t found[MAC_LEN];

			if (addr &&
			    ident_mac_parse((const char *)addr, found) &&
			    !memcmp(found, mac, MAC_LEN)) {
				*ret_iface = i;
				n++;
			}
		}
	}
	return n;
}

/* The bridge of @iface (type='bridge', <source bridge>) into @tag. */
static int read_bridge(xmlNodePtr iface, struct podnet_tag *tag, char *err,
		       size_t err_len)
{
	_cleanup_(xml_freep) xmlChar *type =
		xmlGetNoNsProp(iface, BAD_CAST "type");
	xmlNodePtr src = first_child(iface, "source");
	_cleanup_(xml_freep) xmlChar *br =
		src ? xmlGetNoNsProp(src, BAD_CAST "bridge") : NULL;
	char quoted[QUOTE_MAX + 1];

	if (!type || strcmp((const char *)type, "bridge") != 0) {
		ident_quote(quoted, sizeof(quoted), (const char *)type);
		errmsg_set(
			err, err_len,
			"interface '%s': the <interface> with MAC '%s' has type '%s', not 'bridge'",
			tag->pod_iface, tag->mac_str, quoted);
		return -EINVAL;
	}
	if (!br) {
		errmsg_set(
			err, err_len,
			"interface '%s': the <interface> with MAC '%s' has no <source bridge>",
			tag->pod_iface, tag->mac_str);
		return -EINVAL;
	}
	ident_quote(quoted, sizeof(quoted), (const char *)br);
	if (strlen((const char *)br) >= IFNAMSIZ) {
		errmsg_set(
			err, err_len,
			"interface '%s': bridge name '%s' is longer than %d bytes",
			tag->pod_iface, quoted, IFNAMSIZ - 1);
		return -EINVAL;
	}
	if (!ident_ifname_valid((const char *)br) ||
	    !str_copy(tag->bridge, sizeof(tag->bridge), (const char *)br)) {
		errmsg_set(err, err_len,
			   "interface '%s': invalid bridge name '%s'",
			   tag->pod_iface, quoted);
		return -EINVAL;
	}
	return 0;
}

/* Join each tag with its <interface> by MAC; one bridge per tag. */
static int join_tags(const xmlNode *root, struct podnet_domain *dom, char *err,
		     size_t err_len)
{
	for (size_t i = 0; i < dom->n_tags; i++) {
		struct podnet_tag *tag = &dom->tags[i];
		xmlNodePtr iface = NULL;
		int n = find_interface(root, tag->mac, &iface), rc;

		if (n == 0) {
			errmsg_set(
				err, err_len,
				"interface '%s': no <interface> in the domain has MAC '%s'",
				tag->pod_iface, tag->mac_str);
			return -EINVAL;
		}
		if (n > 1) {
			errmsg_set(
				err, err_len,
				"interface '%s': %d <interface> elements have MAC '%s'",
				tag->pod_iface, n, tag->mac_str);
			return -EINVAL;
		}
		rc = read_bridge(iface, tag, err, err_len);
		if (rc < 0)
			return rc;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(dom->tags[j].bridge, tag->bridge) != 0)
				continue;
			errmsg_set(
				err, err_len,
				"interface '%s': bridge '%s' is already used by interface '%s'",
				tag->pod_iface, tag->bridge,
				dom->tags[j].pod_iface);
			return -EINVAL;
		}
	}
	return 0;
}

/* The tag's hostname, else the domain name, else one derived from it. */
static void set_hostname(xmlNodePtr net, struct podnet_domain *dom)
{
	_cleanup_(xml_freep) xmlChar *h =
		xmlGetNoNsProp(net, BAD_CAST "hostname");

	/* ident_label_valid() bounds the length to PODNET_HOSTNAME_MAX. */
	if (h && ident_label_valid((const char *)h) &&
	    str_copy(dom->hostname, sizeof(dom->hostname), (const char *)h))
		return;
	if (ident_label_valid(dom->name) &&
	    str_copy(dom->hostname, sizeof(dom->hostname), dom->name))
		return;
	ident_hostname_derive(dom->name, dom->hostname);
}

/* Everything after the tag is found: identity, schema, tags, the join. */
static int read_tagged(const xmlNode *root, xmlNodePtr net,
		       struct podnet_domain *dom, char *err, size_t err_len)
{
	int rc = read_name(root, dom, err, err_len);

	if (rc < 0)
		return rc;
	rc = read_uuid(root, dom, err, err_len);
	if (rc < 0)
		return rc;
	rc = metadata_schema_validate(net, err, err_len);
	if (rc < 0)
		return rc;
	rc = read_tags(net, dom, err, err_len);
	if (rc < 0)
		return rc;
	rc = join_tags(root, dom, err, err_len);
	if (rc < 0)
		return rc;
	set_hostname(net, dom);
	return 0;
}

/**
 * domain_xml_parse() - Find and check podnet's tags in a libvirt domain XML
 * @xml:	the XML text (need not be NUL-terminated)
 * @len:	its length in bytes
 * @ret:	filled on success (DOMAIN_XML_TAGGED or DOMAIN_XML_UNTAGGED;
 *		for the latter only ->name, and only if the domain has a usable
 *		one); left alone on error
 * @err:	buffer for one line describing the first problem, names quoted
 * @err_len:	size of @err
 *
 * The document is parsed without network access and without loading or
 * expanding anything: a document with a DTD is refused. The root must be
 * <domain>; the tag is the <metadata> child in namespace PODNET_XMLNS called
 * 'network' (at most one), validated against schemas/podnet.rng. Each
 * <podnet:interface> is joined by MAC with a /domain/devices/interface of
 * type 'bridge' with a <source bridge> that is a valid interface name; no
 * two tags may share a MAC, a pod interface or a bridge. The hostname is the
 * tag's hostname attribute, else the domain name if it is a valid RFC 1123
 * label, else a label derived from it (lower case, each run of other
 * characters replaced by one '-', no '-' at the ends, at most 63
 * characters; it is "" when nothing is left, and then no hostname should be
 * handed out). Installs silent libxml2 error handlers for the calling
 * thread, so libxml2 never prints.
 *
 * Return: DOMAIN_XML_TAGGED (0), DOMAIN_XML_UNTAGGED (1), -EINVAL (bad XML
 * or tag, @err says why) or -ENOMEM
 */
int domain_xml_parse(const char *xml, size_t len, struct podnet_domain *ret,
		     char *err, size_t err_len)
{
	_cleanup_(xml_doc_freep) xmlDocPtr doc = NULL;
	/* Large (each tag's DHCP options) and the hook is one event:
	 * static, like the record. */
	static struct podnet_domain dom;
	xmlNodePtr root, net = NULL;
	int rc;

	memset(&dom, 0, sizeof(dom));
	xml_quiet();
	if (!xml || !ret) {
		errmsg_set(err, err_len, "no domain XML");
		return -EINVAL;
	}
	rc = domain_xml_read_doc(xml, len, &doc, err, err_len);
	if (rc < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!is_elem(root, "domain")) {
		char quoted[QUOTE_MAX + 1];

		ident_quote(quoted, sizeof(quoted),
			    root ? (const char *)root->name : "");
		errmsg_set(err, err_len,
			   "domain XML: root element is '%s', not 'domain'",
			   quoted);
		return -EINVAL;
	}
	rc = find_network(root, &net, err, err_len);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		(void)read_name(root, &dom, NULL, 0);
		*ret = dom;
		if (err && err_len)
			err[0] = '\0';
		return DOMAIN_XML_UNTAGGED;
	}
	rc = read_tagged(root, net, &dom, err, err_len);
	if (rc < 0)
		return rc;
	*ret = dom;
	if (err && err_len)
		err[0] = '\0';
	return DOMAIN_XML_TAGGED;
}
