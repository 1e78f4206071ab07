/*
 * POST /oidc/consent — the member's answer on a page of an authorization
 * request (oidc_authz.h): r (the request's handle), decision, csrf.
 *
 * Outcomes:
 *   - no active member session: 303 → /login (request.c does not send one
 *     here: this route is not R_MEMBER, so that an unknown request still
 *     gets its page), logged;
 *   - r unknown, expired or answered: 400 page (L.Error.OIDCGone), logged;
 *   - r begun in another browser (oidc_authz_browser_ok): the same page,
 *     logged, the request left as it was (whatever the decision);
 *   - decision=allow (許可する): the request is decided again as if she had
 *     consented (her level and freshness are checked again: they may have
 *     aged while she read); when it still stands, the consent is recorded
 *     (oidc_consents: the scopes, last_used_at; audited oidc.consent) with
 *     the code, and 303 → the client with the code;
 *   - decision=deny (許可しない): 303 → the client with error=access_denied,
 *     audited oidc.authorize_error;
 *   - decision=back (the page of a level she does not have): 303 → the
 *     client with error=unmet_authentication_requirements;
 *   - any other decision: 400, logged.
 * Returns 200, 303, 400, or 500/503.
 */
#include "autoconf.h"

#include <string.h>

#include "log.h"
#include "oidc_authz.h"
#include "request.h"
#include "router.h"
#include "session.h"

int
page_oidc_consent(struct req *r)
{
	struct oidc_authz a;
	const char	*d = req_param(r, "decision");
	int		 st;

	if (r->sess == NULL || r->sess->state == NULL ||
	    strcmp(r->sess->state, "active") != 0) {
		log_info("oidc: consent answer without a member session");
		return req_redirect(r, "/login");
	}
	if (d == NULL || (strcmp(d, "allow") != 0 && strcmp(d, "deny") != 0 &&
	    strcmp(d, "back") != 0)) {
		log_info("oidc: consent answer without a known decision");
		return req_error(r, 400, "BadRequest");
	}
	if ((st = oidc_authz_load(req_param(r, "r"), &a)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return oidc_authz_gone(r);
	if (!oidc_authz_browser_ok(r, &a)) {
		oidc_authz_free(&a);
		return oidc_authz_gone(r);
	}
	if (strcmp(d, "deny") == 0) {
		log_info("oidc: the member refused client %s", a.client.client_id);
		st = oidc_authz_error(r, &a, "access_denied",
		    "the member did not allow it");
	} else if (strcmp(d, "back") == 0)
		st = oidc_authz_error(r, &a, "unmet_authentication_requirements",
		    NULL);
	else
		st = oidc_authz_continue(r, &a, 1);
	oidc_authz_free(&a);
	return st;
}
