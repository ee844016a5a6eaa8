// SPDX-License-Identifier: GPL-2.0-or-later
/* From the recorded pod facts to the lease the VM is given. Pure: no I/O. */
#ifndef PODNET_LEASE_H
#define PODNET_LEASE_H

#include "arp_answer.h"
#include "dhcp_wire.h"
#include "state.h"

/* Server identifier when the pod has no gateway (link-local, RFC 3927). */
#define LEASE_FALLBACK_SERVER_ID "169.254.255.254"

uint8_t lease_onlink_prefix(const struct pod_iface *o,
			    const struct pod_addr *a);
uint16_t lease_path_mtu(const struct pod_iface *o);
void lease_arp_answers(const struct pod_iface *o, struct arp_answers *ret);
int lease_from_record(const struct state_record *rec, size_t iface,
		      struct dhcp_lease *ret);

#endif
