// SPDX-License-Identifier: GPL-2.0-or-later
/* Identifiers a domain XML carries, as text: MACs, interface names, hostname
 * labels, UUIDs; and quoting such text safely in a message. */
#ifndef PODNET_IDENT_H
#define PODNET_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "podnet_limits.h"
#include "util.h"

void ident_quote(char *dst, size_t size, const char *s);
bool ident_uuid_normalise(const char *s, char out[PODNET_UUID_STR_LEN + 1]);
bool ident_mac_parse(const char *s, uint8_t mac[MAC_LEN]);
void ident_mac_format(const uint8_t mac[MAC_LEN], char out[MAC_STR_LEN]);
bool ident_ifname_valid(const char *s);
bool ident_label_valid(const char *s);
void ident_hostname_derive(const char *name, char out[PODNET_HOSTNAME_MAX + 1]);

#endif
