/*
 * GET, POST /signup/sent — step 2 (メールアドレス確認): the page that names the
 * address, lists what to check when no mail arrives, takes the 6-digit code
 * (POST, field `code`) and offers the resend (a form posting to /signup/resend).
 *
 * Whose signup: the session's pending account (login resumed it), else the su
 * cookie of step 1 (see signup.h), else none → 303 /signup. Other session states
 * go to their step.
 *
 * POST code: full-width digits, spaces and hyphens are accepted. Right → the
 * account is verified, a new session starts, 303 /signup/eligibility. Wrong →
 * the form again with "wrong" (a try is counted); expired, used up or superseded
 * → "no longer valid" with the way forward (the link in the mail still works
 * until its own expiry; else resend). Only codes this browser's request issued
 * are tried (the cookie names the token), or the newest one for a session.
 * Confirmed elsewhere (the link opened on a phone; only the browser of step 1
 * is told): the page says that alone — no code form, no code error, the way
 * on is to log in (issue 11: it said "confirmed" and "the code is dead" at once).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "normalize.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"
#include "util.h"

/* The texts with numbers and names: the address, the validity, the sender's
 * domain (for "allow mail from @domain", from Mail.From). */
static void
set_texts(struct req *r, const char *email)
{
	const char	*from = config_str("Mail.From"), *at = strrchr(from, '@');
	char		 hours[24], minutes[24];
	const char	*v1[] = { "email", email, NULL };
	const char	*v2[] = { "hours", hours, "minutes", minutes, NULL };
	const char	*v3[] = { "domain", at != NULL ? at + 1 : from, NULL };

	snprintf(hours, sizeof(hours), "%lld", config_int("Signup.ActivateHours"));
	snprintf(minutes, sizeof(minutes), "%lld", config_int("Signup.CodeMinutes"));
	req_set(r, "Sent.Email", email);
	req_set_text(r, "Sent.ToText", "Signup.Sent.To", v1);
	req_set_text(r, "Sent.NextText", "Signup.Sent.Next", v2);
	req_set_text(r, "Sent.Check3Text", "Signup.Sent.Check3", v3);
}

/* The notices a redirect may ask for (?notice=…): fixed keys only. */
static void
set_notice(struct req *r)
{
	const char	*n = req_param(r, "notice");

	if (n == NULL)
		return;
	if (strcmp(n, "resent") == 0 || strcmp(n, "limited") == 0)
		req_set(r, "Sent.Notice", n);
}

int
page_signup_sent(struct req *r)
{
	struct signup_cookie c;
	struct account	*a = NULL;
	const char	*v;
	char		*code = NULL, *email = NULL;
	long long	 account_id, token_id = 0;
	int		 st, newest = 0, res, have_cookie, elsewhere = 0;

	if ((st = signup_route(r, "/signup/sent")) != 0)
		return st;
	have_cookie = signup_cookie_get(r, &c);
	if (r->sess != NULL) {
		/* pending (signup_route let it stay) */
		if ((st = account_find_id(r->sess->account_id, &a)) < 0)
			return req_db_error(r, st);
		if (st == 0)
			return req_redirect(r, "/signup");
		email = a->email;
		a->email = NULL;
		account_id = a->id;
		newest = 1;
		account_free(a);
		a = NULL;
	} else if (have_cookie) {
		email = xstrdup(c.email);
		account_id = c.account_id;
		token_id = c.token_id;
		/* This browser created the account and it was confirmed elsewhere
		 * (the link opened on a phone): say so. Nobody else learns anything:
		 * only the creator holds such a cookie. */
		if (c.created) {
			long long verified = 0;

			st = db_int(&verified, "SELECT state <> 'pending' FROM accounts"
			    " WHERE id = ?", "i", c.account_id);
			if (st < 0) {
				free(email);
				return req_db_error(r, st);
			}
			if (st == 1 && verified) {
				req_set(r, "Sent.ConfirmedElsewhere", "1");
				elsewhere = 1;
			}
		}
	} else
		return req_redirect(r, "/signup");

	signup_page(r, "signup_sent", 2, NULL);
	set_texts(r, email);
	free(email);
	set_notice(r);
	if (strcmp(r->method, "POST") != 0)
		return 200;
	if (elsewhere) {
		/* Confirmed already: one message, not that the code is dead too. */
		log_info("signup: a code posted for an address confirmed elsewhere");
		return 200;
	}

	if ((v = req_param(r, "code")) != NULL && strlen(v) <= 64)
		req_set(r, "Form.Values.code", v);
	if (v == NULL || v[0] == '\0') {
		req_form_error(r, "code", "Signup.Code.Missing");
		return 200;
	}
	if (strlen(v) > 64 || (code = normalize_digits(v)) == NULL ||
	    strlen(code) != 6) {
		free(code);
		req_form_error(r, "code", "Signup.Code.Format");
		return 200;
	}
	res = signup_activate_code(account_id, token_id, newest, code);
	util_free_secret(code);
	if (res < 0)
		return req_db_error(r, res);
	if (res == SIGNUP_CODE_OK) {
		if ((st = signup_activated(r, account_id)) != 0)
			return req_db_error(r, st);
		return req_redirect(r, "/signup/eligibility");
	}
	audit(r, "signup.code_fail", account_id);
	req_form_error(r, "code", res == SIGNUP_CODE_WRONG ? "Signup.Code.Wrong" :
	    "Signup.Code.Dead");
	if (res == SIGNUP_CODE_DEAD)
		req_set(r, "Sent.CodeDead", "1");
	return 200;
}
