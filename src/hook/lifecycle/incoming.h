// SPDX-License-Identifier: GPL-2.0-or-later
/* An incoming live migration, from libvirt's `migrate` event to the
 * `prepare` that follows it in the same pod: a marker file. */
#ifndef PODNET_INCOMING_H
#define PODNET_INCOMING_H

#include <stdbool.h>

/* libvirt runs `prepare` right after `migrate`, in the same Prepare step;
 * a marker older than this belongs to a migration that never got there. */
#define INCOMING_MAX_AGE_SECONDS 60

int incoming_mark(const char *uuid);
bool incoming_take(const char *uuid);

#endif
