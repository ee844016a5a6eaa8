// SPDX-License-Identifier: GPL-2.0-or-later
/* Which kinds of pod interface can be a bridge port that reaches a VM. Pure.
 */
#include <linux/if_link.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "link_kind.h"

static const char *macvlan_mode_name(uint32_t mode)
{
	switch (mode) {
	case MACVLAN_MODE_PRIVATE:
		return "private";
	case MACVLAN_MODE_VEPA:
		return "vepa";
	case MACVLAN_MODE_BRIDGE:
		return "bridge";
	case MACVLAN_MODE_SOURCE:
		return "source";
	default:
		return "unknown";
	}
}

/**
 * link_kind_refusal() - Why a pod interface of this kind cannot serve a VM
 * @kind:		the rtnetlink link kind ("veth", "macvlan", ...), or
 * NULL
 * @macvlan_mode:	its MACVLAN_MODE_* when @kind is macvlan or macvtap
 *
 * Measured with the real plugins: a macvlan in bridge, vepa, private or
 * source mode hands its port only the frames for its own MAC, so a VM
 * with another MAC behind the bridge is never reached, and giving the VM
 * the macvlan's MAC does not help (the macvlan must then take another,
 * and the bridge keeps frames for a port's own MAC to itself). In passthru
 * mode the macvlan gets every frame of its parent and works. An ipvlan
 * has no MAC of its own (all its slaves share the parent's) and the
 * kernel refuses it as a bridge port.
 *
 * Return: a reason to put in the user's line, or NULL if it can be used
 */
const char *link_kind_refusal(const char *kind, uint32_t macvlan_mode)
{
	if (!kind)
		return NULL;
	if (strcmp(kind, "ipvlan") == 0 || strcmp(kind, "ipvtap") == 0)
		return "is an ipvlan, whose slaves share their parent's MAC and cannot be bridge ports; use a veth CNI (bridge, ptp) or a macvlan in passthru mode";
	if ((strcmp(kind, "macvlan") == 0 || strcmp(kind, "macvtap") == 0) &&
	    macvlan_mode != LINK_KIND_MACVLAN_PASSTHRU) {
		static char reason[256];

		(void)snprintf(
			reason, sizeof(reason),
			"is a macvlan in '%s' mode, which passes on only frames for its own MAC, so the VM behind the bridge is never reached; use macvlan mode 'passthru' or a veth CNI (bridge, ptp)",
			macvlan_mode_name(macvlan_mode));
		return reason;
	}
	if (strcmp(kind, "bridge") == 0)
		return "is itself a bridge and cannot be a port of another; tag the interface the CNI gave the pod";
	return NULL;
}
