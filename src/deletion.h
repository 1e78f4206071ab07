/*
 * deletion.h — アカウント削除申請 (SPEC §6, seed 001 Q8): a person whose roster
 * identity is held by an old account she cannot log in to asks for that
 * account's deletion. The life of a request (sql/0008_deletion.sql):
 *
 *   deletion_file      /signup/deletion, after the step-3 check found the
 *                      person bound to another account: a request in state
 *                      unconfirmed and a link mailed to the contact address;
 *   deletion_confirm   the link opened: filed; the old account's address is
 *                      told and may object by logging in until grace_until
 *                      (filed date + Deletion.GraceDays, Japan time);
 *   deletion_objection a login of the old account while a request is filed:
 *                      objected (the operator must reject it);
 *   deletion_decide    kenpoctl deletion approve|reject: approving (after
 *                      grace_until only) erases the old account with
 *                      account_erase() and frees the person; the requester is
 *                      told either way.
 *
 * Nothing here ever shows or mails the old account's address to the requester.
 */
#ifndef KENPO_DELETION_H
#define KENPO_DELETION_H

#define DELETION_LINK_HOURS	24	/* the contact address's link */

enum deletion_filed {
	DELETION_FILED = 1,		/* new request, link mailed */
	DELETION_PENDING = 2,		/* one is filed already for that account */
};

/*
 * In its own transaction: a request by account requester (the step-3 account)
 * for the old account old_id that holds roster person roster_id, reachable at
 * contact (a valid, normalised address) in lang. Older unconfirmed requests
 * of the requester become void; the link to confirm contact is mailed
 * (templates/mail/deletion_confirm.cs). Audited as deletion.request with ip.
 * Returns an enum deletion_filed or a db_status.
 */
int	 deletion_file(long long requester, long long roster_id, long long old_id,
	    const char *contact, const char *lang, const char *ip);

enum deletion_confirmed {
	DELETION_C_DONE = 1,		/* filed now; *grace_until set */
	DELETION_C_UNKNOWN,		/* no such link */
	DELETION_C_EXPIRED,		/* older than DELETION_LINK_HOURS */
	DELETION_C_AGAIN,		/* filed (or decided) already */
	DELETION_C_FREE,		/* the old account let go of the person:
					 * nothing to delete, step 3 works */
	DELETION_C_VOID,		/* superseded by a newer request */
};

/*
 * The contact link token was opened. On success (DELETION_C_DONE) the request
 * is filed, grace_until (YYYY-MM-DD) is written to grace_until[11], the old
 * account's address is told (deletion_notice) and deletion.filed is audited
 * with ip. Returns an enum deletion_confirmed or a db_status.
 */
int	 deletion_confirm(const char *token, const char *ip,
	    char grace_until[11]);

/*
 * account_id logged in with its password: every filed request against it
 * becomes objected, audited as deletion.objected with ip. Called inside the
 * login's transaction (src/pages/login.c, success_txn): one statement when
 * there is nothing to flag. Returns the number of requests flagged or a
 * db_status.
 */
int	 deletion_objection(long long account_id, const char *ip);

enum deletion_decided {
	DELETION_D_DONE = 1,
	DELETION_D_NONE,		/* no such request */
	DELETION_D_STATE,		/* not in a state that allows it */
	DELETION_D_EARLY,		/* approve before grace_until has passed */
};

struct deletion_decision {
	/* in */
	long long	 id;
	int		 approve;	/* 1 approve, 0 reject */
	const char	*today;		/* YYYY-MM-DD in Japan (--as-of); NULL: today */
	/* out */
	char		 state[16];	/* the request's state before */
	char		 grace_until[11];
	long long	 old_id;
	int		 erased;	/* approve: the old account was erased */
	int		 mailed;	/* the requester was told */
};

/*
 * Approve or reject request d->id (kenpoctl deletion). Approve: only a filed
 * request, only after its grace_until; the old account is erased
 * (account_erase, state closed) when it still holds the person, and the
 * requester is mailed (deletion_approved). Reject: an unconfirmed, filed or
 * objected request; a confirmed requester is mailed (deletion_rejected). The
 * contact address is emptied. Audited as deletion.approve / deletion.reject
 * (and account.delete for the erased account, without ip).
 * Returns an enum deletion_decided or a db_status.
 */
int	 deletion_decide(struct deletion_decision *d);

/* YYYY-MM-DD as pages and mails write it in lang: "2026年12月17日" (ja) or
 * "2026-12-17" (en). malloc'd. */
char	*deletion_date_text(const char *iso, const char *lang);

/* Deletion.GraceDays. */
int	 deletion_grace_days(void);

#endif
