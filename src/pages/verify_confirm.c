/*
 * GET, POST /verify/confirm — the last page of 健診・医療アクセス認証 (seed 001
 * p.33): 氏名 and 生年月日 from the roster, the document, the secret question
 * (never the answer: it is not stored in a form that could be shown), and
 * thumbnails of her shots (/verify/preview/<shot>); 「この内容で申請する」
 * submits it for review.
 *
 * Outcomes: no draft: 303 → /verify; a shot or the question missing: 303 →
 * that page; POST: submitted (status submitted, audited verify.submit), 303 →
 * /verify/done; submitted meanwhile (another tab): 303 → /verify.
 * Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

/* Verify.Name, Verify.Birth: the bound roster person's. 0 or a db_status. */
static int
set_person(struct req *r, const struct verify_ctx *c)
{
	char		*row[3] = { NULL, NULL, NULL }, *text;
	const char	*vars[7];
	int		 st;

	st = db_row(row, 3, "SELECT YEAR(p.birthdate), MONTH(p.birthdate),"
	    " DAY(p.birthdate) FROM accounts a JOIN roster p ON p.id = a.roster_id"
	    " WHERE a.id = ?", "i", c->m.id);
	if (st < 0)
		return st;
	if (c->m.name_kana != NULL)
		req_set(r, "Verify.Name", c->m.name_kana);
	if (st == 1) {
		vars[0] = "y"; vars[1] = row[0];
		vars[2] = "m"; vars[3] = row[1];
		vars[4] = "d"; vars[5] = row[2];
		vars[6] = NULL;
		text = req_text_vars(r, "Member.Date", vars);
		req_set(r, "Verify.Birth", text);
		free(text);
	}
	free(row[0]);
	free(row[1]);
	free(row[2]);
	return 0;
}

int
page_verify_confirm(struct req *r)
{
	struct verify_ctx c;
	int		 st;

	r->template = "verify_confirm";
	if ((st = verify_draft_page(r, &c)) != 0)
		goto out;
	if (verification_next_shot(&c.v) >= 0 || !c.v.q_set) {
		st = req_redirect(r, "%s", verify_resume(&c.v));
		goto out;
	}
	if (strcmp(r->method, "POST") == 0) {
		st = verification_submit(r, c.m.id, c.v.id);
		if (st < 0)
			st = req_db_error(r, st);
		else
			st = req_redirect(r, st == 1 ? "/verify/done" : "/verify");
		goto out;
	}
	if ((st = set_person(r, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	verify_set_attempt(r, &c.v);
	st = 200;
 out:
	verify_ctx_free(&c);
	return st;
}
