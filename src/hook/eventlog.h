// SPDX-License-Identifier: GPL-2.0-or-later
/* One syslog line per hook event that did something. */
#ifndef PODNET_EVENTLOG_H
#define PODNET_EVENTLOG_H

__attribute__((format(printf, 2, 3))) void eventlog(int priority,
						    const char *fmt, ...);

#endif
