// SPDX-License-Identifier: GPL-2.0-or-later
/* From the recorded pod facts to the lease the VM is given. Pure: no I/O. */
#ifndef PODNET_LEASE_H
#define PODNET_LEASE_H

#include "dhcp_wire.h"
#include "state.h"

/* Server identifier when the pod has no gateway (link-local, RFC 3927). */
#define LEASE_FALLBACK_SERVER_ID "169.254.255.254"

int lease_from_record(const struct state_record *rec, size_t iface,
		      struct dhcp_lease *ret);

#endif
