// SPDX-License-Identifier: GPL-2.0-or-later
/* Validate podnet's <podnet:network> element against the embedded podnet.rng.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "errmsg.h"
#include "ident.h"
#include "metadata_schema.h"
#include "tag_fast_check.h"
#include "timing.h"
#include "util.h"
#include "xml_quiet.h"

/* Longest attribute value quoted in a message; longer ones end in "...". */
#define VALUE_QUOTE_MAX 64

/* One validation problem as libxml2 reports it, kept for the message. */
struct schema_error {
	int code;
	char str1[64];
	char str2[64];
	char message[160];
	xmlNodePtr node;
};

/*
 * The first few problems: libxml2 sometimes reports the first one without
 * its node and the same problem again, with the node, right after it.
 */
struct schema_errors {
	size_t n;
	struct schema_error e[4];
};

/*
 * Attributes the schema declares, used only to word messages: libxml2 says
 * "Invalid attribute X" both for a bad value and for an unknown attribute, and
 * "failed to validate attributes" when a required one is missing or bad.
 * Keep in sync with schemas/podnet.rng: test_schema asserts the message for
 * a bad value of every row and for a missing required attribute.
 */
static const struct {
	const char *element;
	const char *attribute;
	bool required;
} schema_attrs[] = {
	{"network", "hostname", false},
	{"interface", "mac", true},
	{"interface", "pod-interface", false},
};

static void xml_freep(xmlChar **p)
{
	xmlFree(*p);
}

/* Copy @src into @dst (of @size bytes), truncating; never fails. */
static void copy_trunc(char *dst, size_t size, const char *src)
{
	int n = snprintf(dst, size, "%s", src ? src : "");

	if (n < 0)
		dst[0] = '\0';
}

static void capture_error(void *ctx, xmlErrorPtr e)
{
	struct schema_errors *errs = ctx;
	struct schema_error *se;

	if (!e || e->level < XML_ERR_ERROR || errs->n >= ARRAY_SIZE(errs->e))
		return;
	se = &errs->e[errs->n++];
	se->code = e->code;
	se->node = e->node;
	copy_trunc(se->str1, sizeof(se->str1), e->str1);
	copy_trunc(se->str2, sizeof(se->str2), e->str2);
	copy_trunc(se->message, sizeof(se->message), e->message);
}

/* Element name of @node for messages ("?" if libxml2 gave no node). */
static const char *node_name(const xmlNode *node)
{
	return node && node->name ? (const char *)node->name : "?";
}

/* Whether the schema declares @attr on @element, and if it is required. */
static bool schema_attr(const char *element, const char *attr, bool *required)
{
	for (size_t i = 0; i < ARRAY_SIZE(schema_attrs); i++) {
		if (!strcmp(schema_attrs[i].element, element) &&
		    !strcmp(schema_attrs[i].attribute, attr)) {
			*required = schema_attrs[i].required;
			return true;
		}
	}
	return false;
}

/* "invalid value 'V' for attribute 'A'" or "unexpected attribute 'A'". */
static void explain_attr(xmlNodePtr node, const char *attr, char *err,
			 size_t len)
{
	_cleanup_(xml_freep) xmlChar *value =
		xmlGetNoNsProp(node, BAD_CAST attr);
	const char *prefix = "";
	bool required;

	/* A foreign attribute with a known local name ("x:mac") is foreign. */
	for (xmlAttrPtr a = node->properties; a; a = a->next) {
		if (a->ns && a->ns->prefix &&
		    !strcmp((const char *)a->name, attr)) {
			prefix = (const char *)a->ns->prefix;
			break;
		}
	}
	if (!*prefix && value &&
	    schema_attr(node_name(node), attr, &required)) {
		char quoted[VALUE_QUOTE_MAX + 1];

		ident_quote(quoted, sizeof(quoted), (const char *)value);
		errmsg_set(
			err, len,
			"invalid podnet metadata: element '%s': invalid value '%s' for attribute '%s'",
			node_name(node), quoted, attr);
		return;
	}
	errmsg_set(
		err, len,
		"invalid podnet metadata: element '%s': unexpected attribute '%s%s%s'",
		node_name(node), prefix, *prefix ? ":" : "", attr);
}

/* A required attribute of @node is missing or has a bad value: which one. */
static bool explain_required(xmlNodePtr node, char *err, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(schema_attrs); i++) {
		const char *attr = schema_attrs[i].attribute;

		if (!schema_attrs[i].required ||
		    strcmp(schema_attrs[i].element, node_name(node)) != 0)
			continue;
		if (!xmlHasNsProp(node, BAD_CAST attr, NULL)) {
			errmsg_set(
				err, len,
				"invalid podnet metadata: element '%s': missing attribute '%s'",
				node_name(node), attr);
			return true;
		}
		explain_attr(node, attr, err, len);
		return true;
	}
	return false;
}

/* libxml2's own sentence, first line, as a fallback. */
static void explain_generic(const struct schema_error *se, char *err,
			    size_t len)
{
	char msg[sizeof(se->message)];
	size_t n;

	ident_quote(msg, sizeof(msg), se->message);
	n = strcspn(se->message, "\n");
	if (n < sizeof(msg))
		msg[n] = '\0';
	errmsg_set(err, len, "invalid podnet metadata: element '%s': %s",
		   se->node || !se->str1[0] ? node_name(se->node) : se->str1,
		   msg);
}

/* One error in terms of the element it is about; false if it has none. */
static bool explain_one(const struct schema_error *se, char *err, size_t len)
{
	xmlNodePtr node = se->node;
	xmlNodePtr parent = node ? node->parent : NULL;

	if (!node)
		return false;
	switch (se->code) {
	case XML_RELAXNG_ERR_INVALIDATTR:
		explain_attr(node, se->str1, err, len);
		return true;
	case XML_RELAXNG_ERR_ATTRVALID:
		return explain_required(node, err, len);
	case XML_RELAXNG_ERR_ELEMWRONG:
	case XML_RELAXNG_ERR_EXTRACONTENT:
		if (!parent || parent->type != XML_ELEMENT_NODE)
			return false;
		errmsg_set(
			err, len,
			"invalid podnet metadata: element '%s': unexpected element '%s'",
			node_name(parent), node_name(node));
		return true;
	case XML_RELAXNG_ERR_TEXTWRONG:
		errmsg_set(
			err, len,
			"invalid podnet metadata: element '%s': unexpected text",
			node_name(node));
		return true;
	case XML_RELAXNG_ERR_NOELEM:
		errmsg_set(
			err, len,
			"invalid podnet metadata: element '%s': missing child element",
			node_name(node));
		return true;
	default:
		return false;
	}
}

/* The first element called @name (in @node's subtree) lacking a required
 * attribute. */
static bool explain_missing_in(xmlNodePtr node, const char *name, char *err,
			       size_t len)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(node_name(node), name) == 0) {
			for (size_t i = 0; i < ARRAY_SIZE(schema_attrs); i++) {
				if (!schema_attrs[i].required ||
				    strcmp(schema_attrs[i].element, name) !=
					    0 ||
				    xmlHasNsProp(
					    node,
					    BAD_CAST schema_attrs[i].attribute,
					    NULL))
					continue;
				errmsg_set(
					err, len,
					"invalid podnet metadata: element '%s': missing attribute '%s'",
					name, schema_attrs[i].attribute);
				return true;
			}
		}
	}
	return false;
}

/* The tag is two levels deep: <network> and its children. */
static bool explain_missing(xmlNodePtr node, const char *name, char *err,
			    size_t len)
{
	if (explain_missing_in(node, name, err, len))
		return true;
	for (; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE &&
		    explain_missing_in(node->children, name, err, len))
			return true;
	return false;
}

/*
 * Turn libxml2's errors into one line naming the culprit: the first error
 * that names its node, else a required attribute found missing by hand
 * (libxml2 reports "failed to validate attributes" without the node when
 * another attribute is present), else libxml2's first sentence.
 */
static void explain(const struct schema_errors *errs, xmlDocPtr doc, char *err,
		    size_t len)
{
	for (size_t i = 0; i < errs->n; i++) {
		if (explain_one(&errs->e[i], err, len))
			return;
	}
	if (errs->e[0].code == XML_RELAXNG_ERR_ATTRVALID &&
	    explain_missing(xmlDocGetRootElement(doc), errs->e[0].str1, err,
			    len))
		return;
	explain_generic(&errs->e[0], err, len);
}

static void relaxng_parser_freep(xmlRelaxNGParserCtxtPtr *p)
{
	xmlRelaxNGFreeParserCtxt(*p);
}

static void relaxng_freep(xmlRelaxNGPtr *p)
{
	xmlRelaxNGFree(*p);
}

static void relaxng_valid_freep(xmlRelaxNGValidCtxtPtr *p)
{
	xmlRelaxNGFreeValidCtxt(*p);
}

static void xml_doc_freep(xmlDocPtr *p)
{
	xmlFreeDoc(*p);
}

/* Parse the embedded schema; it is podnet's own, so failure is a bug. */
static int schema_load(xmlRelaxNGPtr *ret_schema, char *err, size_t len)
{
	_cleanup_(relaxng_parser_freep) xmlRelaxNGParserCtxtPtr pctxt = NULL;
	struct schema_errors errs = {0};
	xmlRelaxNGPtr schema;

	pctxt = xmlRelaxNGNewMemParserCtxt((const char *)podnet_rng,
					   (int)podnet_rng_len);
	if (!pctxt) {
		errmsg_set(err, len,
			   "cannot load podnet schema: out of memory");
		return -ENOMEM;
	}
	xmlRelaxNGSetParserStructuredErrors(pctxt, capture_error, &errs);
	schema = xmlRelaxNGParse(pctxt);
	if (!schema) {
		errmsg_set(err, len,
			   "internal error: podnet schema is invalid");
		return -EINVAL;
	}
	*ret_schema = schema;
	return 0;
}

/* A document whose root is a deep copy of @node (with its namespaces). */
static int copy_to_doc(xmlNodePtr node, xmlDocPtr *ret_doc, char *err,
		       size_t len)
{
	_cleanup_(xml_doc_freep) xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr copy;

	if (!doc) {
		errmsg_set(err, len,
			   "cannot validate podnet metadata: out of memory");
		return -ENOMEM;
	}
	copy = xmlDocCopyNode(node, doc, 1);
	if (!copy) {
		errmsg_set(err, len,
			   "cannot validate podnet metadata: out of memory");
		return -ENOMEM;
	}
	(void)xmlDocSetRootElement(doc, copy);
	*ret_doc = doc;
	doc = NULL;
	return 0;
}

/**
 * metadata_schema_validate() - Check a <podnet:network> element against
 *				schemas/podnet.rng (embedded in the binary)
 * @podnet_network:	the element, still in its domain document; it is copied
 *			into a document of its own, so it is not changed
 * @err:		buffer for one line naming the first problem, e.g.
 *			"invalid podnet metadata: element 'interface': invalid
 *			value 'zz' for attribute 'mac'"
 * @err_len:		size of @err
 *
 * Installs silent libxml2 error handlers for the calling thread (libxml2
 * would otherwise print to stderr, and the hook's stderr is one line).
 *
 * Return: 0 if valid, -EINVAL if not (or if the embedded schema is broken),
 * -ENOMEM
 */
int metadata_schema_validate(xmlNodePtr podnet_network, char *err,
			     size_t err_len)
{
	int rc;

	timing_step("parse the domain XML", "");
	/* The plain tag, checked by hand (tag_fast_check.c): compiling the
	 * schema was half of a prepare's instructions. The schema decides
	 * everything else, and says what is wrong. */
	if (podnet_network && tag_fast_check(podnet_network)) {
		timing_step("check the plain tag by hand", "");
		return 0;
	}
	rc = metadata_schema_validate_relaxng(podnet_network, err, err_len);
	timing_step("compile the schema, validate the tag", "");
	return rc;
}

/**
 * metadata_schema_validate_relaxng() - metadata_schema_validate() by the
 *					schema alone, never by hand
 * @podnet_network:	the element
 * @err:		one line naming the first problem
 * @err_len:		size of @err
 *
 * Return: as metadata_schema_validate()
 */
int metadata_schema_validate_relaxng(xmlNodePtr podnet_network, char *err,
				     size_t err_len)
{
	_cleanup_(relaxng_freep) xmlRelaxNGPtr schema = NULL;
	_cleanup_(relaxng_valid_freep) xmlRelaxNGValidCtxtPtr vctxt = NULL;
	_cleanup_(xml_doc_freep) xmlDocPtr doc = NULL;
	struct schema_errors errs = {0};
	int rc;

	xml_quiet();
	if (!podnet_network || podnet_network->type != XML_ELEMENT_NODE) {
		errmsg_set(err, err_len, "invalid podnet metadata: no element");
		return -EINVAL;
	}
	rc = schema_load(&schema, err, err_len);
	if (rc < 0)
		return rc;
	rc = copy_to_doc(podnet_network, &doc, err, err_len);
	if (rc < 0)
		return rc;
	vctxt = xmlRelaxNGNewValidCtxt(schema);
	if (!vctxt) {
		errmsg_set(err, err_len,
			   "cannot validate podnet metadata: out of memory");
		return -ENOMEM;
	}
	xmlRelaxNGSetValidStructuredErrors(vctxt, capture_error, &errs);
	rc = xmlRelaxNGValidateDoc(vctxt, doc);
	if (rc == 0)
		return 0;
	if (rc < 0 || errs.n == 0) {
		errmsg_set(
			err, err_len,
			"cannot validate podnet metadata: internal libxml2 error");
		return -EINVAL;
	}
	explain(&errs, doc, err, err_len);
	return -EINVAL;
}
