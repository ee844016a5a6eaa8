// SPDX-License-Identifier: GPL-2.0-or-later
/* What podnet manages right now: the records in the state folder, the
 * health of each responder and the last lease it gave. */
#ifndef PODNET_STATUS_H
#define PODNET_STATUS_H

#include <arpa/inet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "podnet_limits.h"
#include "lease_note.h"
#include "responder_proc.h"
#include "util.h"

struct status_lease {
	bool given;
	long long time; /* seconds since the epoch, from the log line */
	char addr[INET_ADDRSTRLEN];
};

/* The pod interface now, against the record that release restores. */
enum status_pod {
	STATUS_POD_UNREAD,  /* no netlink here, or no such link */
	STATUS_POD_HELD,    /* a port of the domain's bridge: VM running */
	STATUS_POD_MATCHES, /* exactly as recorded */
	STATUS_POD_DIFFERS, /* not as recorded: what release must fix */
};

struct status_iface {
	char pod_iface[IFNAMSIZ];
	char bridge[IFNAMSIZ];
	char pod_ip[INET_ADDRSTRLEN];
	unsigned int prefix_len;
	char pod_ip6[INET6_ADDRSTRLEN]; /* "": no IPv6 address */
	unsigned int prefix_len6;
	char vm_mac[MAC_STR_LEN];
	struct status_lease lease;
	/* What the record holds, and how the pod compares with it. */
	size_t n_addrs, n_routes, n_neighs;
	size_t n_addrs6, n_routes6, n_neighs6;
	enum status_pod pod;
	char pod_detail[240];
};

struct status_domain {
	char domain[PODNET_DOMAIN_NAME_MAX + 1];
	char uuid[PODNET_UUID_STR_LEN + 1];
	bool ready; /* prepare completed */
	pid_t responder_pid;
	enum responder_health responder;
	/* A live migration, as the responder saw the VM (lease_note.h):
	 * WAITING and SWITCHED on a destination, LEFT on a source. */
	enum lease_note_vm where;
	long long where_since; /* seconds since the epoch; 0: never noted */
	size_t n_ifaces;
	struct status_iface ifaces[PODNET_MAX_IFACES];
};

int status_collect(const char *uuid, struct status_domain *ret);
int status_find(const char *name_or_uuid,
		char ret_uuid[PODNET_UUID_STR_LEN + 1]);
bool status_has_record(const char *uuid);
bool status_healthy(const struct status_domain *st);
const char *status_pod_name(enum status_pod p);

#endif
