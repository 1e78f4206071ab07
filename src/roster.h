/*
 * roster.h — insurers' member rosters: CSV import and the eligibility match.
 *
 * A roster row is one insured person (personal_id, stable across card reissue) with
 * card_key = insurer_card_key(insurer number, symbol, number): the raw symbol and
 * number never reach the database. Names are stored normalised (normalize_kana).
 * Dates are calendar dates in Japan; "today" is the date in Japan (UTC+9, no DST),
 * whatever the host's time zone.
 */
#ifndef KENPO_ROSTER_H
#define KENPO_ROSTER_H

#include <stddef.h>

#define ROSTER_DATE_LEN		10	/* YYYY-MM-DD */

/* Today's date in Japan as YYYY-MM-DD in out[11]. */
void	 roster_today(char out[ROSTER_DATE_LEN + 1]);

/*
 * The eligibility check of signup step 3 (SPEC §3).
 *
 * Looks for a roster row of insurer_id whose card matches card_key (from
 * insurer_card_key over what the member typed) with exactly this normalised
 * katakana name (compared byte for byte, not by collation: ハハ ≠ パパ) and
 * birthdate (YYYY-MM-DD). A 特別退職被保険者 (special_retiree = 1) also matches on
 * the card they held before retirement (prev_card_key, kept by the import when the
 * card changed): "either card works". Qualified means qualified_from <= today and
 * qualified_until (the day qualification ended) is NULL or after today; today NULL
 * means roster_today().
 *
 * Returns a roster_status (>= 0) or a db_status (< 0). For every status but
 * ROSTER_NOT_FOUND, *hit holds the row (the best one when several match: qualified
 * first) and the id of the account bound to it (0 when none: the caller decides
 * "already bound to another account"). The insurer's adoption is the caller's check.
 */
enum roster_status {
	ROSTER_NOT_FOUND = 0,		/* no such person: mistyped, or not linked yet */
	ROSTER_QUALIFIED = 1,		/* found, currently qualified */
	ROSTER_NOT_QUALIFIED = 2,	/* found, qualification ended or not yet begun */
	ROSTER_SPECIAL_RETIREE = 3,	/* found by a special retiree's earlier card,
					 * currently qualified: treat as qualified */
};
struct roster_hit {
	long long	 roster_id;
	long long	 account_id;	/* bound account, 0 if none */
	char		 qualified_until[ROSTER_DATE_LEN + 1];	/* "" if NULL */
};
int	 roster_match(long long insurer_id, const char *card_key,
	    const char *name_kana, const char *birthdate, const char *today,
	    struct roster_hit *hit);

/*
 * Inside db_txn, when the transaction writes an account because of what roster
 * row roster_id says (a bind, a loss, a rejoin): write that row too, so a
 * roster import that changes the row meanwhile conflicts with it. The row
 * locks of SELECT … FOR UPDATE do that on one server only; Galera: a
 * certification key shared with the import (src/db.h). updated_at moves by
 * 1 µs. 0 or a db_status.
 */
int	 roster_touch(long long roster_id);

/*
 * Import one insurer's roster CSV (SPEC §1), all or nothing.
 *
 * The file has the header line
 *   insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,
 *   qualified_from,qualified_until
 * (a UTF-8 byte order mark is allowed), optionally followed by a 10th column
 * "special_retiree" (0/1, empty = keep) marking 特別退職被保険者. Every line is
 * checked; each bad line is reported through on_error as (line number, reason)
 * — the reason never contains the line's data — and nothing is written unless
 * every line is good. Then, in one transaction, each person is inserted or updated
 * by (insurer, personal_id) (re-importing the same file changes nothing); with
 * snapshot, persons of the insurer missing from the file get qualified_until = the
 * import date unless it is already earlier. In the same transaction the
 * accounts bound to the insurer's persons follow the roster (lifecycle.h): a
 * person whose qualified_until is on or before the import date makes the
 * account 未所属, one qualified again within 100 days of the loss gets it back.
 * dry_run checks and counts but writes nothing (the account counts stay 0). A snapshot without data lines is refused (it would end everyone's
 * qualification; that is never what an operator means).
 */
struct roster_import {
	/* In. */
	const char	*insurer_number;	/* 8 digits */
	const char	*path;
	const char	*encoding;		/* "utf-8" (default) or "cp932" */
	int		 snapshot;
	int		 dry_run;
	const char	*today;			/* import date; NULL: roster_today() */
	const unsigned char *pepper;		/* NULL: Security.Pepper */
	size_t		 pepperlen;
	/* line 0 for a problem of the whole file. Called in line order. */
	void		(*on_error)(void *arg, long line, const char *reason);
	void		*arg;
	/* Out. */
	long		 rows;			/* data lines */
	long		 added, updated, unchanged, lost;
	long		 unaffiliated, reaffiliated;	/* accounts (lifecycle.h) */
	long		 errors;		/* bad lines */
};

/* Results of roster_import beyond the db_status values of db.h. */
#define ROSTER_EINVALID		(-10)	/* bad lines (reported); nothing applied */
#define ROSTER_EINSURER		(-11)	/* no insurer with that number */
#define ROSTER_EFILE		(-12)	/* cannot read the file (reported, line 0) */
#define ROSTER_EARG		(-13)	/* bad encoding or insurer number (reported) */

/* 0 on success (counts filled in), or one of the negative values above. */
int	 roster_import(struct roster_import *);

/*
 * The checks of roster_import without the database or a file: data (len bytes,
 * the whole file; need not be NUL-terminated) is checked line by line as
 * roster_import checks a file of the insurer ri->insurer_number whose card
 * pattern is card_pattern (1..4). Reads encoding, snapshot, today and pepper of
 * ri (path and dry_run are ignored); sets rows and errors and reports each
 * problem through on_error exactly as roster_import would. Returns 0 when every
 * line is good, ROSTER_EINVALID or ROSTER_EARG. roster_import runs the same
 * code; untrusted bytes: fuzzed by tests/fuzz/fuzz_roster.c.
 */
int	 roster_check(struct roster_import *, int card_pattern, const char *data,
	    size_t len);

#endif
