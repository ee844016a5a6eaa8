// SPDX-License-Identifier: GPL-2.0-or-later
/* The one line a starting responder writes to the hook that started it. */
#include <stdio.h>
#include <unistd.h>

#include "ready_pipe.h"

/**
 * ready_pipe_report() - Responder side: tell the hook how start-up went
 * @fd:		READY_PIPE_FD
 * @error:	NULL when ready, else a one-line reason
 */
void ready_pipe_report(int fd, const char *error)
{
	char msg[512];
	int n;

	if (error)
		n = snprintf(msg, sizeof(msg), "error %s\n", error);
	else
		n = snprintf(msg, sizeof(msg), "ready %d\n", (int)getpid());
	if (n > 0)
		(void)!write(fd, msg,
			     (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg));
	(void)close(fd);
}
