// SPDX-License-Identifier: GPL-2.0-or-later
/* The pod namespace's br_netfilter sysctls (net.bridge.bridge-nf-call-*). */
#ifndef PODNET_BRNF_H
#define PODNET_BRNF_H

#include "errmsg.h"
#include "state.h"

void brnf_read(int ret[STATE_BRNF_N]);
int brnf_off(const int orig[STATE_BRNF_N], char *err, size_t err_len);
void brnf_restore(const int orig[STATE_BRNF_N], struct first_err *e);

#endif
