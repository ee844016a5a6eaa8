// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder process: start, sandbox, and the poll loop over the ports
 * of every bridge. */
#ifndef PODNET_RESPONDER_H
#define PODNET_RESPONDER_H

int responder_main(const char *uuid, int ready_fd);

#endif
