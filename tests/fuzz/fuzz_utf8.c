/*
 * fuzz_utf8.c — util_utf8_valid and util_utf8_len against an independent
 * reference: the table of well-formed byte sequences of the Unicode Standard
 * (chapter 3, table 3-7), plus util.h's extra rule (no NUL, no C0 control but
 * TAB, CR, LF, no DEL).
 */
#include "autoconf.h"

#include "fuzz.h"

/* Length of the well-formed sequence at s (table 3-7), or 0 when ill-formed. */
static size_t
ref_seq(const unsigned char *s, size_t avail)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (s[0] <= 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (avail < n)
		return 0;
	/* Only the second byte has the narrowed range. */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* 1 when valid by the reference rules; *cps gets the code point count. */
static int
ref_valid(const unsigned char *s, size_t len, size_t *cps)
{
	size_t	 i = 0, k;

	*cps = 0;
	while (i < len) {
		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
		if (s[i] == 0x7f)
			return 0;
		if ((k = ref_seq(s + i, len - i)) == 0)
			return 0;
		i += k;
		(*cps)++;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	size_t	 cps, i;
	int	 valid;

	valid = ref_valid(data, size, &cps);
	FUZZ_ASSERT(util_utf8_valid((const char *)data, size) == valid);
	/* Every prefix that ends between sequences is valid as well. */
	if (valid && size > 0) {
		for (i = size - 1; i > 0 && (data[i] & 0xc0) == 0x80; i--)
			;
		FUZZ_ASSERT(util_utf8_valid((const char *)data, i) == 1);
	}
	if (valid) {
		s = fuzz_str(data, size);
		FUZZ_ASSERT(util_utf8_len(s) == cps);
		free(s);
	}
	return 0;
}
