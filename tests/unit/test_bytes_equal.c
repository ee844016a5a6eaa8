// SPDX-License-Identifier: GPL-2.0-or-later
/* bytes_equal() (src/responder/bytes_equal.h): memcmp() == 0, always. */

#include <stdint.h>
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

int main(void)
{
	RUN(agrees_with_memcmp);
	return TEST_SUMMARY();
}
