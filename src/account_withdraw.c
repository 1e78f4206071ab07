/*
 * account_withdraw.c — withdrawal (退会, SPEC §6), shared by the member's own
 * page (/account/withdraw) and the operator's `kenpoctl account withdraw`.
 *
 * One transaction does all of it, so a withdrawal is either complete or did not
 * happen: the account becomes withdrawn, its roster binding is released (the
 * same person may sign up again with another address), every session ends,
 * every token dies (activation, reset, e-mail change, remember-me), her eKYC
 * photos and secret question go and a pending attempt is cancelled
 * (account_ekyc_erase), her passkeys go (passkey_delete_all: a withdrawn
 * account logs in with nothing) and the mail
 * "退会手続きが完了しました" is queued. The address stays on the row (support can
 * still find the account; login and recovery treat it as unknown) until a new
 * signup or an address change uses it: member_release_address() then moves the
 * withdrawn row aside in that transaction (SPEC §6: the address may be used again).
 */
#include "autoconf.h"
#include "account.h"

#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "member_totp.h"
#include "outbox.h"
#include "passkey.h"
#include "session.h"
#include "util.h"

struct withdraw {
	long long	 id;
	int		 done;		/* out: 1 withdrawn */
};

/* Queue the withdrawal mail to email in lang. 0 or a db_status. */
static int
withdraw_mail(const char *email, const char *lang)
{
	HDF		*vars = NULL;
	NEOERR		*err;
	const char	*support = config_str("Service.SupportURL");
	char		*signup = config_url("/signup"), *sup;
	long long	 id;

	sup = support[0] == '/' ? config_url(support) : xstrdup(support);
	if ((err = hdf_init(&vars)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.SignupURL", signup)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.SupportURL", sup)) != STATUS_OK) {
		nerr_ignore(&err);
		id = DB_ERR;
		goto out;
	}
	id = outbox_enqueue(email, "account_withdrawn", vars,
	    lang != NULL ? lang : "ja");
 out:
	if (vars != NULL)
		hdf_destroy(&vars);
	free(signup);
	free(sup);
	return id > 0 ? 0 : (id < 0 ? (int)id : DB_ERR);
}

static int
withdraw_fn(void *arg)
{
	struct withdraw	*w = arg;
	char		*c[3] = { NULL };
	long long	 n;
	int		 st, i;

	w->done = 0;
	st = db_row(c, 3, "SELECT state, email, lang FROM accounts WHERE id = ?"
	    " FOR UPDATE", "i", w->id);
	if (st <= 0)
		return st;
	if (strcmp(c[0], "verified") != 0 && strcmp(c[0], "active") != 0) {
		st = 0;		/* pending (address unproven) or withdrawn already */
		goto out;
	}
	n = db_exec("UPDATE accounts SET state = 'withdrawn', withdrawn_at = NOW(6),"
	    " roster_id = NULL, match_roster_id = NULL, match_at = NULL"
	    " WHERE id = ?", "i", w->id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	/* Her eKYC photos and secret question served this account only:
	 * they go now; an attempt still waiting can never be approved. */
	if ((st = account_ekyc_erase(w->id)) != 0)
		goto out;
	/* So do her TOTP secret and recovery codes (issue 15). */
	if ((st = mtotp_erase(w->id)) != 0)
		goto out;
	if ((n = passkey_delete_all(w->id)) < 0) {
		st = (int)n;
		goto out;
	}
	/* Sessions and remember-me tokens, then every other token. */
	if ((st = session_end_all(w->id, NULL)) != 0)
		goto out;
	if ((n = db_exec("DELETE FROM tokens WHERE account_id = ?", "i", w->id)) < 0) {
		st = (int)n;
		goto out;
	}
	if ((st = withdraw_mail(c[1], c[2])) != 0)
		goto out;
	w->done = 1;
 out:
	for (i = 0; i < 3; i++)
		free(c[i]);
	return st;
}

/*
 * Withdraw account id (see the top of this file): only an account whose address
 * is proven (verified or active). Records "account.withdraw" in the audit log
 * with ip (may be NULL: kenpoctl). Must not be called inside db_txn.
 * Returns 1 withdrawn, 0 nothing done (no such account, still pending, or
 * withdrawn already), or a db_status.
 */
int
account_withdraw(long long id, const char *ip)
{
	struct withdraw	 w;
	int		 st;

	memset(&w, 0, sizeof(w));
	w.id = id;
	if ((st = db_txn(withdraw_fn, &w)) < 0)
		return st;
	if (!w.done)
		return 0;
	audit_ip(ip, "account.withdraw", id);
	log_info("account %lld withdrawn", id);
	return 1;
}
