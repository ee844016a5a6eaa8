// SPDX-License-Identifier: GPL-2.0-or-later
/* Starting, recognising and stopping a domain's responder process. */
#ifndef PODNET_SPAWN_H
#define PODNET_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ready_pipe.h"

int spawn_responder(const char *uuid, pid_t *ret_pid,
		    unsigned long long *ret_start, char *err, size_t err_len);
bool spawn_is_responder(pid_t pid, unsigned long long start, const char *uuid);
int spawn_signal_responder(pid_t pid, unsigned long long start,
			   const char *uuid, int *ret_pidfd);
int spawn_wait_responder(int pidfd);
int spawn_process_start_time(pid_t pid, unsigned long long *ret_start);
bool spawn_process_exited(pid_t pid);

#endif
