/*
 * GET /account/withdrawn — the page after a withdrawal: what happened, and that
 * the same person may sign up again. It shows nothing of any account, so it
 * needs no session. Returns 200.
 */
#include "autoconf.h"

#include "request.h"
#include "router.h"

int
page_account_withdrawn(struct req *r)
{
	r->template = "account_withdrawn";
	return 200;
}
