// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's log: one line per event to its log file, rate-limited. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_fd = -1;
static time_t log_window;
static unsigned int log_in_window, log_suppressed;

/**
 * log_set_fd() - Where log lines go (opened before the sandbox closes in)
 * @fd:		an fd opened for appending, or -1 for nowhere
 */
void log_set_fd(int fd)
{
	log_fd = fd;
}

static void emit(const char *text, int len)
{
	if (log_fd >= 0 && len > 0)
		(void)!write(log_fd, text, (size_t)len);
}

/**
 * log_line() - Log one line; a guest cannot flood the log
 * @fmt:	printf format, without the newline
 *
 * At most LOG_LINES_PER_SEC lines a second; the number dropped is logged
 * in the next window. No allocation: the packet loop calls this.
 */
void log_line(const char *fmt, ...)
{
	struct timespec now;
	char line[512];
	va_list ap;
	int n;

	(void)clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec != log_window) {
		if (log_suppressed) {
			n = snprintf(
				line, sizeof(line),
				"%lld podnet-responder: %u lines suppressed\n",
				(long long)now.tv_sec, log_suppressed);
			emit(line, n);
		}
		log_window = now.tv_sec;
		log_in_window = 0;
		log_suppressed = 0;
	}
	if (++log_in_window > LOG_LINES_PER_SEC) {
		log_suppressed++;
		return;
	}
	n = snprintf(line, sizeof(line),
		     "%lld podnet-responder[%d]: ", (long long)now.tv_sec,
		     (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(line) - 2)
		return;
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	emit(line, n);
}
