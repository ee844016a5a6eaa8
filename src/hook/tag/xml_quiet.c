// SPDX-License-Identifier: GPL-2.0-or-later
/* Keep libxml2 from printing: the hook's stderr carries exactly one line. */
#include <libxml/xmlerror.h>

#include "xml_quiet.h"

static void xml_silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void xml_silent_structured(void *ctx, xmlErrorPtr error)
{
	(void)ctx;
	(void)error;
}

/**
 * xml_quiet() - Route libxml2's default error output nowhere
 *
 * Callers that want an error install their own handler on their parser or
 * validation context; everything else libxml2 would print to stderr.
 */
void xml_quiet(void)
{
	xmlSetGenericErrorFunc(NULL, xml_silent_generic);
	xmlSetStructuredErrorFunc(NULL, xml_silent_structured);
}
