// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: resolv_parse() on arbitrary bytes taken as resolv.conf. */
#include <stdint.h>
#include <string.h>

#include "resolv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * LLVMFuzzerTestOneInput() - Parse one input as resolv.conf text
 * @data:	the input (not NUL-terminated)
 * @size:	its length
 *
 * Return: 0 (libFuzzer's convention)
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolv_conf rc;

	if (resolv_parse((const char *)data, size, &rc) != 0)
		__builtin_trap();
	/* The caps hold and every search name is terminated and bounded. */
	if (rc.n_servers > PODNET_MAX_DNS ||
	    rc.n_nameservers6 > PODNET_MAX_DNS ||
	    rc.n_search > PODNET_MAX_SEARCH)
		__builtin_trap();
	for (size_t i = 0; i < rc.n_search; i++) {
		if (!memchr(rc.search[i], '\0', sizeof(rc.search[i])) ||
		    !rc.search[i][0])
			__builtin_trap();
	}
	return 0;
}
