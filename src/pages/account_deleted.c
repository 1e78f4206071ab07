/*
 * GET /account/deleted — the page after a deletion: what was removed, and that
 * the same person may sign up again. It shows nothing of any account, so it
 * needs no session. Returns 200.
 */
#include "autoconf.h"

#include "request.h"
#include "router.h"

int
page_account_deleted(struct req *r)
{
	r->template = "account_deleted";
	return 200;
}
