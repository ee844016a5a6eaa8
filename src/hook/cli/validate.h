// SPDX-License-Identifier: GPL-2.0-or-later
/* `podnet validate`: every check prepare makes that changes nothing. */
#ifndef PODNET_VALIDATE_H
#define PODNET_VALIDATE_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain_xml.h"

struct validate_result {
	struct podnet_domain dom;
	bool pod_checked; /* the interfaces were checked in this namespace */
	char pod_ip[PODNET_MAX_IFACES][INET_ADDRSTRLEN];
	unsigned int prefix_len[PODNET_MAX_IFACES];
};

int validate_domain(const char *xml, size_t len, bool pod,
		    struct validate_result *ret, char *err, size_t err_len);

#endif
