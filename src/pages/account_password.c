/*
 * GET, POST /account/password — change the password (SPEC §6): the current
 * password (current_password) is required, the new one (password) must meet
 * the signup rule (password_check_form) and differ from it.
 *
 * One transaction then replaces the hash, supersedes any live password-reset
 * link, ends every other session of the account and every remember-me token
 * (a stolen session or "keep me logged in" cookie must not outlive the
 * password), and queues the mail "パスワードを変更しました" (templates/mail/
 * password_changed.cs, which says this device stays logged in). This browser
 * gets a new session id (a privilege change) and loses its remember-me cookie.
 * Audited as password.change. Returns 200 (the form, with errors), 303 to
 * /account?done=password, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "member.h"
#include "member_totp.h"
#include "password.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

struct change {
	long long	 id;
	const char	*hash;
	const char	*keep;		/* this session's hash: it stays */
	const char	*email;
	const char	*lang;
	HDF		*vars;
};

/* Returns 0 done, 1 the account is no longer active (nothing changed). */
static int
change_txn(void *arg)
{
	struct change	*c = arg;
	long long	 n;
	int		 st;

	if ((n = db_exec("UPDATE accounts SET password_hash = ? WHERE id = ? AND"
	    " state = 'active'", "si", c->hash, c->id)) < 0)
		return (int)n;
	if (n == 0)
		return 1;
	if ((n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE"
	    " account_id = ? AND purpose = 'reset' AND used_at IS NULL AND"
	    " superseded_at IS NULL", "i", c->id)) < 0)
		return (int)n;
	if ((st = session_end_all(c->id, c->keep)) < 0)
		return st;
	/* A login waiting for its TOTP code began with the old password. */
	if ((st = mtotp_pending_drop(c->id)) < 0)
		return st;
	return member_mail(c->email, c->lang, "password_changed", c->vars);
}

/* The password rule under the new-password field. */
static void
rule_text(struct req *r)
{
	char		 min[24], max[24], kinds[24];
	const char	*vars[] = { "min", min, "max", max, "kinds", kinds, NULL };

	password_rule_set(r);
	snprintf(min, sizeof(min), "%lld", config_int("Password.MinLength"));
	snprintf(max, sizeof(max), "%lld", config_int("Password.MaxLength"));
	snprintf(kinds, sizeof(kinds), "%lld", config_int("Password.MinClasses"));
	req_set_text(r, "Member.Password.RuleText", "Member.Password.Rule", vars);
}

/* POST: 200 with form errors, 303 when changed, or an error status. */
static int
change_post(struct req *r, const struct member *m)
{
	struct change	 c;
	const char	*cur = req_param(r, "current_password");
	const char	*pw = req_param(r, "password");
	char		*hash = NULL, keep[65];
	int		 st;

	memset(&c, 0, sizeof(c));
	if ((st = member_password_check(r, m, "current_password")) < 0)
		return req_db_error(r, st);
	if (st == MEMBER_PW_BUSY)
		return req_busy(r);
	if (password_check_form(r, "password", pw, m->email) == 0 &&
	    st == MEMBER_PW_OK && strcmp(pw, cur) == 0)
		req_form_error(r, "password", "Member.Error.PasswordSame");
	if (r->nerrors > 0)
		return 200;
	if ((hash = crypto_password_hash(pw)) == NULL)
		return req_hash_failed(r);
	memcpy(keep, r->sess->id_hash, sizeof(keep));
	c.id = m->id;
	c.hash = hash;
	c.keep = keep;
	c.email = m->email;
	c.lang = m->lang;
	if ((c.vars = member_vars()) == NULL ||
	    member_var(c.vars, "Mail.KeepThis", "1") != 0) {
		st = 500;
		goto out;
	}
	if ((st = db_txn(change_txn, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 1) {
		st = req_redirect(r, "/login");
		goto out;
	}
	audit(r, "password.change", m->id);
	/* This browser: a new session id; its remember-me token went with the rest. */
	(void)session_remember_clear(r);
	if ((st = session_start(r, m->id)) != 0) {
		st = req_db_error(r, st);
		goto out;
	}
	st = req_redirect(r, "/account?done=password");
 out:
	if (c.vars != NULL)
		hdf_destroy(&c.vars);
	util_free_secret(hash);
	return st;
}

int
page_account_password(struct req *r)
{
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_password";
	req_set(r, "Account.Email", m.email);
	rule_text(r);
	st = strcmp(r->method, "POST") == 0 ? change_post(r, &m) : 200;
	member_free(&m);
	return st;
}
