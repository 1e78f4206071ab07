/*
 * GET, POST /account/security/totp — switching 二段階認証（認証アプリ） on
 * (issue 15 item 3; src/member_totp.h).
 *
 * GET: the password field only (step=password). No secret is ever shown
 * without the password proved in the same POST or session.
 * POST step=password: the current password (member_password_check: counted
 * per account, audited when wrong, through the hashing pool). Right: a fresh
 * secret sealed by the vault and bound to THIS session for 15 minutes; the
 * answer shows it as a QR code (otpauth:// URI: issuer Service.Name, her
 * address) and as base32 text for manual entry, with the code field
 * (step=code). Wrong: the form with its error.
 * POST step=code: the code against the secret of this session's enrolment.
 * Right: TOTP on, ten recovery codes made and shown ONCE (stored only as
 * HMACs) with the advice to keep them; her other sessions and remember-me
 * tokens end (they rest on the password alone); audited mfa.totp.enable; a
 * mail to her. This browser's remember-me cookie went with its token. Wrong: the same secret again with the error (not counted: the secret
 * is new and she proved the password). No enrolment for this session (another
 * session, expired): the password form again with a notice.
 * TOTP on already: 303 → /account/security. The vault without a master key:
 * 503. The hashing pool full: 503. Every answer is no-store.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "member.h"
#include "member_totp.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"
#include "vault.h"

/* The secret's QR code and grouped base32 text for the page. 0 or -1. */
static int
show_secret(struct req *r, const struct member *m,
    const unsigned char secret[TOTP_SECRET_BYTES])
{
	char	 b32[TOTP_B32_LEN(TOTP_SECRET_BYTES) + 1], grouped[64];
	char	*uri, *svg;
	size_t	 i, o = 0;

	uri = totp_uri(config_str("Service.Name"), m->email, secret,
	    TOTP_SECRET_BYTES);
	svg = totp_qr_svg(uri, req_text(r, "Mfa.Enrol.QRLabel"));
	util_free_secret(uri);
	if (svg == NULL)
		return -1;
	totp_base32(secret, TOTP_SECRET_BYTES, b32);
	/* Groups of four, as authenticator apps show them. */
	for (i = 0; b32[i] != '\0' && o < sizeof(grouped) - 2; i++) {
		if (i > 0 && i % 4 == 0)
			grouped[o++] = ' ';
		grouped[o++] = b32[i];
	}
	grouped[o] = '\0';
	req_set(r, "Totp.Step", "code");
	req_set(r, "Totp.QR", svg);
	req_set(r, "Totp.Secret", grouped);
	util_free_secret(svg);
	util_wipe(b32, sizeof(b32));
	util_wipe(grouped, sizeof(grouped));
	return 0;
}

/* step=password. */
static int
post_password(struct req *r, const struct member *m)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	int		 st;

	st = member_password_check(r, m, "current_password");
	if (st != MEMBER_PW_OK)
		return member_password_refused(r, st);
	st = mtotp_enrol_begin(m->id, r->sess->id_hash, secret);
	if (st == -1)
		return req_error(r, 503, "MfaVault");
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/account/security");
	st = show_secret(r, m, secret) == 0 ? 200 : 500;
	util_wipe(secret, sizeof(secret));
	return st;
}

/* step=code. */
static int
post_code(struct req *r, const struct member *m)
{
	char		 codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1], key[32];
	unsigned char	 secret[TOTP_SECRET_BYTES];
	const char	*code = req_param_trim(r, "code");
	long long	 step;
	int		 st, i;

	st = mtotp_enrol_secret(m->id, r->sess->id_hash, secret);
	if (st == -1)
		return req_error(r, 503, "MfaVault");
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0) {
		log_info("account_security_totp: no enrolment for this session");
		req_set(r, "Totp.Restart", "1");
		return 200;
	}
	step = code == NULL ? 0 : totp_check(secret, sizeof(secret), code,
	    util_now(), 0);
	if (step <= 0) {
		if (step < 0) {
			util_wipe(secret, sizeof(secret));
			return 500;
		}
		log_info("account_security_totp: wrong or missing code");
		req_form_error(r, "code", code == NULL ? "Mfa.Error.CodeMissing" :
		    "Mfa.Error.CodeWrong");
		st = show_secret(r, m, secret) == 0 ? 200 : 500;
		util_wipe(secret, sizeof(secret));
		return st;
	}
	util_wipe(secret, sizeof(secret));
	st = mtotp_enable(r, m, r->sess->id_hash, step, codes);
	if (st < 0)
		return req_db_error(r, st);
	if (st == 1)
		(void)session_remember_clear(r);
	if (st == 0) {
		req_set(r, "Totp.Restart", "1");
		return 200;
	}
	req_set(r, "Totp.Step", "done");
	for (i = 0; i < MTOTP_RECOVERY_CODES; i++) {
		snprintf(key, sizeof(key), "Totp.Codes.%d", i);
		req_set(r, key, codes[i]);
	}
	util_wipe(codes, sizeof(codes));
	return 200;
}

int
page_account_security_totp(struct req *r)
{
	struct mtotp_status ms;
	struct member	 m;
	const char	*step = req_param(r, "step");
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_security_totp";
	r->nostore = 1;
	req_set(r, "Account.Email", m.email);
	if ((st = mtotp_status(m.id, &ms)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (ms.enabled) {
		st = req_redirect(r, "/account/security");
		goto out;
	}
	if (!vault_ready()) {
		st = req_error(r, 503, "MfaVault");
		goto out;
	}
	if (strcmp(r->method, "POST") != 0)
		st = 200;
	else if (step != NULL && strcmp(step, "code") == 0)
		st = post_code(r, &m);
	else
		st = post_password(r, &m);
 out:
	member_free(&m);
	return st;
}
