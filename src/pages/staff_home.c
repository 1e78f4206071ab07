/*
 * GET / on the staff console — the start page after login: what the role may
 * open (the review queue with its length for reviewer/admin, the open
 * inquiries for support/admin, the staff list for admin). 200, or 303 to
 * /login without a session (request.c), 500/503 on a database failure.
 */
#include "autoconf.h"

#include <stdio.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "staff_session.h"

/* key = the text textkey with {n} = n (e.g. 「審査待ち：3件」). */
static void
home_count(struct req *r, const char *key, const char *textkey, long long n)
{
	char		 buf[24];
	const char	*vars[] = { "n", buf, NULL };

	snprintf(buf, sizeof(buf), "%lld", n);
	req_set_text(r, key, textkey, vars);
}

int
page_staff_home(struct req *r)
{
	long long	 n = 0;
	int		 st;

	if ((st = staff_require(r, STAFF_REVIEWER | STAFF_SUPPORT)) != 0)
		return st;
	r->template = "staff_home";
	if (staff_role_allows(r->staff->role, STAFF_REVIEWER)) {
		if ((st = db_int(&n, "SELECT COUNT(*) FROM verifications WHERE"
		    " status = 'submitted'", "")) < 0)
			return req_db_error(r, st);
		req_set(r, "Home.Review", "1");
		req_set_int(r, "Home.Queue", n);
		home_count(r, "Home.QueueText", "Staff.Home.Queue", n);
	}
	if (staff_role_allows(r->staff->role, STAFF_SUPPORT)) {
		if ((st = db_int(&n, "SELECT COUNT(*) FROM inquiries WHERE"
		    " status = 'open'", "")) < 0)
			return req_db_error(r, st);
		req_set(r, "Home.Support", "1");
		req_set_int(r, "Home.Open", n);
		home_count(r, "Home.OpenText", "Staff.Home.Open", n);
	}
	if (r->staff->role == STAFF_ADMIN)
		req_set(r, "Home.Admin", "1");
	return 200;
}
