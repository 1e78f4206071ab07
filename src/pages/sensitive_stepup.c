/*
 * GET, POST /sensitive/stepup — her secret question before the sensitive
 * features (issue 12 item 4; seed Q6–Q7). The answer is normalised as when it
 * was set and checked against secret_questions.answer_hash (Argon2id, the
 * hashing pool); it is never logged or shown.
 *
 * Outcomes:
 *   - not offered / not level 3 / locked / already fresh: 303 → /sensitive
 *     (which says which);
 *   - GET: the question, the answer field, the tries left, 「秘密の質問を忘れ
 *     ました」 (→ /verify?again=1);
 *   - POST right: the session is stepped up (sessions.stepup_at), audited
 *     stepup.ok, 303 → /sensitive (or ?next=<feature> → /sensitive/open/…,
 *     or ?next=<local path> → that path, validated as login's next=
 *     (redirect_next): the OpenID Connect authorization coming back);
 *   - GET with next=<local path> while still fresh for Verify.StepUpMinutes:
 *     the question all the same (the client's OIDC.MaxAge.Sensitive is
 *     what sent her here);
 *   - POST wrong: counted before checking (stepup.fail), the form with the
 *     tries left; the last one locks the question (stepup.locked, a mail to
 *     her) and 303 → /sensitive, which says it is locked;
 *   - an empty answer: a form error, nothing counted;
 *   - the hashing pool full: 503 (req_busy), not counted.
 * With TOTP on (src/member_totp.h) the page also offers 「認証アプリのコードで
 * 確認」 (field totp_code): a right code steps the session up as a right
 * answer does (session_add_factor "otp", audited stepup.otp) with the same
 * redirect; a wrong one is counted on the TOTP (mfa.totp.fail) and the form
 * says so; the fifth wrong code in a row ends the session (303 → /login).
 * A member with a passkey also gets 「パスキーで確認」 (Sensitive.Passkeys,
 * passkey.js → /sensitive/stepup/passkey: src/pages/passkey_stepup.c).
 * When next resumes a service's authorization request, the pipeline names the
 * service (layout.cs, OIDC.Via: oidc_authz_next_page) and the page adds
 * 「確認をやめてサービスに戻る」, a form to /oidc/consent with decision=deny
 * (access_denied to the service).
 * Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "audit.h"
#include "member_totp.h"
#include "passkey.h"
#include "session.h"
#include "request.h"
#include "router.h"
#include "redirect.h"
#include "stepup.h"
#include "verify_page.h"

/* Where a right answer goes: ?next=<feature>, ?next=<local path> (the
 * OpenID Connect authorization coming back: redirect.h redirect_next), or
 * /sensitive. */
static int
go_on(struct req *r)
{
	const char	*next = req_param(r, "next");
	int		 i;

	for (i = 0; next != NULL && verify_sensitive_features[i] != NULL; i++)
		if (strcmp(next, verify_sensitive_features[i]) == 0)
			return req_redirect(r, "/sensitive/open/%s", next);
	if (redirect_next(next) != NULL)
		return req_redirect(r, "%s", next);
	return req_redirect(r, "/sensitive");
}

/* The POST of 認証アプリのコードで確認: 200, 303 or an error status. */
static int
stepup_totp(struct req *r, const struct member *m, const char *code)
{
	int	 st, failures = 0;

	if (code == NULL) {
		log_info("sensitive_stepup: empty code");
		req_form_error(r, "totp_code", "Mfa.Error.CodeMissing");
		return 200;
	}
	if ((st = mtotp_check(m->id, code, NULL, &failures)) < 0)
		return req_db_error(r, st);
	if (st == MTOTP_OK) {
		if ((st = session_add_factor(r, "otp")) < 0)
			return req_db_error(r, st);
		audit(r, "stepup.otp", m->id);
		return go_on(r);
	}
	if (st == MTOTP_OFF)
		return req_redirect(r, "/sensitive/stepup");
	audit(r, "mfa.totp.fail", m->id);
	if (st == MTOTP_LIMIT || failures >= MTOTP_TRIES) {
		log_warn("sensitive_stepup: %d wrong codes in a row; session ended",
		    MTOTP_TRIES);
		audit(r, "mfa.totp.limit", m->id);
		if ((st = mtotp_reset_failures(m->id)) < 0 ||
		    (st = session_end(r)) < 0)
			return req_db_error(r, st);
		return req_redirect(r, "/login");
	}
	log_info("sensitive_stepup: %s code (%d in a row)",
	    st == MTOTP_REPLAY ? "a used" : "a wrong", failures);
	req_form_error(r, "totp_code", st == MTOTP_REPLAY ? "Mfa.Error.Replay" :
	    "Mfa.Error.CodeWrong");
	return 200;
}

/* 1 when next is a local path to go back to (not a feature's name). */
static int
next_is_path(struct req *r)
{
	const char	*next = req_param(r, "next");

	return next != NULL && next[0] == '/' && redirect_next(next) != NULL;
}

/* The tries left as Sensitive.TriesText. */
static void
set_tries(struct req *r, int left)
{
	char		 n[16];
	const char	*vars[] = { "n", n, NULL };

	snprintf(n, sizeof(n), "%d", left);
	req_set_text(r, "Sensitive.TriesText", "Sensitive.Stepup.Tries", vars);
}

int
page_sensitive_stepup(struct req *r)
{
	struct member	 m;
	struct mtotp_status ms;
	const char	*ans, *next;
	char		*service = NULL;
	int		 st, left;

	r->template = "sensitive_stepup";
	if ((st = verify_sensitive_gate(r, &m, &service, &left)) < 0)
		return req_db_error(r, st);
	/* A path (an OpenID Connect client) comes here only when its own max
	 * age (OIDC.MaxAge.Sensitive) has run out: ask even when
	 * Verify.StepUpMinutes still holds. */
	if (st == SG_FRESH && strcmp(r->method, "POST") != 0 &&
	    !next_is_path(r)) {
		st = go_on(r);
		goto out;
	}
	if (st != SG_NEEDED && st != SG_FRESH) {
		st = req_redirect(r, "/sensitive");
		goto out;
	}
	if ((next = req_param(r, "next")) != NULL)
		req_set(r, "Sensitive.Next", next);
	{
		long long	 npk = passkey_count(m.id);

		if (npk < 0) {
			st = req_db_error(r, (int)npk);
			goto out;
		}
		req_set_int(r, "Sensitive.Passkeys", npk);
	}
	set_tries(r, left);
	if ((st = mtotp_status(m.id, &ms)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (ms.enabled)
		req_set(r, "Sensitive.Totp", "1");
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
		goto out;
	}
	if (ms.enabled && req_param(r, "totp_code") != NULL) {
		st = stepup_totp(r, &m, req_param_trim(r, "totp_code"));
		goto out;
	}
	if ((ans = req_param_trim(r, "answer")) == NULL) {
		log_info("sensitive_stepup: empty answer");
		req_form_error(r, "answer", "Sensitive.Stepup.Empty");
		st = 200;
		goto out;
	}
	st = stepup_answer(r, &m, ans, &left);
	switch (st) {
	case STEPUP_OK:
		st = go_on(r);
		break;
	case STEPUP_WRONG:
		set_tries(r, left);
		req_form_error(r, "answer", "Sensitive.Stepup.Wrong");
		st = 200;
		break;
	case STEPUP_BUSY:
		st = req_busy(r);
		break;
	default:
		st = st < 0 ? req_db_error(r, st) : req_redirect(r, "/sensitive");
	}
 out:
	free(service);
	member_free(&m);
	return st;
}
