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
 * Every filter that keeps one sender starts alike, with these four
 * instructions: the source MAC at @src_off (the Ethernet header's byte 6)
 * is compared, its bytes 0-3 at instruction 1 and 4-5 at instruction 3,
 * with a k that pkt_socket_open_for_mac() fills in; on a mismatch the
 * filter jumps to instruction 1 + @miss + 1 (its "drop").
 */
#define PKT_SOCKET_MAC_HI 1
#define PKT_SOCKET_MAC_LO 3
#define PKT_SOCKET_MATCH_MAC(src_off, miss)                                    \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (src_off)),                         \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (miss)),             \
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, (src_off) + 4),             \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, ((miss)-2))
/* The longest template a port has. */
#define PKT_SOCKET_FILTER_MAX 16

int pkt_socket_open(int ifindex, int type, uint16_t proto,
		    const struct sock_fprog *prog);
int pkt_socket_open_for_mac(int ifindex, int type, uint16_t proto,
			    const struct sock_filter *tmpl, size_t n,
			    const uint8_t mac[MAC_LEN]);

#endif
