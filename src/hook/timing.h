// SPDX-License-Identifier: GPL-2.0-or-later
/* PODNET_TIMING=1: where the hook's time goes, one stderr line per step. */
#ifndef PODNET_TIMING_H
#define PODNET_TIMING_H

extern int timing_on;

void timing_init(void);
void timing_step_slow(const char *step, const char *object);

/**
 * timing_step() - End a step: print its microseconds (PODNET_TIMING=1 only)
 * @step:	what was done since the last step, a few words
 * @object:	the interface or bridge it was done to, or ""
 *
 * Off by default, and then costs one load and one branch.
 */
static inline void timing_step(const char *step, const char *object)
{
	if (timing_on)
		timing_step_slow(step, object);
}

#endif
