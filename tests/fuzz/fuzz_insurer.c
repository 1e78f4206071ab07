/*
 * fuzz_insurer.c — insurer_number_valid against a reference check digit, and the
 * card key path: insurer_card_compose then insurer_card_key, with an explicit
 * pepper (no configuration, no database).
 *
 * Input: lines "insurer number \n symbol \n symbol2 \n number \n number2"; the
 * first byte mod 6 picks the card pattern (0 and 5 are invalid patterns).
 * Invariants: the key is 64 lowercase hex digits and is HMAC-SHA256 over
 * "<digits>|<symbol>|<number>" as insurer.h specifies, and a hyphenated
 * pattern ① card meets the same key as its number typed in one box.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "insurer.h"
#include "normalize.h"

static const unsigned char pepper[32] = "fuzz-pepper-0123456789abcdefghij";

/* The check digit rule written the other way round: the digit sum is 0 mod 10. */
static int
ref_valid(const char *s)
{
	int	 i, p, sum = 0;

	if (strlen(s) != 8 || strspn(s, "0123456789") != 8)
		return 0;
	for (i = 0; i < 7; i++) {
		p = (s[i] - '0') * ((6 - i) % 2 == 0 ? 2 : 1);
		sum += p > 9 ? p - 9 : p;
	}
	return (sum + s[7] - '0') % 10 == 0;
}

/* What insurer_card_key must produce, built from normalize.h; 0 or -1. */
static int
ref_key(const char *ins, const char *sym, const char *num, char out[65])
{
	char		*i = NULL, *s = NULL, *n = NULL, *msg = NULL;
	unsigned char	 mac[32];
	int		 rc = -1;

	if ((i = normalize_digits(ins)) == NULL || strlen(i) != 8 ||
	    (s = normalize_symbol(sym)) == NULL ||
	    (n = normalize_number(num)) == NULL)
		goto out;
	msg = xasprintf("%s|%s|%s", i, s, n);
	FUZZ_ASSERT(crypto_hmac(pepper, sizeof(pepper), msg, strlen(msg), mac) == 0);
	util_hex(mac, sizeof(mac), out);
	rc = 0;
out:
	free(i);
	free(s);
	free(n);
	free(msg);
	return rc;
}

static int
is_key(const char *k)
{
	return strlen(k) == 64 && strspn(k, "0123456789abcdef") == 64;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *f[5] = { NULL }, *p, *sym = NULL, *num = NULL, *joined;
	char	 key[INSURER_CARD_KEY_LEN + 1], want[65], key2[65];
	int	 i, pattern, rc;

	fuzz_setup();
	s = fuzz_str(data, size);
	FUZZ_ASSERT(insurer_number_valid(s) == ref_valid(s));

	for (p = s, i = 0; i < 5 && p != NULL; i++) {
		f[i] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	FUZZ_ASSERT(insurer_number_valid(f[0]) == ref_valid(f[0]));
	pattern = size > 0 ? data[0] % 6 : 0;

	rc = insurer_card_compose(pattern, f[1], f[2], f[3], f[4], &sym, &num);
	FUZZ_ASSERT(rc == (pattern >= 1 && pattern <= 4 ? 0 : -1));
	if (rc != 0) {
		FUZZ_ASSERT(sym == NULL && num == NULL);
		goto out;
	}
	FUZZ_ASSERT(sym != NULL && num != NULL);
	if (!insurer_pattern_has_symbol(pattern))
		FUZZ_ASSERT(sym[0] == '\0');

	rc = insurer_card_key(pepper, sizeof(pepper), f[0], sym, num, key);
	FUZZ_ASSERT(rc == ref_key(f[0], sym, num, want));
	if (rc != 0) {
		FUZZ_ASSERT(key[0] == '\0');
		goto out;
	}
	FUZZ_ASSERT(is_key(key) && strcmp(key, want) == 0);

	/* Pattern ①: "a" + "b" meets the roster's "ab" (and "a-b"). */
	if (pattern == 1 && f[3] != NULL && f[4] != NULL) {
		joined = xasprintf("%s%s", f[3], f[4]);
		rc = insurer_card_key(pepper, sizeof(pepper), f[0], "", joined,
		    key2);
		FUZZ_ASSERT(rc == 0 && strcmp(key, key2) == 0);
		free(joined);
	}
out:
	free(sym);
	free(num);
	free(s);
	return 0;
}
