// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest filter of one tagged interface in the pod's namespace: made at
 * prepare, gone at release, its drop counters for `podnet status`. */
#ifndef PODNET_GUEST_FILTER_H
#define PODNET_GUEST_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_filter_rules.h"
#include "state.h"

int guest_filter_add(const char *uuid, const struct state_iface *s, char *err,
		     size_t err_len);
int guest_filter_remove(const char *uuid, const struct state_iface *s,
			char *err, size_t err_len);
int guest_filter_counters(const char *uuid, const struct state_iface *s,
			  uint64_t ret[GUEST_FILTER_REASONS]);
void guest_filter_spec_from(const char *uuid, const struct state_iface *s,
			    struct guest_filter_spec *ret);

#endif
