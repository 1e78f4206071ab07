/*
 * lifecycle.h — loss of qualification and the 100-day rules (SPEC §6, seed 001
 * Q4–Q5). The rules, for an active account bound to a roster person:
 *
 *   loss         the person's qualified_until is on or before today (the day
 *                qualification ended; a snapshot import that leaves the person
 *                out sets it to the import date): the account becomes 未所属
 *                (accounts.unaffiliated = 1) with lost_on = qualified_until,
 *                audited as account.unaffiliated, mail account_unaffiliated;
 *   rejoin       the insurer lists the same personal ID as qualified again
 *                (qualified_until NULL or after today) while today is before
 *                lost_on + LIFECYCLE_DAYS: unaffiliated = 0, lost_on NULL, the
 *                account is back at its level with nothing lost, audited as
 *                account.reaffiliated, mail account_reaffiliated;
 *   closure      from lost_on + LIFECYCLE_DAYS on, still 未所属: the account is
 *                closed for good (state 'closed', account_erase: no personal data
 *                left, roster binding released, address free for a new signup),
 *                audited as account.closed, mail account_closed to the old
 *                address.
 *
 * Who applies them: a roster import (roster.c) applies loss and rejoin to the
 * insurer's accounts in its own transaction; the daily job (kenpoctl lifecycle
 * run, lifecycle_run) applies all three — so a loss date given in advance takes
 * effect on its day —, one account per transaction, each re-checked under
 * SELECT … FOR UPDATE, so two runs at once or one after the other do what one
 * does. member_load re-checks loss and rejoin when a page of the member area is
 * shown (a safety net between the day's start and the job), and signup step 1
 * closes an account whose 100 days are up before the job got to it
 * (lifecycle_release_address). "today" is a date in Japan (roster_today).
 */
#ifndef KENPO_LIFECYCLE_H
#define KENPO_LIFECYCLE_H

#include "roster.h"

/* Days from the loss of qualification until the account is closed. */
#define LIFECYCLE_DAYS	100

/* What one account's check did. */
enum lifecycle_change {
	LIFECYCLE_NONE = 0,
	LIFECYCLE_UNAFFILIATED,
	LIFECYCLE_REAFFILIATED,
	LIFECYCLE_CLOSED,
};

/*
 * Inside db_txn: apply loss and rejoin to every active account bound to a
 * roster person of insurer_id, as of today (YYYY-MM-DD). Adds the numbers of
 * accounts made 未所属 and back to *unaffiliated and *reaffiliated.
 * 0 or a db_status.
 */
int	 lifecycle_sync_insurer(long long insurer_id, const char *today,
	    long *unaffiliated, long *reaffiliated);

/*
 * In its own transaction (not inside db_txn): apply loss and rejoin to account
 * id as of today (NULL: roster_today). Returns an enum lifecycle_change or a
 * db_status.
 */
int	 lifecycle_account_sync(long long id, const char *today);

/*
 * Inside db_txn: if an active 未所属 account holds email and its
 * LIFECYCLE_DAYS are up as of today (NULL: roster_today), close it now (as the
 * daily job would) so that email can start a new signup. Returns 1 closed,
 * 0 nothing to do, or a db_status.
 */
int	 lifecycle_release_address(const char *email, const char *today);

/*
 * YYYY-MM-DD of date + days into out; 0, or -1 when date is not a date.
 */
int	 lifecycle_date_add(const char *date, int days,
	    char out[ROSTER_DATE_LEN + 1]);

/* The daily job (kenpoctl lifecycle run). */
struct lifecycle_run {
	/* in */
	const char	*today;		/* YYYY-MM-DD in Japan; NULL: roster_today */
	/* out */
	long		 unaffiliated;	/* accounts made 未所属 */
	long		 reaffiliated;	/* accounts back at their level */
	long		 closed;	/* accounts closed (100 days up) */
	long		 purged;	/* closure mails sent (or given up) deleted */
	long		 logins_pruned;	/* login_history rows past Member.LoginHistoryDays */
	long		 verifications_purged; /* whose images were deleted (retention) */
	long		 failed;	/* accounts whose transaction failed (logged) */
	long		 oidc_codes;	/* authorization codes deleted (expired) */
	long		 oidc_tokens;	/* access tokens deleted (expired or revoked) */
	long		 oidc_keys;	/* retired signing keys deleted */
	int		 oidc_rotated;	/* the signing key was rotated (KeyRotationDays) */
};
/*
 * Run the rules over every account they may concern, one transaction per
 * account; then delete the outbox rows of closure mails that were sent or given
 * up (the last place the closed account's address was kept), and the eKYC
 * images past their retention (Verify.RetentionDays after the decision,
 * abandoned drafts after Verify.DraftHours; one transaction per
 * verification, audited "verification.purged"; the real clock, not "today").
 * The OpenID provider's leftovers go too (oidc_keys.h): codes expired
 * longer than an access token lives (until then a replayed code still
 * revokes its tokens), expired or revoked access tokens, retired signing
 * keys past retire_after; and the signing key is rotated once it has signed
 * OIDC.KeyRotationDays days.
 * An account or verification whose transaction fails is logged and counted,
 * and the run goes on. Returns 0, or a db_status when the accounts could not
 * be listed at all or the database went away.
 */
int	 lifecycle_run(struct lifecycle_run *);

#endif
