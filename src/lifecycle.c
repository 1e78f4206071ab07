/*
 * lifecycle.c — loss of qualification, rejoin within 100 days, and closure
 * after them (see lifecycle.h for the rules and who applies them).
 *
 * Every change of one account happens in one transaction that first locks the
 * account row (and its roster row) with SELECT … FOR UPDATE and decides from
 * what it reads there, never from a list read earlier: a roster import, the
 * daily job, a second job started by hand and a member's page view may meet
 * on the same account, and whichever comes second finds nothing left to do.
 * Mail and audit rows are written in that transaction, so a member is told
 * exactly once about each change that committed.
 */
#include "autoconf.h"
#include "lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ClearSilver.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "login_history.h"
#include "oidc_keys.h"
#include "passkey.h"
#include "outbox.h"
#include "util.h"

int
lifecycle_date_add(const char *date, int days, char out[ROSTER_DATE_LEN + 1])
{
	struct tm	 tm;
	time_t		 t;
	int		 y, m, d;

	if (date == NULL || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_hour = 12;
	if ((t = timegm(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return -1;
	if (strftime(out, ROSTER_DATE_LEN + 1, "%Y-%m-%d", &tm) != ROSTER_DATE_LEN)
		return -1;
	return 0;
}

/*
 * Set key to date (YYYY-MM-DD) as a member reads it: "2026年1月5日" in
 * Japanese (no leading zeros, as the member pages write dates), ISO 8601 in
 * English. 0 or -1.
 */
static int
set_date(HDF *vars, const char *key, const char *date, const char *lang)
{
	NEOERR	*err;
	char	 text[32];
	int	 y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	if (lang != NULL && strcmp(lang, "en") == 0)
		snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
	else
		snprintf(text, sizeof(text), "%d年%d月%d日", y, m, d);
	if ((err = hdf_set_value(vars, key, text)) != STATUS_OK) {
		nerr_ignore(&err);
		return -1;
	}
	return 0;
}

/*
 * Queue mail template name to email in lang, with Mail.LostOn (the loss
 * date), Mail.RejoinUntil (the last day a rejoin restores the account),
 * Mail.ClosesOn (the day it is closed and the address free again) when lost_on
 * is not NULL, and the usual links. 0 or a db_status.
 */
static int
lifecycle_mail(const char *email, const char *lang, const char *name,
    const char *lost_on)
{
	HDF		*vars = NULL;
	NEOERR		*err;
	const char	*support = config_str("Service.SupportURL");
	char		 until[ROSTER_DATE_LEN + 1], closes[ROSTER_DATE_LEN + 1];
	char		*u[3];
	long long	 id;
	int		 rc = 0, i;

	if ((err = hdf_init(&vars)) != STATUS_OK) {
		nerr_ignore(&err);
		return DB_ERR;
	}
	u[0] = config_url("/login");
	u[1] = config_url("/signup");
	/* Service.SupportURL may be relative ("/inquiry/new"): make it absolute. */
	u[2] = support[0] == '/' ? config_url(support) : xstrdup(support);
	if ((err = hdf_set_value(vars, "Mail.LoginURL", u[0])) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.SignupURL", u[1])) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.SupportURL", u[2])) != STATUS_OK) {
		nerr_ignore(&err);
		rc = -1;
	}
	if (rc == 0 && lost_on != NULL) {
		if (lifecycle_date_add(lost_on, LIFECYCLE_DAYS - 1, until) != 0 ||
		    lifecycle_date_add(lost_on, LIFECYCLE_DAYS, closes) != 0)
			rc = -1;
		else
			rc = set_date(vars, "Mail.LostOn", lost_on, lang) |
			    set_date(vars, "Mail.RejoinUntil", until, lang) |
			    set_date(vars, "Mail.ClosesOn", closes, lang);
	}
	id = rc != 0 ? DB_ERR : outbox_enqueue(email, name, vars,
	    lang != NULL ? lang : "ja");
	hdf_destroy(&vars);
	for (i = 0; i < 3; i++)
		free(u[i]);
	return id > 0 ? 0 : (id < 0 ? (int)id : DB_ERR);
}

#define FOLLOW_COLS	9

/*
 * Inside db_txn: apply loss and rejoin to account id as of today; with
 * may_close, closure too. Returns an enum lifecycle_change or a db_status.
 */
static int
account_follow(long long id, const char *today, int may_close)
{
	char		*c[FOLLOW_COLS] = { NULL }, *email, *lang, *until;
	long long	 n, roster_id;
	int		 st, i, lost, unaff, within;

	/*
	 * Locks the account and its roster row: an import of the insurer holds
	 * the roster rows until it commits, so this waits for it and reads what
	 * it wrote. That is one server; with Galera the locks are the node's
	 * own, so every branch below that writes the account because of what
	 * the roster says also writes the roster row (roster_touch).
	 */
	st = db_row(c, FOLLOW_COLS, "SELECT a.state, a.unaffiliated, a.lost_on,"
	    " r.qualified_until,"
	    " r.qualified_until IS NOT NULL AND r.qualified_until <= ?,"
	    " COALESCE(a.lost_on + INTERVAL ? DAY > ?, 1), a.email, a.lang, r.id"
	    " FROM accounts a JOIN roster r ON r.id = a.roster_id"
	    " WHERE a.id = ? FOR UPDATE", "sisi", today, (long long)LIFECYCLE_DAYS,
	    today, id);
	if (st <= 0)
		goto out;	/* gone, or no longer bound to a person */
	st = LIFECYCLE_NONE;
	if (c[0] == NULL || strcmp(c[0], "active") != 0 || c[6] == NULL)
		goto out;
	unaff = c[1] != NULL && atoi(c[1]) != 0;
	lost = c[4] != NULL && atoi(c[4]) != 0;
	within = c[5] != NULL && atoi(c[5]) != 0;
	email = c[6];
	lang = c[7];
	until = c[3];
	roster_id = c[8] != NULL ? strtoll(c[8], NULL, 10) : 0;

	if (unaff && !within && may_close && c[2] != NULL) {
		/*
		 * 100 days up: closed, whatever the roster says now (seed Q5).
		 * Decided from the account alone, so no roster_touch.
		 */
		if ((st = account_erase(id, "closed")) < 0)
			goto out;
		if ((st = lifecycle_mail(email, lang, "account_closed", NULL)) < 0)
			goto out;
		audit_ip(NULL, "account.closed", id);
		log_info("lifecycle: account %lld closed (qualification lost on %s,"
		    " %d days ago or more)", id, c[2], LIFECYCLE_DAYS);
		st = LIFECYCLE_CLOSED;
	} else if (lost && !unaff) {
		/* Galera: a certification key shared with an import (src/db.h). */
		if ((st = roster_touch(roster_id)) < 0)
			goto out;
		n = db_exec("UPDATE accounts SET unaffiliated = 1, lost_on = ?"
		    " WHERE id = ?", "si", until, id);
		if (n < 0) {
			st = (int)n;
			goto out;
		}
		if ((st = lifecycle_mail(email, lang, "account_unaffiliated",
		    until)) < 0)
			goto out;
		audit_ip(NULL, "account.unaffiliated", id);
		log_info("lifecycle: account %lld is 未所属 (qualification lost on"
		    " %s)", id, until);
		st = LIFECYCLE_UNAFFILIATED;
	} else if (lost && unaff && (c[2] == NULL || strcmp(c[2], until) != 0)) {
		/*
		 * The insurer corrected the loss date (or the account was made
		 * 未所属 before lost_on existed): the 100 days count from the
		 * date the roster gives. Nothing the member must be told.
		 * Galera: the roster_touch as above.
		 */
		if ((st = roster_touch(roster_id)) < 0)
			goto out;
		n = db_exec("UPDATE accounts SET lost_on = ? WHERE id = ?", "si",
		    until, id);
		st = n < 0 ? (int)n : LIFECYCLE_NONE;
	} else if (!lost && unaff && within) {
		/* Galera: the roster_touch as above. */
		if ((st = roster_touch(roster_id)) < 0)
			goto out;
		n = db_exec("UPDATE accounts SET unaffiliated = 0, lost_on = NULL"
		    " WHERE id = ?", "i", id);
		if (n < 0) {
			st = (int)n;
			goto out;
		}
		if ((st = lifecycle_mail(email, lang, "account_reaffiliated",
		    NULL)) < 0)
			goto out;
		audit_ip(NULL, "account.reaffiliated", id);
		log_info("lifecycle: account %lld is affiliated again", id);
		st = LIFECYCLE_REAFFILIATED;
	}
 out:
	for (i = 0; i < FOLLOW_COLS; i++)
		free(c[i]);
	return st;
}

/* Read column 0 of res into a growing array. 0 or a db_status. */
static int
res_ids(struct db_res *res, long long **ids, size_t *n)
{
	size_t	 cap = 0;
	int	 rc;

	*ids = NULL;
	*n = 0;
	while ((rc = db_res_next(res)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = db_res_int(res, 0);
	}
	db_res_free(res);
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc < 0 ? rc : 0;
}

/*
 * The accounts of the rules that may apply as of today (insurer_id 0: every
 * insurer): bound, active, and 未所属 where the roster says qualified (rejoin)
 * or lost on another date, or not 未所属 where it says lost; with closures,
 * also 未所属 ones whose LIFECYCLE_DAYS are up. Read without locks: each is
 * checked again, locked, by account_follow.
 */
static int
candidates(long long insurer_id, const char *today, int closures,
    long long **ids, size_t *n)
{
	struct db_res	*res = NULL;
	int		 rc;

	rc = db_query(&res, "SELECT a.id FROM accounts a"
	    " JOIN roster r ON r.id = a.roster_id"
	    " WHERE a.state = 'active' AND (? = 0 OR r.insurer_id = ?) AND ("
	    "  (a.unaffiliated = 0 AND r.qualified_until IS NOT NULL"
	    "   AND r.qualified_until <= ?)"
	    "  OR (a.unaffiliated = 1 AND (r.qualified_until IS NULL"
	    "   OR r.qualified_until > ? OR a.lost_on IS NULL"
	    "   OR a.lost_on <> r.qualified_until))"
	    "  OR (? <> 0 AND a.unaffiliated = 1"
	    "   AND a.lost_on + INTERVAL ? DAY <= ?))"
	    " ORDER BY a.id", "iissiis", insurer_id, insurer_id, today, today,
	    (long long)closures, (long long)LIFECYCLE_DAYS, today);
	if (rc < 0)
		return rc;
	return res_ids(res, ids, n);
}

int
lifecycle_sync_insurer(long long insurer_id, const char *today,
    long *unaffiliated, long *reaffiliated)
{
	long long	*ids = NULL;
	size_t		 n = 0, i;
	int		 rc;

	if ((rc = candidates(insurer_id, today, 0, &ids, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = account_follow(ids[i], today, 0)) < 0)
			break;
		if (rc == LIFECYCLE_UNAFFILIATED)
			(*unaffiliated)++;
		else if (rc == LIFECYCLE_REAFFILIATED)
			(*reaffiliated)++;
		rc = 0;
	}
	free(ids);
	return rc;
}

struct one {
	long long	 id;
	const char	*today;
	int		 may_close;
	int		 change;	/* out */
};

static int
one_fn(void *arg)
{
	struct one	*o = arg;
	int		 rc;

	o->change = LIFECYCLE_NONE;
	if ((rc = account_follow(o->id, o->today, o->may_close)) < 0)
		return rc;
	o->change = rc;
	return 0;
}

int
lifecycle_account_sync(long long id, const char *today)
{
	struct one	 o;
	char		 now[ROSTER_DATE_LEN + 1];
	int		 rc;

	if (today == NULL) {
		roster_today(now);
		today = now;
	}
	memset(&o, 0, sizeof(o));
	o.id = id;
	o.today = today;
	if ((rc = db_txn(one_fn, &o)) < 0)
		return rc;
	return o.change;
}

int
lifecycle_release_address(const char *email, const char *today)
{
	char		 now[ROSTER_DATE_LEN + 1];
	long long	 id = 0;
	int		 rc;

	if (today == NULL) {
		roster_today(now);
		today = now;
	}
	rc = db_int(&id, "SELECT id FROM accounts WHERE email = ? AND state = 'active'"
	    " AND unaffiliated = 1 AND lost_on + INTERVAL ? DAY <= ?", "sis", email,
	    (long long)LIFECYCLE_DAYS, today);
	if (rc <= 0)
		return rc;
	if ((rc = account_follow(id, today, 1)) < 0)
		return rc;
	return rc == LIFECYCLE_CLOSED;
}

/*
 * When the images of a verification are due for deletion (issue 12: images
 * are kept only as long as the review needs them), as of the database clock:
 *   - its purge_after has passed (set at the decision: decided_at +
 *     Verify.RetentionDays, by the review; or when a draft is cancelled);
 *   - a draft or cancelled attempt started more than Verify.DraftHours ago
 *     (abandoned: the member never submitted it);
 *   - decided Verify.RetentionDays ago without a purge_after (a safety net:
 *     no decided row keeps its images for ever).
 * Bound parameters: DraftHours, RetentionDays.
 */
/* Not purged yet, or marked purged with images left (by whatever path). */
#define PURGE_PENDING \
	"(v.purged_at IS NULL OR EXISTS (SELECT 1 FROM verification_images vi" \
	" WHERE vi.verification_id = v.id))"
#define PURGE_DUE \
	"((v.purge_after IS NOT NULL AND v.purge_after <= NOW(6))" \
	" OR (v.status IN ('draft', 'cancelled')" \
	"  AND v.created_at <= NOW(6) - INTERVAL ? HOUR)" \
	" OR (v.status IN ('approved', 'rejected') AND v.purge_after IS NULL" \
	"  AND v.decided_at <= NOW(6) - INTERVAL ? DAY))"

struct purge {
	long long	 id;
	int		 done;		/* out: purged now */
};

/*
 * Inside db_txn: if verification p->id is still due and not purged, or
 * marked purged with images left (re-checked under lock), delete its
 * images, mark it purged (an abandoned draft becomes
 * cancelled: it can no longer be submitted) and audit
 * "verification.purged" for its account. 0 or a db_status.
 */
static int
purge_fn(void *arg)
{
	struct purge	*p = arg;
	char		*c[1] = { NULL };
	long long	 account, n;
	int		 st;

	p->done = 0;
	st = db_row(c, 1, "SELECT v.account_id FROM verifications v"
	    " WHERE v.id = ? AND " PURGE_PENDING " AND " PURGE_DUE
	    " FOR UPDATE", "iii", p->id, config_int("Verify.DraftHours"),
	    config_int("Verify.RetentionDays"));
	if (st <= 0)
		goto out;	/* gone, purged, or no longer due */
	account = strtoll(c[0], NULL, 10);
	if ((n = db_exec("DELETE FROM verification_images WHERE"
	    " verification_id = ?", "i", p->id)) < 0 ||
	    (n = db_exec("UPDATE verifications SET"
	    " purged_at = COALESCE(purged_at, NOW(6)),"
	    " purge_after = COALESCE(purge_after, NOW(6)),"
	    " status = IF(status = 'draft', 'cancelled', status)"
	    " WHERE id = ?", "i", p->id)) < 0 ||
	    (n = audit_open(NULL, "verification.purged", account)) < 0) {
		st = (int)n;
		goto out;
	}
	log_info("lifecycle: verification %lld: images deleted (retention)",
	    p->id);
	p->done = 1;
	st = 0;
 out:
	free(c[0]);
	return st;
}

/*
 * Delete the images of every verification due (PURGE_DUE), one transaction
 * each. Adds to lr->verifications_purged and lr->failed. 0, or a db_status
 * when they could not be listed or the database went away.
 */
static int
purge_images(struct lifecycle_run *lr)
{
	struct db_res	*res = NULL;
	struct purge	 p;
	long long	*ids = NULL;
	size_t		 n = 0, i;
	int		 rc;

	rc = db_query(&res, "SELECT v.id FROM verifications v"
	    " WHERE " PURGE_PENDING " AND " PURGE_DUE " ORDER BY v.id", "ii",
	    config_int("Verify.DraftHours"), config_int("Verify.RetentionDays"));
	if (rc < 0 || (rc = res_ids(res, &ids, &n)) < 0) {
		log_err("lifecycle: the verifications due for image deletion"
		    " could not be listed (database error %d)", rc);
		lr->failed++;
		return rc;
	}
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		p.id = ids[i];
		if ((rc = db_txn(purge_fn, &p)) < 0) {
			log_err("lifecycle: verification %lld: images not deleted"
			    " (database error %d); the next run tries again",
			    ids[i], rc);
			lr->failed++;
			if (rc == DB_DOWN)
				break;
			continue;
		}
		lr->verifications_purged += p.done;
	}
	free(ids);
	return rc == DB_DOWN ? rc : 0;
}

/* The OpenID provider's expired rows and signing keys (lifecycle.h). */
static int
oidc_purge(struct lifecycle_run *lr)
{
	long long	 n, keys = 0;
	int		 rc;

	n = db_exec("DELETE FROM oidc_codes WHERE expires_at < NOW(6) -"
	    " INTERVAL ? SECOND", "i", config_int("OIDC.AccessTokenSeconds"));
	if (n < 0)
		return (int)n;
	lr->oidc_codes = (long)n;
	n = db_exec("DELETE FROM oidc_tokens WHERE expires_at < NOW(6)"
	    " OR revoked_at IS NOT NULL", "");
	if (n < 0)
		return (int)n;
	lr->oidc_tokens = (long)n;
	if ((rc = oidc_keys_daily(&keys, &lr->oidc_rotated)) < 0)
		return rc;
	lr->oidc_keys = (long)keys;
	return 0;
}

int
lifecycle_run(struct lifecycle_run *lr)
{
	struct one	 o;
	char		 now[ROSTER_DATE_LEN + 1];
	const char	*today = lr->today;
	long long	*ids = NULL, n;
	size_t		 nids = 0, i;
	int		 rc, down = 0;

	lr->unaffiliated = lr->reaffiliated = lr->closed = 0;
	lr->purged = lr->failed = lr->logins_pruned = 0;
	lr->verifications_purged = 0;
	lr->oidc_codes = lr->oidc_tokens = lr->oidc_keys = 0;
	lr->oidc_rotated = 0;
	if (today == NULL) {
		roster_today(now);
		today = now;
	}
	if ((rc = candidates(0, today, 1, &ids, &nids)) < 0)
		return rc;
	for (i = 0; i < nids; i++) {
		memset(&o, 0, sizeof(o));
		o.id = ids[i];
		o.today = today;
		o.may_close = 1;
		if ((rc = db_txn(one_fn, &o)) < 0) {
			log_err("lifecycle: account %lld: not done (database error"
			    " %d); the next run tries again", ids[i], rc);
			lr->failed++;
			if (rc == DB_DOWN) {
				down = 1;
				break;
			}
			continue;
		}
		switch (o.change) {
		case LIFECYCLE_UNAFFILIATED:
			lr->unaffiliated++;
			break;
		case LIFECYCLE_REAFFILIATED:
			lr->reaffiliated++;
			break;
		case LIFECYCLE_CLOSED:
			lr->closed++;
			break;
		}
	}
	free(ids);
	/*
	 * A closure or deletion mail keeps the old address in the outbox until
	 * it is sent; after that, or once the mailer gave up, it goes too.
	 */
	n = db_exec("DELETE FROM outbox WHERE template IN ('account_closed',"
	    " 'account_deleted')"
	    " AND (sent_at IS NOT NULL OR failed_at IS NOT NULL)", "");
	if (n < 0)
		return down ? DB_DOWN : (int)n;
	lr->purged = (long)n;
	/* The members' lists of recent logins keep Member.LoginHistoryDays. */
	if ((n = login_history_prune(today)) < 0)
		return down ? DB_DOWN : (int)n;
	lr->logins_pruned = (long)n;
	/* Passkey challenges a day past their 5 minutes (sql/0022). */
	if ((n = passkey_challenge_prune()) < 0)
		return down ? DB_DOWN : (int)n;
	/* A deletion request whose contact link was never opened (a day past
	 * its expiry) keeps no address (src/deletion.c). */
	n = db_exec("UPDATE deletion_requests SET state = 'void',"
	    " contact_email = '' WHERE state = 'unconfirmed'"
	    " AND token_expires_at < NOW(6) - INTERVAL 1 DAY", "");
	if (n < 0)
		return down ? DB_DOWN : (int)n;
	/* The eKYC images past their retention (issue 12). */
	if (!down && purge_images(lr) == DB_DOWN)
		down = 1;
	if (!down && (rc = oidc_purge(lr)) < 0)
		return rc;
	log_info("lifecycle run as of %s: %ld unaffiliated, %ld reaffiliated,"
	    " %ld closed, %ld closure mails purged, %ld verifications' images"
	    " deleted, %ld failed; oidc: %ld codes, %ld tokens, %ld retired keys"
	    " deleted%s", today, lr->unaffiliated, lr->reaffiliated,
	    lr->closed, lr->purged, lr->verifications_purged, lr->failed,
	    lr->oidc_codes, lr->oidc_tokens, lr->oidc_keys,
	    lr->oidc_rotated ? ", signing key rotated" : "");
	return down ? DB_DOWN : 0;
}
