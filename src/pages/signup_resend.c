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

int
page_signup_resend(struct req *r)
{
	struct signup_cookie c;
	struct signup_resend s;
	char		 key[THROTTLE_KEY_MAX];
	long long	 n;
	int		 st, by_session = 0;

	if ((st = signup_route(r, "/signup/sent")) != 0)
		return st;
	memset(&s, 0, sizeof(s));
	if (r->sess != NULL) {
		/* Its password is proven: the new token carries none. */
		s.account_id = r->sess->account_id;
		by_session = 1;
	} else if (signup_cookie_get(r, &c)) {
		/* The password typed with this browser's step 1 (the cookie's
		 * token); a finished account gets the "already registered" mail. */
		s.account_id = c.account_id;
		s.pw_token = c.token_id;
		s.again = !c.created;
		s.exists_mail = 1;
	} else
		return req_redirect(r, "/signup");

	throttle_key_acct(key, sizeof(key), "suresend", s.account_id);
	if ((n = throttle_hit(key, 3600)) < 0)
		return req_db_error(r, (int)n);
	if (n > config_int("Signup.ResendPerHour")) {
		audit(r, "signup.resend_limited", s.account_id);
		return req_redirect(r, "/signup/sent?notice=limited");
	}
	if ((st = signup_resend(&s)) < 0)
		return req_db_error(r, st);
	if (!by_session && s.token_id > 0) {
		c.token_id = s.token_id;
		signup_cookie_put(r, &c);
	}
	audit(r, "signup.resend", s.account_id);
	return req_redirect(r, "/signup/sent?notice=resent");
}
