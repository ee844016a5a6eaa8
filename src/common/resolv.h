// SPDX-License-Identifier: GPL-2.0-or-later
/* Parse resolv.conf text: IPv4 and IPv6 name servers and the search list.
 * Pure: no I/O. */
#ifndef PODNET_RESOLV_H
#define PODNET_RESOLV_H

#include <netinet/in.h>
#include <stddef.h>

#include "podnet_limits.h"

struct resolv_conf {
	size_t n_servers;
	struct in_addr servers[PODNET_MAX_DNS];
	size_t n_nameservers6;
	struct in6_addr nameservers6[PODNET_MAX_DNS];
	size_t n_search;
	char search[PODNET_MAX_SEARCH][PODNET_NAME_MAX + 1];
	/*
	 * Lines that were not understood (for a log line, never fatal):
	 * unknown keywords, plus each name server or search name that was
	 * not used (invalid, unusable, duplicate, beyond the caps).
	 */
	size_t n_ignored;
};

int resolv_parse(const char *text, size_t len, struct resolv_conf *ret);

#endif
