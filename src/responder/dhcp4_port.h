// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's IPv4 side of one bridge: DHCPv4, the gratuitous ARP after
 * an ACK and the answers to the VM's ARP, on filtered packet sockets. */
#ifndef PODNET_DHCP4_PORT_H
#define PODNET_DHCP4_PORT_H

#include <linux/if_packet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "arp_answer.h"
#include "dhcp_answer.h"
#include "dhcp_wire.h"
#include "rate_window.h"

struct state_record;

/* The last reply of one kind that was logged, and how many alike since. */
struct dhcp4_reply_log {
	time_t sec; /* monotonic; 0: never */
	const char *why;
	unsigned int alike;
};

/* One bridge's IPv4 side: its sockets, the one client, that client's lease. */
struct dhcp4_port {
	struct rate_window rate;	  /* replies and ARP answers */
	struct rate_window announce_rate; /* gratuitous ARPs after ACKs */
	time_t noted;			  /* last lease note (monotonic s) */
	/* Per OFFER, ACK, NAK, INFORM-ACK: a line a second, not one a reply. */
	struct dhcp4_reply_log logged[DHCP_REPLY_KINDS];
	/* Gateways whose ARP the responder answers (permanent entries). */
	struct arp_answers answers;
	struct dhcp_lease lease;
	struct dhcp_answerer answerer; /* for @lease */
	size_t slot;   /* this interface's line in the lease note */
	int lease_fd;  /* UUID.lease, shared by the ports (not owned) */
	int fd;	       /* DHCP; without DHCPv4 a socket that takes in nothing */
	int arp_fd;    /* raw, send only: the VM's announcements, ARP replies */
	int arp_rx_fd; /* the VM's ARP requests; -1 without answers and
			* outside an incoming migration */
	/* The guest was seen using an address that is not this pod's (its
	 * ARP, or a DHCP request NAKed): the responder reads and clears it. */
	bool other_addr;
	int ifindex;
	struct sockaddr_ll to; /* the VM's MAC on this bridge */
	char bridge[IFNAMSIZ];
};

int dhcp4_port_open(struct dhcp4_port *p, const struct state_record *rec,
		    size_t iface, int lease_fd, char *err, size_t err_len);
void dhcp4_port_handle(struct dhcp4_port *p, time_t now);
void dhcp4_port_handle_arp(struct dhcp4_port *p, time_t now);
bool dhcp4_port_bridge_alive(const struct dhcp4_port *p);
void dhcp4_port_announce(const struct dhcp4_port *p, unsigned int count);

#endif
