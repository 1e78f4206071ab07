/*
 * GET, POST /signup/eligibility — step 3 (健保資格確認): insurer number, the
 * card's symbol and number in the insurer's card input pattern ①–④, name in
 * katakana, birthdate. Only for a verified account's session; other states go
 * to their step, a browser without a session to /signup/sent (su cookie) or
 * /login.
 *
 * The card boxes depend on the insurer, so the form has two stages. Without
 * JavaScript: stage "insurer" shows the insurer number (prefilled from the entry
 * link, SPEC §2) and 次へ; once a valid, adopted insurer number is posted, stage
 * "card" shows that insurer's boxes. The hidden field form_insurer names the
 * insurer the boxes were drawn for: a POST whose insurer number differs only
 * redraws the form (nothing is checked or counted). With JavaScript, signup.js
 * asks /signup/pattern for the one insurer typed and switches the boxes at once
 * (the insurer list itself is never published).
 *
 * Outcomes (each its own text, L.Signup.Elig.Outcome.*): input errors per field;
 * check digit wrong; insurer unknown; not adopted; signed entry required (SPEC
 * §2); not found (mistyped, or not linked yet: ~2 months, inquiry link); not
 * qualified; already bound to another account (log in with it); locked after
 * Signup.EligibilityTries failed checks within Signup.EligibilityHours (inquiry
 * link). Only checks against the roster count (not found, not qualified, bound),
 * and a try is reserved atomically before the roster is read, so parallel
 * requests cannot exceed the limit. Success stores the match on the account
 * (accounts.match_roster_id, level 1: insurer known) and answers 303 →
 * /signup/confirm.
 *
 * The same form, check and limit serve /signup/deletion (アカウント削除申請,
 * src/pages/signup_deletion.c, with Elig.Purpose "deletion" and a contact
 * address): there the person found bound to another account is what is asked
 * for, so that outcome gives its try back and files the request
 * (deletion_file); a person bound to nobody says "free" (step 3 works now).
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
#include "entry.h"
#include "insurer.h"
#include "log.h"
#include "maintenance.h"
#include "normalize.h"
#include "request.h"
#include "roster.h"
#include "router.h"
#include "session.h"
#include "signup.h"
#include "util.h"

#define BOX_MAX		20	/* characters in one symbol/number box */
#define NAME_MAX_CHARS	50
#define INSURER_RAW_MAX	32

struct elig_account {
	char		*email;
	char		*insurer_number;	/* of accounts.insurer_id, or NULL */
	long long	 signed_entry_insurer;
	int		 locked;
	long long	 lock_hours;		/* hours until the lock ends */
	long long	 failures;		/* in the current window */
};

static void
elig_account_free(struct elig_account *a)
{
	free(a->email);
	free(a->insurer_number);
}

static int
elig_account_load(long long id, struct elig_account *a)
{
	char		*c[6] = { NULL };
	long long	 tries = config_int("Signup.EligibilityTries");
	long long	 hours = config_int("Signup.EligibilityHours");
	int		 st, i;

	memset(a, 0, sizeof(*a));
	st = db_row(c, 6, "SELECT a.email, i.number, a.signed_entry_insurer_id,"
	    " COALESCE(a.eligibility_failures >= ? AND"
	    "  a.eligibility_window_start > NOW(6) - INTERVAL ? HOUR, 0),"
	    " CEIL(GREATEST(TIMESTAMPDIFF(SECOND, NOW(6),"
	    "  a.eligibility_window_start + INTERVAL ? HOUR), 60) / 3600),"
	    " IF(a.eligibility_window_start > NOW(6) - INTERVAL ? HOUR,"
	    "  a.eligibility_failures, 0)"
	    " FROM accounts a LEFT JOIN insurers i ON i.id = a.insurer_id"
	    " WHERE a.id = ?", "iiiii", tries, hours, hours, hours, id);
	if (st == 1) {
		a->email = c[0];
		a->insurer_number = c[1];
		c[0] = c[1] = NULL;
		a->signed_entry_insurer = c[2] ? strtoll(c[2], NULL, 10) : 0;
		a->locked = c[3] ? atoi(c[3]) != 0 : 0;
		a->lock_hours = c[4] ? strtoll(c[4], NULL, 10) : 0;
		a->failures = c[5] ? strtoll(c[5], NULL, 10) : 0;
	}
	for (i = 0; i < 6; i++)
		free(c[i]);
	return st;
}

/* Show the lock and the hours left. */
static void
set_locked(struct req *r, long long hours)
{
	char		 h[24];
	const char	*vars[] = { "hours", h, NULL };

	snprintf(h, sizeof(h), "%lld", hours > 0 ? hours : 1);
	req_set(r, "Elig.Locked", "1");
	req_set_text(r, "Elig.LockText", "Signup.Elig.LockText", vars);
}

/*
 * Reserve one failed check for account_id: 1 reserved, 0 the step is locked,
 * or a db_status. The counter restarts when the window is over.
 */
static int
reserve_try(long long account_id)
{
	long long	 hours = config_int("Signup.EligibilityHours");
	long long	 n;

	n = db_exec("UPDATE accounts SET"
	    " eligibility_failures = IF(eligibility_window_start IS NULL OR"
	    "  eligibility_window_start <= NOW(6) - INTERVAL ? HOUR, 1,"
	    "  eligibility_failures + 1),"
	    " eligibility_window_start = IF(eligibility_window_start IS NULL OR"
	    "  eligibility_window_start <= NOW(6) - INTERVAL ? HOUR, NOW(6),"
	    "  eligibility_window_start)"
	    " WHERE id = ? AND state = 'verified' AND NOT"
	    " COALESCE(eligibility_failures >= ? AND"
	    "  eligibility_window_start > NOW(6) - INTERVAL ? HOUR, 0)",
	    "iiiii", hours, hours, account_id,
	    config_int("Signup.EligibilityTries"), hours);
	if (n < 0)
		return (int)n;
	return n > 0 ? 1 : 0;
}

/* Give back a reserved try (the check did not fail). */
static void
refund_try(long long account_id)
{
	if (db_exec("UPDATE accounts SET eligibility_failures ="
	    " GREATEST(eligibility_failures - 1, 0) WHERE id = ?", "i",
	    account_id) < 0)
		log_warn("signup: could not give back an eligibility try");
}

/* Keep what was typed for the re-rendered form. */
static void
keep_values(struct req *r)
{
	static const char *const f[] = { "insurer_number", "symbol", "symbol2",
	    "number", "number2", "name_kana", "birth_year", "birth_month",
	    "birth_day", NULL };
	const char	*v;
	char		 k[64];
	int		 i;

	for (i = 0; f[i] != NULL; i++) {
		if ((v = req_param(r, f[i])) == NULL || strlen(v) > 200)
			continue;
		snprintf(k, sizeof(k), "Form.Values.%s", f[i]);
		req_set(r, k, v);
	}
}

/* A required box of at most BOX_MAX characters; NULL with a form error. */
static const char *
box(struct req *r, const char *field, const char *missing)
{
	const char	*v = req_param_trim(r, field);

	if (v == NULL) {
		req_form_error(r, field, missing);
		return NULL;
	}
	if (util_utf8_len(v) > BOX_MAX) {
		req_form_error(r, field, "Signup.Elig.TooLong");
		return NULL;
	}
	return v;
}

/* A symbol box: letters/digits/kana after normalisation. */
static const char *
symbol_box(struct req *r, const char *field)
{
	const char	*v = box(r, field, "Signup.Elig.Symbol.Missing");
	char		*n;

	if (v == NULL)
		return NULL;
	if ((n = normalize_symbol(v)) == NULL || n[0] == '\0') {
		util_free_secret(n);
		req_form_error(r, field, "Signup.Elig.Symbol.Invalid");
		return NULL;
	}
	util_free_secret(n);
	return v;
}

/* A number box: digits (full-width, spaces, hyphens allowed). */
static const char *
number_box(struct req *r, const char *field)
{
	const char	*v = box(r, field, "Signup.Elig.Number.Missing");
	char		*n;

	if (v == NULL)
		return NULL;
	if ((n = normalize_digits(v)) == NULL) {
		req_form_error(r, field, "Signup.Elig.Number.Invalid");
		return NULL;
	}
	util_free_secret(n);
	return v;
}

/*
 * 1 when a box of a hyphenated pair holds the whole symbol or number: a hyphen
 * or space inside was dropped by the normalisation, or (numbers) it has 8
 * digits or more.
 */
static int
typed_whole(const char *v, int symbol)
{
	char		*n = symbol ? normalize_symbol(v) : normalize_digits(v);
	const char	*p = v;
	size_t		 zeros = 0;
	int		 whole;

	if (n == NULL)
		return 0;
	/* normalize_symbol also drops leading zeros ("0", "０"): not separators. */
	while (symbol && (*p == '0' || strncmp(p, "\xef\xbc\x90", 3) == 0)) {
		p += *p == '0' ? 1 : 3;
		zeros++;
	}
	whole = util_utf8_len(n) + zeros < util_utf8_len(v) ||
	    (!symbol && strlen(n) >= 8);
	util_free_secret(n);
	return whole;
}

static int
leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * The birthdate from birth_year/month/day as YYYY-MM-DD in out[11]: a real
 * calendar date from 1900 to today (in Japan). 0, or -1 with form errors.
 */
static int
birthdate(struct req *r, char out[ROSTER_DATE_LEN + 1])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	static const char *const f[] = { "birth_year", "birth_month", "birth_day" };
	const char	*v;
	char		*d, today[ROSTER_DATE_LEN + 1];
	long long	 part[3], thisyear;
	int		 i, bad = 0, max;

	roster_today(today);
	thisyear = strtoll(today, NULL, 10);
	for (i = 0; i < 3; i++) {
		part[i] = 0;
		if ((v = req_param_trim(r, f[i])) == NULL) {
			req_form_error(r, f[i], "Signup.Elig.Birth.Missing");
			bad = 1;
			continue;
		}
		if (strlen(v) > 16 || (d = normalize_digits(v)) == NULL) {
			req_form_error(r, f[i], "Signup.Elig.Birth.Invalid");
			bad = 1;
			continue;
		}
		if (util_parse_int(d, 0, 9999, &part[i]) != 0)
			part[i] = -1;
		free(d);
	}
	if (bad)
		return -1;
	if (part[0] < 1900 || part[0] > thisyear) {
		req_form_error(r, "birth_year", "Signup.Elig.Birth.Year");
		return -1;
	}
	if (part[1] < 1 || part[1] > 12) {
		req_form_error(r, "birth_month", "Signup.Elig.Birth.Invalid");
		return -1;
	}
	max = mdays[part[1] - 1] + (part[1] == 2 && leap(part[0]));
	if (part[2] < 1 || part[2] > max) {
		req_form_error(r, "birth_day", "Signup.Elig.Birth.Invalid");
		return -1;
	}
	/* Ranges checked above: 1900..9999, 1..12, 1..31. */
	snprintf(out, ROSTER_DATE_LEN + 1, "%04u-%02u-%02u",
	    (unsigned)part[0] % 10000u, (unsigned)part[1] % 100u,
	    (unsigned)part[2] % 100u);
	if (strcmp(out, today) > 0) {
		req_form_error(r, "birth_year", "Signup.Elig.Birth.Future");
		return -1;
	}
	return 0;
}

/*
 * Look up the insurer of a normalised number for the form: sets Elig.Pattern,
 * Elig.InsurerName, Elig.FormInsurer and stage "card" when it can be used.
 * Returns NULL when usable, else the outcome name (unknown, not_adopted,
 * signed_entry); *st gets a db_status on failure (and "error" is returned).
 */
static const char *
insurer_for_form(struct req *r, const char *number, struct entry_ctx *ctx,
    const struct elig_account *a, struct insurer *ins, int *st)
{
	*st = insurer_find(number, ins);
	if (*st < 0)
		return "error";
	if (*st == 0)
		return "unknown";
	if (!ins->adopted)
		return "not_adopted";
	/* Step 1 came through this insurer's signed link (maybe in another
	 * browser), or this browser did, or it is a smartphone (entry.h). */
	if (a->signed_entry_insurer != ins->id &&
	    !entry_insurer_signup_allowed(r, ctx, ins))
		return "signed_entry";
	/* The insurer typed here is the member's: its maintenance notice. */
	(void)maintenance_show(r, ins->id);
	req_set(r, "Elig.Stage", "card");
	req_set_int(r, "Elig.Pattern", ins->card_pattern);
	req_set(r, "Elig.InsurerName", ins->name);
	req_set(r, "Elig.FormInsurer", ins->number);
	return NULL;
}

/* Show an outcome; the unknown/not-adopted ones name the number typed. */
static void
set_outcome(struct req *r, const char *outcome)
{
	req_set(r, "Elig.Outcome", outcome);
}

/* Record a failed check (try already reserved) and show the lock if it is now. */
static int
failed(struct req *r, long long account_id, const char *outcome)
{
	struct elig_account a;
	int		 st;

	audit(r, "signup.eligibility_fail", account_id);
	set_outcome(r, outcome);
	if ((st = elig_account_load(account_id, &a)) < 0)
		return req_db_error(r, st);
	if (a.locked)
		set_locked(r, a.lock_hours);
	else {
		char		 n[24], h[24];
		const char	*vars[] = { "n", n, "hours", h, NULL };

		snprintf(n, sizeof(n), "%lld",
		    config_int("Signup.EligibilityTries") - a.failures);
		snprintf(h, sizeof(h), "%lld", config_int("Signup.EligibilityHours"));
		req_set_text(r, "Elig.TriesLeftText", "Signup.Elig.TriesLeft",
		    vars);
	}
	elig_account_free(&a);
	return 200;
}

/*
 * /signup/deletion after a good check: hit is the person typed. Files the
 * request against the account holding it (never naming that account) or says
 * there is none. Returns an HTTP status.
 */
static int
deletion_found(struct req *r, long long account_id, const struct roster_hit *hit,
    const char *contact)
{
	int	 st;

	if (hit->account_id == 0 || hit->account_id == account_id) {
		set_outcome(r, "free");
		return 200;
	}
	st = deletion_file(account_id, hit->roster_id, hit->account_id, contact,
	    r->lang, r->ip);
	if (st < 0)
		return req_db_error(r, st);
	if (st == DELETION_PENDING) {
		set_outcome(r, "pending");
		return 200;
	}
	r->template = "signup_deletion_sent";
	req_set(r, "Deletion.Contact", contact);
	req_set_int(r, "Deletion.LinkHours", DELETION_LINK_HOURS);
	req_set_int(r, "Deletion.GraceDays", deletion_grace_days());
	return 200;
}

/*
 * The POST once the insurer is known and its boxes were shown. contact is the
 * deletion request's contact address (NULL: step 3 itself).
 */
static int
check(struct req *r, long long account_id, struct insurer *ins,
    const char *contact)
{
	const char	*sym = NULL, *sym2 = NULL, *num = NULL, *num2 = NULL;
	const char	*name;
	char		*kana = NULL, *osym = NULL, *onum = NULL;
	char		 key[INSURER_CARD_KEY_LEN + 1], birth[ROSTER_DATE_LEN + 1];
	struct roster_hit hit;
	int		 f = insurer_pattern_fields(ins->card_pattern), st, res;

	if (f & INSURER_F_SYMBOL)
		sym = symbol_box(r, "symbol");
	/* The second box of a hyphenated pair may stay empty when the whole
	 * "12-456" went into the first one (insurer_card_compose joins them). */
	if ((f & INSURER_F_SYMBOL2) && !(sym != NULL &&
	    req_param_trim(r, "symbol2") == NULL && typed_whole(sym, 1)))
		sym2 = symbol_box(r, "symbol2");
	if (f & INSURER_F_NUMBER)
		num = number_box(r, "number");
	if ((f & INSURER_F_NUMBER2) && !(num != NULL &&
	    req_param_trim(r, "number2") == NULL && typed_whole(num, 0)))
		num2 = number_box(r, "number2");
	if ((name = req_param_trim(r, "name_kana")) == NULL)
		req_form_error(r, "name_kana", "Signup.Elig.Name.Missing");
	else if (util_utf8_len(name) > NAME_MAX_CHARS)
		req_form_error(r, "name_kana", "Signup.Elig.TooLong");
	else if ((kana = normalize_kana(name)) == NULL)
		req_form_error(r, "name_kana", "Signup.Elig.Name.Kana");
	(void)birthdate(r, birth);
	if (r->nerrors > 0) {
		st = 200;
		goto out;
	}
	if (insurer_card_compose(ins->card_pattern, sym, sym2, num, num2, &osym,
	    &onum) != 0 || insurer_card_key(NULL, 0, ins->number, osym, onum,
	    key) != 0) {
		req_form_error(r, "number", "Signup.Elig.Number.Invalid");
		st = 200;
		goto out;
	}

	if ((st = reserve_try(account_id)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 0) {
		struct elig_account a;

		set_outcome(r, "locked");
		if ((st = elig_account_load(account_id, &a)) < 0) {
			st = req_db_error(r, st);
			goto out;
		}
		set_locked(r, a.lock_hours);
		elig_account_free(&a);
		st = 200;
		goto out;
	}
	memset(&hit, 0, sizeof(hit));
	res = roster_match(ins->id, key, kana, birth, NULL, &hit);
	if (res < 0) {
		refund_try(account_id);
		st = req_db_error(r, res);
		goto out;
	}
	if (res == ROSTER_NOT_FOUND) {
		st = failed(r, account_id, "not_found");
		goto out;
	}
	if (res == ROSTER_NOT_QUALIFIED) {
		st = failed(r, account_id, "not_qualified");
		goto out;
	}
	if (contact != NULL) {
		refund_try(account_id);
		st = deletion_found(r, account_id, &hit, contact);
		goto out;
	}
	if (hit.account_id != 0 && hit.account_id != account_id) {
		st = failed(r, account_id, "bound");
		goto out;
	}
	refund_try(account_id);
	st = (int)db_exec("UPDATE accounts SET match_roster_id = ?, match_at = NOW(6),"
	    " insurer_id = ?, level = GREATEST(level, 1)"
	    " WHERE id = ? AND state = 'verified'", "iii", hit.roster_id, ins->id,
	    account_id);
	if (st < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "signup.eligibility_ok", account_id);
	st = req_redirect(r, "/signup/confirm");
 out:
	util_wipe(key, sizeof(key));
	util_free_secret(kana);
	util_free_secret(osym);
	util_free_secret(onum);
	return st;
}

/* Any card box sent non-empty (the member typed into boxes of another insurer). */
static int
card_typed(struct req *r)
{
	static const char *const f[] = { "symbol", "symbol2", "number", "number2",
	    NULL };
	int	 i;

	for (i = 0; f[i] != NULL; i++)
		if (req_param_trim(r, f[i]) != NULL)
			return 1;
	return 0;
}

/*
 * The contact address of a deletion request, normalised (malloc'd), or NULL
 * with a form error.
 */
static char *
contact_address(struct req *r)
{
	const char	*v = req_param_trim(r, "contact_email");
	char		*e;

	if (v == NULL) {
		req_form_error(r, "contact_email", "Deletion.Error.ContactMissing");
		return NULL;
	}
	if ((e = account_email_normalize(v)) == NULL || !account_email_valid(e)) {
		free(e);
		req_form_error(r, "contact_email", "Deletion.Error.ContactInvalid");
		return NULL;
	}
	return e;
}

int
page_signup_eligibility(struct req *r)
{
	return signup_eligibility_page(r, 0);
}

int
signup_eligibility_page(struct req *r, int deletion)
{
	struct entry_ctx ctx;
	struct elig_account a;
	struct insurer	 ins;
	const char	*raw, *form_ins, *outcome, *prefill, *v;
	char		*number = NULL, *contact = NULL;
	int		 st, dbst;

	if ((st = signup_route(r, "/signup/eligibility")) != 0)
		return st;
	if (r->sess == NULL) {
		struct signup_cookie c;

		return req_redirect(r, signup_cookie_get(r, &c) ? "/signup/sent" :
		    "/login");
	}
	memset(&ins, 0, sizeof(ins));
	if ((st = elig_account_load(r->sess->account_id, &a)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/signup");
	signup_page(r, "signup_eligibility", 3, &ctx);
	req_set(r, "Elig.Email", a.email);
	if (deletion) {
		req_set(r, "Elig.Purpose", "deletion");
		req_set_int(r, "Deletion.GraceDays", deletion_grace_days());
		req_set(r, "Form.Values.contact_email", a.email);
	}
	req_set(r, "Elig.Stage", "insurer");
	req_set_int(r, "Elig.Hours", config_int("Signup.EligibilityHours"));
	req_set_int(r, "Elig.Tries", config_int("Signup.EligibilityTries"));
	if (a.locked)
		set_locked(r, a.lock_hours);

	if (strcmp(r->method, "POST") != 0) {
		/* Redirected here by step 4 (fixed keys only). */
		if (!deletion && (v = req_param(r, "outcome")) != NULL &&
		    (strcmp(v, "bound") == 0 || strcmp(v, "not_qualified") == 0))
			set_outcome(r, v);
		prefill = ctx.number[0] != '\0' ? ctx.number : a.insurer_number;
		if (prefill != NULL) {
			req_set(r, "Form.Values.insurer_number", prefill);
			outcome = insurer_for_form(r, prefill, &ctx, &a, &ins, &dbst);
			if (outcome != NULL && strcmp(outcome, "error") == 0) {
				st = req_db_error(r, dbst);
				goto out;
			}
			/* A prefilled insurer that cannot be used: say so now. */
			if (outcome != NULL && strcmp(outcome, "unknown") != 0)
				set_outcome(r, outcome);
		}
		st = 200;
		goto out;
	}

	keep_values(r);
	if (deletion) {
		if ((v = req_param(r, "contact_email")) != NULL && strlen(v) <= 300)
			req_set(r, "Form.Values.contact_email", v);
		contact = contact_address(r);
	}
	raw = req_param_trim(r, "insurer_number");
	if (raw == NULL) {
		req_form_error(r, "insurer_number", "Signup.Elig.Insurer.Missing");
		st = 200;
		goto out;
	}
	if (strlen(raw) > INSURER_RAW_MAX ||
	    (number = normalize_digits(raw)) == NULL ||
	    strlen(number) != INSURER_NUMBER_LEN) {
		req_form_error(r, "insurer_number", "Signup.Elig.Insurer.Format");
		st = 200;
		goto out;
	}
	if (!insurer_number_valid(number)) {
		req_form_error(r, "insurer_number", "Signup.Elig.Insurer.CheckDigit");
		st = 200;
		goto out;
	}
	outcome = insurer_for_form(r, number, &ctx, &a, &ins, &dbst);
	if (outcome != NULL) {
		if (strcmp(outcome, "error") == 0) {
			st = req_db_error(r, dbst);
			goto out;
		}
		set_outcome(r, outcome);
		st = 200;
		goto out;
	}
	form_ins = req_param(r, "form_insurer");
	if (form_ins == NULL || strcmp(form_ins, number) != 0) {
		/* The boxes on the page were not this insurer's: show them. */
		if (card_typed(r))
			req_set(r, "Elig.Switched", "1");
		st = 200;
		goto out;
	}
	if (a.locked) {
		set_outcome(r, "locked");
		st = 200;
		goto out;
	}
	if (deletion && contact == NULL) {
		st = 200;
		goto out;
	}
	st = check(r, r->sess->account_id, &ins, contact);
 out:
	free(number);
	free(contact);
	insurer_free(&ins);
	elig_account_free(&a);
	return st;
}
