// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's IPv6 side of one bridge: RA, DHCPv6 and the NA for the
 * VM, on one filtered packet socket. */
#ifndef PODNET_DHCP6_PORT_H
#define PODNET_DHCP6_PORT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lease6.h"
#include "rate_window.h"

struct state_record;

struct dhcp6_port {
	struct lease6 lease;
	struct rate_window rate; /* RAs on request and DHCPv6 replies */
	time_t last_seen;	 /* the VM's last frame (monotonic s) */
	time_t next_ra;
	time_t na_due;
	int fd;	    /* -1: the interface has no IPv6 address to hand out */
	int fdb_fd; /* the bridge's brforward; -1: not readable */
	int ifindex;
	unsigned int initial_left; /* initial unsolicited RAs still due */
	uint32_t rng;
	/* The VM has sent a frame: the bridge knows its port (see tick). */
	bool seen;
	bool na_pending;
	char bridge[IFNAMSIZ];
};

int dhcp6_port_open(struct dhcp6_port *p, const struct state_record *rec,
		    size_t iface, int ifindex, const char *bridge, char *err,
		    size_t err_len);
void dhcp6_port_handle(struct dhcp6_port *p);
void dhcp6_port_tick(struct dhcp6_port *p);
void dhcp6_port_announce(struct dhcp6_port *p, unsigned int count);

#endif
