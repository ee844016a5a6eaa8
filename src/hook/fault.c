// SPDX-License-Identifier: GPL-2.0-or-later
/* Test-only fault injection at each step of prepare (built with FAULT=1). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fault.h"

#ifdef PODNET_FAULT_INJECTION
static unsigned int fault_steps_seen;

/**
 * fault_point() - Fail or crash here if the test suite asked for this step
 * @step:	name of the step about to be taken (for the error line)
 * @err:	set to a one-line reason when the step fails
 * @err_len:	size of @err
 *
 * PODNET_FAULT="fail:K" makes the K-th step (counting from 1) fail as if
 * the kernel had refused it; "crash:K" kills the hook there with SIGKILL,
 * as an OOM kill or a power cut would. Only in builds made with FAULT=1:
 * libvirt passes hooks no environment, and release builds have no such code.
 *
 * Return: 0, or -EIO for an injected failure
 */
int fault_point(const char *step, char *err, size_t err_len)
{
	const char *spec = getenv("PODNET_FAULT");
	unsigned int k;

	fault_steps_seen++;
	if (!spec)
		return 0;
	if (sscanf(spec, "fail:%u", &k) == 1 && k == fault_steps_seen) {
		errmsg_set(err, err_len, "injected fault at step %u '%s'", k,
			   step);
		return -EIO;
	}
	if (sscanf(spec, "crash:%u", &k) == 1 && k == fault_steps_seen)
		(void)raise(SIGKILL);
	return 0;
}
#else
int fault_point(const char *step, char *err, size_t err_len)
{
	(void)step;
	(void)err;
	(void)err_len;
	return 0;
}
#endif
