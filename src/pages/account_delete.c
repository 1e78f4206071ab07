/*
 * GET, POST /account/delete — deletion of the member's own account (削除;
 * SPEC §6). GET lists what is removed and how it differs from 退会
 * (/account/withdraw); POST, with the current password (current_password),
 * deletes through account_delete() (src/account_delete.c: account_erase() in
 * one transaction — the tombstone keeps no address, password, binding or
 * client address — then the mail "アカウントを削除しました" to the address it
 * had; audited as account.delete without ip). This browser's cookies are
 * cleared and it lands on /account/deleted, logged out.
 * Outcomes: the page; the form again with a password error (missing, wrong, or
 * too many wrong ones this hour: member_password_check); 303 to
 * /account/deleted (also when the account was deleted meanwhile); 303 to
 * /login without a session; 500/503 on database trouble.
 */
#include "autoconf.h"

#include <string.h>

#include "account.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "session.h"

int
page_account_delete(struct req *r)
{
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_delete";
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
	st = account_delete(m.id, 1, NULL);
	member_free(&m);
	if (st < 0)
		return req_db_error(r, st);
	/* The erasure removed every session row; this browser's cookies go too. */
	(void)session_remember_clear(r);
	(void)session_end(r);
	return req_redirect(r, "/account/deleted");
}
