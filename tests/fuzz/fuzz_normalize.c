/*
 * fuzz_normalize.c — the four normalisers of normalize.h on the same input.
 *
 * Invariants: every result is valid UTF-8 of the promised form (katakana only;
 * ASCII digits; at most 7 digits without a leading zero), and normalising a result
 * again gives it back unchanged. The last one matters because the same functions
 * run on both sides of a roster match: an insurer's file and a member's typing may
 * already be partly normalised. Also normalize_number(x) is
 * normalize_number(normalize_digits(x)), as the card key relies on.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "normalize.h"

/* Decode one code point of valid UTF-8 at s; returns its length. */
static size_t
decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		    (s[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return 4;
}

static int
all_katakana(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t	 c;

	while (*p != '\0') {
		p += decode(p, &c);
		if (!((c >= 0x30a1 && c <= 0x30fa) || c == 0x30fc || c == 0x30fd ||
		    c == 0x30fe || (c >= 0x31f0 && c <= 0x31ff)))
			return 0;
	}
	return 1;
}

static int
all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* f(r) must give r back. */
static void
idempotent(char *(*f)(const char *), const char *r)
{
	char	*again = f(r);

	FUZZ_ASSERT(again != NULL);
	FUZZ_ASSERT(strcmp(again, r) == 0);
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *kana, *sym, *num, *dig, *num2;
	size_t	 len;

	s = fuzz_str(data, size);

	if ((kana = normalize_kana(s)) != NULL) {
		FUZZ_ASSERT(kana[0] != '\0');
		FUZZ_ASSERT(util_utf8_valid(kana, strlen(kana)));
		FUZZ_ASSERT(all_katakana(kana));
		idempotent(normalize_kana, kana);
	}

	if ((sym = normalize_symbol(s)) != NULL) {
		len = strlen(sym);
		FUZZ_ASSERT(util_utf8_valid(sym, len));
		/* No spaces, hyphens, lower case or leading zero survive. */
		FUZZ_ASSERT(strpbrk(sym, " \t\r\n-~abcdefghijklmnopqrstuvwxyz") ==
		    NULL);
		FUZZ_ASSERT(sym[0] != '0' || len == 1);
		idempotent(normalize_symbol, sym);
	}

	dig = normalize_digits(s);
	num = normalize_number(s);
	FUZZ_ASSERT((dig == NULL) == (num == NULL));
	if (dig != NULL) {
		FUZZ_ASSERT(dig[0] != '\0' && all_digits(dig));
		idempotent(normalize_digits, dig);
		len = strlen(num);
		FUZZ_ASSERT(len >= 1 && len <= 7 && all_digits(num));
		FUZZ_ASSERT(num[0] != '0' || len == 1);
		idempotent(normalize_number, num);
		num2 = normalize_number(dig);
		FUZZ_ASSERT(num2 != NULL && strcmp(num, num2) == 0);
		free(num2);
		/* Digits are a symbol too, and reduce the same way but for the
		 * last-7 rule. */
		FUZZ_ASSERT(sym != NULL);
		if (strlen(dig) < 8)
			FUZZ_ASSERT(strcmp(sym, num) == 0);
	}

	free(kana);
	free(sym);
	free(num);
	free(dig);
	free(s);
	return 0;
}
