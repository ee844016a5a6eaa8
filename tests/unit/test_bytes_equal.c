// SPDX-License-Identifier: GPL-2.0-or-later
/* bytes_equal() (src/responder/bytes_equal.h): memcmp() == 0, always. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes_equal.h"
#include "test.h"

/* Every length 0..100 at every alignment 0..7, equal and with one byte
 * changed at each position: the 32- and 8-byte steps and the tail. */
static void agrees_with_memcmp(void)
{
	uint8_t a[128], b[128];
	int wrong = 0;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 37 + 11);
	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n <= 100; n++) {
			memcpy(b + off, a + off, n);
			wrong += bytes_equal(a + off, b + off, n) != true;
			for (size_t k = 0; k < n; k++) {
				b[off + k] ^= 0x80;
				wrong += bytes_equal(a + off, b + off, n) !=
					 (memcmp(a + off, b + off, n) == 0);
				b[off + k] ^= 0x80;
			}
		}
	}
	CHECK_EQ_INT(wrong, 0);
}

/* Buffers of exactly @n bytes: the ASan build fails on any read past them
 * (the overlapping last word must stay inside). */
static void reads_only_its_bytes(void)
{
	int wrong = 0;

	for (size_t n = 0; n <= 40; n++) {
		uint8_t *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);

		if (!a || !b)
			abort();
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = (uint8_t)(i + 1);
		wrong += bytes_equal(a, b, n) != true;
		if (n) {
			b[n - 1] ^= 1;
			wrong += bytes_equal(a, b, n) != false;
			b[0] ^= 1;
			b[n - 1] ^= 1;
			wrong += bytes_equal(a, b, n) != false;
		}
		free(a);
		free(b);
	}
	CHECK_EQ_INT(wrong, 0);
}

int main(void)
{
	RUN(agrees_with_memcmp);
	RUN(reads_only_its_bytes);
	return TEST_SUMMARY();
}
