// SPDX-License-Identifier: GPL-2.0-or-later
/* The exact restore of one pod interface from its record. */
#ifndef PODNET_RESTORE_H
#define PODNET_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

struct nl_sock;

int restore_iface(struct nl_sock *sk, const struct state_iface *s,
		  bool announce, char *err, size_t err_len);

#endif
