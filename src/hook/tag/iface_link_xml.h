// SPDX-License-Identifier: GPL-2.0-or-later
/* A domain's <interface> with another link state: the device XML of a
 * link-refresh (podnet link-refresh, src/link_refresh/). */
#ifndef PODNET_IFACE_LINK_XML_H
#define PODNET_IFACE_LINK_XML_H

#include <libxml/tree.h>
#include <stddef.h>

int iface_link_xml(xmlDocPtr doc, const char *mac, const char *state,
		   xmlChar **ret_xml, char *err, size_t err_len);

#endif
