/*
 * GET, POST /account/withdraw — withdrawal (退会; SPEC §6). GET explains what
 * happens; POST, with the current password (current_password), withdraws the
 * account through account_withdraw() (src/account_withdraw.c: one transaction
 * makes it withdrawn, releases the roster person so that they can sign up
 * again, ends every session and remember-me token, deletes every token and
 * queues the mail "退会手続きが完了しました"; audited as account.withdraw). This
 * browser's cookies are cleared and it lands on /account/withdrawn, logged out.
 *
 * The address stays on the withdrawn row (the support office can still find the
 * account) until a new signup or an address change uses it: then
 * member_release_address() moves the old row aside in the same transaction.
 * Returns 200 (the page, or the form with errors), 303, or 500/503.
 */
#include "autoconf.h"

#include <string.h>

#include "account.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "session.h"

int
page_account_withdraw(struct req *r)
{
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_withdraw";
	req_set(r, "Account.Email", m.email);
	if (strcmp(r->method, "POST") != 0) {
		member_free(&m);
		return 200;
	}
	st = member_password_check(r, &m, "current_password");
	if (st != MEMBER_PW_OK) {
		member_free(&m);
		return member_password_refused(r, st);
	}
	st = account_withdraw(m.id, r->ip);
	member_free(&m);
	if (st < 0)
		return req_db_error(r, st);
	/* Done, or withdrawn meanwhile by another request: this browser is out. */
	(void)session_remember_clear(r);
	(void)session_end(r);
	return req_redirect(r, "/account/withdrawn");
}
