/*
 * GET, POST /signup/cancel — cancel this address's registration and start over
 * (step 3's "取り消して初めからやり直す", step 2's "address mistyped").
 *
 * GET shows what will be cancelled (the address) and a confirm button;
 * GET ?done=1 the result. POST:
 *   - a session of a pending or verified account: the account is deleted with its
 *     tokens and sessions (the address is free again), the session ends;
 *   - no session, su cookie of a step 1 that created a still pending account:
 *     that account is deleted;
 *   - any other su cookie: only the cookie is dropped. The holder of such a cookie
 *     merely typed the address; it proves nothing, and the answer must not tell
 *     which case it was.
 * Then 303 → /signup/cancel?done=1. An active member is sent to /top.
 */
#include "autoconf.h"

#include <string.h>

#include "account.h"
#include "audit.h"
#include "db.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"
#include "signup_card.h"

int
page_signup_cancel(struct req *r)
{
	struct signup_cookie c;
	struct account	*a = NULL;
	const char	*done = req_param(r, "done");
	long long	 n;
	int		 st, have_cookie;

	if (r->sess != NULL && r->sess->state != NULL &&
	    strcmp(r->sess->state, "pending") != 0 &&
	    strcmp(r->sess->state, "verified") != 0) {
		if ((st = signup_route(r, "/signup/cancel")) != 0)
			return st;
		return req_redirect(r, "/");
	}
	signup_page(r, "signup_cancel", 0, NULL);
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
		if (done != NULL && strcmp(done, "1") == 0) {
			req_set(r, "Cancel.Done", "1");
			return 200;
		}
		if (r->sess != NULL) {
			if ((st = account_find_id(r->sess->account_id, &a)) < 0)
				return req_db_error(r, st);
			if (st == 1)
				req_set(r, "Cancel.Email", a->email);
			account_free(a);
		} else if (signup_cookie_get(r, &c))
			req_set(r, "Cancel.Email", c.email);
		else
			return req_redirect(r, "/signup");
		req_set(r, "Cancel.Back", r->sess != NULL &&
		    strcmp(r->sess->state, "verified") == 0 ? "/signup/eligibility" :
		    "/signup/sent");
		return 200;
	}

	have_cookie = signup_cookie_get(r, &c);
	if (r->sess != NULL) {
		long long id = r->sess->account_id;

		if ((st = account_delete_unfinished(id)) < 0)
			return req_db_error(r, st);
		if ((st = session_end(r)) != 0)
			return req_db_error(r, st);
		audit(r, "signup.cancel", id);
	} else if (have_cookie && c.created) {
		n = db_exec("DELETE FROM accounts WHERE id = ? AND state = 'pending'",
		    "i", c.account_id);
		if (n < 0)
			return req_db_error(r, (int)n);
		if (n > 0)
			audit(r, "signup.cancel", c.account_id);
	}
	signup_cookie_clear(r);
	signup_card_clear(r);
	return req_redirect(r, "/signup/cancel?done=1");
}
