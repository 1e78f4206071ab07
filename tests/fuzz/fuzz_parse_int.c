/*
 * fuzz_parse_int.c — util_parse_int against a reference: accepted exactly when
 * the whole string is an optional '-' and one or more ASCII digits, the value fits
 * in long long and lies in [min, max]; nothing else (no space, '+', hex, suffix).
 * The bounds come from the first bytes of the input, so the range check is
 * fuzzed too.
 */
#include "autoconf.h"

#include <limits.h>

#include "fuzz.h"

/* Reference parse of the whole string. 0 and *out, or -1. */
static int
ref_parse(const char *s, long long *out)
{
	unsigned long long	 v = 0, lim;
	int			 neg = 0, d;
	const char		*p = s;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p == '\0')
		return -1;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		d = *p - '0';
		if (v > (lim - (unsigned long long)d) / 10)
			return -1;
		v = v * 10 + (unsigned long long)d;
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		*out = (long long)v;
	return 0;
}

/* Check util_parse_int(s, min, max) against the reference. */
static void
check(const char *s, long long min, long long max)
{
	long long	 got = 12345, want = 0;
	int		 rc, ref;

	rc = util_parse_int(s, min, max, &got);
	ref = ref_parse(s, &want);
	if (ref == 0 && (want < min || want > max))
		ref = -1;
	FUZZ_ASSERT(rc == ref);
	if (rc == 0)
		FUZZ_ASSERT(got == want);
	else
		FUZZ_ASSERT(got == 12345);	/* *out untouched on failure */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s;
	long long	 a, b;
	size_t		 i;

	s = fuzz_str(data, size);
	check(s, LLONG_MIN, LLONG_MAX);
	check(s, 0, 65535);
	check(s, -1, 1);
	/* Bounds from the first 16 bytes (when there are that many). */
	if (size > 16) {
		a = b = 0;
		for (i = 0; i < 8; i++) {
			a = (long long)((unsigned long long)a << 8 | data[i]);
			b = (long long)((unsigned long long)b << 8 | data[8 + i]);
		}
		free(s);
		s = fuzz_str(data + 16, size - 16);
		check(s, a < b ? a : b, a < b ? b : a);
	}
	free(s);
	return 0;
}
