/*
 * GET /account[?done=WHAT] — the account settings hub (SPEC §6): the login ID
 * (the address) with a pending change if one waits for its confirmation link,
 * the notification-mail opt-in (its form posts to /account/notify), and links
 * to change the address or the password and to withdraw, the verification level
 * with 本人確認 (/account/verify) for a 団体ID認証 account. done names the change
 * that just succeeded (one of a fixed list; anything else is ignored), shown as
 * a notice. Returns 200, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "member.h"
#include "verify_page.h"
#include "request.h"
#include "router.h"

int
page_account(struct req *r)
{
	static const char *const dones[] = {
		"password", "email", "email_sent", "notify_on", "notify_off",
	};
	struct member	 m;
	const char	*done = req_param(r, "done");
	char		*pending = NULL, key[48], hours[24];
	const char	*vars[] = { "hours", hours, NULL };
	size_t		 i;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account";
	req_set(r, "Account.Email", m.email);
	if (m.notify)
		req_set(r, "Account.Notify", "1");
	/* The verification level, and 本人確認 for a 団体ID認証 account. */
	snprintf(key, sizeof(key), "Top.Levels.%d", m.level);
	req_set(r, "Account.LevelText", req_text(r, key));
	if (m.level < 2 && m.name_kana == NULL && !m.unaffiliated)
		req_set(r, "Account.CanVerify", "1");
	/* 健診・医療アクセス認証: only where the insurer links health data. */
	if ((st = verify_offered(&m, NULL)) < 0) {
		member_free(&m);
		return req_db_error(r, st);
	}
	if (st == 1)
		req_set(r, "Account.Sensitive", m.level >= 3 ? "open" : "offer");
	st = db_row(&pending, 1, "SELECT data FROM tokens WHERE account_id = ?"
	    " AND purpose = 'email_change' AND used_at IS NULL"
	    " AND superseded_at IS NULL AND expires_at > NOW(6)"
	    " ORDER BY id DESC LIMIT 1", "i", m.id);
	member_free(&m);
	if (st < 0)
		return req_db_error(r, st);
	if (pending != NULL)
		req_set(r, "Account.Pending", pending);
	free(pending);
	snprintf(hours, sizeof(hours), "%lld", config_int("Member.EmailChangeHours"));
	for (i = 0; done != NULL && i < sizeof(dones) / sizeof(dones[0]); i++)
		if (strcmp(done, dones[i]) == 0) {
			snprintf(key, sizeof(key), "Member.Done.%s", dones[i]);
			req_set_text(r, "Account.Done", key, vars);
		}
	return 200;
}
