/*
 * GET, POST /login on the staff console — email, password and a TOTP code (or
 * one of the recovery codes) together.
 *
 * Outcomes of a POST (each audited; no password, code or secret is logged):
 *   - a field missing: the form with its error, nothing counted;
 *   - unknown, not enrolled or disabled address: a dummy Argon2id (the same
 *     time as a real check), the generic failure, audited staff.login.fail
 *     without a staff id;
 *   - locked (Staff.LockAfterFailures failures in a row, for
 *     Staff.LockMinutes): nothing checked, the page says it is locked for a
 *     while, audited staff.login.locked;
 *   - wrong password, wrong or replayed code, used recovery code: the generic
 *     failure, counted, audited staff.login.fail; the failure that reaches the
 *     limit locks the account (staff.login.lock);
 *   - success: failures reset, a new session (new id), audited
 *     staff.login.ok or staff.login.recovery; 303 to next (a console path) or /.
 * Failed logins are also counted per client address (STAFF_IP_FAILURES in
 * STAFF_IP_WINDOW seconds, whatever the account, known or not): past that the
 * address gets 429 without any check, audited staff.login.throttled — the
 * per-account lock alone would let one address try every account in turn.
 * The hashing pool full: 503 (req_busy), nothing counted.
 *
 * Both counts are made ahead of the check (as src/pages/login.c counts a
 * password): the address's before anything is looked up, the account's
 * before its password is, and a success gives them back. An error while
 * counting is a 500/503 before any check; an attempt that cannot be counted
 * is not made (counted after the check, an error showed a wrong password as
 * a 500 and left it uncounted — and two hosts bumping one row is a
 * conflict an attacker can provoke). A failure to lock after a wrong check
 * answers the generic failure (logged): the failure is counted, and the next
 * one locks. The success, the session and the counts given back are one
 * transaction with a write of the staff row (staff_login_ok): on Galera a
 * kenpoctl staff reset or disable on another node conflicts with it
 * (src/db.h); a password reset or a disable that came first: the generic
 * failure.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "db.h"
#include "log.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "staff.h"
#include "staff_session.h"
#include "throttle.h"

#define STAFF_IP_FAILURES	20
#define STAFF_IP_WINDOW		600

/* The next page after a login: a plain console path, else "/". */
static const char *
next_path(struct req *r)
{
	const char	*next = req_param(r, "next");

	if (next == NULL || next[0] != '/' || !redirect_target_ok(next) ||
	    strspn(next, "abcdefghijklmnopqrstuvwxyz0123456789/_-") != strlen(next))
		return "/";
	return next;
}

/* A failed attempt (counted ahead): the page says key. */
static int
fail(struct req *r, const char *key)
{
	req_set(r, "Login.Failed", key);
	return 200;
}

/* The address's throttle key into k (THROTTLE_KEY_MAX). */
static void
address_key(struct req *r, char *k)
{
	throttle_key_ip(k, THROTTLE_KEY_MAX, "staff-login", r->ip);
}

/* Give back the address's count of this attempt. 0 or a db_status. */
static int
address_give_back(struct req *r)
{
	char	 k[THROTTLE_KEY_MAX];

	address_key(r, k);
	return throttle_unhit(k, STAFF_IP_WINDOW);
}

/* The check could not be made (the hashing pool): take both counts back. */
static int
busy(struct req *r, long long staff_id)
{
	int	 st;

	if ((st = address_give_back(r)) < 0 ||
	    (staff_id > 0 && (st = staff_login_uncount(staff_id)) < 0))
		log_warn("staff login: a count made ahead stays counted (%d)", st);
	return req_busy(r);
}

struct ok {
	struct req	*r;
	const struct staff_account *a;
	struct staff_session_open *so;
	int		 stale;		/* out: reset or disabled meanwhile */
};

/* The success: see the comment at the top. */
static int
ok_txn(void *arg)
{
	struct ok	*o = arg;
	int		 st;

	o->stale = 1;
	if ((st = staff_login_ok(o->a->id, o->a->password_hash)) <= 0)
		return st;
	o->stale = 0;
	if ((st = address_give_back(o->r)) < 0)
		return st;
	return staff_session_open_txn(o->so);
}

int
page_staff_login(struct req *r)
{
	struct staff_account a;
	struct ok	 o;
	const char	*email, *password, *code;
	char		 k[THROTTLE_KEY_MAX];
	long long	 n;
	int		 st, ok, recovery = 0;

	r->template = "staff_login";
	req_set(r, "Login.Next", next_path(r));
	if (strcmp(r->method, "POST") != 0)
		return 200;
	email = req_param_trim(r, "email");
	password = req_param(r, "password");
	code = req_param_trim(r, "code");
	req_set(r, "Login.Email", email != NULL ? email : "");
	if (email == NULL)
		req_form_error(r, "email", "Staff.Login.EmailMissing");
	if (password == NULL || password[0] == '\0')
		req_form_error(r, "password", "Staff.Login.PasswordMissing");
	if (code == NULL)
		req_form_error(r, "code", "Staff.Login.CodeMissing");
	if (r->nerrors > 0)
		return 200;
	/* The address's count, ahead (the comment at the top). */
	address_key(r, k);
	if ((n = throttle_hit(k, STAFF_IP_WINDOW)) < 0)
		return req_db_error(r, (int)n);
	if (n > STAFF_IP_FAILURES) {
		log_warn("staff login refused: too many failures from this address");
		staff_audit(r, "staff.login.throttled", 0);
		return req_error(r, 429, NULL);
	}
	if ((st = staff_find(email, &a)) < 0)
		return req_db_error(r, st);
	if (st == 0) {
		ok = crypto_password_dummy(password);
		if (ok == CRYPTO_BUSY)
			return busy(r, 0);
		staff_audit(r, "staff.login.fail", 0);
		return fail(r, "Failed");
	}
	if (a.locked) {
		staff_audit(r, "staff.login.locked", a.id);
		staff_account_free(&a);
		return fail(r, "Locked");
	}
	/* The account's count, ahead. */
	if ((st = staff_login_count(a.id)) < 0) {
		staff_account_free(&a);
		return req_db_error(r, st);
	}
	ok = crypto_password_verify(password, a.password_hash, NULL);
	if (ok == CRYPTO_BUSY) {
		st = busy(r, a.id);
		staff_account_free(&a);
		return st;
	}
	if (ok == 1)
		ok = staff_second_factor(&a, code, &recovery);
	else if (ok < 0) {
		log_err("staff %lld: the stored password hash is not usable", a.id);
		ok = 0;
	}
	if (ok < 0) {
		staff_account_free(&a);
		return req_db_error(r, ok);
	}
	if (ok == 0) {
		st = staff_login_failed(a.id);
		staff_audit(r, "staff.login.fail", a.id);
		if (st == 1)
			staff_audit(r, "staff.login.lock", a.id);
		else if (st < 0)
			log_warn("staff login: lock not checked (%d); the failure "
			    "is counted", st);
		staff_account_free(&a);
		return fail(r, st == 1 ? "Locked" : "Failed");
	}
	o.r = r;
	o.a = &a;
	o.so = staff_session_open_new(r, a.id);
	if ((st = db_txn(ok_txn, &o)) < 0 || o.stale) {
		staff_session_open_free(o.so);
		if (st >= 0) {
			log_warn("staff login: staff %lld was reset or disabled "
			    "meanwhile", a.id);
			staff_audit(r, "staff.login.fail", a.id);
			st = fail(r, "Failed");
		} else
			st = req_db_error(r, st);
		staff_account_free(&a);
		return st;
	}
	if ((st = staff_session_open_finish(r, o.so)) != 0) {
		staff_account_free(&a);
		return req_db_error(r, st);
	}
	staff_audit(r, recovery ? "staff.login.recovery" : "staff.login.ok", a.id);
	staff_account_free(&a);
	return req_redirect(r, "%s", next_path(r));
}
