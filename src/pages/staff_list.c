/*
 * GET /staff on the staff console (admin) — every staff account: address,
 * role, enrolled or pending, disabled, locked. Accounts are created and
 * changed with kenpoctl staff (the console shows, never changes them). 200,
 * 403 for another role (staff_require), 500/503.
 */
#include "autoconf.h"

#include <stdio.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "staff_session.h"

int
page_staff_list(struct req *r)
{
	struct db_res	*res = NULL;
	char		 key[64];
	int		 st, n = 0;

	if ((st = staff_require(r, STAFF_ADMIN)) != 0)
		return st;
	r->template = "staff_list";
	st = db_query(&res, "SELECT id, email, role, enrolled_at IS NOT NULL,"
	    " disabled_at IS NOT NULL, locked_until IS NOT NULL AND locked_until > NOW(6)"
	    " FROM staff ORDER BY id", "");
	if (st < 0)
		return req_db_error(r, st);
	while ((st = db_res_next(res)) == 1) {
		snprintf(key, sizeof(key), "List.%d.Email", n);
		req_set(r, key, db_res_str(res, 1));
		snprintf(key, sizeof(key), "List.%d.Role", n);
		req_set(r, key, db_res_str(res, 2));
		snprintf(key, sizeof(key), "List.%d.State", n);
		req_set(r, key, db_res_int(res, 4) ? "disabled" : db_res_int(res, 5) ?
		    "locked" : db_res_int(res, 3) ? "active" : "pending");
		n++;
	}
	db_res_free(res);
	return st < 0 ? req_db_error(r, st) : 200;
}
