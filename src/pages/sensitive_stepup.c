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
 *     stepup.ok, 303 → /sensitive (or ?next=<feature> → /sensitive/open/…);
 *   - POST wrong: counted before checking (stepup.fail), the form with the
 *     tries left; the last one locks the question (stepup.locked, a mail to
 *     her) and 303 → /sensitive, which says it is locked;
 *   - an empty answer: a form error, nothing counted;
 *   - the hashing pool full: 503 (req_busy), not counted;
 *   - a member with a passkey also gets 「パスキーで確認」 (Sensitive.Passkeys,
 *     passkey.js → /sensitive/stepup/passkey: src/pages/passkey_stepup.c).
 * Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "passkey.h"
#include "request.h"
#include "router.h"
#include "stepup.h"
#include "verify_page.h"

/* Where a right answer goes: ?next=<feature> or /sensitive. */
static int
go_on(struct req *r)
{
	const char	*next = req_param(r, "next");
	int		 i;

	for (i = 0; next != NULL && verify_sensitive_features[i] != NULL; i++)
		if (strcmp(next, verify_sensitive_features[i]) == 0)
			return req_redirect(r, "/sensitive/open/%s", next);
	return req_redirect(r, "/sensitive");
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
	const char	*ans, *next;
	char		*service = NULL;
	int		 st, left;

	r->template = "sensitive_stepup";
	if ((st = verify_sensitive_gate(r, &m, &service, &left)) < 0)
		return req_db_error(r, st);
	if (st == SG_FRESH && strcmp(r->method, "POST") != 0) {
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
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
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
