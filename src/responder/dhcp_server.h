// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder process: packet sockets on the bridges, sandbox, packet loop.
 */
#ifndef PODNET_DHCP_SERVER_H
#define PODNET_DHCP_SERVER_H

/* Replies per second and port; a legitimate client needs a handful.
 * Overridable at build time (`make bench` measures without the limit too).
 */
#ifndef DHCP_SERVER_REPLIES_PER_SEC
#define DHCP_SERVER_REPLIES_PER_SEC 50
#endif

int dhcp_server_main(const char *uuid, int ready_fd);

#endif
