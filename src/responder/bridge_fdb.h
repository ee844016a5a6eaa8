// SPDX-License-Identifier: GPL-2.0-or-later
/* Does the bridge know on which port a MAC is? (its forwarding database) */
#ifndef PODNET_BRIDGE_FDB_H
#define PODNET_BRIDGE_FDB_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* struct __fdb_entry of linux/if_bridge.h: what brforward holds. */
#define BRIDGE_FDB_ENTRY_LEN 16

int bridge_fdb_scan(const uint8_t *buf, size_t len, const uint8_t mac[MAC_LEN]);
int bridge_fdb_scan_port(const uint8_t *buf, size_t len,
			 const uint8_t mac[MAC_LEN]);
int bridge_fdb_open(const char *bridge);
int bridge_fdb_port(int fd, const uint8_t mac[MAC_LEN]);
int bridge_fdb_knows(int fd, const uint8_t mac[MAC_LEN]);

#endif
