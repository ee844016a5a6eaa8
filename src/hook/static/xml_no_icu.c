// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linked only into a hook with libxml2 from its archive (LIBXML2_STATIC=1):
 * Debian's libxml2 is built with ICU, and loading ICU brings libstdc++,
 * whose relocations were most of the hook's instructions before main().
 * libxml2 asks ICU only for an encoding that neither it nor glibc's iconv
 * knows (encoding.c, openIcuConverter()); here ICU answers "no such
 * converter", so such a document is refused as an unsupported encoding.
 * libvirt's domain XML is UTF-8.
 *
 * ICU_SUFFIX is ICU's symbol version (_72), read from libxml2.a by the
 * Makefile.
 */
#include <stddef.h>
#include <stdlib.h>

#ifndef ICU_SUFFIX
#error "ICU_SUFFIX must be set by the Makefile"
#endif
#define ICU_CAT2(a, b) a##b
#define ICU_CAT(a, b)  ICU_CAT2(a, b)
#define ICU(name)      ICU_CAT(name, ICU_SUFFIX)

/* U_FILE_ACCESS_ERROR: what ICU itself says for an unknown converter. */
#define ICU_NO_CONVERTER 4

void *ICU(ucnv_open)(const char *name, int *status);
void ICU(ucnv_close)(void *conv);
void ICU(ucnv_convertEx)(void);
void ICU(ucnv_setFromUCallBack)(void);
void ICU(ucnv_setToUCallBack)(void);
void ICU(UCNV_FROM_U_CALLBACK_STOP)(void);
void ICU(UCNV_TO_U_CALLBACK_STOP)(void);

void *ICU(ucnv_open)(const char *name, int *status)
{
	(void)name;
	*status = ICU_NO_CONVERTER;
	return NULL;
}

/* libxml2 closes a converter it got, and gets none: never reached with
 * one, but harmless. */
void ICU(ucnv_close)(void *conv)
{
	(void)conv;
}

/* Only reached through a converter, which ucnv_open() never gives. */
void ICU(ucnv_convertEx)(void)
{
	abort();
}

void ICU(ucnv_setFromUCallBack)(void)
{
	abort();
}

void ICU(ucnv_setToUCallBack)(void)
{
	abort();
}

void ICU(UCNV_FROM_U_CALLBACK_STOP)(void)
{
	abort();
}

void ICU(UCNV_TO_U_CALLBACK_STOP)(void)
{
	abort();
}
