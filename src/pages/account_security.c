/*
 * GET /account/security[?done=WHAT] — 「ログインと二段階認証」 (issue 15 item 3):
 * whether 二段階認証（認証アプリ） is on, how many recovery codes are left (and
 * a warning when none or few are), links to switch it on (/account/security/
 * totp), off (/account/security/totp/off), to make new recovery codes
 * (/account/security/recovery), and to the passkeys (/account/security/
 * passkeys). Without Verify.MasterKey the link to switch it on is replaced
 * by a note (nothing can be sealed). done names a change that just succeeded (a fixed list; anything
 * else is ignored). Returns 200, 303 → /login, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "member.h"
#include "member_totp.h"
#include "request.h"
#include "router.h"
#include "vault.h"

int
page_account_security(struct req *r)
{
	static const char *const dones[] = {
		"totp_on", "totp_off", "recovery", "recovery_used",
	};
	struct mtotp_status ms;
	struct member	 m;
	const char	*done = req_param(r, "done");
	char		 n[16], key[48];
	const char	*vars[] = { "n", n, NULL };
	size_t		 i;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	st = mtotp_status(m.id, &ms);
	member_free(&m);
	if (st < 0)
		return req_db_error(r, st);
	r->template = "account_security";
	snprintf(n, sizeof(n), "%d", ms.codes_left);
	if (ms.enabled) {
		req_set(r, "Security.Totp", "1");
		req_set_int(r, "Security.CodesLeft", ms.codes_left);
		req_set_text(r, "Security.CodesText", "Mfa.Security.CodesLeft", vars);
		if (ms.codes_left == 0)
			req_set(r, "Security.CodesNone", "1");
		else if (ms.codes_left <= 3)
			req_set(r, "Security.CodesFew", "1");
	}
	/* Without the vault's master key no secret can be sealed. */
	if (!ms.enabled && !vault_ready())
		req_set(r, "Security.NoVault", "1");
	for (i = 0; done != NULL && i < sizeof(dones) / sizeof(dones[0]); i++)
		if (strcmp(done, dones[i]) == 0) {
			snprintf(key, sizeof(key), "Mfa.Done.%s", dones[i]);
			req_set_text(r, "Security.Done", key, vars);
		}
	return 200;
}
