/*
 * GET /entry?insurer=N[&ts=T&sig=S][&next=/signup|/login] — the banner link on an
 * insurer's member portal (SPEC §2; the format is in docs/entry-links.md).
 *
 * A known insurer number sets the insurer context cookie (entry.c) and redirects
 * to next (only /signup or /login; default /login). A signed link must carry
 * sig = hex HMAC-SHA256(insurer's entry secret, "insurer=N&ts=T") and a ts no
 * older than Login.EntryMaxAge seconds (60 s of clock skew into the future is
 * tolerated); then the context is marked signed (entry.ok). A forged or stale
 * signature still gives the plain context (entry.bad_sig / entry.expired are
 * audited): the insurer's name helps the member, and signup of an insurer that
 * requires signed entry is refused later (entry_signup_allowed). An unknown or
 * malformed number sets nothing. Always 303; never an error page for a bad link,
 * since members cannot fix a portal's link.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "entry.h"
#include "insurer.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "util.h"

/* The route's handler (routes.def); see the top of this file. */
int
page_entry(struct req *r)
{
	struct insurer	 ins;
	const char	*number = req_param(r, "insurer"), *next = req_param(r, "next");
	enum entry_verdict v;
	int		 st;

	if (next == NULL || (strcmp(next, "/signup") != 0 && strcmp(next, "/login") != 0))
		next = "/login";
	if (number == NULL || !insurer_number_valid(number)) {
		log_info("entry: malformed insurer number");
		return req_redirect(r, "%s", next);
	}
	if ((st = insurer_find(number, &ins)) < 0) {
		insurer_free(&ins);
		return req_db_error(r, st);
	}
	if (st == 0) {
		log_info("entry: unknown insurer");
		insurer_free(&ins);
		return req_redirect(r, "%s", next);
	}
	v = entry_check_link(ins.entry_secret, ins.number, req_param(r, "ts"),
	    req_param(r, "sig"), util_now(), config_int("Login.EntryMaxAge"));
	/* The insurer number is not personal data; the log names it for support. */
	switch (v) {
	case ENTRY_OK:
		audit(r, "entry.ok", 0);
		break;
	case ENTRY_BAD:
		log_warn("entry: bad signature on a link of insurer %s", ins.number);
		audit(r, "entry.bad_sig", 0);
		break;
	case ENTRY_EXPIRED:
		log_info("entry: stale signed link of insurer %s", ins.number);
		audit(r, "entry.expired", 0);
		break;
	case ENTRY_PLAIN:
		break;
	}
	st = entry_set_cookie(r, ins.number, v == ENTRY_OK);
	insurer_free(&ins);
	if (st != 0)
		return 500;
	return req_redirect(r, "%s", next);
}
