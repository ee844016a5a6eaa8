// SPDX-License-Identifier: GPL-2.0-or-later
/* Bridge preparation of one pod interface, and its exact undo from the record.
 */
#ifndef PODNET_BRIDGE_H
#define PODNET_BRIDGE_H

#include <stddef.h>

#include "state.h"

struct nl_sock;

int bridge_prepare_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len);
int bridge_restore_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len);
void bridge_random_mac(uint8_t ret[MAC_LEN]);

#endif
