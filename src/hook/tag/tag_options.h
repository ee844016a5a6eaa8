// SPDX-License-Identifier: GPL-2.0-or-later
/* The DHCP side of one <podnet:interface>: dhcp on/off, lease-time and its
 * option children, read into struct dhcp_extras. */
#ifndef PODNET_TAG_OPTIONS_H
#define PODNET_TAG_OPTIONS_H

#include <libxml/tree.h>
#include <stddef.h>

#include "dhcp_extra.h"

int tag_options_read(xmlNodePtr iface, const char *pod_iface,
		     struct dhcp_extras *ret, char *err, size_t err_len);

#endif
