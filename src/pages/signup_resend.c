/*
 * POST /signup/resend — "仮登録メールの再送信" on the step-2 page.
 *
 * Every live activation link and code of the account is superseded and a new
 * mail is sent (SPEC §3: each resend invalidates all earlier ones), at most
 * Signup.ResendPerHour times an hour per account (counted with the step-1 mails
 * to an existing address); over the limit nothing is sent and the page says so.
 * Answers 303 → /signup/sent?notice=resent|limited.
 *
 * Whose signup, as on /signup/sent: a pending session (its password is proven:
 * the new token carries none), or the su cookie: for a pending account the new
 * token carries the password typed with this browser's step 1 (copied from the
 * cookie's token) and the cookie moves to the new token; for an address with a
 * finished account the "already registered" mail is sent again. Same answer in
 * every case (no enumeration).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"
#include "throttle.h"
#include "util.h"

struct resend {
	/* in */
	long long	 account_id;
	long long	 cookie_token;	/* token of the cookie, 0 if none */
	int		 by_session;
	int		 stranger;	/* cookie of a step 1 that did not create it */
	/* out */
	long long	 token_id;
};

static int
resend_fn(void *arg)
{
	struct resend		*s = arg;
	struct signup_token	 tok;
	char			*c[3] = { NULL }, *hash = NULL;
	int			 st, i;

	s->token_id = 0;
	memset(&tok, 0, sizeof(tok));
	st = db_row(c, 3, "SELECT state, email, lang FROM accounts WHERE id = ?"
	    " FOR UPDATE", "i", s->account_id);
	if (st <= 0)
		return st;	/* gone (cancelled): nothing to send */
	if (strcmp(c[0], "pending") == 0) {
		if (!s->by_session && s->cookie_token > 0) {
			st = db_row(&hash, 1, "SELECT data FROM tokens WHERE id = ?"
			    " AND account_id = ? AND purpose = 'activate'", "ii",
			    s->cookie_token, s->account_id);
			if (st < 0)
				goto out;
		}
		if ((st = signup_token_issue(s->account_id, hash, 1, 0, &tok)) != 0)
			goto out;
		s->token_id = tok.id;
		st = signup_mail_activate(c[1], c[2], &tok, s->stranger);
	} else if (!s->by_session)
		st = signup_mail_exists(c[1], c[2], c[0]);
 out:
	util_wipe(&tok, sizeof(tok));
	util_free_secret(hash);
	for (i = 0; i < 3; i++)
		free(c[i]);
	return st;
}

int
page_signup_resend(struct req *r)
{
	struct signup_cookie c;
	struct resend	 s;
	char		 key[THROTTLE_KEY_MAX];
	long long	 n;
	int		 st;

	if ((st = signup_route(r, "/signup/sent")) != 0)
		return st;
	memset(&s, 0, sizeof(s));
	if (r->sess != NULL) {
		s.account_id = r->sess->account_id;
		s.by_session = 1;
	} else if (signup_cookie_get(r, &c)) {
		s.account_id = c.account_id;
		s.cookie_token = c.token_id;
		s.stranger = !c.created;
	} else
		return req_redirect(r, "/signup");

	throttle_key_acct(key, sizeof(key), "suresend", s.account_id);
	if ((n = throttle_hit(key, 3600)) < 0)
		return req_db_error(r, (int)n);
	if (n > config_int("Signup.ResendPerHour")) {
		audit(r, "signup.resend_limited", s.account_id);
		return req_redirect(r, "/signup/sent?notice=limited");
	}
	if ((st = db_txn(resend_fn, &s)) < 0)
		return req_db_error(r, st);
	if (!s.by_session && s.token_id > 0) {
		c.token_id = s.token_id;
		signup_cookie_put(r, &c);
	}
	audit(r, "signup.resend", s.account_id);
	return req_redirect(r, "/signup/sent?notice=resent");
}
