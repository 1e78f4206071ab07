/*
 * GET, POST /consent — agreeing again after new terms (terms.h; issue 10 item 5).
 *
 * request.c sends a member here from every other member route while a current
 * version of terms that apply to her has no consent of hers (a new version was
 * published since she last agreed). The page lists each such version — what it
 * is (利用規約, プライバシーポリシー, 「保険者」会員個別規約, 「ポイント」特約), its
 * version, its date and a link to read it — with one checkbox each, and offers
 * logging out (and, in the text, withdrawal) instead.
 *
 * Outcomes:
 *   GET, something due            200, the list;
 *   GET or POST, nothing due      303 → next (the member page she asked for, a
 *                                 plain path from request.c) or /top;
 *   POST, every box ticked        the consents to exactly the versions shown
 *                                 are stored ("renewal", now) in one
 *                                 transaction, audited as consent.renewal;
 *                                 303 → next or /top — where request.c asks
 *                                 again if a version was published meanwhile;
 *   POST, a box not ticked        200, the list with "please agree" on it;
 *                                 nothing stored;
 *   database down                 503.
 * CSRF and the session are checked by request.c (R_MEMBER, R_NOCONSENT).
 */
#include "autoconf.h"

#include <string.h>

#include "audit.h"
#include "db.h"
#include "member.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "terms.h"

#define PREFIX	"Consent.Terms"

/* next as request.c writes it: a plain member path, not this page. NULL else. */
static const char *
plain_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    strlen(next) > 200 || !redirect_target_ok(next) ||
	    strspn(next, "abcdefghijklmnopqrstuvwxyz0123456789/_-") != strlen(next) ||
	    strncmp(next, "/consent", 8) == 0)
		return NULL;
	return next;
}

struct record {
	struct req	*r;
	long long	 account_id;
};

static int
record_fn(void *arg)
{
	struct record	*c = arg;

	return terms_record(c->r, c->account_id, PREFIX, "renewal");
}

int
page_consent(struct req *r)
{
	struct member	 m;
	struct record	 c;
	const char	*next = plain_next(req_param(r, "next"));
	int		 st, n;

	memset(&m, 0, sizeof(m));
	if ((st = member_load(r, &m)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 0) {
		st = req_redirect(r, "/login");
		goto out;
	}
	n = terms_list(r, m.id, m.unaffiliated ? 0 : m.insurer_id, TERMS_ALL,
	    PREFIX);
	if (n < 0) {
		st = req_db_error(r, n);
		goto out;
	}
	if (n == 0) {
		st = req_redirect(r, "%s", next != NULL ? next : "/top");
		goto out;
	}
	r->template = "consent";
	if (next != NULL)
		req_set(r, "Consent.Next", next);
	if (strcmp(r->method, "POST") != 0 || !terms_form_check(r, PREFIX)) {
		st = 200;
		goto out;
	}
	c.r = r;
	c.account_id = m.id;
	if ((st = db_txn(record_fn, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "consent.renewal", m.id);
	st = req_redirect(r, "%s", next != NULL ? next : "/top");
 out:
	member_free(&m);
	return st;
}
