/*
 * GET, POST /password/reset/<token> — the link of the password-reset mail.
 *
 * The token is valid while it is unused, not superseded by a newer request, not
 * older than Login.ResetMinutes and its account is not withdrawn; anything else
 * shows one page that explains the link cannot be used and offers a new one.
 * POST sets the new password (the signup password rule: password_check_form),
 * then in one transaction: the token is marked used (a second use, even a
 * concurrent one, finds nothing to mark), the hash replaced, a lock lifted, every
 * other reset token superseded, every session and remember-me token of the
 * account ended, and a "your password was changed" mail queued. The member then
 * logs in with the new password on /login: one way in, with its CAPTCHA and
 * lock rules, and the browser's password manager gets to save the new password.
 * Returns 200 or 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member_totp.h"
#include "outbox.h"
#include "password.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

struct reset_token {
	long long	 id;
	long long	 account_id;
	char		*email;
	char		*lang;
};

/* Free the strings of t and zero it. */
static void
reset_token_free(struct reset_token *t)
{
	free(t->email);
	free(t->lang);
	memset(t, 0, sizeof(*t));
}

/* 1 when s has the shape of one of our tokens. */
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

/* Look the token up: 1 usable (*t filled), 0 not usable, or a db_status. */
static int
token_find(const char *token, struct reset_token *t)
{
	char		 hash[65], *col[4] = { NULL, NULL, NULL, NULL };
	int		 st;

	memset(t, 0, sizeof(*t));
	if (!token_shape(token))
		return 0;
	crypto_sha256_hex(token, hash);
	st = db_row(col, 4, "SELECT t.id, t.account_id, a.email, a.lang"
	    " FROM tokens t JOIN accounts a ON a.id = t.account_id"
	    " WHERE t.token_hash = ? AND t.purpose = 'reset' AND t.used_at IS NULL"
	    " AND t.superseded_at IS NULL AND t.expires_at > NOW(6)"
	    " AND a.state NOT IN ('withdrawn', 'closed')", "s", hash);
	if (st == 1 && col[0] != NULL && col[1] != NULL && col[2] != NULL) {
		t->id = strtoll(col[0], NULL, 10);
		t->account_id = strtoll(col[1], NULL, 10);
		t->email = col[2];
		t->lang = col[3];
		col[2] = col[3] = NULL;
	} else if (st == 1)
		st = 0;
	free(col[0]);
	free(col[1]);
	free(col[2]);
	free(col[3]);
	return st;
}

struct change {
	const struct reset_token *t;
	const char	*hash;
	HDF		*vars;
};

/* Returns 1 when the token was used meanwhile (nothing changed), else 0. */
static int
change_txn(void *arg)
{
	struct change	*c = arg;
	long long	 n;
	int		 st;

	n = db_exec("UPDATE tokens SET used_at = NOW(6) WHERE id = ? AND"
	    " used_at IS NULL AND superseded_at IS NULL AND expires_at > NOW(6)",
	    "i", c->t->id);
	if (n <= 0)
		return n < 0 ? (int)n : 1;
	if ((n = db_exec("UPDATE accounts SET password_hash = ?, failed_logins = 0,"
	    " locked_until = NULL WHERE id = ?"
	    " AND state NOT IN ('withdrawn', 'closed')", "si",
	    c->hash, c->t->account_id)) < 0)
		return (int)n;
	if (n == 0)
		return 1;
	if ((n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE"
	    " account_id = ? AND purpose = 'reset' AND used_at IS NULL AND"
	    " superseded_at IS NULL", "i", c->t->account_id)) < 0)
		return (int)n;
	if ((st = session_end_all(c->t->account_id, NULL)) < 0)
		return st;
	/* A login waiting for its TOTP code began with the old password. */
	if ((st = mtotp_pending_drop(c->t->account_id)) < 0)
		return st;
	n = outbox_enqueue(c->t->email, "password_changed", c->vars,
	    c->t->lang != NULL ? c->t->lang : "ja");
	return n < 0 ? (int)n : 0;
}

/* Variables of the "password changed" mail; NULL on an HDF failure. */
static HDF *
changed_vars(void)
{
	HDF		*vars = NULL;
	NEOERR		*err;
	const char	*base = config_str("Service.BaseURL");
	char		*login = xasprintf("%s/login", base);
	char		*forgot = xasprintf("%s/password/forgot", base);

	if ((err = hdf_init(&vars)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.LoginURL", login)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.ForgotURL", forgot)) != STATUS_OK) {
		nerr_ignore(&err);
		if (vars != NULL)
			hdf_destroy(&vars);
		vars = NULL;
	}
	free(login);
	free(forgot);
	return vars;
}

/*
 * POST with a usable token t: check the rule, hash, change in one transaction.
 * 200 (form errors, or the link was used meanwhile), 303 to /login, 500/503.
 */
static int
reset_post(struct req *r, struct reset_token *t)
{
	struct change	 c;
	const char	*pw = req_param(r, "password");
	char		*hash = NULL;
	int		 st;

	memset(&c, 0, sizeof(c));
	if (password_check_form(r, "password", pw, t->email) != 0)
		return 200;
	if ((hash = crypto_password_hash(pw)) == NULL)
		return req_hash_failed(r);
	c.t = t;
	c.hash = hash;
	if ((c.vars = changed_vars()) == NULL) {
		st = 500;
		goto out;
	}
	if ((st = db_txn(change_txn, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 1) {
		r->template = "password_reset_invalid";
		st = 200;
		goto out;
	}
	audit(r, "password.reset", t->account_id);
	/* This browser's cookies too: its session row went with the others. */
	(void)session_remember_clear(r);
	(void)session_end(r);
	st = req_redirect(r, "/login?done=reset");
 out:
	if (c.vars != NULL)
		hdf_destroy(&c.vars);
	util_free_secret(hash);
	return st;
}

/* The password rule under the field, from the configured limits. */
static void
rule_text(struct req *r)
{
	char		 min[24], max[24], kinds[24], *t;
	const char	*vars[] = { "min", min, "max", max, "kinds", kinds, NULL };

	password_rule_set(r);
	snprintf(min, sizeof(min), "%lld", config_int("Password.MinLength"));
	snprintf(max, sizeof(max), "%lld", config_int("Password.MaxLength"));
	snprintf(kinds, sizeof(kinds), "%lld", config_int("Password.MinClasses"));
	t = req_text_vars(r, "Reset.Rule", vars);
	req_set(r, "Reset.Rule", t);
	free(t);
}

/* The route's handler (routes.def); the token is the '*' segment. */
int
page_password_reset(struct req *r)
{
	struct reset_token t;
	int		 st;

	r->nostore = 1;
	if ((st = token_find(r->arg, &t)) < 0)
		return req_db_error(r, st);
	if (st == 0) {
		r->template = "password_reset_invalid";
		return 200;
	}
	r->template = "password_reset";
	req_set(r, "Reset.Email", t.email);
	rule_text(r);
	if (strcmp(r->method, "POST") == 0)
		st = reset_post(r, &t);
	else
		st = 200;
	reset_token_free(&t);
	return st;
}
