// SPDX-License-Identifier: GPL-2.0-or-later
/* KubeVirt's link-refresh for a domain's podnet-tagged interfaces. */
#ifndef PODNET_LINK_REFRESH_H
#define PODNET_LINK_REFRESH_H

#include <libvirt/libvirt.h>
#include <stddef.h>

/* How long the link stays down by default. KubeVirt's 100 ms renumbered
 * neither Debian 12 guest here (TCG): systemd-networkd with DHCPv4
 * UseMTU=yes ignores a carrier loss under 5 s, NetworkManager 1.42 waits
 * for the carrier; 12 s renumbered both. */
#define LINK_REFRESH_DOWN_MS 12000
/* Before a second "up" when the first one failed. */
#define LINK_REFRESH_RETRY_MS 100
/* The longest --down-ms accepted (a minute). */
#define LINK_REFRESH_DOWN_MS_MAX 60000

/* Return values besides 0 (every tagged interface refreshed). */
#define LINK_REFRESH_FAILED   (-1)
#define LINK_REFRESH_UNTAGGED (-2) /* no podnet tag: nothing to refresh */

/* libvirt at @uri (NULL: its default); on failure NULL, after one line on
 * stderr naming the URI and libvirt's reason. */
virConnectPtr link_refresh_connect(const char *uri);

int link_refresh_domain(virDomainPtr dom, long down_ms, char *done,
			size_t done_len, char *err, size_t err_len);

#endif
