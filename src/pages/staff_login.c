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

/* A failed attempt: counted for the address, the page says key. */
static int
fail(struct req *r, const char *key)
{
	char		 k[THROTTLE_KEY_MAX];
	long long	 n;

	throttle_key_ip(k, sizeof(k), "staff-login", r->ip);
	if ((n = throttle_hit(k, STAFF_IP_WINDOW)) < 0)
		return req_db_error(r, (int)n);
	req_set(r, "Login.Failed", key);
	return 200;
}

/* 1 when the address has failed too often lately, 0, or a db_status. */
static int
address_throttled(struct req *r)
{
	char		 k[THROTTLE_KEY_MAX];
	long long	 n;

	throttle_key_ip(k, sizeof(k), "staff-login", r->ip);
	if ((n = throttle_count(k, STAFF_IP_WINDOW)) < 0)
		return (int)n;
	return n >= STAFF_IP_FAILURES;
}

int
page_staff_login(struct req *r)
{
	struct staff_account a;
	const char	*email, *password, *code;
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
	if ((st = address_throttled(r)) != 0) {
		if (st < 0)
			return req_db_error(r, st);
		log_warn("staff login refused: too many failures from this address");
		staff_audit(r, "staff.login.throttled", 0);
		return req_error(r, 429, NULL);
	}
	if ((st = staff_find(email, &a)) < 0)
		return req_db_error(r, st);
	if (st == 0) {
		ok = crypto_password_dummy(password);
		if (ok == CRYPTO_BUSY)
			return req_busy(r);
		staff_audit(r, "staff.login.fail", 0);
		return fail(r, "Failed");
	}
	if (a.locked) {
		staff_audit(r, "staff.login.locked", a.id);
		staff_account_free(&a);
		return fail(r, "Locked");
	}
	ok = crypto_password_verify(password, a.password_hash, NULL);
	if (ok == CRYPTO_BUSY) {
		staff_account_free(&a);
		return req_busy(r);
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
		staff_account_free(&a);
		if (st < 0)
			return req_db_error(r, st);
		return fail(r, st == 1 ? "Locked" : "Failed");
	}
	if ((st = staff_login_ok(a.id)) != 0 ||
	    (st = staff_session_start(r, a.id)) != 0) {
		staff_account_free(&a);
		return req_db_error(r, st);
	}
	staff_audit(r, recovery ? "staff.login.recovery" : "staff.login.ok", a.id);
	staff_account_free(&a);
	return req_redirect(r, "%s", next_path(r));
}
