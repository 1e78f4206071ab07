/*
 * signup_card.c — the sealed "sc" cookie of signup steps 3–4 (signup_card.h).
 *
 * Plaintext: "2" US expires US account US value × SIGNUP_CARD_NFIELDS (US =
 * 0x1f; the form parser lets no C0 control but tab, CR and LF into a value, and
 * a value holding US or longer than VALUE_MAX is left out). It is split only
 * after crypto_open has authenticated it, so its shape is ours.
 */
#include "autoconf.h"
#include "signup_card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "request.h"
#include "util.h"

#define COOKIE_NAME	"sc"
#define VERSION		"2"
#define US		'\x1f'
#define VALUE_MAX	160	/* bytes of one value (50 kana of a name: 150) */

static const char *const fields[] = { "insurer_number", "symbol", "symbol2",
    "number", "number2", "name_kana", "birth_era", "birth_year", "birth_month",
    "birth_day", NULL };
#define NFIELDS		10

#define PLAIN_MAX	(2 + 21 * 2 + NFIELDS * (VALUE_MAX + 1) + 1)
#define BOX_MAX		(PLAIN_MAX + 12 + 16)
#define TEXT_MAX	(BOX_MAX / 3 * 4 + 8)

/* The cookie's key, derived from Security.Secret. 0 or -1. */
static int
card_key(unsigned char out[32])
{
	static const char purpose[] = "kenpo signup card cookie v1";
	unsigned char	 secret[128];
	size_t		 n;
	int		 rc;

	n = config_secret("Security.Secret", secret, sizeof(secret));
	rc = crypto_hmac(secret, n, purpose, sizeof(purpose) - 1, out);
	util_wipe(secret, sizeof(secret));
	return rc;
}

/* Seal vals (NFIELDS values in the order of fields[], NULL for none) for
 * account_id into the cookie. */
static void
seal_values(struct req *r, long long account_id, const char *const *vals)
{
	unsigned char	 key[32], *box = NULL;
	char		*plain = NULL, *text = NULL;
	const char	*v;
	size_t		 len;
	long		 n;
	int		 i, k;

	plain = xmalloc(PLAIN_MAX + 1);
	box = xmalloc(BOX_MAX);
	text = xmalloc(TEXT_MAX + 1);
	k = snprintf(plain, PLAIN_MAX + 1, VERSION "%c%lld%c%lld", US,
	    (long long)util_now() + SIGNUP_CARD_SECONDS, US, account_id);
	len = k > 0 ? (size_t)k : 0;
	for (i = 0; i < NFIELDS; i++) {
		v = vals[i];
		if (v == NULL || strlen(v) > VALUE_MAX || strchr(v, US) != NULL)
			v = "";
		k = snprintf(plain + len, PLAIN_MAX + 1 - len, "%c%s", US, v);
		if (k < 0 || (size_t)k >= PLAIN_MAX + 1 - len)
			goto out;	/* cannot happen: PLAIN_MAX holds them all */
		len += (size_t)k;
	}
	if (card_key(key) != 0) {
		log_err("signup: cannot derive the key of the sc cookie");
		goto out;
	}
	n = crypto_seal(key, plain, len, box, BOX_MAX);
	util_wipe(key, sizeof(key));
	if (n < 0) {
		log_err("signup: cannot seal the sc cookie");
		goto out;
	}
	crypto_b64url_encode(box, (size_t)n, text);
	req_set_cookie(r, COOKIE_NAME, text, SIGNUP_CARD_SECONDS);
 out:
	if (plain != NULL)
		util_wipe(plain, PLAIN_MAX + 1);
	free(plain);
	free(box);
	free(text);
}

void
signup_card_put(struct req *r, long long account_id)
{
	const char	*vals[NFIELDS];
	int		 i;

	for (i = 0; i < NFIELDS; i++)
		vals[i] = req_param(r, fields[i]);
	seal_values(r, account_id, vals);
}

void
signup_card_put_person(struct req *r, long long account_id,
    const char *insurer_number, const char *name_kana, const char *birthdate)
{
	const char	*vals[NFIELDS] = { NULL };
	char		 y[8], m[4], d[4];

	vals[0] = insurer_number;
	vals[5] = name_kana;
	if (birthdate != NULL && strlen(birthdate) == 10) {
		/* YYYY-MM-DD → 1960, 1, 1 (as a member types them). */
		snprintf(y, sizeof(y), "%.4s", birthdate);
		snprintf(m, sizeof(m), "%d", atoi(birthdate + 5));
		snprintf(d, sizeof(d), "%d", atoi(birthdate + 8));
		vals[6] = "seireki";
		vals[7] = y;
		vals[8] = m;
		vals[9] = d;
	}
	seal_values(r, account_id, vals);
}

int
signup_card_get(struct req *r, long long account_id, const char *prefix)
{
	const char	*c = req_get_cookie(r, COOKIE_NAME);
	unsigned char	 key[32], *box = NULL;
	char		*plain = NULL, *f[3 + NFIELDS], *p, name[96];
	long long	 expires, acct;
	long		 n;
	int		 i, ok = 0;

	if (c == NULL || strlen(c) > TEXT_MAX)
		return 0;
	box = xmalloc(BOX_MAX);
	plain = xmalloc(PLAIN_MAX + 1);
	if ((n = crypto_b64url_decode(c, box, BOX_MAX)) < 12 + 16 + 1 ||
	    card_key(key) != 0)
		goto out;
	n = crypto_open(key, box, (size_t)n, plain, PLAIN_MAX);
	util_wipe(key, sizeof(key));
	if (n <= 0)
		goto out;
	plain[n] = '\0';
	for (i = 0, p = plain; i < 3 + NFIELDS; i++) {
		f[i] = p;
		if (i < 2 + NFIELDS) {
			if ((p = strchr(p, US)) == NULL)
				goto out;
			*p++ = '\0';
		}
	}
	if (strcmp(f[0], VERSION) != 0 ||
	    util_parse_int(f[1], 0, 1LL << 40, &expires) != 0 ||
	    util_parse_int(f[2], 1, 1LL << 62, &acct) != 0 ||
	    expires < util_now() || acct != account_id)
		goto out;
	for (i = 0; i < NFIELDS; i++) {
		if (f[3 + i][0] == '\0')
			continue;
		snprintf(name, sizeof(name), "%s.%s", prefix, fields[i]);
		req_set(r, name, f[3 + i]);
	}
	ok = 1;
 out:
	if (plain != NULL)
		util_wipe(plain, PLAIN_MAX + 1);
	free(plain);
	free(box);
	return ok;
}

void
signup_card_clear(struct req *r)
{
	if (req_get_cookie(r, COOKIE_NAME) != NULL)
		req_set_cookie(r, COOKIE_NAME, "", 0);
}
