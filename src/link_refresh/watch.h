// SPDX-License-Identifier: GPL-2.0-or-later
/* Refresh each domain that libvirt resumes after an incoming migration. */
#ifndef PODNET_LINK_REFRESH_WATCH_H
#define PODNET_LINK_REFRESH_WATCH_H

int link_refresh_watch(const char *uri, long down_ms);

#endif
