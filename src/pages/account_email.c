/*
 * GET, POST /account/email — ask to change the address (the login ID; SPEC §6).
 * The change takes effect only when the link mailed to the NEW address is
 * opened by the member (src/pages/account_email_confirm.c), so an address
 * nobody can receive mail at never becomes a login ID.
 *
 * POST needs the current password (current_password) and the new address
 * (email), which must differ from the current one and must not be the login ID
 * of another account. That is said plainly ("使用できません: 別のアカウントで
 * 使われています"): the requester has just proved the password of an account of
 * their own, and the requests are limited to Member.EmailChangePerHour per
 * account, so this tells a stranger nothing at a useful rate — while a vague
 * answer would leave a member with two old accounts guessing. An address held
 * only by a withdrawn account is free (member_release_address).
 *
 * One transaction then supersedes the earlier requests, stores a token
 * (purpose email_change, tokens.data = the new address, Member.EmailChangeHours,
 * single use), queues the link to the new address and a notice to the current
 * one (whoever holds the password should not be able to move the account away
 * silently). Audited as email.change_request. Returns 200 (the form, with
 * errors), 303 to /account?done=email_sent, 429, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "throttle.h"
#include "util.h"

struct request {
	long long	 id;
	const char	*email;		/* current */
	const char	*lang;
	const char	*new_email;
	const char	*token_hash;
	HDF		*confirm;	/* variables of the mail to the new address */
	HDF		*notice;	/* … and of the notice to the current one */
};

/* 1 when an account other than id (and not withdrawn) has email; or a db_status. */
static int
address_taken(const char *email, long long id)
{
	long long	 n = 0;
	int		 st;

	st = db_int(&n, "SELECT COUNT(*) FROM accounts WHERE email = ? AND id <> ?"
	    " AND state <> 'withdrawn'", "si", email, id);
	if (st < 0)
		return st;
	return n > 0;
}

/* Returns 0 done, 1 the address was taken meanwhile. */
static int
request_txn(void *arg)
{
	struct request	*q = arg;
	long long	 n;
	int		 st;

	if ((st = address_taken(q->new_email, q->id)) != 0)
		return st;
	if ((n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE"
	    " account_id = ? AND purpose = 'email_change' AND used_at IS NULL"
	    " AND superseded_at IS NULL", "i", q->id)) < 0)
		return (int)n;
	if ((n = db_exec("INSERT INTO tokens (account_id, purpose, token_hash, data,"
	    " expires_at) VALUES (?, 'email_change', ?, ?, NOW(6) + INTERVAL ? HOUR)",
	    "issi", q->id, q->token_hash, q->new_email,
	    config_int("Member.EmailChangeHours"))) < 0)
		return (int)n;
	if ((st = member_mail(q->new_email, q->lang, "email_change_confirm",
	    q->confirm)) < 0)
		return st;
	return member_mail(q->email, q->lang, "email_change_notice", q->notice);
}

/* The mail variables; 0 or -1. */
static int
request_vars(struct request *q, const char *token)
{
	char	*link, *url, *masked, hours[24];
	int	 rc = 0;

	if ((q->confirm = member_vars()) == NULL ||
	    (q->notice = member_vars()) == NULL)
		return -1;
	snprintf(hours, sizeof(hours), "%lld", config_int("Member.EmailChangeHours"));
	link = xasprintf("/account/email/%s", token);
	masked = member_mask_email(q->new_email);
	url = config_url(link);
	rc |= member_var(q->confirm, "Mail.Link", url);
	util_free_secret(url);
	rc |= member_var(q->confirm, "Mail.Hours", hours);
	rc |= member_var(q->confirm, "Mail.NewEmail", q->new_email);
	rc |= member_var(q->notice, "Mail.Hours", hours);
	rc |= member_var(q->notice, "Mail.NewEmailMasked", masked);
	util_free_secret(link);
	free(masked);
	return rc;
}

/* POST: 200 with form errors, 303 when the mails are queued, or an error status. */
static int
request_post(struct req *r, const struct member *m)
{
	struct request	 q;
	const char	*v = req_param(r, "email");
	char		*email = NULL, token[CRYPTO_TOKEN_LEN + 1], hash[65];
	char		 key[THROTTLE_KEY_MAX];
	long long	 n;
	int		 st, pw;

	memset(&q, 0, sizeof(q));
	if (v != NULL)
		req_set(r, "Form.Values.email", v);
	if (v == NULL || (email = account_email_normalize(v)) == NULL)
		req_form_error(r, "email", "Member.Error.EmailMissing");
	else if (!account_email_valid(email))
		req_form_error(r, "email", "Member.Error.EmailInvalid");
	else if (strcasecmp(email, m->email) == 0)
		req_form_error(r, "email", "Member.Error.EmailSame");
	if ((pw = member_password_check(r, m, "current_password")) < 0) {
		st = req_db_error(r, pw);
		goto out;
	}
	if (pw == MEMBER_PW_BUSY) {
		st = req_busy(r);
		goto out;
	}
	if (r->nerrors > 0) {
		st = 200;
		goto out;
	}
	/* Only now, with the password proven: is the address someone else's? */
	if ((st = address_taken(email, m->id)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 1) {
		req_form_error(r, "email", "Member.Error.EmailTaken");
		st = 200;
		goto out;
	}
	throttle_key_acct(key, sizeof(key), "emailchange", m->id);
	if ((n = throttle_hit(key, 3600)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	if (n > config_int("Member.EmailChangePerHour")) {
		log_warn("member: e-mail change of account %lld refused: too many"
		    " this hour", m->id);
		req_form_error(r, "email", "Member.Error.EmailTooMany");
		st = 200;
		goto out;
	}

	crypto_token(token);
	crypto_sha256_hex(token, hash);
	q.id = m->id;
	q.email = m->email;
	q.lang = r->lang;
	q.new_email = email;
	q.token_hash = hash;
	if (request_vars(&q, token) != 0) {
		st = 500;
		goto out;
	}
	if ((st = db_txn(request_txn, &q)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 1) {
		req_form_error(r, "email", "Member.Error.EmailTaken");
		st = 200;
		goto out;
	}
	audit(r, "email.change_request", m->id);
	st = req_redirect(r, "/account?done=email_sent");
 out:
	util_wipe(token, sizeof(token));
	if (q.confirm != NULL)
		hdf_destroy(&q.confirm);
	if (q.notice != NULL)
		hdf_destroy(&q.notice);
	free(email);
	return st;
}

int
page_account_email(struct req *r)
{
	struct member	 m;
	char		*pending = NULL, hours[24];
	const char	*vars[] = { "hours", hours, NULL };
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_email";
	req_set(r, "Account.Email", m.email);
	snprintf(hours, sizeof(hours), "%lld", config_int("Member.EmailChangeHours"));
	req_set_text(r, "Account.PendingHint", "Member.Email.PendingHint", vars);
	st = db_row(&pending, 1, "SELECT data FROM tokens WHERE account_id = ?"
	    " AND purpose = 'email_change' AND used_at IS NULL"
	    " AND superseded_at IS NULL AND expires_at > NOW(6)"
	    " ORDER BY id DESC LIMIT 1", "i", m.id);
	if (st < 0) {
		member_free(&m);
		return req_db_error(r, st);
	}
	if (pending != NULL)
		req_set(r, "Account.Pending", pending);
	free(pending);
	st = strcmp(r->method, "POST") == 0 ? request_post(r, &m) : 200;
	member_free(&m);
	return st;
}
