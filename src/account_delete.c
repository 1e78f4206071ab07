/*
 * account_delete.c — deletion of an account (削除, SPEC §6), by the member on
 * /account/delete and by the support office with `kenpoctl account delete`.
 *
 * 退会 (account_withdraw.c) and 削除 differ in what is kept: a withdrawn account
 * keeps its row with the address (the office can still find it, the member's
 * history stays) and only stops working; a deleted one goes through
 * account_erase() — the one mechanism that also closes accounts under the
 * 100-day rule — so that nothing personal is left: the row stays as a
 * tombstone (state closed, no address, no password, no binding), sessions,
 * tokens, mails and inquiries lose what names her, the audit rows keep event
 * and time only.
 *
 * The mail "アカウントを削除しました" goes to the address the account had, queued
 * after the erasure (which empties the outbox of that address); once sent, the
 * daily job (kenpoctl lifecycle run) removes it from the outbox like the
 * closure mails, so the address does not outlive the account by more than a day.
 */
#include "autoconf.h"
#include "account.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "member.h"

struct del {
	long long	 id;
	int		 mail;
	int		 outcome;	/* out: enum account_deleted */
	char		 state[16];	/* out: the state before */
};

static int
delete_fn(void *arg)
{
	struct del	*d = arg;
	char		*c[3] = { NULL };
	int		 st, i;

	d->outcome = ACCOUNT_DEL_NONE;
	d->state[0] = '\0';
	st = db_row(c, 3, "SELECT state, email, lang FROM accounts WHERE id = ?"
	    " FOR UPDATE", "i", d->id);
	if (st <= 0)
		goto out;
	strncpy(d->state, c[0], sizeof(d->state) - 1);
	d->state[sizeof(d->state) - 1] = '\0';
	if (strcmp(c[0], "closed") == 0) {
		d->outcome = ACCOUNT_DEL_CLOSED;
		st = 0;
		goto out;
	}
	if ((st = account_erase(d->id, "closed")) < 0)
		goto out;
	/* A pending account's address was never proven: not written to. */
	if (d->mail && strcmp(c[0], "pending") != 0 &&
	    (st = member_mail(c[1], c[2], "account_deleted", NULL)) < 0)
		goto out;
	d->outcome = ACCOUNT_DEL_DONE;
	st = 0;
 out:
	for (i = 0; i < 3; i++)
		free(c[i]);
	return st;
}

int
account_delete(long long id, int mail, char state[16])
{
	struct del	 d;
	int		 st;

	memset(&d, 0, sizeof(d));
	d.id = id;
	d.mail = mail;
	if ((st = db_txn(delete_fn, &d)) < 0)
		return st;
	if (state != NULL)
		memcpy(state, d.state, sizeof(d.state));
	if (d.outcome == ACCOUNT_DEL_DONE) {
		/* No client address: the row must not tie an address to her. */
		audit_ip(NULL, "account.delete", id);
		log_info("account %lld deleted (was %s)", id, d.state);
	}
	return d.outcome;
}
