/*
 * GET, POST /enrol/<token> on the staff console — the one-time enrolment link
 * that `kenpoctl staff add` / `staff reset` printed.
 *
 * GET: the account's address, its TOTP secret (made and sealed by the vault at
 * the first view, the same one at later views until the enrolment completes)
 * as a QR code (libqrencode, inline SVG) of its otpauth:// URI and as base32
 * text for manual entry, and the form: password twice (the member rules),
 * one current code of the authenticator.
 * POST outcomes:
 *   - form errors (password rules, the two differ, code missing or wrong): the
 *     form again with the same secret, nothing stored;
 *   - success: password (Argon2id) stored, the code's step taken (no replay),
 *     the link void, ten recovery codes made; the page shows them once (they
 *     are stored only as HMACs); audited staff.enrol. Log in at /login next.
 * An unknown, used or expired link: 404 with L.Error.StaffEnrolInvalid. The
 * vault without a master key: 503 (L.Error.StaffVault). The hashing pool
 * full: 503. The token is in the path: Referrer-Policy strict-origin
 * (request.c) and no nginx error log for /enrol/ (contrib/nginx).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "password.h"
#include "request.h"
#include "router.h"
#include "staff.h"
#include "totp.h"
#include "util.h"
#include "vault.h"

/* The secret's QR code and base32 text for the page. 0 or -1 (logged). */
static int
show_secret(struct req *r, const struct staff_enrol *e)
{
	char	 b32[TOTP_B32_LEN(TOTP_SECRET_BYTES) + 1], grouped[64];
	char	*uri, *svg;
	size_t	 i, o = 0;

	uri = totp_uri(config_str("Service.Name"), e->email, e->secret,
	    sizeof(e->secret));
	svg = totp_qr_svg(uri, req_text(r, "Staff.Enrol.QRLabel"));
	util_free_secret(uri);
	if (svg == NULL)
		return -1;
	totp_base32(e->secret, sizeof(e->secret), b32);
	/* Groups of four, as authenticator apps show them. */
	for (i = 0; b32[i] != '\0' && o < sizeof(grouped) - 2; i++) {
		if (i > 0 && i % 4 == 0)
			grouped[o++] = ' ';
		grouped[o++] = b32[i];
	}
	grouped[o] = '\0';
	req_set(r, "Enrol.QR", svg);
	req_set(r, "Enrol.Secret", grouped);
	util_free_secret(svg);
	util_wipe(b32, sizeof(b32));
	util_wipe(grouped, sizeof(grouped));
	return 0;
}

/* The POST: check, then complete. 200 (form again or the recovery codes). */
static int
enrol_post(struct req *r, struct staff_enrol *e)
{
	char		 codes[STAFF_RECOVERY_CODES][STAFF_RECOVERY_LEN + 1], key[32];
	const char	*pw = req_param(r, "password"), *pw2 = req_param(r, "password2");
	const char	*code = req_param_trim(r, "code");
	char		*hash;
	long long	 step = 0;
	int		 st, i;

	password_check_form(r, "password", pw != NULL ? pw : "", e->email);
	if (r->nerrors == 0 && (pw2 == NULL || strcmp(pw, pw2) != 0))
		req_form_error(r, "password2", "Staff.Enrol.Mismatch");
	if (code == NULL)
		req_form_error(r, "code", "Staff.Enrol.CodeMissing");
	else if ((step = totp_check(e->secret, sizeof(e->secret), code, util_now(),
	    0)) <= 0) {
		if (step < 0)
			return 500;
		req_form_error(r, "code", "Staff.Enrol.CodeWrong");
	}
	if (r->nerrors > 0)
		return 200;
	if ((hash = crypto_password_hash(pw)) == NULL)
		return req_hash_failed(r);
	st = staff_enrol_complete(e, hash, step, r->ip, codes);
	util_free_secret(hash);
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_error(r, 404, "StaffEnrolInvalid");
	req_set(r, "Enrol.Done", "1");
	for (i = 0; i < STAFF_RECOVERY_CODES; i++) {
		snprintf(key, sizeof(key), "Enrol.Codes.%d", i);
		req_set(r, key, codes[i]);
	}
	util_wipe(codes, sizeof(codes));
	return 200;
}

int
page_staff_enrol(struct req *r)
{
	struct staff_enrol e;
	int		 st;

	st = staff_enrol_open(r->arg, &e);
	if (st == 0) {
		log_info("staff enrolment: unknown, used or expired link");
		return req_error(r, 404, "StaffEnrolInvalid");
	}
	if (st == -1 && !vault_ready())
		return req_error(r, 503, "StaffVault");
	if (st < 0)
		return req_db_error(r, st);
	r->template = "staff_enrol";
	req_set(r, "Enrol.Email", e.email);
	password_rule_set(r);
	if (strcmp(r->method, "POST") == 0 && (st = enrol_post(r, &e)) != 200)
		goto out;
	st = 200;
	if (hdf_get_value(r->hdf, "Enrol.Done", NULL) == NULL && show_secret(r, &e) != 0)
		st = 500;
 out:
	staff_enrol_free(&e);
	return st;
}
