// SPDX-License-Identifier: GPL-2.0-or-later
/* The per-domain state record's text: what prepare changed, and how to undo
 * it. statedir.h keeps it in the state folder. */
#ifndef PODNET_STATE_H
#define PODNET_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "dhcp_extra.h"
#include "pod_iface.h"
#include "resolv.h"

/* Largest record text: every field of every interface at its maximum (a
 * route6 line with all metrics is about 560 bytes; 8 interfaces with 32
 * routes of each family stay well below this). */
#define STATE_MAX_TEXT ((size_t)512 * 1024)

enum state_phase {
	STATE_PHASE_PREPARING, /* changes may be half done */
	STATE_PHASE_READY,     /* prepare completed, responder running */
};

struct state_iface {
	struct pod_iface orig; /* facts before the first change */
	uint8_t vm_mac[MAC_LEN];
	char bridge[IFNAMSIZ];
	/* Written before the bridge is created: podnet owns that name. */
	bool bridge_owned;
	uint8_t bridge_mac[MAC_LEN];
	/* The pod interface's MAC while the domain runs (VM took its own). */
	bool pod_mac_changed;
	uint8_t temp_mac[MAC_LEN];
	/* What the tag adds to the lease, or no DHCP at all. */
	struct dhcp_extras dhcp;
};

struct state_record {
	char domain[PODNET_DOMAIN_NAME_MAX + 1];
	char uuid[PODNET_UUID_STR_LEN + 1];
	char hostname[PODNET_HOSTNAME_MAX + 1];
	enum state_phase phase;
	/* Prepared for an incoming live migration (`migrate begin` came
	 * first): nothing is announced until the VM arrives (version 5). */
	bool incoming;
	pid_t responder_pid;		    /* 0: none */
	unsigned long long responder_start; /* /proc/PID/stat starttime */
	struct resolv_conf dns;
	size_t n_ifaces;
	struct state_iface ifaces[PODNET_MAX_IFACES];
};

int state_format(const struct state_record *rec, char *buf, size_t cap);
int state_parse(const char *text, size_t len, struct state_record *ret);
bool state_uuid_valid(const char *uuid);

#endif
