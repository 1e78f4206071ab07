/*
 * GET /terms/<id> — the text of a published terms version (terms.h), for a
 * version published with a text and no URL: the page the signup steps and
 * /consent link to. Public (no session needed: step 1 links it before any
 * account exists). The text is shown escaped with its line breaks.
 *
 * Outcomes: 200 the text; 404 for anything else — not a number, no such
 * version, not yet published, or a version without a text (its URL is the
 * link) — the same page whichever, logged; 503 when the database is down.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "terms.h"
#include "util.h"

int
page_terms(struct req *r)
{
	char		*c[6] = { NULL }, *label;
	long long	 id;
	int		 st, i;

	if (r->arg == NULL || strlen(r->arg) > 18 ||
	    strspn(r->arg, "0123456789") != strlen(r->arg) ||
	    util_parse_int(r->arg, 1, 0x7fffffffffffffffLL, &id) != 0) {
		log_info("terms: not a version id");
		return 404;
	}
	st = db_row(c, 6, "SELECT v.kind, v.version,"
	    " DATE_FORMAT(v.published_at + INTERVAL 9 HOUR, '%Y-%m-%d'), v.body,"
	    " i.name, i.points_name FROM terms_versions v"
	    " LEFT JOIN insurers i ON i.id = v.insurer_id"
	    " WHERE v.id = ? AND v.published_at <= NOW(6) AND v.body IS NOT NULL",
	    "i", id);
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0) {
		log_info("terms: no published text %lld", id);
		st = 404;
		goto out;
	}
	label = terms_label(r, c[0], c[4], c[5]);
	req_set(r, "Terms.Label", label);
	free(label);
	req_set(r, "Terms.Version", c[1]);
	req_set(r, "Terms.Date", c[2]);
	req_set(r, "Terms.Text", c[3]);
	r->template = "terms";
	st = 200;
 out:
	for (i = 0; i < 6; i++)
		free(c[i]);
	return st;
}
