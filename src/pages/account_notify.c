/*
 * POST /account/notify — the notification-mail opt-in of the settings hub
 * (accounts.notify; SPEC §6): the checkbox notify=1 turns it on, its absence
 * off (an unticked checkbox sends nothing). Mails that a member cannot refuse
 * (security notices: password or address changed, account locked) are sent
 * regardless. Returns 303 to /account?done=notify_on|notify_off, or 500/503.
 */
#include "autoconf.h"

#include <string.h>

#include "audit.h"
#include "db.h"
#include "request.h"
#include "router.h"
#include "session.h"

int
page_account_notify(struct req *r)
{
	const char	*v = req_param(r, "notify");
	int		 on = v != NULL && strcmp(v, "1") == 0;
	long long	 n;

	n = db_exec("UPDATE accounts SET notify = ? WHERE id = ? AND state = 'active'",
	    "ii", (long long)on, r->sess->account_id);
	if (n < 0)
		return req_db_error(r, (int)n);
	audit(r, on ? "notify.on" : "notify.off", r->sess->account_id);
	return req_redirect(r, "/account?done=%s", on ? "notify_on" : "notify_off");
}
