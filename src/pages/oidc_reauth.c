/*
 * GET, POST /oidc/reauth?r=<handle> — the password again, for an
 * authorization request whose client wants a fresh login (max_age, prompt=
 * login, or an acr whose OIDC.MaxAge.* has run out: oidc_acr.h) from a member
 * who is logged in. Only the password: no CAPTCHA (she has a session), the
 * step-up is asked elsewhere (/sensitive/stepup) and only when needed.
 *
 * The password is checked as on the settings forms (member_password_check:
 * Argon2id through the hashing pool; a wrong one counts against
 * Member.PasswordTries an hour for the account and is audited
 * password.check_fail; past the limit nothing is checked).
 *
 * Outcomes:
 *   - r unknown, expired or answered: 400 page (L.Error.OIDCGone), logged;
 *   - r begun in another browser (oidc_authz_browser_ok): the same page,
 *     logged, nothing checked;
 *   - GET: the form (her address, the service's name, the password field);
 *   - POST right: a new session id with auth_time now and "pwd" in amr
 *     (session_reauth), audited oidc.reauth, 303 → the request's resume
 *     path, which goes on;
 *   - POST wrong, empty or over the limit: the form with the error;
 *   - やめてサービスに戻る: the page's second form posts decision=deny to
 *     /oidc/consent (access_denied to the client);
 *   - the hashing pool full: 503 (req_busy), nothing counted.
 * Returns 200, 303, 400, or 500/503.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "log.h"
#include "member.h"
#include "oidc_authz.h"
#include "request.h"
#include "router.h"
#include "session.h"

int
page_oidc_reauth(struct req *r)
{
	struct oidc_authz a;
	struct member	 m;
	int		 st, loaded = 0;

	if ((st = oidc_authz_load(req_param(r, "r"), &a)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return oidc_authz_gone(r);
	if (!oidc_authz_browser_ok(r, &a)) {
		oidc_authz_free(&a);
		return oidc_authz_gone(r);
	}
	if ((st = member_load(r, &m)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 0) {
		st = req_redirect(r, "/login");
		goto out;
	}
	loaded = 1;
	r->template = "oidc_reauth";
	req_set(r, "OIDC.Handle", a.handle);
	req_set(r, "OIDC.Client", a.client.name);
	req_set(r, "OIDC.Email", m.email);
	free(r->form_action);
	r->form_action = oidc_authz_origin(a.redirect_uri);
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
		goto out;
	}
	st = member_password_check(r, &m, "password");
	if (st != MEMBER_PW_OK) {
		log_info("oidc: reauth refused (%d)", st);
		st = member_password_refused(r, st);
		goto out;
	}
	if ((st = session_reauth(r, "pwd")) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "oidc.reauth", m.id);
	st = req_redirect(r, "%s%s", OIDC_RESUME_PREFIX, a.handle);
 out:
	if (loaded)
		member_free(&m);
	oidc_authz_free(&a);
	return st;
}
