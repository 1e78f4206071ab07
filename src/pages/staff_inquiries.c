/*
 * GET /inquiries[?status=answered] on the staff console (support, admin) —
 * the inquiries of /inquiry/new (SPEC §7), open ones oldest first (answered
 * ones newest first): number, date, category, status. Each links to
 * /inquiries/<id>. 200, 403 for reviewers, 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "staff_session.h"

int
page_staff_inquiries(struct req *r)
{
	struct db_res	*res = NULL;
	const char	*status = req_param(r, "status");
	char		 key[64];
	int		 st, n = 0;

	if ((st = staff_require(r, STAFF_SUPPORT)) != 0)
		return st;
	r->template = "staff_inquiries";
	if (status == NULL || strcmp(status, "answered") != 0)
		status = "open";
	req_set(r, "Inq.Status", status);
	st = db_query(&res, "SELECT id, DATE_FORMAT(created_at + INTERVAL 9 HOUR,"
	    " '%Y-%m-%d %H:%i'), category, status FROM inquiries WHERE status = ?"
	    " ORDER BY IF(status = 'open', id, -id) LIMIT 200", "s", status);
	if (st < 0)
		return req_db_error(r, st);
	while ((st = db_res_next(res)) == 1) {
		snprintf(key, sizeof(key), "Inq.Items.%d.Id", n);
		req_set(r, key, db_res_str(res, 0));
		snprintf(key, sizeof(key), "Inq.Items.%d.Created", n);
		req_set(r, key, db_res_str(res, 1));
		snprintf(key, sizeof(key), "Inq.Items.%d.Category", n);
		req_set(r, key, db_res_str(res, 2));
		n++;
	}
	db_res_free(res);
	req_set_int(r, "Inq.Count", n);
	return st < 0 ? req_db_error(r, st) : 200;
}
