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
 * requests cannot exceed the limit (src/eligibility.c, shared with the later
 * 本人確認 of /account/verify). Success stores the match on the account
 * (accounts.match_roster_id, level 1: insurer known), keeps what was typed in
 * the sealed "sc" cookie (signup_card.h: step 4 repeats 保険者番号 and 記号・番号
 * from it, and its 戻る brings the member back here with every box filled in)
 * and answers 303 → /signup/confirm. The birthdate may be typed in 西暦 or
 * 和暦 (birth_era select, or "昭和35"/"S35" in the year box: src/birthdate.c).
 *
 * 団体ID認証 (SPEC §5): when the insurer has insurer_id_only (kenpoctl insurer
 * update --insurer-id-only on), the card stage also offers "保険者番号だけで
 * 登録を完了する" (action=insurer_only). That POST skips the card check: the
 * choice is stored (accounts.match_insurer_only) and step 4 confirms the
 * insurer with its terms and completes: the account becomes active at level 1,
 * bound to no roster person (本人確認 later from the member area). Nothing about
 * the roster is read, so it is allowed while the card check is locked; the
 * lock stays on the account for /account/verify. For an insurer without the
 * setting (turned off meanwhile, or a forged POST) the outcome
 * insurer_only_off asks for the card.
 *
 * The same form, check and limit serve /signup/deletion (アカウント削除申請,
 * src/pages/signup_deletion.c: Elig.Purpose "deletion", plus a contact
 * address, no insurer-number-only choice). There the person found bound to
 * another account is what is asked for: that outcome, counted as on step 3
 * (a request costs one try of the window), files the request (deletion_file);
 * a person bound to nobody says "free" (step 3 works now).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "account.h"
#include "db.h"
#include "deletion.h"
#include "eligibility.h"
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
#include "signup_card.h"
#include "util.h"

#define INSURER_RAW_MAX	32

struct elig_account {
	char		*email;
	char		*insurer_number;	/* of accounts.insurer_id, or NULL */
	long long	 signed_entry_insurer;
	struct elig_state state;		/* failed checks, lock */
};

static void
elig_account_free(struct elig_account *a)
{
	free(a->email);
	free(a->insurer_number);
}

/* 1 loaded, 0 no such account, or a db_status. */
static int
elig_account_load(long long id, struct elig_account *a)
{
	char		*c[3] = { NULL };
	int		 st, i;

	memset(a, 0, sizeof(*a));
	st = db_row(c, 3, "SELECT a.email, i.number, a.signed_entry_insurer_id"
	    " FROM accounts a LEFT JOIN insurers i ON i.id = a.insurer_id"
	    " WHERE a.id = ?", "i", id);
	if (st == 1) {
		a->email = c[0];
		a->insurer_number = c[1];
		c[0] = c[1] = NULL;
		a->signed_entry_insurer = c[2] ? strtoll(c[2], NULL, 10) : 0;
		st = eligibility_state(id, &a->state);
	}
	for (i = 0; i < 3; i++)
		free(c[i]);
	return st;
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
	if (ins->insurer_id_only)
		req_set(r, "Elig.InsurerOnly", "1");
	return NULL;
}

/* Show an outcome; the unknown/not-adopted ones name the number typed. */
static void
set_outcome(struct req *r, const char *outcome)
{
	req_set(r, "Elig.Outcome", outcome);
}

/* The card check passed: store the match for step 4 (303 → /signup/confirm). */
static int
matched(struct req *r, long long account_id, const struct insurer *ins,
    const struct roster_hit *hit)
{
	long long	 n;

	n = db_exec("UPDATE accounts SET match_roster_id = ?, match_at = NOW(6),"
	    " insurer_id = ?, level = GREATEST(level, 1)"
	    " WHERE id = ? AND state = 'verified'", "iii", hit->roster_id, ins->id,
	    account_id);
	if (n < 0)
		return req_db_error(r, (int)n);
	audit(r, "signup.eligibility_ok", account_id);
	signup_card_put(r, account_id);
	return req_redirect(r, "/signup/confirm");
}

/*
 * Choose to finish signup with the insurer number alone (団体ID認証, SPEC §5):
 * only for an insurer with insurer_id_only. The choice is stored like a match
 * (accounts.match_insurer_only, insurer_id, level 1: insurer known) and step 4
 * completes it with the insurer's terms and the mail opt-in (signup_confirm.c,
 * which checks the setting again): 303 → /signup/confirm. Nothing about the
 * roster is read or counted.
 */
static int
choose_insurer_only(struct req *r, long long account_id, const struct insurer *ins)
{
	long long	 n;

	if (!ins->insurer_id_only) {
		set_outcome(r, "insurer_only_off");
		return 200;
	}
	n = db_exec("UPDATE accounts SET insurer_id = ?, match_insurer_only = 1,"
	    " match_roster_id = NULL, match_at = NOW(6), level = GREATEST(level, 1)"
	    " WHERE id = ? AND state = 'verified'", "ii", ins->id, account_id);
	if (n < 0)
		return req_db_error(r, (int)n);
	audit(r, "signup.insurer_only", account_id);
	signup_card_put(r, account_id);
	return req_redirect(r, "/signup/confirm");
}

/*
 * /signup/deletion after the check: hit is the person typed (st the
 * elig_result). Files the request against the account holding it (never
 * naming that account) or says there is none. Returns an HTTP status.
 */
static int
deletion_found(struct req *r, long long account_id, int st,
    const struct roster_hit *hit, const char *contact)
{
	if (st == ELIG_OK) {
		set_outcome(r, "free");
		return 200;
	}
	if (st != ELIG_BOUND)
		return 200;		/* the check's own outcome is shown */
	/* Not a failure here: no "tries left" under the outcome. */
	req_set(r, "Elig.TriesLeftText", "");
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
	req_set_int(r, "Deletion.GraceDays", deletion_grace_days());
	return 200;
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
	struct roster_hit hit;
	const char	*raw, *form_ins, *outcome, *prefill, *v, *action;
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
	eligibility_show_lock(r, &a.state);

	if (strcmp(r->method, "POST") != 0) {
		/* Redirected here by step 4 (fixed keys only). */
		if (!deletion && (v = req_param(r, "outcome")) != NULL &&
		    (strcmp(v, "bound") == 0 || strcmp(v, "not_qualified") == 0 ||
		    strcmp(v, "insurer_only_off") == 0))
			set_outcome(r, v);
		prefill = ctx.number[0] != '\0' ? ctx.number : a.insurer_number;
		/* Back from step 4 (戻る): everything typed, as typed. */
		if (signup_card_get(r, r->sess->account_id, "Form.Values") &&
		    (v = hdf_get_value(r->hdf, "Form.Values.insurer_number",
		    NULL)) != NULL && (number = normalize_digits(v)) != NULL &&
		    strlen(number) == INSURER_NUMBER_LEN)
			prefill = number;
		if (prefill != NULL) {
			if (prefill != number)
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

	eligibility_keep_values(r);
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
		if (eligibility_card_typed(r))
			req_set(r, "Elig.Switched", "1");
		st = 200;
		goto out;
	}
	action = req_param(r, "action");
	if (!deletion && action != NULL && strcmp(action, "insurer_only") == 0) {
		st = choose_insurer_only(r, r->sess->account_id, &ins);
		goto out;
	}
	if (a.state.locked) {
		set_outcome(r, "locked");
		st = 200;
		goto out;
	}
	if (deletion && contact == NULL) {
		st = 200;
		goto out;
	}
	st = eligibility_check(r, r->sess->account_id, &ins,
	    "signup.eligibility_fail", &hit);
	if (st < 0)
		st = req_db_error(r, st);
	else if (deletion)
		st = deletion_found(r, r->sess->account_id, st, &hit, contact);
	else if (st == ELIG_OK)
		st = matched(r, r->sess->account_id, &ins, &hit);
	else
		st = 200;
 out:
	free(number);
	free(contact);
	insurer_free(&ins);
	elig_account_free(&a);
	return st;
}
