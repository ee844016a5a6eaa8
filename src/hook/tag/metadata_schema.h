// SPDX-License-Identifier: GPL-2.0-or-later
/* Validate podnet's <metadata> element against schemas/podnet.rng (embedded).
 */
#ifndef PODNET_METADATA_SCHEMA_H
#define PODNET_METADATA_SCHEMA_H

#include <stddef.h>
#include <libxml/tree.h>

int metadata_schema_validate(xmlNodePtr podnet_network, char *err,
			     size_t err_len);
int metadata_schema_validate_relaxng(xmlNodePtr podnet_network, char *err,
				     size_t err_len);

/* The schema text, generated from schemas/podnet.rng at build time. */
extern const unsigned char podnet_rng[];
extern const unsigned long podnet_rng_len;

#endif
