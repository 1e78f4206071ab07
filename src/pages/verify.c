/*
 * GET /verify — the start of 健診・医療アクセス認証 (eKYC, level 3; seed 001
 * pp.17–19; DESIGN ◆: a redirect to /login when logged out, which R_MEMBER
 * does). What it shows (Verify.Gate, Verify.State):
 *   - notoffered: her insurer does not link health data (or she is 未所属,
 *     or the service has no vault key): this level is not offered to her;
 *   - level2: she is below 本人確認: what it is and a link to /account/verify;
 *   - start: what this level is, what to have ready, the four documents, and
 *     「はじめる」 (/verify/document); also after a cancelled attempt, and for
 *     an approved member who wants to do it again (forgot her secret question);
 *   - draft: where she left off (a link there) or start again;
 *   - submitted: a reviewer is checking it; a mail either way;
 *   - rejected: the reason (and the reviewer's note) and start again;
 *   - approved: done, a link to the features (/sensitive), and how to do it
 *     again when she forgot her secret question (?again=1 shows start).
 * Returns 200, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

int
page_verify(struct req *r)
{
	struct verify_ctx c;
	const char	*again = req_param(r, "again");
	char		 tkey[64];
	int		 st;

	r->template = "verify";
	if ((st = verify_load(r, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st != VG_OK) {
		st = 200;
		goto out;
	}
	verify_set_attempt(r, &c.v);
	if (c.v.id == 0 || (again != NULL && strcmp(again, "1") == 0 &&
	    (strcmp(c.v.status, "approved") == 0 ||
	    strcmp(c.v.status, "rejected") == 0)))
		req_set(r, "Verify.State", "start");
	else {
		req_set(r, "Verify.State", c.v.status);
		if (strcmp(c.v.status, "draft") == 0)
			req_set(r, "Verify.Resume", verify_resume(&c.v));
		if (strcmp(c.v.status, "rejected") == 0 && c.v.reason != NULL) {
			snprintf(tkey, sizeof(tkey), "Verify.Reason.%s",
			    c.v.reason);
			req_set(r, "Verify.ReasonText", req_text(r, tkey));
			if (c.v.note != NULL && c.v.note[0] != '\0')
				req_set(r, "Verify.Note", c.v.note);
		}
	}
	if (c.m.level >= 3)
		req_set(r, "Verify.Level3", "1");
	st = 200;
 out:
	verify_ctx_free(&c);
	return st;
}
