// SPDX-License-Identifier: GPL-2.0-or-later
/* The tail of a classic BPF socket filter on an IPv4 packet socket
 * (SOCK_DGRAM: the IP header at 0): keep UDP to destination port PORT,
 * drop all else. Seven instructions; a jump to "drop" from a test before
 * them skips to the last one. */
#ifndef PODNET_BENCH_UDP_PORT_FILTER_H
#define PODNET_BENCH_UDP_PORT_FILTER_H

#include <linux/filter.h>
#include <netinet/in.h>

#define UDP_PORT_FILTER(port)                                                  \
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                                 \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 4),        \
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                        \
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),                         \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (port), 0, 1),             \
		BPF_STMT(BPF_RET | BPF_K, 0x40000),                            \
		BPF_STMT(BPF_RET | BPF_K, 0)

#endif
