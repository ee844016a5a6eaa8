// SPDX-License-Identifier: GPL-2.0-or-later
/* What the hook does at each libvirt event, for one domain, under its lock. */
#ifndef PODNET_PREPARE_H
#define PODNET_PREPARE_H

#include <stddef.h>

#include "domain_xml.h"

struct nl_sock;
struct state_record;

/* Where the pod's DNS facts come from (in the hook's mount namespace). */
#define PREPARE_RESOLV_CONF "/etc/resolv.conf"

int prepare_plan(struct nl_sock *sk, const struct podnet_domain *dom,
		 struct state_record *rec, char *err, size_t err_len);
int prepare_domain(const struct podnet_domain *dom, char *err, size_t err_len);
int release_domain(const char *uuid, bool migrated, char *err, size_t err_len);
int reconnect_domain(const char *uuid, char *err, size_t err_len);

#endif
