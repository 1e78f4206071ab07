/*
 * GET, POST /users/<token>/activate — the link of the activation mail.
 *
 * A live link opened in the browser whose step 1 issued it (its su cookie
 * names this token) verifies the account with the password typed there, ends
 * every session it had, starts a new one here and answers 303 →
 * /signup/eligibility: the short way of the normal case.
 *
 * A live link opened anywhere else (another browser, the phone's mail app, a
 * mail sent by somebody else's step 1 with this address) changes nothing on
 * GET: the page asks the opener to set the password (the one she chose, or a
 * new one; the rules of step 1). The POST of that form verifies the account
 * with that password, and every earlier token dies with the passwords it
 * carried; so whoever typed the address at step 1 — first, or while her signup
 * was pending — never holds the account she completes (signup.h,
 * signup_activate_link). Only the mailbox holder sees this page, so it tells
 * nobody which addresses exist.
 *
 * Otherwise a page says what happened and the way forward:
 *   used        the address is confirmed already: log in to continue (or, when
 *               this browser is already logged into that account, straight on);
 *   superseded  a newer mail was sent: use its link, or log in to resend;
 *   expired     past Signup.ActivateHours: sign up again (the address may);
 *   unknown     (not one of our tokens, or mangled by a mail program) 400 with
 *               a message (a forged token is bad input, not a missing page).
 * The token is never logged (the route's log name is "users_activate") and the
 * page data never contains it (the form posts back to the page's own address).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "password.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"
#include "util.h"

/* The set-password form, for account_id (its address shown, errors kept). */
static int
password_form(struct req *r, long long account_id)
{
	struct account	*a = NULL;
	int		 st;

	if ((st = account_find_id(account_id, &a)) < 0)
		return req_db_error(r, st);
	if (a != NULL)
		req_set(r, "Activate.Email", a->email);
	account_free(a);
	password_rule_set(r);	/* the rules the field lists (password_field.cs) */
	signup_page(r, "users_activate_password", 2, NULL);
	return 200;
}

/* POST: the password typed on the form; res is the link's state (PASSWORD). */
static int
activate_post(struct req *r, long long account_id)
{
	struct account	*a = NULL;
	const char	*pw = req_param(r, "password");
	char		*hash;
	long long	 id = 0;
	int		 st, res;

	if ((st = account_find_id(account_id, &a)) < 0)
		return req_db_error(r, st);
	if (password_check_form(r, "password", pw, a != NULL ? a->email : NULL)) {
		account_free(a);
		return password_form(r, account_id);
	}
	account_free(a);
	if ((hash = crypto_password_hash(pw)) == NULL)
		return req_hash_failed(r);
	res = signup_activate_link(r->arg, NULL, hash, &id);
	util_free_secret(hash);
	if (res < 0)
		return req_db_error(r, res);
	if (res != SIGNUP_LINK_OK)
		return res;	/* the link died meanwhile: say how */
	log_info("activation: password set on the link's page");
	if ((st = signup_activated(r, id)) != 0)
		return req_db_error(r, st);
	return req_redirect(r, "/signup/eligibility");
}

int
page_users_activate(struct req *r)
{
	struct signup_cookie c;
	long long	 account_id = 0;
	const char	*path;
	int		 res, st, post = strcmp(r->method, "POST") == 0;

	/* A POST never uses the cookie: the password comes with it. */
	res = signup_activate_link(r->arg, !post && signup_cookie_get(r, &c) ? &c : NULL,
	    NULL, &account_id);
	if (res < 0)
		return req_db_error(r, res);
	if (post && res == SIGNUP_LINK_PASSWORD &&
	    (res = activate_post(r, account_id)) > 100)
		return res;	/* a page or an HTTP status */
	switch (res) {
	case SIGNUP_LINK_OK:
		if ((st = signup_activated(r, account_id)) != 0)
			return req_db_error(r, st);
		return req_redirect(r, "/signup/eligibility");
	case SIGNUP_LINK_PASSWORD:
		return password_form(r, account_id);
	case SIGNUP_LINK_USED:
		/* Clicked again in the browser that is already in: carry on. */
		if (r->sess != NULL && r->sess->account_id == account_id) {
			if ((st = signup_step_path(r, &path)) < 0)
				return req_db_error(r, st);
			if (path != NULL)
				return req_redirect(r, "%s", path);
		}
		req_set(r, "Activate.Result", "used");
		break;
	case SIGNUP_LINK_SUPERSEDED:
		req_set(r, "Activate.Result", "superseded");
		break;
	case SIGNUP_LINK_EXPIRED:
	{
		char		 hours[24];
		const char	*vars[] = { "hours", hours, NULL };

		snprintf(hours, sizeof(hours), "%lld",
		    config_int("Signup.ActivateHours"));
		req_set(r, "Activate.Result", "expired");
		req_set_text(r, "Activate.ExpiredText",
		    "Signup.Activate.expired.Text", vars);
		break;
	}
	default:
		return req_error(r, 400, "SignupLinkUnknown");
	}
	signup_page(r, "users_activate", 2, NULL);
	return 200;
}
