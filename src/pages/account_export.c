/*
 * GET, POST /account/export — download of the member's own data (issue 10
 * item 7: the disclosure 個人情報保護法 gives her, in seconds instead of by
 * letter; src/export.c says what is in the file and what is not).
 *
 * GET shows the form: the format (format=json|csv) and the current password
 * (current_password). POST (CSRF-checked by the pipeline):
 *  - a format other than json or csv: the form again with an error;
 *  - a missing or wrong password: the form with an error; counted against
 *    Member.PasswordTries an hour and audited as password.check_fail
 *    (member_password_check), past the limit not checked at all; the hashing
 *    pool full: 503 (req_busy), nothing counted;
 *  - right: the file as an attachment — Content-Disposition: attachment with
 *    filename kenpo-data-YYYYMMDD.json|csv (Japan date), Content-Type
 *    application/json or text/csv with charset=utf-8, Cache-Control: no-store —
 *    audited as account.export.
 * The password is asked every time: the file holds the member's name, birth date
 * and insurer, and a browser left logged in must not hand it out.
 *
 * Returns 200 (the form, or the file as REQ_RAW), 303 (no session), 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "export.h"
#include "member.h"
#include "request.h"
#include "router.h"

/* The Content-Disposition value for ext, named for today in Japan. */
static void
disposition(const char *ext, char *out, size_t cap)
{
	time_t		 t = time(NULL) + 9 * 3600;
	struct tm	 tm;
	char		 day[16];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof(day), "%Y%m%d", &tm) == 0)
		snprintf(day, sizeof(day), "export");
	snprintf(out, cap, "attachment; filename=\"kenpo-data-%s.%s\"", day, ext);
}

/* POST: the file, or the form with errors. */
static int
export_post(struct req *r, const struct member *m)
{
	const char	*format = req_param(r, "format");
	enum export_format fmt;
	char		 cd[80];
	int		 st, csv;

	if (format == NULL || (strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)) {
		req_form_error(r, "format", "History.Export.FormatMissing");
		return 200;
	}
	csv = strcmp(format, "csv") == 0;
	req_set(r, "Export.Format", format);
	st = member_password_check(r, m, "current_password");
	if (st != MEMBER_PW_OK)
		return member_password_refused(r, st);
	fmt = csv ? EXPORT_CSV : EXPORT_JSON;
	if ((st = export_account(m->id, fmt, &r->body)) != 0) {
		buf_free(&r->body);
		return req_db_error(r, st);
	}
	audit(r, "account.export", m->id);
	disposition(csv ? "csv" : "json", cd, sizeof(cd));
	req_add_header(r, "Content-Disposition", cd);
	r->content_type = csv ? "text/csv; charset=utf-8" :
	    "application/json; charset=utf-8";
	r->nostore = 1;
	return REQ_RAW;
}

int
page_account_export(struct req *r)
{
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_export";
	req_set(r, "Account.Email", m.email);
	req_set(r, "Export.Format", "json");
	st = strcmp(r->method, "POST") == 0 ? export_post(r, &m) : 200;
	member_free(&m);
	return st;
}
