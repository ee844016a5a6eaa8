// SPDX-License-Identifier: GPL-2.0-or-later
/* The podnet binary as a command-line tool: status, validate, restore. */
#ifndef PODNET_TOOL_H
#define PODNET_TOOL_H

#include <stdbool.h>

/* Exit codes of the tool (documented in podnet(8)). */
#define TOOL_EXIT_OK	    0
#define TOOL_EXIT_FAIL	    1 /* invalid, unhealthy, or restore failed */
#define TOOL_EXIT_USAGE	    2
#define TOOL_EXIT_NOT_FOUND 3 /* no such managed domain, or no tag */

bool tool_claims(int argc, char **argv);
int tool_main(int argc, char **argv);

#endif
