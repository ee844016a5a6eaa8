// SPDX-License-Identifier: GPL-2.0-or-later
/* Which podnet-responder binary the hook runs, opened once and checked. */
#ifndef PODNET_RESPONDER_EXE_H
#define PODNET_RESPONDER_EXE_H

#include <stddef.h>

/* The installed responder; the Makefile sets it from LIBEXECDIR. */
#ifndef PODNET_RESPONDER_PATH
#define PODNET_RESPONDER_PATH "/usr/libexec/podnet/podnet-responder"
#endif
/* Its file name, also looked for beside the hook's own executable. */
#define RESPONDER_EXE_NAME "podnet-responder"

int responder_exe_open(char *err, size_t err_len);

#endif
