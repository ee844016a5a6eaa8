// SPDX-License-Identifier: GPL-2.0-or-later
/* Test-only fault injection at each step of prepare (built with FAULT=1). */
#ifndef PODNET_FAULT_H
#define PODNET_FAULT_H

#include <stddef.h>

int fault_point(const char *step, char *err, size_t err_len);

#endif
