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
	int events;  /* RTMGRP_LINK: the bridge's RTM_DELLINK */
	int done_fd; /* eventfd: the thread's RTM_DELLINK returned */
	bool running;
};

void bridge_delete_start(struct bridge_deletion *d, int ifindex);
int bridge_delete_wait_unlisted(struct bridge_deletion *d);
int bridge_delete_finish(struct bridge_deletion *d);

#endif
