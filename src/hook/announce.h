// SPDX-License-Identifier: GPL-2.0-or-later
/* Release: the pod's MAC announced for its addresses again (GARP, NA). */
#ifndef PODNET_ANNOUNCE_H
#define PODNET_ANNOUNCE_H

#include <pthread.h>
#include <stdbool.h>

struct pod_iface;

struct announcement {
	pthread_t closer;
	int fd;
	bool closing;
};

void announce_pod_start(struct announcement *a, const struct pod_iface *o);
void announce_pod_finish(struct announcement *a);

#endif
