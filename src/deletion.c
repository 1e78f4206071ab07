/*
 * deletion.c — アカウント削除申請 (see deletion.h for the life of a request).
 *
 * Every step is one transaction that locks the request row first, so a link
 * opened twice, a login during the decision, or two operators deciding at once
 * find the state the other left. Mails go through the outbox in the same
 * transaction (DESIGN: nothing lost). The requester only ever learns that
 * "an account holds your identity": never its address, nor whether its owner
 * objected (the rejection mail says the same in every case).
 */
#include "autoconf.h"
#include "deletion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "lifecycle.h"
#include "log.h"
#include "member.h"
#include "roster.h"
#include "util.h"

int
deletion_grace_days(void)
{
	return (int)config_int("Deletion.GraceDays");
}

char *
deletion_date_text(const char *iso, const char *lang)
{
	int	 y = 0, m = 0, d = 0;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return xstrdup(iso);
	if (lang != NULL && strcmp(lang, "en") == 0)
		return xstrdup(iso);
	return xasprintf("%d年%d月%d日", y, m, d);
}

/* Queue mail name to to in lang with Mail.<key> = value pairs (NULL-ended). */
static int
mail(const char *to, const char *lang, const char *name, const char *const *kv)
{
	HDF	*vars;
	int	 st = 0, i;

	if ((vars = member_vars()) == NULL)
		return DB_ERR;
	for (i = 0; kv != NULL && kv[i] != NULL && kv[i + 1] != NULL; i += 2)
		if (member_var(vars, kv[i], kv[i + 1]) != 0)
			st = DB_ERR;
	if (st == 0)
		st = member_mail(to, lang, name, vars);
	hdf_destroy(&vars);
	return st;
}

/* ---------------------------------------------------------------- filing */

struct file {
	long long	 requester, roster_id, old_id;
	const char	*contact, *lang;
	int		 outcome;
};

static int
file_fn(void *arg)
{
	struct file	*f = arg;
	char		 token[CRYPTO_TOKEN_LEN + 1], hash[65];
	char		*url = NULL, *path = NULL;
	const char	*kv[5];
	long long	 n, pending = 0;
	int		 st;

	f->outcome = 0;
	/*
	 * The requester's row serialises her requests: locked on one server,
	 * and written, since the lock is a node's own. Galera: a certification
	 * key shared with her filing on another node (src/db.h).
	 */
	if ((st = db_int(&n, "SELECT id FROM accounts WHERE id = ? FOR UPDATE", "i",
	    f->requester)) <= 0)
		return st < 0 ? st : DB_ERR;
	if ((n = db_exec("UPDATE accounts SET updated_at = NOW(6) WHERE id = ?",
	    "i", f->requester)) < 0)
		return (int)n;
	if ((st = db_int(&pending, "SELECT COUNT(*) FROM deletion_requests"
	    " WHERE requester_account_id = ? AND old_account_id = ?"
	    " AND state IN ('filed','objected')", "ii", f->requester,
	    f->old_id)) < 0)
		return st;
	if (pending > 0) {
		f->outcome = DELETION_PENDING;
		return 0;
	}
	if ((n = db_exec("UPDATE deletion_requests SET state = 'void',"
	    " contact_email = '' WHERE requester_account_id = ?"
	    " AND state = 'unconfirmed'", "i", f->requester)) < 0)
		return (int)n;
	crypto_token(token);
	crypto_sha256_hex(token, hash);
	n = db_exec("INSERT INTO deletion_requests (requester_account_id,"
	    " roster_id, old_account_id, contact_email, lang, token_hash,"
	    " token_expires_at) VALUES (?, ?, ?, ?, ?, ?,"
	    " NOW(6) + INTERVAL ? HOUR)", "iiisssi", f->requester, f->roster_id,
	    f->old_id, f->contact, f->lang, hash, (long long)DELETION_LINK_HOURS);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	path = xasprintf("/deletion/confirm/%s", token);
	url = config_url(path);
	kv[0] = "Mail.ConfirmURL";
	kv[1] = url;
	kv[2] = NULL;
	if ((st = mail(f->contact, f->lang, "deletion_confirm", kv)) < 0)
		goto out;
	f->outcome = DELETION_FILED;
 out:
	util_wipe(token, sizeof(token));
	util_free_secret(path);
	util_free_secret(url);
	return st;
}

int
deletion_file(long long requester, long long roster_id, long long old_id,
    const char *contact, const char *lang, const char *ip)
{
	struct file	 f;
	int		 st;

	memset(&f, 0, sizeof(f));
	f.requester = requester;
	f.roster_id = roster_id;
	f.old_id = old_id;
	f.contact = contact;
	f.lang = lang != NULL ? lang : "ja";
	if ((st = db_txn(file_fn, &f)) < 0)
		return st;
	if (f.outcome == DELETION_FILED) {
		audit_ip(ip, "deletion.request", requester);
		log_info("deletion: account %lld asked for the deletion of account"
		    " %lld (link mailed)", requester, old_id);
	}
	return f.outcome;
}

/* ---------------------------------------------------------------- confirm */

struct confirm {
	const char	*hash;
	int		 outcome;
	long long	 requester, old_id;
	char		 grace[ROSTER_DATE_LEN + 1];
};

static int
confirm_fn(void *arg)
{
	struct confirm	*c = arg;
	char		*r[6] = { NULL };
	char		*o[2] = { NULL };
	char		 today[ROSTER_DATE_LEN + 1];
	char		*gtext = NULL;
	const char	*kv[3];
	long long	 n, id, bound = 0;
	int		 st, i;

	st = db_row(r, 6, "SELECT id, state, token_expires_at <= NOW(6),"
	    " requester_account_id, old_account_id, roster_id"
	    " FROM deletion_requests WHERE token_hash = ? FOR UPDATE", "s", c->hash);
	if (st <= 0) {
		c->outcome = DELETION_C_UNKNOWN;
		goto out;
	}
	id = strtoll(r[0], NULL, 10);
	c->requester = r[3] != NULL ? strtoll(r[3], NULL, 10) : 0;
	c->old_id = strtoll(r[4], NULL, 10);
	if (strcmp(r[1], "void") == 0) {
		c->outcome = DELETION_C_VOID;
		goto out;
	}
	if (strcmp(r[1], "unconfirmed") != 0) {
		c->outcome = DELETION_C_AGAIN;
		goto out;
	}
	if (strcmp(r[2], "1") == 0) {
		c->outcome = DELETION_C_EXPIRED;
		goto out;
	}
	/* Does the old account still hold the person? Lock it as well. */
	st = db_row(o, 2, "SELECT email, lang FROM accounts WHERE id = ? AND"
	    " roster_id = ? FOR UPDATE", "ii", c->old_id, strtoll(r[5], NULL, 10));
	if (st < 0)
		goto out;
	bound = st;
	if (!bound) {
		n = db_exec("UPDATE deletion_requests SET state = 'void',"
		    " contact_email = '', decided_at = NOW(6) WHERE id = ?", "i", id);
		st = n < 0 ? (int)n : 0;
		c->outcome = DELETION_C_FREE;
		goto out;
	}
	/*
	 * Filed and mailed because the old account still holds the person:
	 * Galera: a certification key shared with a withdrawal, closure or
	 * erasure of it on another node (src/db.h).
	 */
	if ((n = db_exec("UPDATE accounts SET updated_at = NOW(6) WHERE id = ?",
	    "i", c->old_id)) < 0) {
		st = (int)n;
		goto out;
	}
	roster_today(today);
	if (lifecycle_date_add(today, deletion_grace_days(), c->grace) != 0) {
		st = DB_ERR;
		goto out;
	}
	n = db_exec("UPDATE deletion_requests SET state = 'filed', filed_at = NOW(6),"
	    " grace_until = ? WHERE id = ?", "si", c->grace, id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	gtext = deletion_date_text(c->grace, o[1]);
	kv[0] = "Mail.GraceUntil";
	kv[1] = gtext;
	kv[2] = NULL;
	if ((st = mail(o[0], o[1], "deletion_notice", kv)) < 0)
		goto out;
	c->outcome = DELETION_C_DONE;
	st = 0;
 out:
	for (i = 0; i < 6; i++)
		free(r[i]);
	free(o[0]);
	free(o[1]);
	free(gtext);
	return st < 0 ? st : 0;
}

int
deletion_confirm(const char *token, const char *ip, char grace_until[11])
{
	struct confirm	 c;
	char		 hash[65];
	int		 st;

	memset(&c, 0, sizeof(c));
	grace_until[0] = '\0';
	crypto_sha256_hex(token, hash);
	c.hash = hash;
	if ((st = db_txn(confirm_fn, &c)) < 0)
		return st;
	if (c.outcome == DELETION_C_DONE) {
		snprintf(grace_until, 11, "%s", c.grace);
		audit_ip(ip, "deletion.filed", c.requester);
		audit_ip(NULL, "deletion.notice", c.old_id);
		log_info("deletion: request against account %lld filed (grace until"
		    " %s)", c.old_id, c.grace);
	}
	return c.outcome;
}

/* ---------------------------------------------------------------- objection */

int
deletion_objection(long long account_id, const char *ip)
{
	long long	 n;

	n = db_exec("UPDATE deletion_requests SET state = 'objected',"
	    " objected_at = NOW(6) WHERE old_account_id = ? AND state = 'filed'",
	    "i", account_id);
	if (n <= 0)
		return (int)n;
	audit_ip(ip, "deletion.objected", account_id);
	log_info("deletion: account %lld logged in: %lld deletion request%s"
	    " flagged as objected", account_id, n, n == 1 ? "" : "s");
	return (int)n;
}

/* ---------------------------------------------------------------- decision */

static int
decide_fn(void *arg)
{
	struct deletion_decision *d = arg;
	char		*r[6] = { NULL };
	char		 today[ROSTER_DATE_LEN + 1];
	char		*url = NULL;
	const char	*kv[3];
	long long	 n, bound = 0;
	int		 st, i, confirmed;

	d->erased = d->mailed = 0;
	d->state[0] = d->grace_until[0] = '\0';
	st = db_row(r, 6, "SELECT state, COALESCE(grace_until, ''), old_account_id,"
	    " roster_id, contact_email, lang FROM deletion_requests WHERE id = ?"
	    " FOR UPDATE", "i", d->id);
	if (st < 0)
		goto out;
	if (st == 0) {
		st = DELETION_D_NONE;
		goto out;
	}
	snprintf(d->state, sizeof(d->state), "%s", r[0]);
	snprintf(d->grace_until, sizeof(d->grace_until), "%s", r[1]);
	d->old_id = strtoll(r[2], NULL, 10);
	confirmed = strcmp(r[0], "unconfirmed") != 0;
	if (d->approve) {
		if (strcmp(r[0], "filed") != 0) {
			st = DELETION_D_STATE;
			goto out;
		}
		if (d->today != NULL)
			snprintf(today, sizeof(today), "%s", d->today);
		else
			roster_today(today);
		if (strcmp(today, r[1]) <= 0) {
			st = DELETION_D_EARLY;
			goto out;
		}
		st = db_int(&n, "SELECT id FROM accounts WHERE id = ? AND"
		    " roster_id = ? FOR UPDATE", "ii", d->old_id,
		    strtoll(r[3], NULL, 10));
		if (st < 0)
			goto out;
		bound = st;
		if (bound) {
			if ((st = account_erase(d->old_id, "closed")) < 0)
				goto out;
			d->erased = st == 1;
		}
	} else if (strcmp(r[0], "unconfirmed") != 0 &&
	    strcmp(r[0], "filed") != 0 && strcmp(r[0], "objected") != 0) {
		st = DELETION_D_STATE;
		goto out;
	}
	n = db_exec("UPDATE deletion_requests SET state = ?, decided_at = NOW(6),"
	    " contact_email = '' WHERE id = ?", "si",
	    d->approve ? "approved" : "rejected", d->id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	/* An address never proven is not written to. */
	if (confirmed && r[4][0] != '\0') {
		url = config_url("/signup/eligibility");
		kv[0] = "Mail.ContinueURL";
		kv[1] = url;
		kv[2] = NULL;
		if ((st = mail(r[4], r[5], d->approve ? "deletion_approved" :
		    "deletion_rejected", kv)) < 0)
			goto out;
		d->mailed = 1;
	}
	st = DELETION_D_DONE;
 out:
	for (i = 0; i < 6; i++)
		free(r[i]);
	free(url);
	return st;
}

int
deletion_decide(struct deletion_decision *d)
{
	int	 st;

	if ((st = db_txn(decide_fn, d)) < 0)
		return st;
	if (st != DELETION_D_DONE)
		return st;
	audit_ip(NULL, d->approve ? "deletion.approve" : "deletion.reject",
	    d->old_id);
	if (d->erased)
		audit_ip(NULL, "account.delete", d->old_id);
	log_info("deletion: request %lld %s%s", d->id,
	    d->approve ? "approved" : "rejected",
	    d->erased ? " (the old account was erased)" : "");
	return st;
}
