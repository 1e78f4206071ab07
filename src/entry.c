/*
 * entry.c — the insurer context set by entry links (SPEC §2; docs/entry-links.md).
 *
 * The context lives in the cookie "entry":
 *
 *	1.<insurer number>.<signed 0|1>.<issued, unix seconds>.<mac>
 *
 * mac = base64url(HMAC-SHA256(Security.Secret, "entry|" + everything before the
 * last dot)). It is valid for ENTRY_COOKIE_AGE seconds after it was issued. It
 * carries no personal data: it says which insurer's portal the browser came from
 * and whether that portal vouched for it with a signed link.
 */
#include "autoconf.h"
#include "entry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "insurer.h"
#include "log.h"
#include "request.h"
#include "util.h"

#define ENTRY_COOKIE		"entry"
#define ENTRY_COOKIE_AGE	86400	/* a day: long enough to finish step 1–3 */
#define ENTRY_VERSION		"1"
#define ENTRY_SKEW		60	/* seconds a portal's clock may run ahead of ours */

/* base64url(HMAC-SHA256(Security.Secret, "entry|" payload)) into out[44]. 0 or -1. */
static int
cookie_mac(const char *payload, char out[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 key[256], mac[32];
	char		*msg;
	size_t		 n;
	int		 rc;

	n = config_secret("Security.Secret", key, sizeof(key));
	msg = xasprintf("entry|%s", payload);
	rc = crypto_hmac(key, n, msg, strlen(msg), mac);
	if (rc == 0)
		crypto_b64url_encode(mac, sizeof(mac), out);
	util_wipe(key, sizeof(key));
	util_wipe(mac, sizeof(mac));
	free(msg);
	return rc;
}

int
entry_set_cookie(struct req *r, const char *number, int signed_entry)
{
	char	 payload[64], mac[CRYPTO_TOKEN_LEN + 1], *v;

	snprintf(payload, sizeof(payload), ENTRY_VERSION ".%s.%d.%lld", number,
	    signed_entry ? 1 : 0, (long long)util_now());
	if (cookie_mac(payload, mac) != 0) {
		log_err("entry: cannot sign the context cookie");
		return -1;
	}
	v = xasprintf("%s.%s", payload, mac);
	req_set_cookie(r, ENTRY_COOKIE, v, ENTRY_COOKIE_AGE);
	free(v);
	return 0;
}

int
entry_cookie_parse(const char *v, int64_t now, char number[9], int *signed_entry)
{
	char		 payload[64], want[CRYPTO_TOKEN_LEN + 1];
	const char	*dot;
	long long	 issued;
	size_t		 plen;
	int		 n, s;

	if (v == NULL || (dot = strrchr(v, '.')) == NULL)
		return -1;
	plen = (size_t)(dot - v);
	if (plen >= sizeof(payload))
		return -1;
	memcpy(payload, v, plen);
	payload[plen] = '\0';
	if (cookie_mac(payload, want) != 0 || !crypto_streq(dot + 1, want))
		return -1;
	/* Genuine: the payload is ours, so its shape is known. */
	n = 0;
	if (sscanf(payload, ENTRY_VERSION ".%8[0-9].%d.%lld%n", number, &s,
	    &issued, &n) != 3 || (size_t)n != plen || strlen(number) != 8)
		return -1;
	if (issued < 0 || issued > now + 60 || now - issued > ENTRY_COOKIE_AGE)
		return -1;
	*signed_entry = s == 1;
	return 0;
}

int
entry_context(struct req *r, struct entry_ctx *ctx)
{
	struct insurer	 ins;
	char		 number[9];
	int		 s = 0, st;

	memset(ctx, 0, sizeof(*ctx));
	if (entry_cookie_parse(req_get_cookie(r, ENTRY_COOKIE), util_now(), number,
	    &s) != 0)
		return 0;
	st = insurer_find(number, &ins);
	if (st != 1) {
		/* Gone since (or a database hiccup): no context is the safe side. */
		if (st < 0)
			log_warn("entry: insurer lookup failed (%d)", st);
		insurer_free(&ins);
		return 0;
	}
	memcpy(ctx->number, ins.number, sizeof(ctx->number));
	ctx->signed_entry = s;
	ctx->insurer_id = ins.id;
	ctx->signed_required = ins.signed_entry_required;
	req_set(r, "Insurer.Number", ins.number);
	if (ins.name != NULL)
		req_set(r, "Insurer.Name", ins.name);
	req_set_int(r, "Insurer.Signed", s);
	insurer_free(&ins);
	return 1;
}

int
entry_refuse(struct req *r, const char *insurer_name)
{
	const char	*vars[] = { "insurer", NULL, NULL };
	char		*text;

	vars[1] = insurer_name != NULL ? insurer_name :
	    req_text(r, "Entry.TheInsurer");
	text = req_text_vars(r, "Entry.RequiredText", vars);
	req_set(r, "Entry.RequiredText", text);
	free(text);
	r->template = "entry_required";
	r->nostore = 1;
	return 200;
}

int
entry_is_mobile(struct req *r)
{
	static const char *const marks[] = {
		"iPhone", "iPad", "iPod", "Android", "Mobile", "Windows Phone",
	};
	const char	*ua = req_header(r, "User-Agent");
	size_t		 i;

	if (ua == NULL)
		return 0;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(ua, marks[i]) != NULL)
			return 1;
	return 0;
}

int
entry_signup_allowed(struct req *r, const struct entry_ctx *ctx)
{
	if (ctx == NULL || ctx->number[0] == '\0' || !ctx->signed_required ||
	    ctx->signed_entry)
		return 1;
	return entry_is_mobile(r);
}

int
entry_insurer_signup_allowed(struct req *r, const struct entry_ctx *ctx,
    const struct insurer *ins)
{
	if (ins == NULL || !ins->signed_entry_required)
		return 1;
	if (ctx != NULL && ctx->signed_entry && strcmp(ctx->number, ins->number) == 0)
		return 1;
	return entry_is_mobile(r);
}

int
entry_sign(const char *secret_hex, const char *number, int64_t ts, char out[65])
{
	unsigned char	 mac[32];
	char		 msg[64];
	int		 rc;

	snprintf(msg, sizeof(msg), "insurer=%s&ts=%lld", number, (long long)ts);
	rc = crypto_hmac(secret_hex, strlen(secret_hex), msg, strlen(msg), mac);
	if (rc == 0)
		util_hex(mac, sizeof(mac), out);
	util_wipe(mac, sizeof(mac));
	return rc;
}

enum entry_verdict
entry_check_link(const char *secret_hex, const char *number, const char *ts,
    const char *sig, int64_t now, long long max_age)
{
	char		 want[65], got[65];
	long long	 t;
	size_t		 i;
	int		 same;

	if (ts == NULL && sig == NULL)
		return ENTRY_PLAIN;
	if (ts == NULL || sig == NULL || strlen(sig) != 64 ||
	    util_parse_int(ts, 0, 1LL << 40, &t) != 0 ||
	    secret_hex == NULL || strlen(secret_hex) != 64)
		return ENTRY_BAD;
	for (i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)sig[i]))
			return ENTRY_BAD;
		got[i] = (char)tolower((unsigned char)sig[i]);
	}
	got[64] = '\0';
	if (entry_sign(secret_hex, number, t, want) != 0)
		return ENTRY_BAD;
	same = crypto_streq(got, want);
	util_wipe(want, sizeof(want));
	if (!same)
		return ENTRY_BAD;
	if (t > now + ENTRY_SKEW || now - t > max_age)
		return ENTRY_EXPIRED;
	return ENTRY_OK;
}
