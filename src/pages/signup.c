/*
 * GET, POST /signup — step 1 (メールアドレス登録): address, password, optional
 * invite code, consent to the member terms [1] and the personal-information
 * handling [2].
 *
 * A valid POST always answers 303 → /signup/sent with a fresh su cookie, and
 * always costs one Argon2id hash, whether the address is new or not (SPEC §3: no
 * account enumeration by response or by time):
 *   new address          account created (pending) with this password, an
 *                        activation token, the activation mail, and the
 *                        consents (terms.h) to the versions of the member
 *                        terms and the privacy policy that the page linked as
 *                        [1] and [2] (hidden terms_service, terms_privacy; a
 *                        kind with no version published links
 *                        Service.TermsURL / PrivacyURL and stores none);
 *   unfinished signup    (pending) a new activation token carrying this
 *                        password and the mail "again" to the address — the
 *                        password takes effect only if that mail is used, and
 *                        the earlier mails stay valid (a stranger typing the
 *                        address cannot spoil the owner's signup);
 *   any other account    the mail "this address already has an account" with
 *                        login and password-reset links; nothing changes; for
 *                        an account that is 未所属 (qualification lost) the
 *                        mail also names the day the address can be used for
 *                        a new signup: the loss date + 100 days (seed Q4);
 *   未所属, 100 days up   the account is closed now (lifecycle_release_address,
 *                        as the daily job would) and it is a new address;
 *   withdrawn account    the address is free again: the withdrawn row is moved
 *                        aside (member_release_address) and it is a new address.
 * Mails to an existing account count against Signup.ResendPerHour; beyond it no
 * mail is sent (the page is the same). Valid POSTs per client address are limited
 * by Signup.StartPerHour (429): each creates an account and sends a mail.
 *
 * A session in the middle of signup is sent to its step; an active member to /top.
 * An insurer that requires signed entry (SPEC §2) gets, when the request's entry
 * context names it without a valid signature on a PC browser, the page of
 * entry_refuse() (come through the member portal) instead of the form.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "entry.h"
#include "hashpool.h"
#include "insurer.h"
#include "lifecycle.h"
#include "log.h"
#include "member.h"
#include "password.h"
#include "request.h"
#include "router.h"
#include "signup.h"
#include "terms.h"
#include "throttle.h"
#include "util.h"

#define INVITE_MAX	32

struct step1 {
	/* in */
	const char	*email;
	const char	*hash;
	const char	*invite;
	const char	*lang;
	long long	 entry_insurer;	/* signed entry link's insurer, 0 if none */
	long long	 shown_terms;	/* terms versions step 1 showed (0: none) */
	long long	 shown_privacy;
	int		 limited;	/* mail to an existing account over the limit */
	/* out */
	long long	 account_id;
	long long	 token_id;
	int		 created;
	int		 consents;	/* consent rows stored */
	char		 state[16];
};

static int
step1_fn(void *arg)
{
	struct step1		*s = arg;
	struct signup_token	 tok;
	char			*c[5] = { NULL }, entry[24];
	long long		 n;
	int			 st, i;

	s->account_id = s->token_id = 0;
	s->created = 0;
	s->state[0] = '\0';
	/*
	 * A withdrawn account gives its address up for a new signup, and so does
	 * a 未所属 one whose 100 days are up but which the daily job has not
	 * closed yet (SPEC §6; lifecycle.h).
	 */
	if ((st = lifecycle_release_address(s->email, NULL)) < 0 ||
	    (st = member_release_address(s->email)) < 0)
		return st;
	st = db_row(c, 5, "SELECT id, state, email, lang,"
	    " IF(state = 'active' AND unaffiliated = 1, lost_on, NULL)"
	    " FROM accounts WHERE email = ? FOR UPDATE", "s", s->email);
	if (st < 0)
		return st;
	memset(&tok, 0, sizeof(tok));
	if (st == 0) {
		snprintf(entry, sizeof(entry), "%lld", s->entry_insurer);
		n = db_exec("INSERT INTO accounts (email, password_hash, state,"
		    " invite_code, lang, signed_entry_insurer_id) VALUES"
		    " (?, ?, 'pending', ?, ?, ?)", "sssss", s->email, s->hash,
		    s->invite, s->lang, s->entry_insurer > 0 ? entry : NULL);
		if (n < 0)
			return (int)n;	/* DB_DUP: a concurrent step 1 won */
		s->account_id = db_last_id();
		s->created = 1;
		snprintf(s->state, sizeof(s->state), "pending");
		if ((st = terms_record_global(s->account_id, "service",
		    s->shown_terms)) < 0)
			goto out;
		s->consents = st;
		if ((st = terms_record_global(s->account_id, "privacy",
		    s->shown_privacy)) < 0)
			goto out;
		s->consents += st;
		if ((st = signup_token_issue(s->account_id, s->hash, 0, 0, &tok)) != 0 ||
		    (st = signup_mail_activate(s->email, s->lang, &tok, 0)) != 0)
			goto out;
		s->token_id = tok.id;
		goto out;
	}
	s->account_id = strtoll(c[0], NULL, 10);
	snprintf(s->state, sizeof(s->state), "%s", c[1]);
	st = 0;
	if (strcmp(c[1], "pending") == 0) {
		/*
		 * Keep this password with a token of its own; when limited, the token
		 * is born superseded (no mail), so a later resend from this browser
		 * still carries the password typed here.
		 */
		if ((st = signup_token_issue(s->account_id, s->hash, 0, s->limited,
		    &tok)) != 0)
			goto out;
		s->token_id = tok.id;
		if (!s->limited)
			st = signup_mail_activate(c[2], c[3], &tok, 1);
	} else if (!s->limited)
		st = signup_mail_exists(c[2], c[3], c[1], c[4]);
 out:
	util_wipe(&tok, sizeof(tok));
	for (i = 0; i < 5; i++)
		free(c[i]);
	return st;
}

/* Keep what was typed (never the password) for the re-rendered form. */
static void
keep_values(struct req *r)
{
	const char	*v;

	if ((v = req_param(r, "email")) != NULL)
		req_set(r, "Form.Values.email", v);
	if ((v = req_param(r, "invite_code")) != NULL)
		req_set(r, "Form.Values.invite_code", v);
	if ((v = req_param(r, "agree_terms")) != NULL && strcmp(v, "1") == 0)
		req_set(r, "Form.Values.agree_terms", "1");
	if ((v = req_param(r, "agree_privacy")) != NULL && strcmp(v, "1") == 0)
		req_set(r, "Form.Values.agree_privacy", "1");
}

/* 1 when the invite code is acceptable: up to 32 of [A-Za-z0-9-]. */
static int
invite_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return i > 0 && i <= INVITE_MAX;
}

/* The terms version id of a hidden field of the form, 0 if none or not a number. */
static long long
shown_version(struct req *r, const char *field)
{
	const char	*v = req_param(r, field);
	long long	 id;

	if (v == NULL || util_parse_int(v, 1, 0x7fffffffffffffffLL, &id) != 0)
		return 0;
	return id;
}

int
page_signup(struct req *r)
{
	struct entry_ctx ctx;
	struct step1	 s;
	char		*email = NULL, *hash = NULL, key[THROTTLE_KEY_MAX];
	const char	*pw, *invite, *v;
	struct account	*existing = NULL;
	struct signup_cookie c;
	long long	 n;
	int		 st, tries;

	if ((st = signup_route(r, "/signup")) != 0)
		return st;
	signup_page(r, "signup", 1, &ctx);
	password_rule_set(r);
	/* [1] and [2]: the current versions (their links and labels). */
	if ((st = terms_list_global(r, "Signup.Terms")) < 0)
		return req_db_error(r, st);
	if (!entry_signup_allowed(r, &ctx))
		return entry_refuse(r, hdf_get_value(r->hdf, "Insurer.Name", NULL));
	if (strcmp(r->method, "POST") != 0)
		return 200;

	keep_values(r);
	v = req_param(r, "email");
	if (v == NULL || (email = account_email_normalize(v)) == NULL)
		req_form_error(r, "email", "Signup.Email.Missing");
	else if (!account_email_valid(email))
		req_form_error(r, "email", "Signup.Email.Invalid");
	pw = req_param(r, "password");
	password_check_form(r, "password", pw, email);
	invite = req_param_trim(r, "invite_code");
	if (invite != NULL && !invite_valid(invite))
		req_form_error(r, "invite_code", "Signup.Invite.Invalid");
	if ((v = req_param(r, "agree_terms")) == NULL || strcmp(v, "1") != 0)
		req_form_error(r, "agree_terms", "Signup.Agree.Terms");
	if ((v = req_param(r, "agree_privacy")) == NULL || strcmp(v, "1") != 0)
		req_form_error(r, "agree_privacy", "Signup.Agree.Privacy");
	if (r->nerrors > 0) {
		st = 200;
		goto out;
	}
	if (hashpool_full()) {
		st = req_busy(r);	/* before any work: nothing is counted */
		goto out;
	}

	throttle_key_ip(key, sizeof(key), "signup", r->ip);
	if ((n = throttle_hit(key, 3600)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	if (n > config_int("Signup.StartPerHour")) {
		log_warn("signup: step 1 refused, too many from this address");
		st = req_error(r, 429, "SignupTooMany");
		goto out;
	}

	/* Before the transaction, and always: the same cost for every address. */
	if ((hash = crypto_password_hash(pw)) == NULL) {
		st = req_hash_failed(r);
		goto out;
	}
	memset(&s, 0, sizeof(s));
	if ((st = account_find_email(email, &existing)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (existing != NULL) {
		throttle_key_acct(key, sizeof(key), "suresend", existing->id);
		if ((n = throttle_hit(key, 3600)) < 0) {
			st = req_db_error(r, (int)n);
			goto out;
		}
		s.limited = n > config_int("Signup.ResendPerHour");
	}
	s.email = email;
	s.hash = hash;
	s.invite = invite;
	s.lang = r->lang;
	s.entry_insurer = ctx.signed_entry ? ctx.insurer_id : 0;
	s.shown_terms = shown_version(r, "terms_service");
	s.shown_privacy = shown_version(r, "terms_privacy");
	for (tries = 0; ; tries++) {
		st = db_txn(step1_fn, &s);
		/* A concurrent step 1 created the account: it exists now. */
		if (st != DB_DUP || tries > 0)
			break;
	}
	if (st < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.account_id = s.account_id;
	c.token_id = s.token_id;
	c.created = s.created;
	snprintf(c.email, sizeof(c.email), "%s", email);
	signup_cookie_put(r, &c);
	audit(r, s.created ? "signup.start" : "signup.repeat", s.account_id);
	/* Audited only when a consent was stored (before the operator publishes
	 * a version, step 1 links the configured URLs and stores none). */
	if (s.created && s.consents > 0)
		audit(r, "consent.signup", s.account_id);
	st = req_redirect(r, "/signup/sent");
 out:
	account_free(existing);
	util_free_secret(hash);
	free(email);
	return st;
}
