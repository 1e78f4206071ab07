/*
 * GET, POST /account/security/recovery — ten new recovery codes (issue 15
 * item 3; src/member_totp.h). The form asks the current password or a current
 * code of the authenticator (either one).
 *
 * POST outcomes:
 *   - confirmed: the old codes void, ten new ones stored as HMACs in one
 *     transaction, audited mfa.recovery.regenerate, a mail to her; the answer
 *     (200, no-store) shows the new codes ONCE with the advice to keep them;
 *   - a wrong password or code: the form with its error; the fifth wrong code
 *     in a row ends the session (303 → /login), as on /account/security/totp/off;
 *   - TOTP off: 303 → /account/security;
 *   - the hashing pool full: 503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "member.h"
#include "member_totp.h"
#include "request.h"
#include "router.h"
#include "util.h"

/* Confirmed: the new codes. 200, 303 or an error. */
static int
regenerate(struct req *r, const struct member *m)
{
	char	 codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1], key[32];
	int	 st, i;

	if ((st = mtotp_regenerate(r, m, codes)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/account/security");
	req_set(r, "Recovery.Done", "1");
	for (i = 0; i < MTOTP_RECOVERY_CODES; i++) {
		snprintf(key, sizeof(key), "Recovery.Codes.%d", i);
		req_set(r, key, codes[i]);
	}
	util_wipe(codes, sizeof(codes));
	return 200;
}

int
page_account_security_recovery(struct req *r)
{
	struct mtotp_status ms;
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_security_recovery";
	r->nostore = 1;
	if ((st = mtotp_status(m.id, &ms)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (!ms.enabled) {
		st = req_redirect(r, "/account/security");
		goto out;
	}
	req_set_int(r, "Recovery.Left", ms.codes_left);
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
		goto out;
	}
	switch ((st = mtotp_confirm(r, &m))) {
	case MTOTP_CONFIRM_OK:
		st = regenerate(r, &m);
		break;
	case MTOTP_CONFIRM_ENDED:
		st = req_redirect(r, "/login");
		break;
	case MTOTP_CONFIRM_BUSY:
		st = req_busy(r);
		break;
	case MTOTP_CONFIRM_FORM:
		st = 200;
		break;
	default:
		st = req_db_error(r, st);
	}
 out:
	member_free(&m);
	return st;
}
