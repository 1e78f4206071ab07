/*
 * GET /help/levels — 認証レベルについて (SPEC §5, seed 001 p.11): the seed's
 * ○/×/△ table of what each verification level unlocks (src/levels.c), what
 * each level is and how it is reached (団体ID認証 at signup, 本人確認 at signup
 * step 3 or later from /account/verify), what 未所属 means with the 100-day
 * rule, that a new card of the same insurer needs nothing from the member and
 * that a job change to another insurer (a new personal ID) needs a new signup
 * (seed Q4–Q5).
 *
 * Open to everyone. For a logged-in member (an active account's session) the
 * member's own column is marked and the page is not stored (it is personal);
 * member_load also keeps 未所属 in step with the roster as on every member
 * page. A member whose insurer does not link health data sees nothing of
 * 健診・医療アクセス認証 (seed p.17 note: no column, no definition); one whose
 * insurer does gets a link to /verify. Returns 200, or 500/503 when the member's account cannot be read.
 */
#include "autoconf.h"

#include <string.h>

#include "levels.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "verify_page.h"

int
page_help_levels(struct req *r)
{
	struct member	 m;
	int		 st, own = -1, sensitive = 1;

	r->template = "help_levels";
	if (r->sess != NULL && r->sess->state != NULL &&
	    strcmp(r->sess->state, "active") == 0) {
		if ((st = member_load(r, &m)) < 0)
			return req_db_error(r, st);
		if (st == 1) {
			r->nostore = 1;
			own = levels_column(m.level, m.unaffiliated);
			req_set(r, "Help.Member", "1");
			if (m.level < 2 && m.name_kana == NULL && !m.unaffiliated)
				req_set(r, "Help.CanVerify", "1");
			/* Level 3 only where her insurer links health data. */
			sensitive = verify_offered(&m, NULL);
			member_free(&m);
			if (sensitive < 0)
				return req_db_error(r, sensitive);
			if (sensitive)
				req_set(r, "Help.Sensitive", "1");
		}
	}
	levels_table_for(r, own, sensitive);
	return 200;
}
