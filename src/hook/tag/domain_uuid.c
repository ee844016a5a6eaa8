// SPDX-License-Identifier: GPL-2.0-or-later
/* The domain's name and UUID from its XML, for events that need nothing else.
 */
#include <errno.h>
#include <libxml/tree.h>

#include "domain_uuid.h"
#include "domain_xml.h"
#include "ident.h"

/**
 * domain_uuid_read() - The <uuid> of a domain XML, lower case
 * @xml:	document text
 * @len:	its length
 * @ret_uuid:	the UUID
 *
 * release and reconnect only need the key of the state record; they must
 * work even if the tag itself would no longer validate.
 *
 * Return: 0, or -EINVAL if the document has no usable <uuid>
 */
int domain_uuid_read(const char *xml, size_t len,
		     char ret_uuid[PODNET_UUID_STR_LEN + 1])
{
	xmlDocPtr doc;
	xmlNodePtr root, n;
	int rc = -EINVAL;

	/* The hardened parse: a DTD is refused here too. */
	if (domain_xml_read_doc(xml, len, &doc, NULL, 0) < 0)
		return -EINVAL;
	root = xmlDocGetRootElement(doc);
	for (n = root ? root->children : NULL; n; n = n->next) {
		xmlChar *text;

		if (n->type != XML_ELEMENT_NODE ||
		    !xmlStrEqual(n->name, BAD_CAST "uuid"))
			continue;
		text = xmlNodeGetContent(n);
		/* The same reading as domain_xml_parse(), so the keys agree. */
		if (text && ident_uuid_normalise((const char *)text, ret_uuid))
			rc = 0;
		xmlFree(text);
		break;
	}
	xmlFreeDoc(doc);
	return rc;
}
