// SPDX-License-Identifier: GPL-2.0-or-later
/* The contract between the hook and the responder it starts: argv and fds. */
#ifndef PODNET_READY_PIPE_H
#define PODNET_READY_PIPE_H

/* argv[1] of the responder: which mode the binary runs in. */
#define READY_PIPE_RESPONDER_ARG "--responder"
/* The fd on which a starting responder reports "ready PID" or "error MSG". */
#define READY_PIPE_FD 3

void ready_pipe_report(int fd, const char *error);

#endif
