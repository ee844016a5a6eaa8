// SPDX-License-Identifier: GPL-2.0-or-later
/* The status of a managed domain as text for people and as JSON for scripts.
 */
#ifndef PODNET_STATUS_FORMAT_H
#define PODNET_STATUS_FORMAT_H

#include <stddef.h>

#include "status.h"

/* Enough for one domain with every interface and every name at its longest. */
#define STATUS_FORMAT_MAX ((size_t)16 * 1024)

const char *status_responder_name(enum responder_health r);
int status_format_text(const struct status_domain *st, char *buf, size_t cap);
int status_format_json(const struct status_domain *st, char *buf, size_t cap);
int status_json_string(const char *s, char *buf, size_t cap);

#endif
