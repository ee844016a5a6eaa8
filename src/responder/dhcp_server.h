// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder process: packet sockets on the bridges, sandbox, packet loop.
 */
#ifndef PODNET_DHCP_SERVER_H
#define PODNET_DHCP_SERVER_H

int dhcp_server_main(const char *uuid, int ready_fd);

#endif
