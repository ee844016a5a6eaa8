// SPDX-License-Identifier: GPL-2.0-or-later
/* Keep libxml2 from printing: the hook's stderr carries exactly one line. */
#ifndef PODNET_XML_QUIET_H
#define PODNET_XML_QUIET_H

void xml_quiet(void);

#endif
