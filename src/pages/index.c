/*
 * GET / — the front page: a member with a finished account goes to the top page;
 * anyone in the middle of signup is taken back to their step; others see the
 * welcome page with login and signup.
 */
#include "autoconf.h"

#include <string.h>

#include "request.h"
#include "router.h"
#include "session.h"

int
page_index(struct req *r)
{
	if (r->sess != NULL && r->sess->state != NULL) {
		if (strcmp(r->sess->state, "active") == 0)
			return req_redirect(r, "/top");
		if (strcmp(r->sess->state, "pending") == 0)
			return req_redirect(r, "/signup/sent");
		if (strcmp(r->sess->state, "verified") == 0)
			return req_redirect(r, "/signup/eligibility");
	}
	r->template = "index";
	return 200;
}
