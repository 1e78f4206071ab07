/*
 * GET /terms/<id> — the text of a published terms version (terms.h), for a
 * version published with a text and no URL: the page the signup steps and
 * /consent link to. Public (no session needed: step 1 links it before any
 * account exists). The text is shown escaped with its line breaks, in the
 * site's layout; in English a note says the text is the operator's Japanese.
 *
 * GET /terms/service and /terms/privacy — the operator's 会員規約 and
 * 個人情報の取り扱い, the defaults of Service.TermsURL and Service.PrivacyURL
 * (the footer's links): the current published version of that kind — its
 * text here, or its URL when it was published with one (a redirect on this
 * site, a link to another) — and while none is published, the sample text of
 * templates/lang/<lang>/terms_sample.hdf, in the page's language.
 *
 * Outcomes: 200 the text; 303 to a published version's URL; 404 for anything
 * else — not a number, no such version, not yet published, or a version
 * without a text (its URL is the link) — the same page whichever, logged; 503
 * when the database is down.
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

/*
 * /terms/service, /terms/privacy: the current version of kind (see the top).
 * 200, 303, or a db_status.
 */
static int
terms_current(struct req *r, const char *kind)
{
	char		*c[3] = { NULL };
	int		 st, i;

	st = db_row(c, 3, "SELECT id, url, body FROM terms_versions"
	    " WHERE kind = ? AND insurer_id IS NULL AND published_at <= NOW(6)"
	    " ORDER BY published_at DESC, id DESC LIMIT 1", "s", kind);
	if (st < 0)
		return st;
	if (st == 1 && c[2] == NULL && c[1] != NULL &&
	    strncmp(c[1], "/terms/", 7) != 0 && terms_url_ok(c[1], 1)) {
		/* Kenpod redirects on the site only: another site's page is
		 * a link on this one. */
		if (c[1][0] == '/') {
			st = req_redirect(r, "%s", c[1]);
			goto out;
		}
		req_set(r, "Terms.URL", c[1]);
	}
	if (st == 1 && c[2] != NULL) {
		st = req_redirect(r, "/terms/%s", c[0]);
		goto out;
	}
	req_set(r, "Terms.Sample", kind);
	/* The language switch comes back to this page. */
	req_setf(r, "Page.Back", "/terms/%s", kind);
	r->template = "terms";
	st = 200;
 out:
	for (i = 0; i < 3; i++)
		free(c[i]);
	return st;
}

int
page_terms(struct req *r)
{
	char		*c[6] = { NULL }, *label;
	long long	 id;
	int		 st, i;

	if (r->arg != NULL && (strcmp(r->arg, "service") == 0 ||
	    strcmp(r->arg, "privacy") == 0)) {
		st = terms_current(r, r->arg);
		return st < 0 ? req_db_error(r, st) : st;
	}
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
	req_setf(r, "Page.Back", "/terms/%lld", id);
	r->template = "terms";
	st = 200;
 out:
	for (i = 0; i < 6; i++)
		free(c[i]);
	return st;
}
