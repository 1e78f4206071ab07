/*
 * GET /oidc/authorize/resume/<handle> — an authorization request stored by
 * /oidc/authorize (oidc_requests), continued after what the member had to
 * do first: the login, the terms, the step-up, the password again (each
 * came back here through its next=). The handle (64 hex digits) only names
 * the request; nothing is given without her session.
 *
 * Outcomes:
 *   - unknown, expired (OIDC.RequestSeconds) or already answered: 400 page
 *     (L.Error.OIDCGone: go back to the service and start again), logged;
 *   - begun in another browser (oidc_authz_browser_ok: the cookie "oab"):
 *     the same page, logged; the request is left as it was;
 *   - otherwise as oidc_authz_continue decides (oidc_authz.h): the login,
 *     signup's next step, the terms, the page of a level she does not have,
 *     /oidc/reauth, /sensitive/stepup, the consent page, or a 303 to the
 *     client with a code or an error.
 * Returns 200, 303, 400, or 500/503.
 */
#include "autoconf.h"

#include "oidc_authz.h"
#include "request.h"
#include "router.h"

int
page_oidc_authorize_resume(struct req *r)
{
	struct oidc_authz a;
	int		 st;

	if ((st = oidc_authz_load(r->arg, &a)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return oidc_authz_gone(r);
	if (!oidc_authz_browser_ok(r, &a)) {
		oidc_authz_free(&a);
		return oidc_authz_gone(r);
	}
	st = oidc_authz_continue(r, &a, 0);
	oidc_authz_free(&a);
	return st;
}
