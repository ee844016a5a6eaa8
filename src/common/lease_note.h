// SPDX-License-Identifier: GPL-2.0-or-later
/* The last lease each bridge's responder gave, in a file of its own
 * (/run/podnet/UUID.lease) that `podnet status` reads: the log is for
 * people, and its wording may change. */
#ifndef PODNET_LEASE_NOTE_H
#define PODNET_LEASE_NOTE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One fixed-size line per tagged interface, rewritten in place. */
#define LEASE_NOTE_SLOT 96

struct lease_note {
	struct in_addr addr;
	long long time; /* seconds since the epoch */
};

int lease_note_format(char slot[LEASE_NOTE_SLOT], const char *bridge,
		      const struct lease_note *n);
int lease_note_write(int fd, size_t index, const char *bridge,
		     const struct lease_note *n);
bool lease_note_find(const char *text, size_t len, const char *bridge,
		     struct lease_note *ret);

#endif
