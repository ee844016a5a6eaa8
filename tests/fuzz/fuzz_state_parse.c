// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the state record parser. The record lives in a root-only
 * folder, but it is what release restores the pod from: a damaged one must
 * be refused, never half read. A record that parses formats back to a text
 * that parses to the same record. */

#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state_record rec, back;
	static char text[STATE_MAX_TEXT];
	int len;

	if (state_parse((const char *)data, size, &rec) != 0)
		return 0;
	if (rec.n_ifaces > PODNET_MAX_IFACES || !state_uuid_valid(rec.uuid) ||
	    rec.dns.n_nameservers6 > PODNET_MAX_DNS)
		abort();
	for (size_t i = 0; i < rec.n_ifaces; i++)
		if (rec.ifaces[i].orig.n_addrs > PODNET_MAX_ADDRS ||
		    rec.ifaces[i].orig.n_routes > PODNET_MAX_POD_ROUTES ||
		    rec.ifaces[i].orig.n_neighs > PODNET_MAX_NEIGHS)
			abort();
	len = state_format(&rec, text, sizeof(text));
	if (len <= 0 || state_parse(text, (size_t)len, &back) != 0)
		abort();
	if (state_format(&back, text, sizeof(text)) != len)
		abort();
	return 0;
}
