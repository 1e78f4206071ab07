/*
 * fuzz_entry.c — the entry-link parsers (src/entry.c): the "entry" context
 * cookie (entry_cookie_parse) and the ts/sig parameters of a signed entry link
 * (entry_check_link), both straight from the request.
 *
 * Input: one mode byte, then the cookie value (or a payload), ts and sig,
 * separated by NUL bytes. Invariants:
 *   - a cookie is accepted only when its MAC is the one a reference computes
 *     with the test secret (HMAC-SHA256 over "entry|" payload, base64url), its
 *     payload reads 1.<8 digits>.<flag>.<issued> and it is fresh; with mode
 *     bit 0 the target seals the fuzzed payload genuinely, so the parse after
 *     the MAC is fuzzed too: a well-formed fresh payload is then accepted with
 *     its number and flag;
 *   - a link is ENTRY_PLAIN only without ts and sig, ENTRY_OK/EXPIRED only when
 *     sig is the reference signature of the parsed ts (either case), and OK
 *     only inside [ts - 60 s, ts + max_age]; with mode bit 1 the target signs
 *     the fuzzed ts genuinely (bit 2: in upper case).
 */
#include "autoconf.h"

#include <ctype.h>

#include "fuzz.h"
#include "entry.h"

#define NOW		1700000000LL
#define MAX_AGE		600
#define NUMBER		"06139992"
#define ENTRY_SECRET	"0123456789abcdef0123456789abcdef" \
			"0123456789abcdef0123456789abcdef"

/* base64url(HMAC-SHA256(Security.Secret, "entry|" payload)). */
static void
ref_mac(const char *payload, char out[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 key[32], mac[32];
	char		*msg = xasprintf("entry|%s", payload);
	size_t		 i;

	for (i = 0; i < sizeof(key); i++) {
		unsigned int b;

		sscanf(FUZZ_SECRET + 2 * i, "%2x", &b);
		key[i] = (unsigned char)b;
	}
	FUZZ_ASSERT(crypto_hmac(key, sizeof(key), msg, strlen(msg), mac) == 0);
	crypto_b64url_encode(mac, sizeof(mac), out);
	free(msg);
}

/* n decimal digits at s. */
static int
digits(const char *s, size_t n)
{
	return strspn(s, "0123456789") >= n;
}

/* The strict form of our own payloads: 1.<8 digits>.<0|1>.<issued>. */
static int
ref_payload(const char *p, char number[9], int *flag, long long *issued)
{
	size_t	 n;

	if (strncmp(p, "1.", 2) != 0 || !digits(p + 2, 8) || p[10] != '.' ||
	    (p[11] != '0' && p[11] != '1') || p[12] != '.')
		return -1;
	n = strlen(p + 13);
	if (n < 1 || n > 12 || strspn(p + 13, "0123456789") != n)
		return -1;
	memcpy(number, p + 2, 8);
	number[8] = '\0';
	*flag = p[11] == '1';
	*issued = strtoll(p + 13, NULL, 10);
	return 0;
}

static void
check_cookie(const char *v, int seal)
{
	char		 number[9], want[CRYPTO_TOKEN_LEN + 1], rnum[9], *cookie;
	char		*dot;
	long long	 issued;
	int		 s = -1, rflag, rc;

	cookie = seal ? NULL : xstrdup(v);
	if (seal) {
		ref_mac(v, want);
		cookie = xasprintf("%s.%s", v, want);
	}
	rc = entry_cookie_parse(cookie, NOW, number, &s);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0) {
		dot = strrchr(cookie, '.');
		FUZZ_ASSERT(dot != NULL);
		*dot = '\0';
		ref_mac(cookie, want);
		FUZZ_ASSERT(strcmp(dot + 1, want) == 0);
		FUZZ_ASSERT(strlen(number) == 8 && digits(number, 8));
		FUZZ_ASSERT(strncmp(cookie, "1.", 2) == 0 &&
		    strncmp(cookie + 2, number, 8) == 0 && cookie[10] == '.');
		FUZZ_ASSERT(s == 0 || s == 1);
	}
	/* A genuine, well-formed, fresh payload is accepted as it says. */
	if (seal && ref_payload(v, rnum, &rflag, &issued) == 0 &&
	    issued <= NOW + 60 && NOW - issued <= 86400 && strlen(v) < 64) {
		FUZZ_ASSERT(rc == 0);
		FUZZ_ASSERT(strcmp(number, rnum) == 0 && s == rflag);
	}
	free(cookie);
}

static void
check_link(const char *ts, const char *sig, int sign, int upper)
{
	char		 want[65], mine[65];
	long long	 t;
	enum entry_verdict v;
	size_t		 i;
	int		 ts_ok;

	ts_ok = ts != NULL && util_parse_int(ts, 0, 1LL << 40, &t) == 0;
	if (sign && ts_ok) {
		FUZZ_ASSERT(entry_sign(ENTRY_SECRET, NUMBER, t, mine) == 0);
		for (i = 0; upper && i < 64; i++)
			mine[i] = (char)toupper((unsigned char)mine[i]);
		sig = mine;
	}
	v = entry_check_link(ENTRY_SECRET, NUMBER, ts, sig, NOW, MAX_AGE);
	if (ts == NULL && sig == NULL) {
		FUZZ_ASSERT(v == ENTRY_PLAIN);
		return;
	}
	FUZZ_ASSERT(v == ENTRY_BAD || v == ENTRY_OK || v == ENTRY_EXPIRED);
	if (v != ENTRY_BAD) {
		FUZZ_ASSERT(ts_ok && sig != NULL && strlen(sig) == 64);
		FUZZ_ASSERT(entry_sign(ENTRY_SECRET, NUMBER, t, want) == 0);
		for (i = 0; i < 64; i++)
			FUZZ_ASSERT(tolower((unsigned char)sig[i]) == want[i]);
		FUZZ_ASSERT((v == ENTRY_OK) ==
		    (t <= NOW + 60 && NOW - t <= MAX_AGE));
	}
	if (sign && ts_ok)
		FUZZ_ASSERT(v != ENTRY_BAD);
	/* No secret, no signed link. */
	FUZZ_ASSERT(entry_check_link(NULL, NUMBER, ts, sig, NOW, MAX_AGE) ==
	    (ts == NULL && sig == NULL ? ENTRY_PLAIN : ENTRY_BAD));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*f[3];
	int	 mode;

	if (size < 1)
		return 0;
	fuzz_setup();
	mode = data[0];
	fuzz_fields(data + 1, size - 1, f, 3);
	check_cookie(f[0], mode & 1);
	check_link(f[1], f[2], mode & 2, mode & 4);
	fuzz_fields_free(f, 3);
	return 0;
}
