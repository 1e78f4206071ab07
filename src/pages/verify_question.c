/*
 * GET, POST /verify/question — the secret question of 健診・医療アクセス認証
 * (seed 001 p.32): a preset question (kind=preset, preset=1..6) or her own
 * (kind=own, question; the seed recommends her own: it is the default), and
 * the answer. The answer is normalised (normalize_answer: NFKC, kana width,
 * hiragana/katakana, spaces, ASCII case) and stored only as an Argon2id hash
 * (the password-hash path, through the hashing pool); it is never logged,
 * never shown again, and the confirmation page shows the question only.
 *
 * Outcomes: no draft: 303 → /verify; shots missing: 303 → the first one; form
 * errors per field (no kind, unknown preset, empty or too long question or
 * answer, an answer of nothing but spaces); the hashing pool full: 503
 * (req_busy), nothing stored; stored: audited verify.question, 303 →
 * /verify/confirm. Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "util.h"
#include "verify_page.h"

#define QUESTION_MAX	60	/* characters */
#define ANSWER_MAX	50

/* The preset questions as Verify.Presets.<n>.{N,Text}. */
static void
set_presets(struct req *r)
{
	char	 key[48], tkey[48];
	int	 n;

	for (n = 1; n <= VERIFY_NPRESETS; n++) {
		snprintf(key, sizeof(key), "Verify.Presets.%d.N", n);
		req_set_int(r, key, n);
		snprintf(key, sizeof(key), "Verify.Presets.%d.Text", n);
		snprintf(tkey, sizeof(tkey), "Verify.Preset.%d", n);
		req_set(r, key, req_text(r, tkey));
	}
}

/* POST: check and store. */
static int
post(struct req *r, struct verify_ctx *c)
{
	const char	*kind = req_param(r, "kind");
	const char	*q = req_param_trim(r, "question");
	const char	*ans = req_param_trim(r, "answer");
	const char	*text = NULL;
	char		 tkey[48];
	long long	 preset = 0;
	int		 st;

	if (kind != NULL)
		req_set(r, "Form.kind", kind);
	if (kind != NULL && strcmp(kind, "preset") == 0) {
		if (util_parse_int(req_param(r, "preset"), 1, VERIFY_NPRESETS,
		    &preset) != 0)
			req_form_error(r, "preset", "Verify.Question.PresetError");
		else {
			req_set_int(r, "Form.preset", preset);
			snprintf(tkey, sizeof(tkey), "Verify.Preset.%lld", preset);
			text = req_text(r, tkey);
		}
	} else if (kind != NULL && strcmp(kind, "own") == 0) {
		if (q != NULL)
			req_set(r, "Form.question", q);
		if (q == NULL)
			req_form_error(r, "question", "Verify.Question.OwnEmpty");
		else if (util_utf8_len(q) > QUESTION_MAX)
			req_form_error(r, "question", "Verify.Question.OwnLong");
		text = q;
	} else
		req_form_error(r, "kind", "Verify.Question.KindError");
	if (ans == NULL)
		req_form_error(r, "answer", "Verify.Question.AnswerEmpty");
	else if (util_utf8_len(ans) > ANSWER_MAX)
		req_form_error(r, "answer", "Verify.Question.AnswerLong");
	if (r->nerrors > 0) {
		log_info("verify_question: form errors");
		return 200;
	}
	st = verification_set_question(r, c->m.id, c->v.id, (int)preset, text,
	    ans);
	if (st == VERIFY_HASH_BUSY)
		return req_busy(r);
	if (st == VERIFY_HASH_FAILED)
		return 500;
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0) {
		/* Nothing left after normalising (only spaces, dots). */
		req_form_error(r, "answer", "Verify.Question.AnswerEmpty");
		return 200;
	}
	return req_redirect(r, "/verify/confirm");
}

int
page_verify_question(struct req *r)
{
	struct verify_ctx c;
	int		 st, i;

	r->template = "verify_question";
	if ((st = verify_draft_page(r, &c)) != 0)
		goto out;
	if ((i = verification_next_shot(&c.v)) >= 0) {
		st = req_redirect(r, "/verify/shot/%s", verification_shot_name(i));
		goto out;
	}
	verify_set_attempt(r, &c.v);
	set_presets(r);
	if (c.v.q_set)
		req_set(r, "Verify.QuestionSet", "1");
	st = strcmp(r->method, "POST") == 0 ? post(r, &c) : 200;
 out:
	verify_ctx_free(&c);
	return st;
}
