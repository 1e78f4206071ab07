/*
 * GET /users/<token>/activate — the link of the activation mail.
 *
 * A live link verifies the account, ends every session it had, starts a new one
 * here (in whatever browser the mail was opened: that is the point of the link)
 * and answers 303 → /signup/eligibility. Otherwise a page says what happened and
 * the way forward:
 *   used        the address is confirmed already: log in to continue (or, when
 *               this browser is already logged into that account, straight on);
 *   superseded  a newer mail was sent: use its link, or log in to resend;
 *   expired     past Signup.ActivateHours: sign up again (the address may);
 *   unknown     (not one of our tokens, or mangled by a mail program) 400 with
 *               a message (a forged token is bad input, not a missing page).
 * The token is never logged (the route's log name is "users_activate") and the
 * page data never contains it.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"

int
page_users_activate(struct req *r)
{
	long long	 account_id = 0;
	const char	*path;
	int		 res, st;

	res = signup_activate_link(r->arg, &account_id);
	if (res < 0)
		return req_db_error(r, res);
	switch (res) {
	case SIGNUP_LINK_OK:
		if ((st = signup_activated(r, account_id)) != 0)
			return req_db_error(r, st);
		return req_redirect(r, "/signup/eligibility");
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
		signup_set_text(r, "Activate.ExpiredText",
		    "Signup.Activate.expired.Text", vars);
		break;
	}
	default:
		return req_error(r, 400, "SignupLinkUnknown");
	}
	signup_page(r, "users_activate", 2, NULL);
	return 200;
}
