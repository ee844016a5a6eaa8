// SPDX-License-Identifier: GPL-2.0-or-later
/* DNS names in RFC 1035 wire format for DHCP options 119 and 81. */
#ifndef PODNET_DNS_NAME_H
#define PODNET_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "dhcp_wire_internal.h"

/* RFC 1035 2.3.4: 255 octets on the wire, so 253 characters as dotted text. */
#define DNS_NAME_TEXT_MAX 253

int dns_name_put(struct wr *w, const char *name, size_t cap, bool compress,
		 bool terminate);

#endif
