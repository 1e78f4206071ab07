/*
 * POST /sensitive/stepup/passkey — the step-up with a passkey (JSON in and
 * out; the challenge from /sensitive/stepup/passkey/options). All checks:
 * passkey_assert (passkey.h), with the credential required to be one of the
 * session's account. Then session_add_factor(r, "hwk") (amr gains hwk,
 * stepup_at = now: what /sensitive and OIDC's urn:kenpo:acr:sensitive
 * measure), audited stepup.passkey. A failure does not count against the
 * secret question's tries (nothing was guessed: a signature either verifies
 * or not); it is audited stepup.passkey_fail.
 *
 * Outcomes (application/json):
 *   - 200 {"location": "/sensitive/open/<next>", next when it is a local
 *     path (redirect_next: the OIDC authorization coming back), or
 *     "/sensitive"};
 *   - 400 {"error":"failed"} / {"error":"malformed"}: refused (log says why);
 *     a counter that went back also audits passkey.clone_suspected and mails
 *     her (passkey_clone);
 *   - 403 {"error":"unavailable"}: no step-up to do here;
 *   - 303 → /login without a member session; 403 (HTML) Origin/CSRF; 500/503.
 * Returns REQ_RAW or an error status.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "log.h"
#include "member.h"
#include "passkey.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"
#include "verify_page.h"

int
page_passkey_stepup(struct req *r)
{
	struct member	 m;
	struct passkey	 pk;
	json_t		*body = NULL, *t;
	const char	*next = NULL;
	char		*service = NULL, loc[256];
	int		 st, left, i;

	if ((st = verify_sensitive_gate(r, &m, &service, &left)) < 0)
		return req_db_error(r, st);
	if (st != SG_NEEDED && st != SG_FRESH) {
		log_info("passkey stepup: no step-up to do (gate %d)", st);
		st = passkey_json_error(r, 403, "unavailable");
		goto out;
	}
	if ((body = passkey_body(r)) == NULL) {
		audit(r, "stepup.passkey_fail", m.id);
		st = passkey_json_error(r, 400, "malformed");
		goto out;
	}
	st = passkey_assert(r, body, "stepup", r->sess->id_hash, NULL, m.id, 0, &pk);
	if (st < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == PK_CLONE) {
		audit(r, "passkey.clone_suspected", m.id);
		if ((st = passkey_mail(m.id, "passkey_clone", pk.name)) < 0)
			log_warn("passkey stepup: clone mail not queued (%d)", st);
	}
	if (st != PK_OK) {
		audit(r, "stepup.passkey_fail", m.id);
		st = passkey_json_error(r, 400, st == PK_MALFORMED ? "malformed" :
		    "failed");
		goto out;
	}
	if ((st = session_add_factor(r, "hwk")) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "stepup.passkey", m.id);
	snprintf(loc, sizeof(loc), "/sensitive");
	if ((t = json_object_get(body, "next")) != NULL && json_is_string(t))
		next = json_string_value(t);
	/* As the page's own go_on: a feature, a local path (the OpenID
	 * Connect authorization coming back: redirect_next), or /sensitive. */
	for (i = 0; next != NULL && verify_sensitive_features[i] != NULL; i++)
		if (strcmp(next, verify_sensitive_features[i]) == 0)
			break;
	if (next != NULL && verify_sensitive_features[i] != NULL)
		snprintf(loc, sizeof(loc), "/sensitive/open/%s", next);
	else if (next != NULL && redirect_next(next) != NULL &&
	    strlen(next) < sizeof(loc))
		snprintf(loc, sizeof(loc), "%s", next);
	st = passkey_json(r, 200, json_pack("{s:s}", "location", loc));
 out:
	json_decref(body);
	free(service);
	member_free(&m);
	return st;
}
