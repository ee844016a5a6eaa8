// SPDX-License-Identifier: GPL-2.0-or-later
/* Packet sockets on a bridge that the kernel filters for the VM's MAC, so
 * that another sender's frames never wake the responder: one opener for
 * the IPv4 and the IPv6 port. */
#ifndef PODNET_PKT_SOCKET_H
#define PODNET_PKT_SOCKET_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Every filter that keeps one sender starts alike: instruction 1 compares
 * the loaded MAC[0..3] and instruction 3 MAC[4..5] with their k, which the
 * template leaves 0 (pkt_socket_open_for_mac() fills them in).
 */
#define PKT_SOCKET_MAC_HI 1
#define PKT_SOCKET_MAC_LO 3
/* The longest template a port has. */
#define PKT_SOCKET_FILTER_MAX 16

int pkt_socket_open(int ifindex, int type, uint16_t proto,
		    const struct sock_fprog *prog);
int pkt_socket_open_for_mac(int ifindex, int type, uint16_t proto,
			    const struct sock_filter *tmpl, size_t n,
			    const uint8_t mac[MAC_LEN]);

#endif
