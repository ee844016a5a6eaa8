// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PODNET_TIMING=1 in the hook's environment: one line per step on stderr,
 *
 *	podnet-timing: STEP [OBJECT]: N us (at T us)
 *
 * N since the step before, T since main() began. The first line is the CPU
 * time of this process before main(): loading and relocating libraries,
 * and also whatever ran in it before its exec (ip netns exec, env).
 * Unset (the default), nothing is read, written or timed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timing.h"

int timing_on;
static struct timespec timing_start, timing_last;

static long timing_us(const struct timespec *a, const struct timespec *b)
{
	return (long)(b->tv_sec - a->tv_sec) * 1000000L +
	       (b->tv_nsec - a->tv_nsec) / 1000L;
}

/**
 * timing_init() - Read PODNET_TIMING once, at the start of main()
 */
void timing_init(void)
{
	const char *v = getenv("PODNET_TIMING");
	struct timespec cpu = {0, 0}, zero = {0, 0};

	if (!v || strcmp(v, "1") != 0)
		return;
	timing_on = 1;
	(void)clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	(void)clock_gettime(CLOCK_MONOTONIC, &timing_start);
	timing_last = timing_start;
	fprintf(stderr,
		"podnet-timing: cpu before main() (with the execs before): %ld us\n",
		timing_us(&zero, &cpu));
}

/**
 * timing_step_slow() - timing_step() when PODNET_TIMING=1
 * @step:	what was done since the last step
 * @object:	what it was done to, or ""
 */
void timing_step_slow(const char *step, const char *object)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "podnet-timing: %s%s%s: %ld us (at %ld us)\n", step,
		object[0] ? " " : "", object, timing_us(&timing_last, &now),
		timing_us(&timing_start, &now));
	timing_last = now;
}
