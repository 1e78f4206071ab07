/*
 * notify_mail.c — mailing an announcement to the members who want notification
 * mails, and the unsubscribe tokens in those mails.
 *
 * Audience. The members who read the announcement on their top page and have
 * the opt-in on: accounts in state 'active' with notify = 1 and, for an
 * insurer's announcement, that insurer's members who are not 未所属 (a 未所属
 * member no longer belongs to the insurer and the top page shows her only the
 * operator-wide ones, which she is mailed). Accounts still in signup (pending,
 * verified), withdrawn or closed get nothing. Whether a member is in it is
 * decided when her batch is queued: one who opts out before then gets nothing.
 *
 * Batches. A mailing never goes into the outbox at once: 300,000 rows in one
 * transaction would stall the database, and an outbox buried under them would
 * hold back the signup and password mails behind them for hours. The mailer
 * (notify_mail_run, before each claim) queues Mail.BulkBatch recipients in a
 * step when fewer than that many announcement mails are waiting and the last
 * step is Mail.BulkInterval seconds old; so the relay sees at most BulkBatch
 * mails per BulkInterval, and the outbox holds at most about one batch of them.
 * `kenpoctl announcement send ID` takes a step at once.
 *
 * Each member once. A step is one transaction: it locks the announcement row
 * (FOR UPDATE SKIP LOCKED: a second mailer or a kenpoctl skips it), reads the
 * next recipients above announcements.mail_cursor in account id order, inserts
 * an announcement_mails row per recipient (primary key (announcement,
 * account)) and her outbox row, and moves the cursor. An interrupted step
 * (a killed process, a lost connection) rolls back whole and the next one
 * starts from the same cursor; and if the cursor were ever behind, the primary
 * key makes the insert of a pair already there do nothing, and no mail is queued
 * for it. The outbox then sends each row once (mailer.c: at most the one message
 * in flight when a mailer dies may be delivered twice, with the same Message-ID).
 *
 * Unsubscribe tokens: see notify_mail.h. Signed, not stored: a mailing of any
 * size writes no token. They carry the account id and sign it together with the
 * address the mail went to, so a link stops working when the member changes her
 * address (the old address may belong to someone else by then) and when the
 * account is withdrawn or closed (its address is replaced); it does not expire
 * otherwise, since RFC 8058 wants the link of an old mail to keep working.
 */
#include "autoconf.h"
#include "notify_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "util.h"

#define TOKEN_PURPOSE	"kenpo unsubscribe v1"
#define ID_DIGITS_MAX	19

/* ---- tokens ----------------------------------------------------------------- */

/* base64url(HMAC(K, "<id>|<email>")) into mac[44]. 0 or -1. */
static int
token_mac(long long id, const char *email, char mac[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 secret[128], key[32], out[32];
	char		*msg = NULL;
	size_t		 n;
	int		 rc = -1;

	n = config_secret("Security.Secret", secret, sizeof(secret));
	if (n == 0 || crypto_hmac(secret, n, TOKEN_PURPOSE,
	    strlen(TOKEN_PURPOSE), key) != 0)
		goto out;
	msg = xasprintf("%lld|%s", id, email);
	if (crypto_hmac(key, sizeof(key), msg, strlen(msg), out) != 0)
		goto out;
	crypto_b64url_encode(out, sizeof(out), mac);
	rc = 0;
out:
	util_wipe(secret, sizeof(secret));
	util_wipe(key, sizeof(key));
	util_wipe(out, sizeof(out));
	free(msg);
	return rc;
}

int
notify_token(long long id, const char *email, char out[NOTIFY_TOKEN_MAX])
{
	char	 mac[CRYPTO_TOKEN_LEN + 1];

	if (id <= 0 || email == NULL || token_mac(id, email, mac) != 0)
		return -1;
	snprintf(out, NOTIFY_TOKEN_MAX, "%lld.%s", id, mac);
	return 0;
}

int
notify_token_parse(const char *token, long long *id, char mac[NOTIFY_TOKEN_MAX])
{
	const char	*dot, *p;
	char		 digits[ID_DIGITS_MAX + 1];
	size_t		 n;

	*id = 0;
	mac[0] = '\0';
	if (token == NULL || (dot = strchr(token, '.')) == NULL)
		return -1;
	n = (size_t)(dot - token);
	if (n == 0 || n > ID_DIGITS_MAX || token[0] == '0')
		return -1;
	for (p = token; p < dot; p++)
		if (*p < '0' || *p > '9')
			return -1;
	if (strlen(dot + 1) != CRYPTO_TOKEN_LEN)
		return -1;
	for (p = dot + 1; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return -1;
	/* 19 digits may still overflow a long long. */
	memcpy(digits, token, n);
	digits[n] = '\0';
	if (util_parse_int(digits, 1, 0x7fffffffffffffffLL, id) != 0)
		return -1;
	snprintf(mac, NOTIFY_TOKEN_MAX, "%s", dot + 1);
	return 0;
}

int
notify_token_check(long long id, const char *email, const char *mac)
{
	char	 want[CRYPTO_TOKEN_LEN + 1];
	int	 ok;

	if (email == NULL || mac == NULL || token_mac(id, email, want) != 0)
		return 0;
	ok = strlen(mac) == CRYPTO_TOKEN_LEN &&
	    crypto_equal(want, mac, CRYPTO_TOKEN_LEN);
	util_wipe(want, sizeof(want));
	return ok;
}

char *
notify_unsubscribe_url(long long id, const char *email)
{
	const char	*base = config_str("Service.BaseURL");
	char		 token[NOTIFY_TOKEN_MAX];
	size_t		 n = strlen(base);

	if (notify_token(id, email, token) != 0) {
		log_err("notify: cannot sign an unsubscribe link (Security.Secret)");
		return NULL;
	}
	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/unsubscribe/%s", (int)n, base, token);
}

/* ---- mailing steps ------------------------------------------------------------ */

/* What a step works on; reset at the start of each db_txn try. */
struct step {
	long long		 only;		/* in: this announcement, else 0 */
	long long		 batch;		/* in: Mail.BulkBatch */
	long long		 interval;	/* in: Mail.BulkInterval */
	struct notify_step	 out;
};

/* The template variables shared by every mail of an announcement. NULL on an
 * HDF failure. */
static HDF *
step_vars(const char *title, const char *body, const char *insurer,
    const char *published, const char *published_ja)
{
	HDF	*vars = NULL;
	NEOERR	*err;
	char	*top, *account;

	top = config_url("/top");
	account = config_url("/account");
	if ((err = hdf_init(&vars)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.Title", title)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.Body", body)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.Insurer",
	    insurer != NULL ? insurer : "")) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.Published", published)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.PublishedJa",
	    published_ja)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.TopURL", top)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.AccountURL", account)) != STATUS_OK) {
		nerr_ignore(&err);
		if (vars != NULL)
			hdf_destroy(&vars);
		vars = NULL;
	}
	free(top);
	free(account);
	return vars;
}

/*
 * Queue the mail of announcement ann for one recipient (account id, email,
 * lang), recording the pair first: 1 queued, 0 nothing to do (the pair was
 * there already, or the address cannot be mailed: logged), or a db_status.
 */
static int
queue_one(long long ann, long long id, const char *email, const char *lang,
    HDF *vars)
{
	NEOERR		*err;
	char		*url = NULL;
	long long	 n, oid;
	int		 rc;

	/* The pair first: a duplicate (a statement-level error that leaves the
	 * transaction open) means this member has had her mail queued. */
	n = db_exec("INSERT INTO announcement_mails (announcement_id, account_id)"
	    " VALUES (?, ?)", "ii", ann, id);
	if (n == DB_DUP)
		return 0;
	if (n < 0)
		return (int)n;
	if (!outbox_addr_valid(email)) {
		log_warn("announcement %lld: account %lld has an address that "
		    "cannot be mailed; skipped", ann, id);
		return 0;
	}
	if ((url = notify_unsubscribe_url(id, email)) == NULL)
		return DB_ERR;
	if ((err = hdf_set_value(vars, "Mail.UnsubscribeURL", url)) != STATUS_OK) {
		nerr_ignore(&err);
		rc = DB_ERR;
		goto out;
	}
	oid = outbox_enqueue_bulk(email, "announcement", vars, lang, url);
	if (oid < 0) {
		rc = (int)oid;
		goto out;
	}
	n = db_exec("UPDATE announcement_mails SET outbox_id = ?"
	    " WHERE announcement_id = ? AND account_id = ?", "iii", oid, ann, id);
	rc = n < 0 ? (int)n : 1;
out:
	util_free_secret(url);
	return rc;
}

/* The publication day in Japan, as ISO 8601 and as Japanese write it. */
#define PUBLISHED \
	"DATE_FORMAT(published_at + INTERVAL 9 HOUR, '%Y-%m-%d')," \
	" DATE_FORMAT(published_at + INTERVAL 9 HOUR, '%Y年%c月%e日')"

/* db_txn body of notify_mail_step. */
static int
step_txn(void *arg)
{
	struct step	*s = arg;
	struct db_res	*res = NULL;
	HDF		*vars = NULL;
	char		*c[7] = { NULL }, *insurer = NULL;
	long long	 ann, ins, cursor, last, rows = 0;
	int		 r, i;

	memset(&s->out, 0, sizeof(s->out));
	if (s->only > 0)
		r = db_row(c, 7, "SELECT id, COALESCE(insurer_id, 0), mail_cursor,"
		    " title, body, " PUBLISHED " FROM announcements"
		    " WHERE id = ? AND mail = 1"
		    " AND mail_done_at IS NULL AND published_at <= NOW(6)"
		    " FOR UPDATE SKIP LOCKED", "i", s->only);
	else
		r = db_row(c, 7, "SELECT id, COALESCE(insurer_id, 0), mail_cursor,"
		    " title, body, " PUBLISHED " FROM announcements WHERE mail = 1"
		    " AND mail_done_at IS NULL AND published_at <= NOW(6)"
		    " AND (mail_step_at IS NULL"
		    "  OR mail_step_at <= NOW(6) - INTERVAL ? SECOND)"
		    " ORDER BY published_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
		    "i", s->interval);
	if (r <= 0)
		return r;
	ann = strtoll(c[0], NULL, 10);
	ins = strtoll(c[1], NULL, 10);
	cursor = last = strtoll(c[2], NULL, 10);
	s->out.announcement = ann;
	if (ins > 0 && (r = db_row(&insurer, 1, "SELECT name FROM insurers"
	    " WHERE id = ?", "i", ins)) < 0)
		goto out;
	if ((vars = step_vars(c[3], c[4], insurer, c[5], c[6])) == NULL) {
		r = DB_ERR;
		goto out;
	}
	/* The audience (see the top of this file), in account id order. */
	r = db_query(&res, "SELECT id, email, lang FROM accounts"
	    " WHERE id > ? AND state = 'active' AND notify = 1"
	    " AND (? = 0 OR (insurer_id = ? AND unaffiliated = 0))"
	    " ORDER BY id LIMIT ?", "iiii", cursor, ins, ins, s->batch);
	if (r < 0)
		goto out;
	while ((r = db_res_next(res)) == 1) {
		rows++;
		last = db_res_int(res, 0);
		r = queue_one(ann, last, db_res_str(res, 1), db_res_str(res, 2),
		    vars);
		if (r < 0)
			goto out;
		s->out.queued += r;
	}
	if (r < 0)
		goto out;
	s->out.done = rows < s->batch;
	r = (int)db_exec("UPDATE announcements SET mail_cursor = ?,"
	    " mail_step_at = NOW(6), mail_done_at = IF(?, NOW(6), NULL)"
	    " WHERE id = ?", "iii", last, (long long)s->out.done, ann);
	if (r > 0)
		r = 0;
out:
	db_res_free(res);
	if (vars != NULL)
		hdf_destroy(&vars);
	for (i = 0; i < 7; i++)
		free(c[i]);
	free(insurer);
	return r;
}

int
notify_mail_step(long long only, struct notify_step *out)
{
	struct step	 s;
	int		 r;

	memset(&s, 0, sizeof(s));
	s.only = only;
	s.batch = config_int("Mail.BulkBatch");
	s.interval = config_int("Mail.BulkInterval");
	r = db_txn(step_txn, &s);
	*out = s.out;
	if (r < 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	if (s.out.announcement > 0)
		log_info("announcement %lld: %lld mail%s queued%s",
		    s.out.announcement, s.out.queued, s.out.queued == 1 ? "" : "s",
		    s.out.done ? "; every recipient is queued" : "");
	return 0;
}

int
notify_mail_run(void)
{
	struct notify_step	 st;
	long long		 waiting = 0;
	int			 r;

	r = db_int(&waiting, "SELECT COUNT(*) FROM outbox WHERE template ="
	    " 'announcement' AND sent_at IS NULL AND failed_at IS NULL", "");
	if (r < 0)
		goto fail;
	if (waiting >= config_int("Mail.BulkBatch"))
		return 0;
	if ((r = notify_mail_step(0, &st)) < 0)
		goto fail;
	return (int)st.queued;
fail:
	log_err("notify: announcement mails not queued (db status %d); "
	    "tried again next round", r);
	return r;
}
