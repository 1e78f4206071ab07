/*
 * GET /announcements[?q=KEYWORDS][&page=N] — every announcement the member may
 * read (the operator's, and the member's insurer's unless 未所属), newest first,
 * ANNOUNCE_PAGE a page, and the keyword search of the top page (SPEC §6).
 *
 * The search is a plain substring match (LIKE '%…%') over title and body: the
 * collation makes it case- and width-insensitive, and % and _ typed by the
 * member are matched literally (member_announcements escapes them). MariaDB's
 * FULLTEXT has no parser for Japanese (no word boundaries), and announcements
 * are few, so a scan is the honest choice. The term is limited to
 * SEARCH_MAX characters; a longer one gets a form error, not a search.
 * Returns 200, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "member.h"
#include "request.h"
#include "router.h"
#include "util.h"

#define ANNOUNCE_PAGE	10
#define SEARCH_MAX	50	/* characters */
#define PAGE_MAX	10000

int
page_announcements(struct req *r)
{
	struct member	 m;
	const char	*q = req_param_trim(r, "q"), *p = req_param(r, "page");
	char		 n1[24], n2[24], n3[24];
	const char	*vars[] = { "total", n1, "from", n2, "to", n3, NULL };
	long long	 page = 1, total = 0, pages;
	int		 st, rows;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "announcements";
	/* A page number that is not one is the first page, not an error. */
	if (p != NULL && util_parse_int(p, 1, PAGE_MAX, &page) != 0)
		page = 1;
	if (q != NULL) {
		req_set(r, "Form.Values.q", q);
		if (util_utf8_len(q) > SEARCH_MAX) {
			req_form_error(r, "q", "Announcements.Error.TooLong");
			member_free(&m);
			return 200;
		}
		req_set(r, "Announcements.Query", q);
	}
	rows = member_announcements(r, &m, q, (page - 1) * ANNOUNCE_PAGE,
	    ANNOUNCE_PAGE, "Announcements.List", &total);
	member_free(&m);
	if (rows < 0)
		return req_db_error(r, rows);
	pages = (total + ANNOUNCE_PAGE - 1) / ANNOUNCE_PAGE;
	req_set_int(r, "Announcements.Total", total);
	req_set_int(r, "Announcements.Page", page);
	req_set_int(r, "Announcements.Pages", pages);
	if (page > 1)
		req_set_int(r, "Announcements.Prev", page > pages && pages > 0 ?
		    pages : page - 1);
	if (page < pages)
		req_set_int(r, "Announcements.Next", page + 1);
	if (rows > 0) {
		snprintf(n1, sizeof(n1), "%lld", total);
		snprintf(n2, sizeof(n2), "%lld", (page - 1) * ANNOUNCE_PAGE + 1);
		snprintf(n3, sizeof(n3), "%lld", (page - 1) * ANNOUNCE_PAGE + rows);
		req_set_text(r, "Announcements.CountText", "Announcements.Count",
		    vars);
	}
	return 200;
}
