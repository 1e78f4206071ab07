/*
 * member.h — what the member area shares (SPEC §5–§6): the top page
 * (src/pages/top.c), announcements (src/pages/announcements.c) and the
 * account settings (src/pages/account*.c).
 *
 *   struct member            the session's account with its insurer and roster
 *                            person, loaded once per request by member_load,
 *                            which also re-checks accounts.unaffiliated
 *                            (未所属) against the roster (lifecycle.h);
 *   member_password_check    the current password of the settings forms,
 *                            counted per account (Member.PasswordTries an hour);
 *   member_announcements     the announcements a member may read, newest first;
 *   member_mail              mails of the member area, inside the caller's
 *                            transaction;
 *   member_release_address   the address of a withdrawn account made free for a
 *                            new signup or an address change.
 */
#ifndef KENPO_MEMBER_H
#define KENPO_MEMBER_H

#include <ClearSilver.h>

struct req;

struct member {
	long long	 id;
	char		*email;
	char		*lang;
	char		*password_hash;
	int		 level;		/* 0 none, 1 insurer-ID, 2 identity, 3 sensitive */
	int		 notify;	/* accounts.notify: notification mail wanted */
	int		 unaffiliated;	/* 未所属: the roster person lost qualification */
	char		 lost_on[11];	/* accounts.lost_on, YYYY-MM-DD; "" if none */
	long long	 insurer_id;	/* 0 if none */
	char		*insurer_name;	/* NULL if none */
	char		*terms_url;	/* insurers.terms_url, NULL if none */
	char		*points_name;	/* insurers.points_name, NULL if none */
	char		*name_kana;	/* the roster person's name, NULL if unbound */
};

/*
 * Load the account of the request's session into m and re-check its 未所属
 * state: when the bound roster person's qualified_until (on or before today,
 * Japan time: the day qualification ended, as roster.h defines it) disagrees
 * with accounts.unaffiliated, lifecycle_account_sync applies the rules of
 * lifecycle.h (loss; rejoin within 100 days) as the import and the daily job
 * would. Also sets Insurer.Name for the layout's "提供：…".
 * Returns 1 loaded, 0 no such active account, or a db_status.
 */
int	 member_load(struct req *, struct member *m);
void	 member_free(struct member *m);

enum member_pw {
	MEMBER_PW_WRONG = 0,	/* missing or wrong: a form error is recorded */
	MEMBER_PW_OK = 1,
	MEMBER_PW_LIMIT = 2,	/* too many wrong ones this hour: form error, not checked */
	MEMBER_PW_BUSY = 3,	/* the hashing pool is full: not checked (req_busy) */
};
/*
 * Check the current password typed in field against m's hash (Argon2id). A
 * wrong one counts against Member.PasswordTries per hour and is audited as
 * password.check_fail; past the limit nothing is verified. Counted ahead of
 * the check and given back when it was right (or not checked), so a db_status
 * while counting comes before the check and tells nothing about the password.
 * Returns an enum member_pw or a db_status (also DB_ERR for a malformed stored
 * hash).
 */
int	 member_password_check(struct req *, const struct member *m,
	    const char *field);
/*
 * The answer to a settings POST whose member_password_check result st is not
 * MEMBER_PW_OK: the database's error page for a db_status, 503 (req_busy) when
 * the hashing pool was full, else 200 (the form, its error set).
 */
int	 member_password_refused(struct req *, int st);

/*
 * The announcements m may read (operator-wide ones, and those of m's insurer
 * unless m is 未所属), published by now, newest first, optionally only those
 * whose title or body contains q literally (q may be NULL; % and _ in it are not
 * wildcards). Rows offset..offset+limit-1 are set as <prefix>.<n>.Id, .Title,
 * .Body, .Date (YYYY-MM-DD, Japan time), .DateText and .Operator (1 when
 * operator-wide). *total (may be NULL) gets the number of matching rows.
 * Returns the number of rows set or a db_status.
 */
int	 member_announcements(struct req *, const struct member *m, const char *q,
	    long long offset, int limit, const char *prefix, long long *total);

/* An HDF for mail variables, or NULL (logged). */
HDF	*member_vars(void);
/* Set key = value in vars; 0 or -1. */
int	 member_var(HDF *vars, const char *key, const char *value);
/*
 * Inside db_txn: render and queue mail template name to address to in lang,
 * with vars (may be NULL) plus Mail.LoginURL, Mail.ForgotURL, Mail.AccountURL
 * and Mail.SupportURL. 0 or a db_status.
 */
int	 member_mail(const char *to, const char *lang, const char *name, HDF *vars);
/* "t***@example.com": the first character of the local part, then ***. malloc'd. */
char	*member_mask_email(const char *email);

/*
 * Inside db_txn: if a withdrawn account still holds email, move it aside (its
 * address becomes "withdrawn+<id>@invalid", which is no address anyone can
 * type) so that email can be used again. A withdrawn account keeps its address
 * until then, so that the support office can still find it. Returns the number
 * of rows changed (0 or 1) or a db_status.
 */
int	 member_release_address(const char *email);

#endif
