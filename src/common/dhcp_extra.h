// SPDX-License-Identifier: GPL-2.0-or-later
/* What a user adds to an interface's lease in the tag, as KubeVirt users set
 * it in dhcpOptions: NTP servers (42), TFTP server (66, and siaddr), boot
 * file (67), private options (224-254); the lease time; or no DHCP at all
 * (an L2-only interface). Carried from the tag through the record to the
 * reply unchanged. */
#ifndef PODNET_DHCP_EXTRA_H
#define PODNET_DHCP_EXTRA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 2131 3.3: 0xffffffff is an infinite lease. */
#define DHCP_LEASE_INFINITE 0xffffffffu
/* The shortest finite lease a tag may ask for, in seconds. */
#define DHCP_EXTRA_LEASE_MIN 10
/* NTP servers, private options: at most this many of each. */
#define DHCP_EXTRA_MAX_NTP     8
#define DHCP_EXTRA_MAX_PRIVATE 8
/* 66, 67 and the private ones (42 is kept as its list of addresses). */
#define DHCP_EXTRA_MAX_OPTS (2 + DHCP_EXTRA_MAX_PRIVATE)
/* RFC 2132 2: one option instance carries at most 255 bytes. */
#define DHCP_EXTRA_DATA_MAX 255
/* All values of one interface together: more would not fit a reply. */
#define DHCP_EXTRA_BYTES_MAX 1024

#define DHCP_OPT_NTP_SERVERS 42
#define DHCP_OPT_TFTP_SERVER 66
#define DHCP_OPT_BOOT_FILE   67
#define DHCP_OPT_PRIVATE_MIN 224
#define DHCP_OPT_PRIVATE_MAX 254

/* One option: its value is data[off, off + len) of its dhcp_extras. */
struct dhcp_extra_opt {
	uint8_t code;
	uint8_t len;
	uint16_t off;
};

struct dhcp_extras {
	bool no_dhcp;		/* dhcp="off": bridged, never answered */
	uint32_t lease_seconds; /* DHCP_LEASE_INFINITE unless the tag says */
	struct in_addr siaddr;	/* next server: the TFTP server's address */
	size_t n_ntp;		/* option 42, in order */
	struct in_addr ntp[DHCP_EXTRA_MAX_NTP];
	size_t n;
	struct dhcp_extra_opt opts[DHCP_EXTRA_MAX_OPTS];
	uint16_t used;
	uint8_t data[DHCP_EXTRA_BYTES_MAX];
};

void dhcp_extras_init(struct dhcp_extras *x);
int dhcp_extras_add(struct dhcp_extras *x, uint8_t code, const void *value,
		    size_t len);
const struct dhcp_extra_opt *dhcp_extras_find(const struct dhcp_extras *x,
					      uint8_t code);

#endif
