/*
 * POST /login/passkey — a passwordless login with a passkey (JSON in and
 * out; passkey.js posts what navigator.credentials.get gave, and the page's
 * next). The challenge came from /login/passkey/options for this browser
 * (cookie "pkl"). All checks: passkey_assert (passkey.h). User verification
 * is required, so the login is two factors already: no TOTP is asked, and
 * the assertion also counts as the step-up.
 *
 * The account's state decides as for the password login (src/pages/login.c):
 * pending → /signup/sent, verified → /signup/eligibility, active → next
 * (local, safe: redirect_next, login.c's rule) or /top; withdrawn and closed
 * accounts are refused like an unknown credential. A lock of the password
 * login (failed passwords) does not stop a passkey: the lock is against
 * password guessing, and the anti-lockout rule is that an attacker can make
 * her login harder, never impossible.
 *
 * Every POST is counted against the client address (throttle
 * "passkey:ip:…") before anything is checked, as src/pages/login.c counts a
 * password ahead: an error while counting is a 500/503 that says nothing
 * about the credential, and a count that cannot be made cannot be skipped.
 * A success gives its count back.
 *
 * Outcomes (application/json):
 *   - 200 {"location": …}: in one transaction the count given back,
 *     login_history row kind passkey, audited passkey.login, a filed
 *     deletion request objected (as login.c), a touch of the account row
 *     (Galera: it conflicts with a password reset on another node, see
 *     src/session.h) and a new session (amr "hwk user", a step-up now);
 *   - 400 {"error":"failed"}: any refusal — unknown credential, wrong
 *     signature, challenge, origin, type, rpIdHash, flags, account state —
 *     the same answer whatever it was (the log line says which); the count
 *     stays and passkey.login_fail is audited (with the account when the
 *     credential is known);
 *   - a signature counter that went back: the same 400, and audited
 *     passkey.clone_suspected, mail passkey_clone to her;
 *   - 400 {"error":"malformed"}: not a credential (counted too);
 *   - 429 {"error":"throttled"}: PASSKEY_LOGIN_FAILS failures of this address
 *     in 15 minutes (the count of this POST reaches past it); 403 (HTML)
 *     Origin/CSRF; 500/503.
 * Returns REQ_RAW or an error status.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "account.h"
#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "deletion.h"
#include "log.h"
#include "login_history.h"
#include "metrics.h"
#include "passkey.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "throttle.h"
#include "util.h"

struct ok {
	struct req	*r;
	const char	*key;		/* the address's throttle key */
	long long	 id;
	struct session_open *so;	/* the session it opens */
	long long	 login_id;	/* out */
	int		 gone;		/* out: withdrawn or closed meanwhile */
};

/* Give back the count of this POST. 0 or a db_status. */
static int
give_back(const char *key)
{
	return throttle_unhit(key, PASSKEY_LOGIN_WINDOW);
}

static int
ok_txn(void *arg)
{
	struct ok	*o = arg;
	long long	 n;
	int		 st;

	o->gone = 1;
	o->login_id = 0;
	/* Galera: a certification key shared with a password reset (src/db.h). */
	if ((n = db_exec("UPDATE accounts SET updated_at = NOW(6) WHERE id = ? AND"
	    " state NOT IN ('withdrawn', 'closed')", "i", o->id)) <= 0)
		return (int)n;
	o->gone = 0;
	if ((st = give_back(o->key)) < 0)
		return st;
	if ((n = login_history_add(o->r, o->id, LOGIN_PASSKEY)) < 0)
		return (int)n;
	o->login_id = n;
	if ((st = deletion_objection(o->id, o->r->ip)) < 0)
		return st;
	if ((n = audit_open(o->r, "passkey.login", o->id)) < 0)
		return (int)n;
	/* The session's login is the row just added: set it for this run. */
	session_open_login(o->so, o->login_id);
	return session_open_txn(o->so);
}

/* A refusal: counted already, audited, the one answer. */
static int
refuse(struct req *r, long long account, const char *code)
{
	audit(r, "passkey.login_fail", account);
	metrics_add(M_LOGIN_FAIL, 1);
	return passkey_json_error(r, 400, code);
}

int
page_passkey_login(struct req *r)
{
	struct passkey	 pk;
	struct account	*a = NULL;
	struct ok	 o;
	json_t		*body = NULL, *t;
	const char	*cookie, *next = NULL, *loc;
	char		 key[THROTTLE_KEY_MAX], bh[65];
	long long	 n;
	int		 st;

	throttle_key_ip(key, sizeof(key), "passkey", r->ip);
	/* Counted ahead (the comment at the top). */
	if ((n = throttle_hit(key, PASSKEY_LOGIN_WINDOW)) < 0)
		return req_db_error(r, (int)n);
	if (n > PASSKEY_LOGIN_FAILS) {
		log_warn("passkey login refused: address throttled");
		return passkey_json_error(r, 429, "throttled");
	}
	if ((body = passkey_body(r)) == NULL)
		return refuse(r, 0, "malformed");
	if ((t = json_object_get(body, "next")) != NULL && json_is_string(t))
		next = json_string_value(t);
	cookie = req_get_cookie(r, PASSKEY_LOGIN_COOKIE);
	if (cookie == NULL || strlen(cookie) != CRYPTO_TOKEN_LEN) {
		/* Goes on so that the refusal is audited with the credential's
		 * account: no challenge is bound to "-". */
		log_warn("passkey login: no login cookie (options not asked in this "
		    "browser, or expired)");
		snprintf(bh, sizeof(bh), "-");
	} else
		crypto_sha256_hex(cookie, bh);
	st = passkey_assert(r, body, "login", NULL, bh, 0, 1, &pk);
	if (st < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == PK_CLONE) {
		audit(r, "passkey.clone_suspected", pk.account_id);
		if ((st = passkey_mail(pk.account_id, "passkey_clone", pk.name)) < 0)
			log_warn("passkey login: clone mail not queued (%d)", st);
		st = refuse(r, pk.account_id, "failed");
		goto out;
	}
	if (st != PK_OK) {
		st = refuse(r, pk.account_id, st == PK_MALFORMED ? "malformed" :
		    "failed");
		goto out;
	}
	if ((st = account_find_id(pk.account_id, &a)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 0 || strcmp(a->state, "withdrawn") == 0 ||
	    strcmp(a->state, "closed") == 0) {
		log_warn("passkey login refused: account %lld is %s", pk.account_id,
		    a != NULL ? a->state : "gone");
		st = refuse(r, pk.account_id, "failed");
		goto out;
	}
	o.r = r;
	o.key = key;
	o.id = a->id;
	/* The assertion is also the step-up ("hwk" is in "hwk user"). */
	o.so = session_open_new(r, a->id, 0, "hwk user", 1, 0);
	if ((st = db_txn(ok_txn, &o)) < 0) {
		session_open_free(o.so);
		st = req_db_error(r, st);
		goto out;
	}
	if (o.gone) {
		session_open_free(o.so);
		log_warn("passkey login refused: account %lld withdrawn meanwhile",
		    a->id);
		st = refuse(r, a->id, "failed");
		goto out;
	}
	req_set_cookie(r, PASSKEY_LOGIN_COOKIE, "", 0);
	session_open_finish(r, o.so);
	metrics_add(M_LOGIN_OK, 1);
	if (strcmp(a->state, "pending") == 0)
		loc = "/signup/sent";
	else if (strcmp(a->state, "verified") == 0)
		loc = "/signup/eligibility";
	else if (next == NULL || (loc = redirect_next(next)) == NULL)
		loc = "/top";
	st = passkey_json(r, 200, json_pack("{s:s}", "location", loc));
 out:
	json_decref(body);
	account_free(a);
	return st;
}
