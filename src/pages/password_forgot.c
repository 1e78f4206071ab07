/*
 * GET, POST /password/forgot — "パスワードを忘れた方" (SPEC §4).
 *
 * POST takes an address and always answers with the same page: "if this address
 * is registered, we sent a mail" — whether it has an account or not, and whether
 * or not a mail really went out, so the page tells nobody which addresses exist.
 * For an account (pending, verified or active) a reset token (32 random bytes,
 * only its SHA-256 stored, Login.ResetMinutes) is made, every earlier unused reset
 * token of the account is superseded, and the mail with /password/reset/<token>
 * is queued, all in one transaction. An unknown or withdrawn address does the
 * same kind of work (a transaction and a mail rendering that go nowhere), so the
 * answer takes about as long.
 *
 * Limits (throttle, one hour): Login.ResetPerHourIP requests from one client
 * address (then 429: not about any account), Login.ResetPerHour for one e-mail
 * address (then the same page without a mail: the owner's inbox is not flooded).
 * Returns 200, 429, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "request.h"
#include "router.h"
#include "signup.h"
#include "template.h"
#include "throttle.h"
#include "util.h"

#define HOUR	3600

struct reset_mail {
	long long	 account_id;	/* 0: dummy work for an unknown address */
	const char	*email;
	const char	*lang;
	const char	*hash;		/* SHA-256 hex of the token */
	HDF		*vars;		/* Mail.ResetURL, Mail.ResetMinutes */
};

/*
 * Supersede the account's unused reset tokens, store the new one and queue the
 * mail; for account 0 (dummy work) only the first, harmless UPDATE runs.
 */
static int
reset_txn(void *arg)
{
	struct reset_mail *m = arg;
	long long	 n;

	n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE account_id = ?"
	    " AND purpose = 'reset' AND used_at IS NULL AND superseded_at IS NULL",
	    "i", m->account_id);
	if (n < 0 || m->account_id == 0)
		return n < 0 ? (int)n : 0;
	n = db_exec("INSERT INTO tokens (account_id, purpose, token_hash, expires_at)"
	    " VALUES (?, 'reset', ?, NOW(6) + INTERVAL ? MINUTE)", "isi",
	    m->account_id, m->hash, config_int("Login.ResetMinutes"));
	if (n < 0)
		return (int)n;
	n = outbox_enqueue(m->email, "password_reset", m->vars, m->lang);
	return n < 0 ? (int)n : 0;
}

/* The mail's variables for token. NULL on an HDF failure. */
static HDF *
mail_vars(const char *token)
{
	HDF		*vars = NULL;
	NEOERR		*err;
	char		*url, mins[24];

	url = xasprintf("%s/password/reset/%s", config_str("Service.BaseURL"), token);
	snprintf(mins, sizeof(mins), "%lld", config_int("Login.ResetMinutes"));
	if ((err = hdf_init(&vars)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.ResetURL", url)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.ResetMinutes", mins)) != STATUS_OK) {
		nerr_ignore(&err);
		if (vars != NULL)
			hdf_destroy(&vars);
		vars = NULL;
	}
	util_free_secret(url);
	return vars;
}

/* The texts of the "mail sent" page, with the address as typed (escaped later). */
static void
sent_texts(struct req *r, const char *typed)
{
	char		 mins[24], *t;
	const char	*v1[] = { "email", typed, NULL };
	const char	*v2[] = { "minutes", mins, NULL };

	snprintf(mins, sizeof(mins), "%lld", config_int("Login.ResetMinutes"));
	t = signup_text_vars(r, "Forgot.SentText", v1);
	req_set(r, "Forgot.SentText", t);
	free(t);
	t = signup_text_vars(r, "Forgot.SentMinutes", v2);
	req_set(r, "Forgot.SentMinutes", t);
	free(t);
}

/* POST: validate, rate-limit, then the same page for every address. */
static int
forgot_post(struct req *r)
{
	struct account	*a = NULL;
	struct reset_mail m;
	struct buf	 dummy = { NULL, 0, 0 };
	const char	*raw = req_param(r, "email");
	char		 key[THROTTLE_KEY_MAX], token[CRYPTO_TOKEN_LEN + 1], hash[65];
	char		*email = NULL;
	long long	 n;
	int		 st, send;

	memset(&m, 0, sizeof(m));
	token[0] = '\0';
	if (raw != NULL)
		req_set(r, "Forgot.Email", raw);
	r->template = "password_forgot";
	email = account_email_normalize(raw);
	if (email == NULL) {
		req_form_error(r, "email", "Forgot.Error.EmailRequired");
		st = 200;
		goto out;
	}
	if (!account_email_valid(email)) {
		req_form_error(r, "email", "Forgot.Error.EmailFormat");
		st = 200;
		goto out;
	}
	throttle_key_ip(key, sizeof(key), "pwreset", r->ip);
	if ((n = throttle_hit(key, HOUR)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	if (n > config_int("Login.ResetPerHourIP")) {
		log_warn("password reset: too many requests from one address");
		st = 429;
		goto out;
	}
	throttle_key_addr(key, sizeof(key), "pwreset", email);
	if ((n = throttle_hit(key, HOUR)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	send = n <= config_int("Login.ResetPerHour");

	if ((st = account_find_email(email, &a)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (a != NULL && strcmp(a->state, "withdrawn") == 0) {
		account_free(a);
		a = NULL;
	}
	crypto_token(token);
	crypto_sha256_hex(token, hash);
	if ((m.vars = mail_vars(token)) == NULL) {
		st = 500;
		goto out;
	}
	m.hash = hash;
	if (a != NULL && send) {
		m.account_id = a->id;
		m.email = a->email;
		m.lang = a->lang != NULL ? a->lang : r->lang;
	} else {
		/* The same kind of work, going nowhere. */
		if (tmpl_render_mail("password_reset", m.vars, r->lang, &dummy) != 0)
			log_warn("password reset: mail template does not render");
		if (a != NULL)
			log_info("password reset: account %lld over its hourly limit",
			    a->id);
	}
	if ((st = db_txn(reset_txn, &m)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "password.reset_request", a != NULL && send ? a->id : 0);
	sent_texts(r, raw);
	r->template = "password_forgot_sent";
	st = 200;
 out:
	util_wipe(token, sizeof(token));
	if (dummy.data != NULL)
		util_wipe(dummy.data, dummy.len);
	buf_free(&dummy);
	if (m.vars != NULL)
		hdf_destroy(&m.vars);
	free(email);
	account_free(a);
	return st;
}

/* The route's handler (routes.def): GET shows the form. */
int
page_password_forgot(struct req *r)
{
	r->nostore = 1;
	if (strcmp(r->method, "POST") == 0)
		return forgot_post(r);
	r->template = "password_forgot";
	return 200;
}
