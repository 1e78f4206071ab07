/*
 * GET /verify/done — after 「この内容で申請する」: what happens next (a
 * reviewer of the service office checks the photos against the roster data;
 * a mail either way, usually within a few working days; when approved the
 * features open after her secret question; when not, the mail says why and
 * she can do it again). Only while her attempt is submitted; otherwise 303 →
 * /verify. Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <string.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

int
page_verify_done(struct req *r)
{
	struct verify_ctx c;
	int		 st;

	r->template = "verify_done";
	if ((st = verify_load(r, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st != VG_OK || strcmp(c.v.status, "submitted") != 0) {
		st = req_redirect(r, "/verify");
		goto out;
	}
	req_set(r, "Verify.Email", c.m.email);
	st = 200;
 out:
	verify_ctx_free(&c);
	return st;
}
