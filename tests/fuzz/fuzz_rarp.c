// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the RARP parser on untrusted bytes (the guest's, or any
 * sender's on the node's network). What it accepts is exactly QEMU's
 * announcement of the VM's MAC. */

#include <stdlib.h>
#include <string.h>

#include "rarp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t vm[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	static const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, 3};

	if (rarp_parse(data, size, vm) != 1)
		return 0;
	if (size < RARP_PACKET_LEN || memcmp(data, head, sizeof(head)) != 0 ||
	    memcmp(data + 8, vm, MAC_LEN) != 0 ||
	    memcmp(data + 18, vm, MAC_LEN) != 0)
		abort();
	return 0;
}
