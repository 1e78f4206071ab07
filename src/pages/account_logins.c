/*
 * GET, POST /account/logins — the member's recent logins and "log out
 * everywhere else" (issue 10 item 7; src/login_history.c).
 *
 * GET lists the last LOGIN_HISTORY_SHOWN logins of the account, newest first:
 * the time (Japan), how (password, automatic login by remember-me, or a wrong
 * password), the network of the client address (IPv4 /24, IPv6 /48 — never the
 * full address) and the browser as useragent.c names it; the login of this
 * browser's session is marked "この端末", the others that still have an open
 * session "ログイン中". done=others shows how many sessions the POST ended.
 *
 * POST (CSRF-checked by the pipeline, no password: it only takes access away)
 * ends every other session of the account and every remember-me token but this
 * browser's (session_end_others), in one transaction with the audit row
 * session.end_others; this browser stays logged in. 303 to
 * /account/logins?done=others&n=N.
 *
 * Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "login_history.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

struct others {
	struct req	*r;
	long long	 ended;		/* out */
};

static int
others_txn(void *arg)
{
	struct others	*o = arg;

	o->ended = 0;
	if ((o->ended = session_end_others(o->r)) < 0)
		return (int)o->ended;
	audit(o->r, "session.end_others", o->r->sess->account_id);
	return 0;
}

/* The list (GET), with the notice of a POST just done. */
static int
show(struct req *r, const struct member *m)
{
	const char	*done = req_param(r, "done"), *ns = req_param(r, "n");
	const char	*vars[] = { "n", NULL, NULL };
	char		 num[24], days[24];
	long long	 n = 0;
	int		 st;

	r->template = "account_logins";
	if ((st = login_history_show(r, m->id, r->sess->login_id,
	    "History.Logins")) < 0)
		return req_db_error(r, st);
	req_set_int(r, "History.Count", st);
	snprintf(days, sizeof(days), "%lld", config_int("Member.LoginHistoryDays"));
	vars[0] = "days";
	vars[1] = days;
	req_set_text(r, "History.Keep", "History.Logins.Keep", vars);
	if (done != NULL && strcmp(done, "others") == 0) {
		if (ns == NULL || util_parse_int(ns, 0, 1000000, &n) != 0)
			n = 0;
		snprintf(num, sizeof(num), "%lld", n);
		vars[0] = "n";
		vars[1] = num;
		req_set_text(r, "History.Done", n > 0 ? "History.Logins.Ended" :
		    "History.Logins.NoneEnded", vars);
	}
	return 200;
}

int
page_account_logins(struct req *r)
{
	struct member	 m;
	struct others	 o;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	if (strcmp(r->method, "POST") != 0) {
		st = show(r, &m);
		member_free(&m);
		return st;
	}
	member_free(&m);
	o.r = r;
	o.ended = 0;
	if ((st = db_txn(others_txn, &o)) < 0)
		return req_db_error(r, st);
	return req_redirect(r, "/account/logins?done=others&n=%lld", o.ended);
}
