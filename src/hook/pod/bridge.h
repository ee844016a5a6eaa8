// SPDX-License-Identifier: GPL-2.0-or-later
/* The bridge of one pod interface: made at prepare, deleted at restore. */
#ifndef PODNET_BRIDGE_H
#define PODNET_BRIDGE_H

#include <stddef.h>

#include "bridge_delete.h"
#include "state.h"

struct nl_sock;

int bridge_prepare_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len);
int bridge_remove_start(struct nl_sock *sk, const struct state_iface *s,
			struct bridge_deletion *del);
void bridge_random_mac(uint8_t ret[MAC_LEN]);

#endif
