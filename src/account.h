/*
 * account.h — accounts and their life: pending (step 1 done, address not yet
 * confirmed) → verified (address confirmed: steps 3–4) → active → withdrawn.
 * Written by the signup work; used by login, recovery and kenpoctl.
 */
#ifndef KENPO_ACCOUNT_H
#define KENPO_ACCOUNT_H

struct account {
	long long	 id;
	char		*email;
	char		*password_hash;
	char		*state;		/* pending|verified|active|withdrawn|closed */
	int		 level;		/* 0 none, 1 insurer-ID, 2 identity, 3 sensitive */
	long long	 insurer_id;	/* 0 if none */
	long long	 roster_id;	/* 0 if none */
	int		 failed_logins;
	int		 locked;	/* locked_until is in the future */
	long long	 locked_secs;	/* seconds until unlock, when locked */
	char		*lang;
};

/* Address syntax check (RFC 5321 limits, one @, no spaces/controls). 1 ok, 0 not.
 * Printable ASCII only; dots anywhere in the local part (Japanese mobile
 * addresses such as "taro..x.@docomo.ne.jp" are real); see account.c. */
int	 account_email_valid(const char *email);
/* What a member typed, made comparable: trimmed, full-width ASCII (＠ etc.) to
 * ASCII, domain lower-cased. malloc'd, or NULL when empty/far too long. Check the
 * result with account_email_valid. */
char	*account_email_normalize(const char *typed);
/* Look up by address (case-insensitive) or id. 1 found (*out set), 0 not found,
 * or a db_status. Free with account_free. */
int	 account_find_email(const char *email, struct account **out);
int	 account_find_id(long long id, struct account **out);
void	 account_free(struct account *);

/* Delete an account still in signup (pending or verified) with its tokens and
 * sessions; never an active or withdrawn one. 1 deleted, 0 nothing to delete,
 * or a db_status. */
int	 account_delete_unfinished(long long id);

/* Withdraw (退会) a verified or active account in one transaction: state
 * withdrawn, withdrawn_at set, roster binding released, every session and token
 * gone, the mail "退会手続きが完了しました" (templates/mail/account_withdrawn.cs)
 * queued; audited as account.withdraw with ip (may be NULL). Not inside db_txn.
 * 1 withdrawn, 0 nothing done (no such account, pending, or withdrawn already),
 * or a db_status. See account_withdraw.c. */
int	 account_withdraw(long long id, const char *ip);

/*
 * Inside db_txn: erase the personal data of account id and leave its row as a
 * tombstone in state (e.g. "closed"; closed_at set). See account_erase.c for
 * what goes. The caller locks the row first, queues any mail to the old
 * address after this call (this deletes the outbox rows to it) and audits.
 * Returns 1 erased, 0 no such account, or a db_status.
 */
int	 account_erase(long long id, const char *state);

/*
 * Inside db_txn: the account's eKYC data goes — every attempt's sealed
 * photos, her secret question and answer hash, each attempt's question,
 * answer hash and reviewer's note; an attempt still a draft or waiting for a
 * reviewer is cancelled (a member who left can no longer be approved, and
 * undecided it would never reach a retention date). The attempts' rows stay
 * (status, document kind, dates) with purged_at set. Used by account_erase
 * and account_withdraw. 0 or a db_status.
 */
int	 account_ekyc_erase(long long id);

enum account_deleted {
	ACCOUNT_DEL_NONE = 0,		/* no such account */
	ACCOUNT_DEL_DONE = 1,		/* erased now */
	ACCOUNT_DEL_CLOSED = 2,		/* closed (erased) already */
};
/*
 * Delete (削除) account id in any state but closed: account_erase() in one
 * transaction (tombstone in state closed), then, when mail is set and the
 * address was proven, the mail "アカウントを削除しました"
 * (templates/mail/account_deleted.cs) to the address it had. Audited as
 * account.delete without a client address. state (16 bytes, may be NULL) gets
 * the state before. Not inside db_txn. See account_delete.c (and
 * account_withdraw.c for how 退会 differs). Returns an enum account_deleted or
 * a db_status.
 */
int	 account_delete(long long id, int mail, char state[16]);

#endif
