// SPDX-License-Identifier: GPL-2.0-or-later
/* Records of releases before the pod key (UUID.state): adopted into this
 * pod's names (UUID@KEY.state) when they are this pod's. */
#ifndef PODNET_LEGACY_H
#define PODNET_LEGACY_H

#include "podnet_limits.h"

int legacy_adopt(const char *uuid);
void legacy_adopt_all(void);

#endif
