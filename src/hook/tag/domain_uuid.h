// SPDX-License-Identifier: GPL-2.0-or-later
/* The domain's name and UUID from its XML, for events that need nothing else.
 */
#ifndef PODNET_DOMAIN_UUID_H
#define PODNET_DOMAIN_UUID_H

#include <stddef.h>

#include "podnet_limits.h"

int domain_uuid_read(const char *xml, size_t len,
		     char ret_uuid[PODNET_UUID_STR_LEN + 1]);

#endif
