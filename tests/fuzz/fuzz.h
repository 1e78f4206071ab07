/*
 * fuzz.h — shared by the fuzz targets in tests/fuzz (see README.md there).
 *
 * Each fuzz_<name>.c defines the libFuzzer entry point LLVMFuzzerTestOneInput and
 * nothing else public, so the same file builds three ways: with driver.c under gcc
 * (make check: replay the corpus, then seeded mutations), with clang
 * -fsanitize=fuzzer (libFuzzer), and with AFL++. A target signals a bug by
 * crashing: FUZZ_ASSERT aborts when an invariant of the code under test fails.
 * Targets must not leak: libFuzzer's leak checker counts every input.
 */
#ifndef KENPO_FUZZ_H
#define KENPO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "util.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort with the failed condition: every fuzzer treats that as a crash. */
#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

/* The test secrets: the values t_crypto uses, never a real installation's. */
#define FUZZ_PEPPER \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define FUZZ_SECRET \
	"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

/* The input as a NUL-terminated string (a NUL inside it ends the string early). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char	*s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Split the input at NUL bytes into fields v[0..n-1] (malloc'd strings; a field
 * the input does not reach is NULL, so absent headers get fuzzed too; bytes
 * after the n-th field are ignored). Free with fuzz_fields_free.
 */
static inline void
fuzz_fields(const uint8_t *data, size_t size, char **v, size_t n)
{
	size_t	 i, at = 0, len;
	const uint8_t *nul;

	for (i = 0; i < n; i++) {
		if (at > size || (at == size && i > 0)) {
			v[i] = NULL;
			continue;
		}
		nul = memchr(data + at, '\0', size - at);
		len = nul != NULL ? (size_t)(nul - (data + at)) : size - at;
		v[i] = fuzz_str(data + at, len);
		at += len + 1;
	}
}

static inline void
fuzz_fields_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
}

/*
 * Once per process: libgcrypt, quiet logging, and a configuration with the test
 * secrets and the smallest Argon2 cost (8 KiB, 1 pass, 1 lane), so a hash the
 * fuzzer makes acceptable is cheap to verify.
 */
static inline void
fuzz_setup(void)
{
	static int	 done;
	HDF		*hdf = NULL;

	if (done)
		return;
	done = 1;
	log_open("fuzz", 0);
	log_set_level(LOG_LVL_ERR);
	if (crypto_init() != 0)
		abort();
	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	if (hdf_set_value(hdf, "Security.Pepper", FUZZ_PEPPER) != STATUS_OK ||
	    hdf_set_value(hdf, "Security.Secret", FUZZ_SECRET) != STATUS_OK ||
	    hdf_set_value(hdf, "Security.Argon2.MemoryKiB", "8") != STATUS_OK ||
	    hdf_set_value(hdf, "Security.Argon2.Time", "1") != STATUS_OK ||
	    hdf_set_value(hdf, "Security.Argon2.Lanes", "1") != STATUS_OK ||
	    hdf_set_value(hdf, "Login.CaptchaMinutes", "10") != STATUS_OK)
		abort();
	config_set(hdf);
}

#endif
