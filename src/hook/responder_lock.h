// SPDX-License-Identifier: GPL-2.0-or-later
/* One responder per domain, and a way to find it that no record is needed
 * for: an open-file-description lock on /run/podnet/UUID.responder, taken by
 * the hook before it forks and held by the responder for its whole life. */
#ifndef PODNET_RESPONDER_LOCK_H
#define PODNET_RESPONDER_LOCK_H

#include <stddef.h>

/* The fd on which the responder holds the lock (after READY_PIPE_FD). */
#define RESPONDER_LOCK_FD 4

int responder_lock_take(const char *uuid);
int responder_lock_stop_holders(const char *uuid, char *err, size_t err_len);

#endif
