/*
 * GET, POST /account/security/totp/off — switching 二段階認証（認証アプリ）
 * off (issue 15 item 3; src/member_totp.h). The form asks the current
 * password or a current code of the authenticator (either one).
 *
 * POST outcomes:
 *   - confirmed: the secret, the recovery codes and any pending login go in
 *     one transaction, audited mfa.totp.disable, a mail to her; 303 →
 *     /account/security?done=totp_off;
 *   - a wrong password (member_password_check: counted per account, audited)
 *     or code (counted on the TOTP, mfa.totp.fail): the form with its error;
 *     the fifth wrong code in a row ends the session (mfa.totp.limit): 303 →
 *     /login;
 *   - TOTP off already: 303 → /account/security;
 *   - the hashing pool full: 503.
 */
#include "autoconf.h"

#include <string.h>

#include "member.h"
#include "member_totp.h"
#include "request.h"
#include "router.h"

int
page_account_security_totp_off(struct req *r)
{
	struct mtotp_status ms;
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_security_totp_off";
	if ((st = mtotp_status(m.id, &ms)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (!ms.enabled) {
		st = req_redirect(r, "/account/security");
		goto out;
	}
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
		goto out;
	}
	switch ((st = mtotp_confirm(r, &m))) {
	case MTOTP_CONFIRM_OK:
		if ((st = mtotp_disable(r, m.id, "totp_off")) < 0)
			st = req_db_error(r, st);
		else
			st = req_redirect(r, st == 1 ?
			    "/account/security?done=totp_off" : "/account/security");
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
