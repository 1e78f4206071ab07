/*
 * GET /top — the member top page (R_MEMBER: an active session; others are sent
 * to /login by the pipeline). For now: "提供：<insurer>", the member's name (the
 * roster's katakana), the insurer, and logout (POST /logout). A later issue adds
 * announcements, links, features by level and search (SPEC §6).
 */
#include "autoconf.h"

#include <stdlib.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup.h"

int
page_top(struct req *r)
{
	char	*c[4] = { NULL };
	int	 st, i;

	st = db_row(c, 4, "SELECT r.name_kana, i.name, a.email, a.level"
	    " FROM accounts a LEFT JOIN roster r ON r.id = a.roster_id"
	    " LEFT JOIN insurers i ON i.id = a.insurer_id WHERE a.id = ?", "i",
	    r->sess->account_id);
	if (st < 0)
		return req_db_error(r, st);
	if (st == 1) {
		if (c[0] != NULL) {
			const char *vars[] = { "name", c[0], NULL };

			req_set(r, "Top.Name", c[0]);
			signup_set_text(r, "Top.HelloText", "Top.Hello", vars);
		}
		if (c[1] != NULL) {
			req_set(r, "Top.Insurer", c[1]);
			/* The layout's "提供：…" is the member's own insurer here. */
			req_set(r, "Insurer.Name", c[1]);
		}
		req_set(r, "Top.Email", c[2]);
		req_set(r, "Top.Level", c[3]);
	}
	for (i = 0; i < 4; i++)
		free(c[i]);
	r->template = "top";
	return 200;
}
