// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's privilege drop: nobody, no capabilities, no_new_privs,
 * seccomp. */
#ifndef PODNET_SANDBOX_H
#define PODNET_SANDBOX_H

int sandbox_enter(void);

#endif
