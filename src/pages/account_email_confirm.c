/*
 * GET /account/email/<token> — the link mailed to the new address by
 * /account/email. Opening it while logged in as the account that asked makes
 * the new address the login ID; a browser without that session is sent to
 * /login first and comes back here (next=), so the link alone — forwarded,
 * or opened by a mail scanner — changes nothing.
 *
 * The token (purpose email_change, tokens.data = the new address) works once,
 * for Member.EmailChangeHours, and only while it is the account's newest
 * request. One transaction marks it used (a second use, even a concurrent one,
 * finds nothing to mark), frees the address if a withdrawn account still holds
 * it, sets it (the UNIQUE key refuses an address another account took
 * meanwhile: nothing changes then), supersedes the other change requests and
 * the password-reset links (they went to the old address), and queues a last
 * notice to the old address. Audited as email.change.
 *
 * Outcomes that change nothing get one page (account_email_confirm) with the
 * reason and the way forward: unknown, used, superseded or expired link, a link
 * of another account, an address taken meanwhile. The route is not R_MEMBER so
 * that the login can bring the member back with the token (the pipeline would
 * send them to /login without it). nginx logs this path without the token
 * (contrib/nginx). Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

struct apply {
	long long	 token_id;
	long long	 id;
	const char	*new_email;
	const char	*old_email;
	const char	*lang;
	HDF		*vars;
	int		 result;	/* out: enum outcome */
};

enum outcome {
	O_DONE = 0,
	O_UNKNOWN,
	O_USED,
	O_SUPERSEDED,
	O_EXPIRED,
	O_OTHER,
	O_TAKEN,
};

static const char *const outcome_names[] = {
	"done", "unknown", "used", "superseded", "expired", "other", "taken",
};

/* 1 when s has the shape of one of our tokens (43 base64url characters). */
static int
token_shape(const char *s)
{
	unsigned char	 raw[CRYPTO_TOKEN_BYTES];
	long		 n;

	if (s == NULL || strlen(s) != CRYPTO_TOKEN_LEN)
		return 0;
	n = crypto_b64url_decode(s, raw, sizeof(raw));
	util_wipe(raw, sizeof(raw));
	return n == CRYPTO_TOKEN_BYTES;
}

static int
apply_txn(void *arg)
{
	struct apply	*a = arg;
	long long	 n;
	int		 st;

	a->result = O_USED;
	n = db_exec("UPDATE tokens SET used_at = NOW(6) WHERE id = ? AND"
	    " used_at IS NULL AND superseded_at IS NULL AND expires_at > NOW(6)",
	    "i", a->token_id);
	if (n <= 0)
		return n < 0 ? (int)n : 0;
	if ((st = member_release_address(a->new_email)) < 0)
		return st;
	n = db_exec("UPDATE accounts SET email = ? WHERE id = ? AND state = 'active'",
	    "si", a->new_email, a->id);
	if (n == DB_DUP) {
		/* Taken meanwhile: keep the token unused as well (rollback). */
		a->result = O_TAKEN;
		return DB_DUP;
	}
	if (n < 0)
		return (int)n;
	if (n == 0)
		return DB_ERR;	/* the account is no longer active: roll back */
	if ((n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE"
	    " account_id = ? AND purpose IN ('email_change', 'reset') AND"
	    " used_at IS NULL AND superseded_at IS NULL", "i", a->id)) < 0)
		return (int)n;
	if ((st = member_mail(a->old_email, a->lang, "email_changed", a->vars)) < 0)
		return st;
	a->result = O_DONE;
	return 0;
}

/* Apply the change of a usable token; returns an enum outcome or a db_status. */
static int
apply(struct req *r, const struct member *m, long long token_id,
    const char *new_email)
{
	struct apply	 a;
	char		*masked = NULL;
	int		 st;

	memset(&a, 0, sizeof(a));
	a.token_id = token_id;
	a.id = m->id;
	a.new_email = new_email;
	a.old_email = m->email;
	a.lang = m->lang;
	masked = member_mask_email(new_email);
	if ((a.vars = member_vars()) == NULL ||
	    member_var(a.vars, "Mail.NewEmailMasked", masked) != 0) {
		st = DB_ERR;
		goto out;
	}
	st = db_txn(apply_txn, &a);
	if (st == DB_DUP && a.result == O_TAKEN)
		st = O_TAKEN;
	else if (st == 0) {
		st = a.result;
		if (st == O_DONE) {
			audit(r, "email.change", m->id);
			log_info("member: account %lld changed its address", m->id);
		}
	}
 out:
	if (a.vars != NULL)
		hdf_destroy(&a.vars);
	free(masked);
	return st;
}

int
page_account_email_confirm(struct req *r)
{
	struct member	 m;
	struct db_res	*res = NULL;
	char		 hash[65], *new_email = NULL;
	long long	 token_id = 0, owner = 0;
	int		 st, outcome = O_UNKNOWN, loaded = 0;

	memset(&m, 0, sizeof(m));
	r->nostore = 1;
	r->template = "account_email_confirm";
	if (!token_shape(r->arg))
		goto show;
	if (r->sess == NULL || r->sess->state == NULL ||
	    strcmp(r->sess->state, "active") != 0)
		return req_redirect(r, "/login?next=/account/email/%s", r->arg);
	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	loaded = 1;

	crypto_sha256_hex(r->arg, hash);
	st = db_query(&res, "SELECT id, account_id, data, used_at IS NOT NULL,"
	    " superseded_at IS NOT NULL, expires_at <= NOW(6) FROM tokens"
	    " WHERE token_hash = ? AND purpose = 'email_change'", "s", hash);
	if (st < 0)
		goto dberr;
	if ((st = db_res_next(res)) < 0)
		goto dberr;
	if (st == 1) {
		token_id = db_res_int(res, 0);
		owner = db_res_int(res, 1);
		if (!db_res_isnull(res, 2))
			new_email = xstrdup(db_res_str(res, 2));
		if (owner != m.id)
			outcome = O_OTHER;
		else if (db_res_int(res, 3))
			outcome = O_USED;
		else if (db_res_int(res, 4))
			outcome = O_SUPERSEDED;
		else if (db_res_int(res, 5))
			outcome = O_EXPIRED;
		else if (new_email == NULL)
			outcome = O_UNKNOWN;
		else
			outcome = O_DONE;
	}
	db_res_free(res);
	res = NULL;
	if (outcome == O_DONE) {
		if ((st = apply(r, &m, token_id, new_email)) < 0)
			goto dberr;
		outcome = st;
		if (outcome == O_DONE) {
			st = req_redirect(r, "/account?done=email");
			goto out;
		}
	}
 show:
	req_set(r, "Confirm.Outcome", outcome_names[outcome]);
	if (outcome == O_TAKEN || outcome == O_USED)
		req_set(r, "Confirm.Email", loaded ? m.email : "");
	st = 200;
	goto out;
 dberr:
	st = req_db_error(r, st);
 out:
	db_res_free(res);
	free(new_email);
	if (loaded)
		member_free(&m);
	return st;
}
