// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: domain_xml_parse() on arbitrary bytes taken as domain XML. */
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "domain_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * LLVMFuzzerTestOneInput() - Parse one input as the hook would
 * @data:	the input, taken as XML text (not NUL-terminated)
 * @size:	its length
 *
 * Return: 0 (libFuzzer's convention)
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct podnet_domain dom;
	char err[256];
	int rc;

	if (!initialised) {
		xmlInitParser();
		initialised = 1;
	}
	rc = domain_xml_parse((const char *)data, size, &dom, err, sizeof(err));
	/* Whatever the input, the message is one terminated line. */
	if (rc < 0 && (memchr(err, '\0', sizeof(err)) == NULL ||
		       strchr(err, '\n') != NULL))
		__builtin_trap();
	return 0;
}
