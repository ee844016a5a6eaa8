// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: parse an Ethernet + IPv6 frame as the VM's socket receives
 * it; an ICMPv6 message goes through the NDP parser, a UDP datagram is built
 * back and must parse to the same view. */

#include <stdlib.h>
#include <string.h>

#include "ip6_frame.h"
#include "ndp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[IP6_FRAME_L4_OFF + 8 + 65536];
	struct ip6_view v, back;
	struct ndp_msg m;
	ssize_t n;

	if (ip6_frame_parse(data, size, &v) != 0)
		return 0;
	if (v.payload < data || v.payload + v.payload_len > data + size)
		abort();
	if (v.next == IPPROTO_ICMPV6) {
		(void)ndp_parse(&v, &m);
		return 0;
	}
	n = ip6_frame_build_udp(buf, sizeof(buf), v.eth_dst, v.eth_src, &v.src,
				&v.dst, v.src_port, v.dst_port, v.payload,
				v.payload_len);
	if (n < 0 || ip6_frame_parse(buf, (size_t)n, &back) != 0 ||
	    back.src_port != v.src_port || back.dst_port != v.dst_port ||
	    back.payload_len != v.payload_len ||
	    memcmp(back.payload, v.payload, v.payload_len) != 0 ||
	    memcmp(&back.src, &v.src, sizeof(v.src)) != 0)
		abort();
	return 0;
}
