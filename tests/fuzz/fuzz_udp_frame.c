// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: parse an IPv4+UDP packet and, if it parses, build it back and
 * compare. */

#include <stdlib.h>
#include <string.h>

#include "udp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct udp_view v, back;
	size_t cap;
	uint8_t *buf;
	ssize_t n;

	if (udp_frame_parse(data, size, &v) != 0)
		return 0;
	if (v.payload < data || v.payload + v.payload_len > data + size)
		abort();
	cap = UDP_FRAME_HEADER_LEN + v.payload_len;
	buf = malloc(cap);
	if (!buf)
		return 0;
	n = udp_frame_build(buf, cap, v.src, v.dst, v.src_port, v.dst_port,
			    v.payload, v.payload_len);
	if (n != (ssize_t)cap || udp_frame_parse(buf, cap, &back) != 0 ||
	    back.src.s_addr != v.src.s_addr ||
	    back.dst.s_addr != v.dst.s_addr || back.src_port != v.src_port ||
	    back.dst_port != v.dst_port || back.payload_len != v.payload_len ||
	    memcmp(back.payload, v.payload, v.payload_len) != 0)
		abort();
	free(buf);
	return 0;
}
