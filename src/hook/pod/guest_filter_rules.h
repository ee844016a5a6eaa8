// SPDX-License-Identifier: GPL-2.0-or-later
/* What a VM may say on its pod's network, as nftables rules of the bridge
 * family (pure: no I/O). */
#ifndef PODNET_GUEST_FILTER_RULES_H
#define PODNET_GUEST_FILTER_RULES_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "nft_ir.h"
#include "podnet_limits.h"
#include "util.h"

/* Why a frame of the VM was dropped: one named counter each. */
enum guest_filter_reason {
	GUEST_FILTER_SRC_MAC, /* Ethernet source is not the VM's MAC */
	GUEST_FILTER_VLAN,    /* 802.1Q/802.1ad: would hide what it carries */
	GUEST_FILTER_ARP_SENDER, /* ARP sender MAC/IP not the VM's */
	GUEST_FILTER_IP4_SOURCE, /* IPv4 source not the pod's */
	GUEST_FILTER_IP6_SOURCE, /* IPv6 source not the pod's, not link-local */
	GUEST_FILTER_DHCP_SERVER, /* UDP from port 67 or 547 */
	GUEST_FILTER_ROUTER_ADV,  /* ICMPv6 router advertisement */
	GUEST_FILTER_REDIRECT,	  /* ICMP or ICMPv6 redirect */
	GUEST_FILTER_ND_TARGET,	  /* NA for an address the VM may not own */
	GUEST_FILTER_ND_LLADDR,	  /* NS/NA naming another MAC, or options */
	GUEST_FILTER_KEPT_IN_POD, /* the VM's DHCP/RS, not for the node */
	GUEST_FILTER_REASONS,
};

extern const char *const guest_filter_reason_names[GUEST_FILTER_REASONS];

/* The facts the rules are made of, for one tagged interface. */
struct guest_filter_spec {
	char table[NFT_IR_NAME_MAX];
	char comment[NFT_IR_COMMENT_MAX];
	char pod_iface[IFNAMSIZ];
	uint8_t vm_mac[MAC_LEN];
	/* dhcp="off": the MAC rule only; nothing is kept in the pod. */
	bool l2_only;
	size_t n_v4, n_v6, n_routers;
	struct in_addr v4[PODNET_MAX_ADDRS];
	struct in6_addr v6[PODNET_MAX_ADDRS];
	/* The routers' link-local addresses: never the VM's. */
	struct in6_addr routers[PODNET_MAX_ADDRS];
};

int guest_filter_rules_build(const struct guest_filter_spec *spec,
			     struct nft_ir_table *ret);

#endif
