// SPDX-License-Identifier: GPL-2.0-or-later
/* A tiny test harness: named cases, checks that report file:line, a summary. */
#ifndef PODNET_TEST_H
#define PODNET_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_checks;
static int test_cases_passed;
static int test_cases_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "  %s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                    \
			test_failed_checks++;                                  \
		}                                                              \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                     \
	do {                                                                   \
		long long test_a_ = (long long)(a), test_b_ = (long long)(b);  \
		if (test_a_ != test_b_) {                                      \
			fprintf(stderr, "  %s:%d: %s == %lld, want %lld\n",    \
				__FILE__, __LINE__, #a, test_a_, test_b_);     \
			test_failed_checks++;                                  \
		}                                                              \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                     \
	do {                                                                   \
		const char *test_a_ = (a), *test_b_ = (b);                     \
		if (strcmp(test_a_, test_b_) != 0) {                           \
			fprintf(stderr,                                        \
				"  %s:%d: %s == \"%s\", want \"%s\"\n",        \
				__FILE__, __LINE__, #a, test_a_, test_b_);     \
			test_failed_checks++;                                  \
		}                                                              \
	} while (0)

/* End a case begun when test_failed_checks was BEFORE: it failed if any CHECK
 * since then failed; reported as "ok   PREFIXNAME" or "FAIL PREFIXNAME". */
static inline void test_case_end(int before, const char *prefix,
				 const char *name)
{
	if (test_failed_checks == before) {
		test_cases_passed++;
		printf("ok   %s%s\n", prefix, name);
	} else {
		test_cases_failed++;
		printf("FAIL %s%s\n", prefix, name);
	}
}

/* Run CALL as one case named PREFIX NAME (a table's row, say). */
#define RUN_NAMED(call, prefix, name)                                          \
	do {                                                                   \
		int test_before_ = test_failed_checks;                         \
		call;                                                          \
		test_case_end(test_before_, prefix, name);                     \
	} while (0)

/* Run one named case; a case fails if any CHECK inside it failed. */
#define RUN(fn) RUN_NAMED(fn(), "", #fn)

/* Last line of every unit test binary; tests/run adds them up. */
#define TEST_SUMMARY()                                                         \
	(printf("unit: %d passed, %d failed\n", test_cases_passed,             \
		test_cases_failed),                                            \
	 test_cases_failed ? 1 : 0)

#endif
