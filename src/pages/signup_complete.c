/*
 * GET /signup/complete — "会員登録が完了しました": the address is now the login ID;
 * 次へ leads to the member top page. Only for an active session; other states go
 * to their step. An account that finished with the insurer number alone
 * (団体ID認証, no roster person) is told that 本人確認 can be done later from
 * the member area (/account/verify).
 */
#include "autoconf.h"

#include "db.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"

int
page_signup_complete(struct req *r)
{
	long long	 unbound = 0;
	int		 st;

	if (r->sess == NULL)
		return req_redirect(r, "/login");
	if ((st = signup_route(r, "/top")) != 0)
		return st;
	signup_page(r, "signup_complete", 5, NULL);
	if ((st = db_int(&unbound, "SELECT roster_id IS NULL FROM accounts"
	    " WHERE id = ?", "i", r->sess->account_id)) < 0)
		return req_db_error(r, st);
	if (unbound)
		req_set(r, "Complete.InsurerOnly", "1");
	return 200;
}
