// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the ARP answerer on untrusted guest bytes. A reply must go to
 * the VM only, for a configured gateway only, and echo the asker; the
 * renumbering verdict reads only the 28 bytes and only the VM's packets. */

#include <stdlib.h>
#include <string.h>

#include "arp_answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t vm[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	struct arp_answers a = {.n = 2};
	uint8_t frame[ARP_REPLY_FRAME_LEN];
	ssize_t n;

	a.entries[0].ip.s_addr = htonl(0xa9fe0101); /* 169.254.1.1 */
	memset(a.entries[0].mac, 0xee, MAC_LEN);
	a.entries[1].ip.s_addr = htonl(0xc6336401); /* 198.51.100.1 */
	memset(a.entries[1].mac, 0x0e, MAC_LEN);
	if (arp_shows_other_addr(data, size, vm, a.entries[1].ip) &&
	    (size < ARP_PACKET_LEN || memcmp(data + 8, vm, MAC_LEN) != 0 ||
	     memcmp(data + 14, &a.entries[1].ip, 4) == 0))
		abort();
	n = arp_answer_build(data, size, vm, &a, frame);
	if (n < 0)
		return 0;
	if (n != ARP_REPLY_FRAME_LEN || size < ARP_PACKET_LEN ||
	    memcmp(frame, vm, MAC_LEN) != 0 ||
	    memcmp(frame + 14 + 18, data + 8, MAC_LEN) != 0 ||
	    memcmp(frame + 14 + 24, data + 14, 4) != 0 ||
	    (memcmp(frame + 14 + 14, &a.entries[0].ip, 4) != 0 &&
	     memcmp(frame + 14 + 14, &a.entries[1].ip, 4) != 0))
		abort();
	return 0;
}
