// SPDX-License-Identifier: GPL-2.0-or-later
/* A per-second budget: how the responder bounds what a looping or hostile
 * guest can make it send, on both ports alike. Pure: no I/O. */
#ifndef PODNET_RATE_WINDOW_H
#define PODNET_RATE_WINDOW_H

#include <stdbool.h>
#include <time.h>

/* Replies per second and port; a legitimate client needs a handful.
 * Overridable at build time (`make bench` measures without the limit too).
 */
#ifndef RESPONDER_REPLIES_PER_SEC
#define RESPONDER_REPLIES_PER_SEC 50
#endif

/* All zero is a fresh window. */
struct rate_window {
	time_t sec; /* the monotonic second counted */
	unsigned int count;
};

/**
 * rate_window_allows() - Take one from this second's budget
 * @w:		the window
 * @now:	the monotonic second (one clock read per wake-up)
 * @limit:	how many a second
 *
 * Return: true while fewer than @limit were taken in @now
 */
static inline bool rate_window_allows(struct rate_window *w, time_t now,
				      unsigned int limit)
{
	if (now != w->sec) {
		w->sec = now;
		w->count = 0;
	}
	return ++w->count <= limit;
}

#endif
