// SPDX-License-Identifier: GPL-2.0-or-later
/* Schema tests: every tests/data/schema example through
 * metadata_schema_validate(). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "metadata_schema.h"
#include "test.h"
#include "util.h"

#define SCHEMA_DIR "tests/data/schema"

/* Exact messages for some examples: one per kind of explanation. */
static const struct {
	const char *file;
	const char *err;
} messages[] = {
	{"mac-bad-value-invalid.xml",
	 "invalid podnet metadata: element 'interface': invalid value 'zz' for attribute 'mac'"},
	{"mac-missing-invalid.xml",
	 "invalid podnet metadata: element 'interface': missing attribute 'mac'"},
	{"hostname-dot-invalid.xml",
	 "invalid podnet metadata: element 'network': invalid value 'vm1.example.org' for attribute 'hostname'"},
	{"pod-interface-16-invalid.xml",
	 "invalid podnet metadata: element 'interface': invalid value 'abcdefghijklmnop' for attribute 'pod-interface'"},
	{"pod-interface-utf8-invalid.xml",
	 "invalid podnet metadata: element 'interface': invalid value 'eth?\?' for attribute 'pod-interface'"},
	{"foreign-attr-invalid.xml",
	 "invalid podnet metadata: element 'network': unexpected attribute 'mtu'"},
	{"foreign-ns-attr-invalid.xml",
	 "invalid podnet metadata: element 'interface': unexpected attribute 'x:mac'"},
	{"foreign-element-invalid.xml",
	 "invalid podnet metadata: element 'network': unexpected element 'route'"},
	{"no-interface-invalid.xml",
	 "invalid podnet metadata: element 'network': missing child element"},
	{"text-invalid.xml",
	 "invalid podnet metadata: element 'network': unexpected text"},
};

static const char *expected_message(const char *file)
{
	for (size_t i = 0; i < ARRAY_SIZE(messages); i++) {
		if (!strcmp(messages[i].file, file))
			return messages[i].err;
	}
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void check_file(const char *file)
{
	char path[512], err[256] = "";
	int invalid = ends_with(file, "-invalid.xml"), rc;
	const char *want = expected_message(file);
	xmlDocPtr doc;

	CHECK(snprintf(path, sizeof(path), "%s/%s", SCHEMA_DIR, file) <
	      (int)sizeof(path));
	doc = xmlReadFile(path, NULL,
			  XML_PARSE_NONET | XML_PARSE_NOERROR |
				  XML_PARSE_NOWARNING);
	CHECK(doc != NULL);
	if (!doc)
		return;
	rc = metadata_schema_validate(xmlDocGetRootElement(doc), err,
				      sizeof(err));
	xmlFreeDoc(doc);
	CHECK_EQ_INT(rc, invalid ? -EINVAL : 0);
	if (invalid) {
		CHECK(!strncmp(err, "invalid podnet metadata: ", 25));
		CHECK(!strchr(err, '\n'));
	}
	if (want)
		CHECK_EQ_STR(err, want);
}

static int is_example(const struct dirent *e)
{
	return ends_with(e->d_name, ".xml");
}

/* Each example is a case of its own, reported by name like RUN() does. */
static void run_examples(void)
{
	struct dirent **list = NULL;
	int n = scandir(SCHEMA_DIR, &list, is_example, alphasort);
	int invalid = 0;

	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		int before = test_failed_checks;

		check_file(list[i]->d_name);
		invalid += ends_with(list[i]->d_name, "-invalid.xml");
		if (test_failed_checks == before) {
			test_cases_passed++;
			printf("ok   schema/%s\n", list[i]->d_name);
		} else {
			test_cases_failed++;
			printf("FAIL schema/%s\n", list[i]->d_name);
		}
		free(list[i]);
	}
	free(list);
	/* Both kinds must be there, or the test proves nothing. */
	CHECK(invalid > 0 && invalid < n);
}

/* Every exact message refers to an existing example. */
static void test_messages_have_files(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(messages); i++) {
		char path[512];
		FILE *f;

		CHECK(snprintf(path, sizeof(path), "%s/%s", SCHEMA_DIR,
			       messages[i].file) < (int)sizeof(path));
		f = fopen(path, "r");
		CHECK(f != NULL);
		if (f)
			fclose(f);
	}
}

static void test_null_node(void)
{
	char err[128];

	CHECK_EQ_INT(metadata_schema_validate(NULL, err, sizeof(err)), -EINVAL);
	CHECK_EQ_STR(err, "invalid podnet metadata: no element");
}

/* The tag is validated where it stands: namespace declared on an ancestor. */
static void test_node_inside_document(void)
{
	static const char xml[] =
		"<domain xmlns:p='urn:podnet:xmlns:1'><metadata><p:network><p:interface mac='52:54:00:12:34:56'/></p:network></metadata></domain>";
	xmlDocPtr doc = xmlReadMemory(xml, sizeof(xml) - 1, NULL, NULL,
				      XML_PARSE_NONET);
	char err[128] = "";
	xmlNodePtr net;

	CHECK(doc != NULL);
	if (!doc)
		return;
	net = xmlDocGetRootElement(doc)->children->children;
	CHECK_EQ_INT(metadata_schema_validate(net, err, sizeof(err)), 0);
	CHECK_EQ_STR(err, "");
	xmlFreeDoc(doc);
}

int main(void)
{
	xmlInitParser();
	run_examples();
	RUN(test_messages_have_files);
	RUN(test_null_node);
	RUN(test_node_inside_document);
	xmlCleanupParser();
	return TEST_SUMMARY();
}
