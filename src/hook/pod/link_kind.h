// SPDX-License-Identifier: GPL-2.0-or-later
/* Which kinds of pod interface can be a bridge port that reaches a VM. Pure.
 */
#ifndef PODNET_LINK_KIND_H
#define PODNET_LINK_KIND_H

#include <stdint.h>

/* MACVLAN_MODE_PASSTHRU of linux/if_link.h, without pulling that header in. */
#define LINK_KIND_MACVLAN_PASSTHRU 8u

const char *link_kind_refusal(const char *kind, uint32_t macvlan_mode);

#endif
