// SPDX-License-Identifier: GPL-2.0-or-later
/* The common tag, checked by hand; anything else goes to the RelaxNG schema. */
#ifndef PODNET_TAG_FAST_CHECK_H
#define PODNET_TAG_FAST_CHECK_H

#include <stdbool.h>
#include <libxml/tree.h>

bool tag_fast_check(const xmlNode *network);

#endif
