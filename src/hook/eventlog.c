// SPDX-License-Identifier: GPL-2.0-or-later
/* One syslog line per hook event that did something. */
#include <stdarg.h>
#include <syslog.h>

#include "eventlog.h"

/**
 * eventlog() - Log one line to syslog as "podnet[PID]", facility daemon
 * @priority:	LOG_INFO for what was done, LOG_ERR for what failed
 * @fmt:	printf format, without the newline
 *
 * Without a syslog daemon the line is dropped: no LOG_CONS and no
 * LOG_PERROR, because the hook's stderr must stay one line on failure and
 * empty on success (libvirt shows it to the user).
 */
void eventlog(int priority, const char *fmt, ...)
{
	va_list ap;

	openlog("podnet", LOG_PID, LOG_DAEMON);
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
	closelog();
}
