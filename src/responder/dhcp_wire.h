// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv4 wire format: parse a guest's request, decide, build the reply. Pure:
 * no I/O. */
#ifndef PODNET_DHCP_WIRE_H
#define PODNET_DHCP_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dhcp_extra.h"
#include "podnet_limits.h"
#include "util.h"

/* RFC 2131 2: fixed BOOTP header, then the 4-byte magic cookie. */
#define DHCP_FIXED_LEN	 236
#define DHCP_COOKIE	 0x63825363u
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
/* RFC 2131 2: every client accepts a 576-byte IP datagram (548 bytes of DHCP).
 */
#define DHCP_MIN_MAX_MSG 576
/* RFC 1542 3.3: pad replies to at least 300 bytes for old BOOTP relays. */
#define DHCP_MIN_PACKET 300
/* Largest DHCP message we ever build or accept (Ethernet MTU, no jumbo). */
#define DHCP_MAX_PACKET 1500

#define BOOTP_REQUEST	     1
#define BOOTP_REPLY	     2
#define BOOTP_HTYPE_ETHER    1
#define BOOTP_FLAG_BROADCAST 0x8000

/* RFC 2132 9.3: values of the option overload option (52). */
#define DHCP_OVERLOAD_FILE  1
#define DHCP_OVERLOAD_SNAME 2
#define DHCP_OVERLOAD_BOTH  3

/* RFC 4702 2.1: flags byte of the client FQDN option (81). */
#define DHCP_FQDN_FLAG_S 0x01 /* server should do the A RR update */
#define DHCP_FQDN_FLAG_O 0x02 /* server overrode the client's S */
#define DHCP_FQDN_FLAG_E 0x04 /* name is in canonical wire format */
#define DHCP_FQDN_FLAG_N 0x08 /* server does no DNS updates at all */

enum dhcp_option {
	DHCP_OPT_PAD = 0,
	DHCP_OPT_SUBNET_MASK = 1,
	DHCP_OPT_ROUTER = 3,
	DHCP_OPT_DNS_SERVER = 6,
	DHCP_OPT_HOSTNAME = 12,
	DHCP_OPT_DOMAIN_NAME = 15,
	DHCP_OPT_INTERFACE_MTU = 26,
	DHCP_OPT_BROADCAST = 28,
	DHCP_OPT_REQUESTED_ADDR = 50,
	DHCP_OPT_LEASE_TIME = 51,
	DHCP_OPT_OVERLOAD = 52,
	DHCP_OPT_MESSAGE_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54,
	DHCP_OPT_PARAM_REQUEST_LIST = 55,
	DHCP_OPT_MESSAGE = 56,
	DHCP_OPT_MAX_MESSAGE_SIZE = 57,
	DHCP_OPT_RENEWAL_TIME = 58,
	DHCP_OPT_REBINDING_TIME = 59,
	DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_FQDN = 81,
	DHCP_OPT_DOMAIN_SEARCH = 119,
	DHCP_OPT_CLASSLESS_ROUTES = 121,
	DHCP_OPT_END = 255,
};

enum dhcp_msg_type {
	DHCP_MSG_DISCOVER = 1,
	DHCP_MSG_OFFER = 2,
	DHCP_MSG_REQUEST = 3,
	DHCP_MSG_DECLINE = 4,
	DHCP_MSG_ACK = 5,
	DHCP_MSG_NAK = 6,
	DHCP_MSG_RELEASE = 7,
	DHCP_MSG_INFORM = 8,
};

/* One classless static route (RFC 3442); gateway INADDR_ANY means on-link. */
struct dhcp_route {
	struct in_addr dst;
	uint8_t prefix_len;
	struct in_addr gateway;
};

/* Everything the responder hands to one guest interface. */
struct dhcp_lease {
	uint8_t client_mac[MAC_LEN];
	struct in_addr client_addr;
	uint8_t prefix_len;
	/* Our identity in option 54 (the pod's gateway, like passt). */
	struct in_addr server_id;
	/* Option 3; INADDR_ANY: none. */
	struct in_addr router;
	/* Option 121, in order, already including the default route. */
	size_t n_routes;
	struct dhcp_route routes[PODNET_MAX_ROUTES];
	size_t n_dns;
	struct in_addr dns[PODNET_MAX_DNS];
	char hostname[PODNET_HOSTNAME_MAX + 1]; /* "" : none */
	char domain_name[PODNET_NAME_MAX + 1];	/* "" : none */
	size_t n_search;
	char search[PODNET_MAX_SEARCH][PODNET_NAME_MAX + 1];
	uint16_t mtu;		/* 0: none */
	uint32_t lease_seconds; /* DHCP_LEASE_INFINITE by default */
	/* The tag's own options (42, 66, 67, 224-254) and next server. */
	struct dhcp_extras extra;
};

/*
 * The fields of a guest's BOOTREQUEST that the responder acts on. The two
 * lists come last and hold n_params / client_id_len valid bytes: a parse
 * clears and copies only what it uses (dhcp_wire_parse_request()).
 */
struct dhcp_request {
	uint8_t msg_type; /* enum dhcp_msg_type */
	/*
	 * How much of the message the parse read (dhcp_parse_cache.c): up to
	 * here, END included; with option 52 sname and file too, and this is
	 * then the whole message. (Here, in the padding before xid: tests keep
	 * tables of requests on the stack.)
	 */
	bool overloaded;
	uint16_t read_len;
	uint32_t xid;	/* as on the wire (network order), echoed back */
	uint16_t secs;	/* host order */
	uint16_t flags; /* host order */
	struct in_addr ciaddr;
	struct in_addr giaddr;
	uint8_t chaddr[MAC_LEN];
	bool has_requested_addr;
	struct in_addr requested_addr;
	bool has_server_id;
	struct in_addr server_id;
	uint16_t max_msg_size; /* 0: not sent */
	bool has_fqdn;	       /* option 81 sent (RFC 4702) */
	uint8_t fqdn_flags;
	uint8_t n_params;
	uint8_t client_id_len; /* 0: not sent */
	/*
	 * Which parse this is: dhcp_parse_cache.c numbers its parses from 1,
	 * so that requests with one number have the same bytes (the prepared
	 * replies skip comparing their shape). 0: not numbered.
	 */
	uint64_t parse_serial;
	uint8_t params[255];
	uint8_t client_id[255];
};

/* What to do with a request. */
enum dhcp_action {
	DHCP_ACTION_IGNORE,
	DHCP_ACTION_OFFER,
	DHCP_ACTION_ACK,
	DHCP_ACTION_NAK,
	DHCP_ACTION_INFORM_ACK,
	DHCP_ACTION_DECLINED, /* log loudly, send nothing */
	DHCP_ACTION_RELEASED, /* log, send nothing */
};

/* The actions that send a reply, as slots of per-kind tables (the prepared
 * frames, the reply log). */
#define DHCP_REPLY_KINDS 4

/**
 * dhcp_wire_reply_kind() - The slot of a reply action
 * @action:	the decision
 *
 * Return: 0 to DHCP_REPLY_KINDS - 1 for OFFER, ACK, NAK and INFORM-ACK;
 * -1 for an action that sends nothing
 */
static inline int dhcp_wire_reply_kind(enum dhcp_action action)
{
	switch (action) {
	case DHCP_ACTION_OFFER:
		return 0;
	case DHCP_ACTION_ACK:
		return 1;
	case DHCP_ACTION_NAK:
		return 2;
	case DHCP_ACTION_INFORM_ACK:
		return 3;
	default:
		return -1;
	}
}

/* Where a reply goes at the IP layer (layer 2 is always the client's MAC). */
struct dhcp_destination {
	struct in_addr addr;
	/* Short name of the RFC 2131 4.1 branch taken, for logs and tests. */
	const char *why;
	/* UDP port, host order: 67 to a relay (giaddr), else 68. */
	uint16_t port;
};

int dhcp_wire_parse_request(const uint8_t *msg, size_t len,
			    struct dhcp_request *ret_req);
int dhcp_wire_parse_request_into(const uint8_t *msg, size_t len,
				 struct dhcp_request *req);
enum dhcp_action dhcp_wire_decide(const struct dhcp_request *req,
				  const struct dhcp_lease *lease);
ssize_t dhcp_wire_build_reply(const struct dhcp_request *req,
			      const struct dhcp_lease *lease,
			      enum dhcp_action action, uint8_t *buf,
			      size_t cap);
struct dhcp_destination
dhcp_wire_reply_destination(const struct dhcp_request *req,
			    const struct dhcp_lease *lease,
			    enum dhcp_action action);
const char *dhcp_wire_action_name(enum dhcp_action action);
size_t dhcp_wire_reply_max(const struct dhcp_request *req);

#endif
