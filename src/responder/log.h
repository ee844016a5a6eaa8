// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's log: one line per event to its log file, rate-limited. */
#ifndef PODNET_LOG_H
#define PODNET_LOG_H

/* Lines per second before the rest are counted and summarised. */
#define LOG_LINES_PER_SEC 20

void log_set_fd(int fd);
__attribute__((format(printf, 1, 2))) void log_line(const char *fmt, ...);

#endif
