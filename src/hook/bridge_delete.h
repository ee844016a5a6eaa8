// SPDX-License-Identifier: GPL-2.0-or-later
/* Deleting a bridge while the restore goes on: the kernel's wait is long. */
#ifndef PODNET_BRIDGE_DELETE_H
#define PODNET_BRIDGE_DELETE_H

#include <pthread.h>
#include <stdbool.h>

struct bridge_deletion {
	pthread_t thread;
	int ifindex;
	int rc;
	bool running;
};

void bridge_delete_start(struct bridge_deletion *d, int ifindex);
int bridge_delete_finish(struct bridge_deletion *d);

#endif
