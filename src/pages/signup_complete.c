/*
 * GET /signup/complete — "会員登録が完了しました": the address is now the login ID;
 * 次へ leads to the member top page. Only for an active session; other states go
 * to their step.
 */
#include "autoconf.h"

#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"

int
page_signup_complete(struct req *r)
{
	int	 st;

	if (r->sess == NULL)
		return req_redirect(r, "/login");
	if ((st = signup_route(r, "/top")) != 0)
		return st;
	signup_page(r, "signup_complete", 5, NULL);
	return 200;
}
