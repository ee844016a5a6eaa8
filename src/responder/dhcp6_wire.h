// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPv6 (RFC 8415) messages from the guest: parse and decide. Pure: no I/O.
 */
#ifndef PODNET_DHCP6_WIRE_H
#define PODNET_DHCP6_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lease6.h"

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547

enum dhcp6_msg {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_INFORMATION_REQUEST = 11,
};

enum dhcp6_opt {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IA_TA = 4,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_PREFERENCE = 7,
	DHCP6_OPT_ELAPSED_TIME = 8,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_DNS_SERVERS = 23,
	DHCP6_OPT_DOMAIN_LIST = 24,
	DHCP6_OPT_IA_PD = 25,
	DHCP6_OPT_CLIENT_FQDN = 39,
};

enum dhcp6_status {
	DHCP6_STATUS_SUCCESS = 0,
	DHCP6_STATUS_NOADDRSAVAIL = 2,
	DHCP6_STATUS_NOTONLINK = 4,
	DHCP6_STATUS_NOPREFIXAVAIL = 6,
};

/* RFC 8415 11.1 */
#define DHCP6_DUID_MAX 128
/* IAs and addresses per IA that a request may name; more are ignored. */
#define DHCP6_MAX_IA	   8
#define DHCP6_MAX_IA_ADDRS 8

struct dhcp6_ia {
	uint16_t type; /* DHCP6_OPT_IA_NA, _IA_TA, _IA_PD */
	uint32_t iaid;
	size_t n_addrs; /* IA_NA/IA_TA: IAADDR options seen (capped) */
	struct in6_addr addrs[DHCP6_MAX_IA_ADDRS];
};

/* A guest's message; the ids point into the packet given to the parser. */
struct dhcp6_request {
	uint8_t type;
	uint8_t xid[3];
	const uint8_t *client_id, *server_id;
	size_t client_id_len, server_id_len;
	bool rapid_commit;
	bool sent_fqdn;
	size_t n_ia;
	struct dhcp6_ia ia[DHCP6_MAX_IA];
};

enum dhcp6_action {
	DHCP6_ACTION_IGNORE,
	DHCP6_ACTION_ADVERTISE,
	DHCP6_ACTION_REPLY, /* with the pod's addresses in the first IA_NA */
	DHCP6_ACTION_REPLY_NOTONLINK, /* REQUEST naming a foreign address */
	DHCP6_ACTION_CONFIRM_OK,
	DHCP6_ACTION_CONFIRM_NOTONLINK,
	DHCP6_ACTION_INFO,
	DHCP6_ACTION_RELEASED,
	DHCP6_ACTION_DECLINED,
};

int dhcp6_wire_parse(const uint8_t *msg, size_t len, struct dhcp6_request *ret);
enum dhcp6_action dhcp6_wire_decide(const struct dhcp6_request *req,
				    const struct lease6 *lease,
				    const char **ret_why);
const char *dhcp6_wire_msg_name(uint8_t type);
const char *dhcp6_wire_action_name(enum dhcp6_action a);
ssize_t dhcp6_reply_build(const struct dhcp6_request *req,
			  const struct lease6 *lease, enum dhcp6_action action,
			  uint8_t *buf, size_t cap);

#endif
