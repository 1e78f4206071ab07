/*
 * POST /login/passkey/options — the challenge of a passkey login (JSON out;
 * passkey.js on /login calls it when she presses 「パスキーでログイン」).
 * Discoverable credentials: allowCredentials is empty, so nothing here says
 * which passkeys exist; the authenticator offers hers and hands back her
 * user handle. The challenge (purpose login, 5 minutes, single use) is bound
 * to this browser by a random cookie "pkl" (only its SHA-256 is stored), as
 * no session exists yet. CSRF: the pre-session token of the login page.
 *
 * Outcomes (application/json):
 *   - 200 {"publicKey": {challenge, rpId, timeout, userVerification:
 *     "required", allowCredentials: []}};
 *   - 429 {"error":"throttled"}: this address failed passkey logins
 *     PASSKEY_LOGIN_FAILS times in the last 15 minutes (passkey_login.c);
 *   - 403 (HTML) from the pipeline: Origin or CSRF token wrong; 500/503.
 * Returns REQ_RAW or an error status.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "crypto.h"
#include "log.h"
#include "passkey.h"
#include "request.h"
#include "router.h"
#include "throttle.h"
#include "util.h"

int
page_passkey_login_options(struct req *r)
{
	unsigned char	 ch[WEBAUTHN_CHALLENGE_LEN];
	char		 tok[CRYPTO_TOKEN_LEN + 1], bh[65], key[THROTTLE_KEY_MAX];
	long long	 n;
	int		 st;

	throttle_key_ip(key, sizeof(key), "passkey", r->ip);
	if ((n = throttle_count(key, PASSKEY_LOGIN_WINDOW)) < 0)
		return req_db_error(r, (int)n);
	if (n >= PASSKEY_LOGIN_FAILS) {
		log_warn("passkey login options refused: address throttled");
		return passkey_json_error(r, 429, "throttled");
	}
	crypto_token(tok);
	crypto_sha256_hex(tok, bh);
	if ((st = passkey_challenge_new("login", NULL, bh, 0, ch)) < 0) {
		util_wipe(tok, sizeof(tok));
		return req_db_error(r, st);
	}
	req_set_cookie(r, PASSKEY_LOGIN_COOKIE, tok, PASSKEY_CHALLENGE_SECONDS);
	util_wipe(tok, sizeof(tok));
	st = passkey_json(r, 200, json_pack("{s:{s:o, s:s, s:i, s:s, s:[]}}",
	    "publicKey", "challenge", passkey_b64_json(ch, sizeof(ch)),
	    "rpId", webauthn_rpid(), "timeout", PASSKEY_CHALLENGE_SECONDS * 1000,
	    "userVerification", "required", "allowCredentials"));
	util_wipe(ch, sizeof(ch));
	return st;
}
