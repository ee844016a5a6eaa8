// SPDX-License-Identifier: GPL-2.0-or-later
/* A domain's responder process: start it, recognise it, stop it. */
#ifndef PODNET_RESPONDER_PROC_H
#define PODNET_RESPONDER_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ready_pipe.h"

/* The fd on which the responder holds its lock (after READY_PIPE_FD). */
#define RESPONDER_LOCK_FD 4

/* What runs under a recorded responder pid. */
enum responder_health {
	RESPONDER_HEALTH_NONE,	   /* no pid recorded */
	RESPONDER_HEALTH_RUNNING,  /* pid, start time and cmdline match */
	RESPONDER_HEALTH_DEAD,	   /* no such process */
	RESPONDER_HEALTH_IMPOSTOR, /* the pid is some other process now */
};

int responder_proc_start(const char *uuid, pid_t *ret_pid,
			 unsigned long long *ret_start, char *err,
			 size_t err_len);
bool responder_proc_is_running(pid_t pid, unsigned long long start,
			       const char *uuid);
enum responder_health responder_proc_health(pid_t pid, unsigned long long start,
					    const char *uuid);
int responder_proc_signal(pid_t pid, unsigned long long start, const char *uuid,
			  int *ret_pidfd);
int responder_proc_wait(int pidfd);
int responder_proc_stop_holders(const char *uuid, char *err, size_t err_len);

#endif
