/*
 * eligibility.h — the card check against the roster (健保資格確認, SPEC §3 step 3),
 * shared by signup step 3 (src/pages/signup_eligibility.c) and the later
 * 本人確認 of a 団体ID認証 account (src/pages/account_verify.c, SPEC §5).
 *
 * The form is the same on both pages (templates/eligibility_card.cs): the
 * card's boxes in the insurer's input pattern ①–④, name_kana, birth_year,
 * birth_month, birth_day. Failed checks (not found, not qualified, bound to
 * another account) count on the account (accounts.eligibility_failures in a
 * window of Signup.EligibilityHours; Signup.EligibilityTries of them lock the
 * check for the rest of the window), whichever page they came from: a member
 * cannot get more guesses at the roster by switching pages. A try is reserved
 * atomically before the roster is read, so parallel requests cannot exceed
 * the limit.
 *
 * Page data set here (the templates read them): Elig.Outcome, Elig.Locked,
 * Elig.LockText (until when, Japan time, and the hours left), Elig.LockUntil, Elig.TriesLeftText, Form.Values.*, Form.Errors.*.
 */
#ifndef KENPO_ELIGIBILITY_H
#define KENPO_ELIGIBILITY_H

struct req;
struct insurer;
struct roster_hit;

/* The account's standing in the current window. */
struct elig_state {
	int		 locked;
	long long	 lock_hours;	/* hours until the lock ends (>= 1) */
	long long	 failures;	/* failed checks in the current window */
	long long	 lock_end;	/* unix time the window ends */
};
/* 1 loaded, 0 no such account, or a db_status. */
int	 eligibility_state(long long account_id, struct elig_state *s);
/* Show the lock (Elig.Locked, Elig.LockText) when s says the check is locked. */
void	 eligibility_show_lock(struct req *, const struct elig_state *s);

/* Keep what was typed (card boxes, name, birthdate, insurer number) as
 * Form.Values.* for the re-rendered form. */
void	 eligibility_keep_values(struct req *);

/* 1 when any card box was sent non-empty. */
int	 eligibility_card_typed(struct req *);

enum elig_result {
	ELIG_OK = 0,		/* *hit: a qualified person, bound to nobody or
				 * to account_id */
	ELIG_FORM,		/* form errors recorded; nothing counted */
	ELIG_LOCKED,		/* too many failed checks: not checked */
	ELIG_NOT_FOUND,		/* counted */
	ELIG_NOT_QUALIFIED,	/* counted */
	ELIG_BOUND,		/* bound to another account; counted */
};
/*
 * Validate the card form of r for ins's pattern and check it against ins's
 * roster for account_id (whose state must be verified or active). A failure
 * is counted, audited as fail_event and shown (Elig.Outcome, tries left or
 * the lock). Returns an enum elig_result or a db_status (the caller answers
 * req_db_error).
 */
int	 eligibility_check(struct req *, long long account_id,
	    const struct insurer *ins, const char *fail_event,
	    struct roster_hit *hit);

#endif
