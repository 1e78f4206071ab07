/*
 * GET and POST /unsubscribe/<token> — the unsubscribe link of every
 * notification mail (List-Unsubscribe, and a visible link in the body;
 * notify_mail.c). It works without logging in: the token, signed for the
 * account and the address the mail went to (notify_mail.h), is the
 * authority. No session is loaded and no CSRF token or Origin is asked for
 * (R_NOSESSION | R_NOCSRF): a mail provider's one-click POST (RFC 8058) carries
 * no cookie and no Origin, only the body List-Unsubscribe=One-Click, urlencoded
 * or multipart (R_ONECLICK). A cross-site form cannot forge it: it would need
 * the token.
 *
 * Outcomes, each a page (unsubscribe.cs, data-outcome) with status 200:
 *   invalid   the token is garbled (logged as malformed), or does not verify
 *             for any account — forged, of an address the member has changed
 *             since, of a withdrawn or closed account, or signed with a
 *             Security.Secret rotated since (logged, with the account id it
 *             names); nothing changes; the page says to log in and use the
 *             account settings;
 *   confirm   GET with a valid token while the opt-in is on: a page with one
 *             button that POSTs the one-click body. A GET never changes
 *             anything: link scanners and previews open every URL of a mail;
 *   done      POST with List-Unsubscribe=One-Click: accounts.notify = 0,
 *             audited as notify.unsubscribe (client address of the request);
 *   already   the opt-in was off already (a GET, or a POST sent twice:
 *             providers retry); nothing changes, logged.
 * A valid POST without the one-click field changes nothing and shows the
 * confirm page (logged). Returns 200, or 500/503 when the database fails.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "notify_mail.h"
#include "request.h"
#include "router.h"

/* Render the page with outcome. Returns 200. */
static int
show(struct req *r, const char *outcome)
{
	req_set(r, "Unsub.Outcome", outcome);
	r->template = "unsubscribe";
	return 200;
}

int
page_unsubscribe(struct req *r)
{
	char		*c[3] = { NULL }, mac[NOTIFY_TOKEN_MAX];
	const char	*v;
	long long	 id, n;
	int		 st, rc, i;

	if (notify_token_parse(r->arg, &id, mac) != 0) {
		log_warn("unsubscribe: malformed link");
		return show(r, "invalid");
	}
	st = db_row(c, 3, "SELECT email, state, notify FROM accounts WHERE id = ?",
	    "i", id);
	if (st < 0) {
		rc = req_db_error(r, st);
		goto out;
	}
	if (st == 0 || !notify_token_check(id, c[0], mac) ||
	    strcmp(c[1], "active") != 0) {
		log_warn("unsubscribe: link for account %lld does not verify "
		    "(forged, an old address, or the account is gone)", id);
		rc = show(r, "invalid");
		goto out;
	}
	req_setf(r, "Unsub.Action", "/unsubscribe/%s", r->arg);
	if (strcmp(r->method, "POST") != 0) {
		rc = show(r, strcmp(c[2], "0") == 0 ? "already" : "confirm");
		goto out;
	}
	v = req_param(r, "List-Unsubscribe");
	if (v == NULL || strcmp(v, "One-Click") != 0) {
		log_warn("unsubscribe: POST for account %lld without "
		    "List-Unsubscribe=One-Click; nothing changed", id);
		rc = show(r, strcmp(c[2], "0") == 0 ? "already" : "confirm");
		goto out;
	}
	n = db_exec("UPDATE accounts SET notify = 0 WHERE id = ? AND state ="
	    " 'active' AND notify = 1", "i", id);
	if (n < 0) {
		rc = req_db_error(r, (int)n);
		goto out;
	}
	if (n == 0) {
		log_info("unsubscribe: account %lld had notification mails off "
		    "already", id);
		rc = show(r, "already");
		goto out;
	}
	audit(r, "notify.unsubscribe", id);
	rc = show(r, "done");
out:
	for (i = 0; i < 3; i++)
		free(c[i]);
	util_wipe(mac, sizeof(mac));
	return rc;
}
