/*
 * POST /logout — end this browser's session and its remember-me token, then show
 * the login page with "ログアウトしました". CSRF-checked like every POST (a forged
 * logout is a nuisance, but SPEC §8 allows no state change without a token).
 * Returns 303, or 500/503.
 */
#include "autoconf.h"

#include "audit.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup_card.h"

/* The route's handler (routes.def). */
int
page_logout(struct req *r)
{
	long long	 id = r->sess != NULL ? r->sess->account_id : 0;
	int		 st;

	if ((st = session_remember_clear(r)) < 0 || (st = session_end(r)) < 0)
		return req_db_error(r, st);
	if (id > 0)
		audit(r, "logout", id);
	signup_card_clear(r);	/* what step 3 typed (signup_card.h) */
	return req_redirect(r, "/login?done=logout");
}
