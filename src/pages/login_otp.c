/*
 * GET, POST /login/otp — the login's second step for a member with TOTP on
 * (issue 15 item 3; src/member_totp.h, docs/mfa.md). /login sends her here
 * after a right password (and CAPTCHA) with the cookie "mfa": a pending login
 * (login_pending: 5 minutes, single use, only the token's SHA-256 stored).
 * No session exists before the code is right.
 *
 * GET: the 6-digit code field; under 「認証アプリを使えない場合」 a recovery
 * code field and what to do when the phone is lost (the support office).
 * Without a live pending login: a page that says the time ran out, with a
 * link to /login (200; the cookie cleared).
 *
 * POST (code or recovery_code) outcomes:
 *   - neither, or a code field that is not 6 digits: a form error, nothing
 *     counted;
 *   - right (a later step than the last one taken, or an unused recovery
 *     code): in one transaction the pending login is deleted (a second POST
 *     finds none), the account's failed_logins and lock are cleared (a write
 *     that always changes the row and checks the password hash: on Galera it
 *     conflicts with a reset on another node, src/session.h), the
 *     login_history row becomes a password login, a filed deletion request is
 *     objected to, login.ok audited, and a session made (amr "pwd otp" and a
 *     step-up now: the login also counts as one) with remember-me if it was
 *     ticked at the password (the token carries "pwd otp"); then on to next
 *     or /top. A
 *     recovery code goes to /account/security?done=recovery_used, which says
 *     how many are left;
 *   - wrong, or a code of a step taken already (said as such): counted on the
 *     TOTP (failures, before the check) and as a failed login of the account
 *     (accounts.failed_logins; login.otp_fail) — at Login.LockAfterFailures
 *     the account is locked and its owner mailed, as after wrong passwords
 *     (login_lock.h), and its pending logins dropped. The form again with the
 *     tries left; the fifth wrong
 *     code in a row drops every pending login of the account (login.otp_drop)
 *     and says to start again from the password;
 *   - TOTP switched off meanwhile (kenpoctl account totp-off), or the
 *     password changed since it was proven: the pending login is dropped, the
 *     expired page.
 * Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "deletion.h"
#include "log.h"
#include "login_history.h"
#include "login_lock.h"
#include "member_totp.h"
#include "metrics.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

/* The page when there is no pending login (any more): why, and /login. */
static int
gone(struct req *r, const char *why)
{
	mtotp_pending_cookie(r, NULL);
	r->template = "login_otp";
	req_set(r, "Otp.Gone", why);
	return 200;
}

struct done {
	struct req	*r;
	const struct mtotp_pending *p;
	struct session_open *so;	/* the session it opens */
	int		 stale;		/* out: used meanwhile, or password changed */
	char		 state[16];	/* out */
};

/* The right code: see the comment at the top. */
static int
done_txn(void *arg)
{
	struct done	*d = arg;
	char		*c[2] = { NULL, NULL }, check[65];
	long long	 n;
	int		 st;

	d->stale = 1;
	if ((n = db_exec("DELETE FROM login_pending WHERE id = ?", "i", d->p->id)) <= 0)
		return (int)n;
	if ((st = db_row(c, 2, "SELECT password_hash, state FROM accounts WHERE"
	    " id = ? FOR UPDATE", "i", d->p->account_id)) <= 0)
		goto out;
	mtotp_pw_check(c[0], check);
	if (!crypto_streq(check, d->p->pw_check) || c[1] == NULL ||
	    strcmp(c[1], "withdrawn") == 0 || strcmp(c[1], "closed") == 0) {
		st = 0;
		goto out;
	}
	snprintf(d->state, sizeof(d->state), "%s", c[1]);
	/* Galera: a certification key shared with a password reset (src/db.h);
	 * updated_at makes it a write even when the counters are clear. */
	if ((n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL,"
	    " updated_at = NOW(6) WHERE id = ? AND password_hash = ?", "is",
	    d->p->account_id, c[0])) <= 0) {
		st = (int)n;
		goto out;
	}
	if ((d->p->login_id > 0 && (n = db_exec("UPDATE login_history SET kind = ?"
	    " WHERE id = ?", "si", login_history_kind(LOGIN_PASSWORD),
	    d->p->login_id)) < 0) ||
	    (n = deletion_objection(d->p->account_id, d->r->ip)) < 0 ||
	    (n = audit_open(d->r, "login.ok", d->p->account_id)) < 0) {
		st = (int)n;
		goto out;
	}
	if ((st = session_open_txn(d->so)) < 0)
		goto out;
	d->stale = 0;
	st = 0;
 out:
	util_free_secret(c[0]);
	free(c[1]);
	return st;
}

struct wrong {
	struct req	*r;
	long long	 account_id;
	int		 drop;		/* in: the limit is reached */
	long long	 failed;	/* out: the account's failed_logins */
};

/* A wrong code: a failed login of the account; at the limit, the drop. */
static int
wrong_txn(void *arg)
{
	struct wrong	*w = arg;
	long long	 n;
	int		 st;

	if ((n = db_exec("UPDATE accounts SET failed_logins ="
	    " LAST_INSERT_ID(failed_logins + 1) WHERE id = ?", "i",
	    w->account_id)) < 0)
		return (int)n;
	w->failed = n > 0 ? db_last_id() : 0;
	if ((n = audit_open(w->r, "login.otp_fail", w->account_id)) < 0)
		return (int)n;
	if (!w->drop)
		return 0;
	if ((st = mtotp_pending_drop(w->account_id)) < 0 ||
	    (st = mtotp_reset_failures(w->account_id)) < 0)
		return st;
	return (n = audit_open(w->r, "login.otp_drop", w->account_id)) < 0 ? (int)n : 0;
}

/* After the wrong code of a pending login p: count, lock, drop. 200 or error. */
static int
otp_wrong(struct req *r, const struct mtotp_pending *p, int result, int failures,
    const char *field)
{
	struct wrong	 w;
	struct login_lock lk;
	struct account	*a = NULL;
	char		 left[16];
	const char	*vars[] = { "n", left, NULL };
	int		 st;

	memset(&w, 0, sizeof(w));
	w.r = r;
	w.account_id = p->account_id;
	w.drop = result == MTOTP_LIMIT || failures >= MTOTP_TRIES;
	if ((st = db_txn(wrong_txn, &w)) < 0)
		return req_db_error(r, st);
	metrics_add(M_LOGIN_FAIL, 1);
	if (w.failed >= config_int("Login.LockAfterFailures")) {
		if ((st = account_find_id(p->account_id, &a)) < 0)
			return req_db_error(r, st);
		if (st == 1) {
			lk.r = r;
			lk.a = a;
			lk.locked_now = 0;
			st = db_txn(login_lock_txn, &lk);
			account_free(a);
			if (st < 0)
				return req_db_error(r, st);
		}
		/* Locked: no code of a login begun before counts any more. */
		if (!w.drop && (st = mtotp_pending_drop(p->account_id)) < 0)
			return req_db_error(r, st);
		w.drop = 1;
	}
	if (w.drop) {
		log_info("login: %d wrong codes in a row; pending login dropped",
		    MTOTP_TRIES);
		return gone(r, "dropped");
	}
	log_info("login_otp: %s code for account %lld (%d in a row)",
	    result == MTOTP_REPLAY ? "a used" : "a wrong", p->account_id, failures);
	snprintf(left, sizeof(left), "%d", MTOTP_TRIES - failures);
	req_form_error_vars(r, field, result == MTOTP_REPLAY ? "Mfa.Login.Replay" :
	    "Mfa.Login.Wrong", vars);
	if (strcmp(field, "recovery_code") == 0)
		req_set(r, "Otp.RecoveryOpen", "1");
	return 200;
}

/* The right code of pending login p: the session. 303, or an error. */
static int
otp_right(struct req *r, const struct mtotp_pending *p, int recovery)
{
	struct done	 d;
	const char	*next = p->next;
	int		 st;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.p = p;
	d.so = session_open_new(r, p->account_id, p->login_id, "pwd otp", 1,
	    p->remember);
	if ((st = db_txn(done_txn, &d)) < 0) {
		session_open_free(d.so);
		return req_db_error(r, st);
	}
	if (d.stale) {
		session_open_free(d.so);
		log_warn("login: pending login of account %lld used or void meanwhile",
		    p->account_id);
		return gone(r, "expired");
	}
	mtotp_pending_cookie(r, NULL);
	session_open_finish(r, d.so);
	metrics_add(M_LOGIN_OK, 1);
	if (recovery) {
		audit(r, "mfa.recovery.use", p->account_id);
		return req_redirect(r, "/account/security?done=recovery_used");
	}
	if (strcmp(d.state, "pending") == 0)
		return req_redirect(r, "/signup/sent");
	if (strcmp(d.state, "verified") == 0)
		return req_redirect(r, "/signup/eligibility");
	/* next was checked by /login (safe_next) before it was stored. */
	if (next != NULL && redirect_target_ok(next))
		return req_redirect(r, "%s", next);
	return req_redirect(r, "/top");
}

/* The POST: see the comment at the top. */
static int
otp_post(struct req *r, const struct mtotp_pending *p)
{
	const char	*code = req_param_trim(r, "code");
	const char	*rec = req_param_trim(r, "recovery_code");
	const char	*field = code != NULL ? "code" : "recovery_code";
	int		 st, recovery = 0, failures = 0;

	if (code == NULL && rec == NULL) {
		log_info("login_otp: neither a code nor a recovery code");
		req_form_error(r, "code", "Mfa.Error.CodeMissing");
		return 200;
	}
	if (code != NULL && (strlen(code) != TOTP_DIGITS ||
	    strspn(code, "0123456789") != TOTP_DIGITS)) {
		log_info("login_otp: a code that is not 6 digits");
		req_form_error(r, "code", "Mfa.Error.CodeFormat");
		return 200;
	}
	st = mtotp_check(p->account_id, code != NULL ? code : rec, &recovery,
	    &failures);
	if (st < 0)
		return req_db_error(r, st);
	if (st == MTOTP_OFF) {
		log_info("login_otp: TOTP of account %lld is off now", p->account_id);
		if ((st = mtotp_pending_drop(p->account_id)) < 0)
			return req_db_error(r, st);
		return gone(r, "expired");
	}
	if (st == MTOTP_OK)
		return otp_right(r, p, recovery);
	return otp_wrong(r, p, st, failures, field);
}

int
page_login_otp(struct req *r)
{
	struct mtotp_pending p;
	int		 st;

	r->nostore = 1;
	if ((st = mtotp_pending_load(r, &p)) < 0)
		return req_db_error(r, st);
	if (st == 0) {
		if (strcmp(r->method, "POST") == 0)
			log_info("login_otp: no live pending login");
		return gone(r, "expired");
	}
	r->template = "login_otp";
	st = strcmp(r->method, "POST") == 0 ? otp_post(r, &p) : 200;
	mtotp_pending_free(&p);
	return st;
}
