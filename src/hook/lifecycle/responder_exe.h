// SPDX-License-Identifier: GPL-2.0-or-later
/* Which podnet-responder binary the hook runs, opened once and checked;
 * the same checks for the tool's other helper programs (libexec_open). */
#ifndef PODNET_RESPONDER_EXE_H
#define PODNET_RESPONDER_EXE_H

#include <stddef.h>

/* The installed responder; the Makefile sets it from LIBEXECDIR. */
#ifndef PODNET_RESPONDER_PATH
#define PODNET_RESPONDER_PATH "/usr/libexec/podnet/podnet-responder"
#endif
/* Its file name, also looked for beside the hook's own executable. */
#define RESPONDER_EXE_NAME "podnet-responder"
/* `podnet link-refresh` (src/link_refresh/), found the same way. */
#ifndef PODNET_LINK_REFRESH_PATH
#define PODNET_LINK_REFRESH_PATH "/usr/libexec/podnet/podnet-link-refresh"
#endif
#define LINK_REFRESH_EXE_NAME "podnet-link-refresh"

int libexec_open(const char *what, const char *exe_name, const char *installed,
		 char *err, size_t err_len);
int responder_exe_open(char *err, size_t err_len);

#endif
