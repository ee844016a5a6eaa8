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

/* Run one named case; a case fails if any CHECK inside it failed. */
#define RUN(fn)                                                                \
	do {                                                                   \
		int test_before_ = test_failed_checks;                         \
		fn();                                                          \
		if (test_failed_checks == test_before_) {                      \
			test_cases_passed++;                                   \
			printf("ok   %s\n", #fn);                              \
		} else {                                                       \
			test_cases_failed++;                                   \
			printf("FAIL %s\n", #fn);                              \
		}                                                              \
	} while (0)

/* Last line of every unit test binary; tests/run adds them up. */
#define TEST_SUMMARY()                                                         \
	(printf("unit: %d passed, %d failed\n", test_cases_passed,             \
		test_cases_failed),                                            \
	 test_cases_failed ? 1 : 0)

#endif
