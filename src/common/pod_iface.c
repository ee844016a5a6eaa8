// SPDX-License-Identifier: GPL-2.0-or-later
/* Questions about a recorded pod interface that the hook and the responder
 * both ask. */
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "pod_iface.h"

/**
 * pod_primary_addr() - The address the VM takes over
 * @iface:	discovered pod interface
 *
 * Return: the first primary (not secondary) IPv4 address of global scope,
 * or NULL when there is none
 */
const struct pod_addr *pod_primary_addr(const struct pod_iface *iface)
{
	for (size_t i = 0; i < iface->n_addrs; i++) {
		const struct pod_addr *a = &iface->addrs[i];

		if (a->scope == RT_SCOPE_UNIVERSE &&
		    !(a->flags & IFA_F_SECONDARY))
			return a;
	}
	return NULL;
}
