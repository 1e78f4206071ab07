/*
 * member.c — the shared machinery of the member area (see member.h).
 */
#include "autoconf.h"
#include "member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "lifecycle.h"
#include "log.h"
#include "outbox.h"
#include "request.h"
#include "roster.h"
#include "session.h"
#include "throttle.h"
#include "util.h"

#define MEMBER_COLS	14
#define LIKE_MAX	200	/* bytes of a search term, escaped: enough for 50 characters */

void
member_free(struct member *m)
{
	if (m == NULL)
		return;
	free(m->email);
	free(m->lang);
	util_free_secret(m->password_hash);
	free(m->insurer_name);
	free(m->terms_url);
	free(m->points_name);
	free(m->name_kana);
	memset(m, 0, sizeof(*m));
}

/* Take ownership of *s (may be NULL). */
static char *
take(char **s)
{
	char	*p = *s;

	*s = NULL;
	return p;
}

int
member_load(struct req *r, struct member *m)
{
	char		*c[MEMBER_COLS] = { NULL }, today[ROSTER_DATE_LEN + 1];
	int		 st, i, lost, within;

	memset(m, 0, sizeof(*m));
	if (r->sess == NULL)
		return 0;
	roster_today(today);
	st = db_row(c, MEMBER_COLS, "SELECT a.email, a.lang, a.password_hash,"
	    " a.level, a.notify, a.unaffiliated, a.insurer_id, i.name,"
	    " i.terms_url, i.points_name, r.name_kana,"
	    " r.id IS NOT NULL AND r.qualified_until IS NOT NULL"
	    " AND r.qualified_until <= ?,"
	    " COALESCE(a.lost_on + INTERVAL ? DAY > ?, 1), a.lost_on"
	    " FROM accounts a LEFT JOIN insurers i ON i.id = a.insurer_id"
	    " LEFT JOIN roster r ON r.id = a.roster_id"
	    " WHERE a.id = ? AND a.state = 'active'", "sisi", today,
	    (long long)LIFECYCLE_DAYS, today, r->sess->account_id);
	if (st <= 0)
		goto out;
	m->id = r->sess->account_id;
	m->email = take(&c[0]);
	m->lang = take(&c[1]);
	m->password_hash = take(&c[2]);
	m->level = c[3] != NULL ? atoi(c[3]) : 0;
	m->notify = c[4] != NULL && atoi(c[4]) != 0;
	m->unaffiliated = c[5] != NULL && atoi(c[5]) != 0;
	m->insurer_id = c[6] != NULL ? strtoll(c[6], NULL, 10) : 0;
	m->insurer_name = take(&c[7]);
	m->terms_url = take(&c[8]);
	m->points_name = take(&c[9]);
	m->name_kana = take(&c[10]);
	if (m->email == NULL || m->password_hash == NULL) {
		st = DB_ERR;
		goto out;
	}

	/*
	 * 未所属: a roster import and the daily job keep it in step with the
	 * roster (lifecycle.h). This is the safety net for the hours between the
	 * start of the day a loss date given in advance arrives and the job's
	 * run: the same rule, in its own transaction, with its audit and mail.
	 */
	lost = c[11] != NULL && atoi(c[11]) != 0;
	within = c[12] != NULL && atoi(c[12]) != 0;
	if (m->name_kana != NULL && !db_in_txn() &&
	    ((lost && !m->unaffiliated) || (!lost && m->unaffiliated && within))) {
		st = lifecycle_account_sync(m->id, today);
		if (st < 0)
			goto out;
		if (st == LIFECYCLE_UNAFFILIATED) {
			m->unaffiliated = 1;
			/* lost_on is the roster's loss date now. */
			free(c[13]);
			c[13] = NULL;
			if (db_row(&c[13], 1, "SELECT lost_on FROM accounts"
			    " WHERE id = ?", "i", m->id) != 1)
				c[13] = NULL;
		} else if (st == LIFECYCLE_REAFFILIATED) {
			m->unaffiliated = 0;
			free(c[13]);
			c[13] = NULL;
		}
	}
	if (m->unaffiliated && c[13] != NULL)
		snprintf(m->lost_on, sizeof(m->lost_on), "%s", c[13]);
	if (m->insurer_name != NULL)
		req_set(r, "Insurer.Name", m->insurer_name);
	st = 1;
 out:
	for (i = 0; i < MEMBER_COLS; i++)
		free(c[i]);
	if (st != 1)
		member_free(m);
	return st;
}

int
member_password_refused(struct req *r, int st)
{
	if (st < 0)
		return req_db_error(r, st);
	return st == MEMBER_PW_BUSY ? req_busy(r) : 200;
}

/*
 * The current-password limit counts ahead: every password typed is counted
 * ("curpw") before its check, and given back when it was right or could not be
 * checked. Parallel guesses, from several hosts too, meet the limit, and a
 * database error while counting answers before anything was checked: the error
 * page says nothing about the password.
 */
#define CURPW_WINDOW	3600

/* The check counted ahead was no failure: take it back. */
static void
password_give_back(const char *key, long long account_id)
{
	/* On an error it stays counted as wrong: closed, and the answer the
	 * same as without the error. */
	if (throttle_unhit(key, CURPW_WINDOW) < 0)
		log_warn("member: account %lld: a current password check stays"
		    " counted as wrong (database error)", account_id);
}

int
member_password_check(struct req *r, const struct member *m, const char *field)
{
	const char	*pw = req_param(r, field);
	char		 key[THROTTLE_KEY_MAX];
	long long	 n;
	int		 ok;

	if (pw == NULL || pw[0] == '\0') {
		req_form_error(r, field, "Member.Error.CurrentMissing");
		return MEMBER_PW_WRONG;
	}
	throttle_key_acct(key, sizeof(key), "curpw", m->id);
	if ((n = throttle_hit(key, CURPW_WINDOW)) < 0)
		return (int)n;
	/* n - 1 wrong ones before this one (those refused here stay counted:
	 * within the hour that changes nothing). */
	if (n - 1 >= config_int("Member.PasswordTries")) {
		log_warn("member: current password of account %lld not checked:"
		    " too many wrong ones this hour", m->id);
		req_form_error(r, field, "Member.Error.CurrentLimit");
		return MEMBER_PW_LIMIT;
	}
	ok = crypto_password_verify(pw, m->password_hash, NULL);
	if (ok == 1 || ok == CRYPTO_BUSY || ok < 0) {
		/* Right, or not checked: no failure. */
		password_give_back(key, m->id);
		if (ok == 1)
			return MEMBER_PW_OK;
		if (ok == CRYPTO_BUSY)
			return MEMBER_PW_BUSY;
		log_err("member: account %lld has a malformed password hash",
		    m->id);
		return DB_ERR;
	}
	audit(r, "password.check_fail", m->id);
	req_form_error(r, field, "Member.Error.CurrentWrong");
	return MEMBER_PW_WRONG;
}

/*
 * The LIKE pattern "%q%" into out (cap bytes), with the wildcards % and _ and
 * the escape character ! in q each preceded by ! (the queries say ESCAPE '!':
 * a backslash would depend on the server's sql_mode). 0, or -1 when q is
 * longer than LIKE_MAX bytes.
 */
static int
like_pattern(const char *q, char *out, size_t cap)
{
	size_t	 i, o = 0;

	if (strlen(q) > LIKE_MAX)
		return -1;
	out[o++] = '%';
	for (i = 0; q[i] != '\0'; i++) {
		if (o + 3 >= cap)
			return -1;
		if (q[i] == '%' || q[i] == '_' || q[i] == '!')
			out[o++] = '!';
		out[o++] = q[i];
	}
	out[o++] = '%';
	out[o] = '\0';
	return 0;
}

int
member_announcements(struct req *r, const struct member *m, const char *q,
    long long offset, int limit, const char *prefix, long long *total)
{
	struct db_res	*res = NULL;
	char		 pat[LIKE_MAX * 2 + 3], key[96], y[8], mo[4], d[4], *text;
	const char	*date, *vars[] = { "y", y, "m", mo, "d", d, NULL };
	/* A 未所属 member reads the operator's announcements only (seed 001 p.11). */
	long long	 ins = m->unaffiliated ? 0 : m->insurer_id, n = 0;
	int		 st, row, ja;

	if (total != NULL)
		*total = 0;
	if (q != NULL && q[0] == '\0')
		q = NULL;
	if (q != NULL && like_pattern(q, pat, sizeof(pat)) != 0)
		return 0;
	if (total != NULL) {
		if (q != NULL)
			st = db_int(&n, "SELECT COUNT(*) FROM announcements"
			    " WHERE published_at <= NOW(6)"
			    " AND (insurer_id IS NULL OR insurer_id = ?)"
			    " AND (title LIKE ? ESCAPE '!' OR body LIKE ? ESCAPE '!')",
			    "iss", ins, pat, pat);
		else
			st = db_int(&n, "SELECT COUNT(*) FROM announcements"
			    " WHERE published_at <= NOW(6)"
			    " AND (insurer_id IS NULL OR insurer_id = ?)", "i", ins);
		if (st < 0)
			return st;
		*total = n;
	}
	/* Japan time for the date shown: UTC+9, no daylight saving. */
	if (q != NULL)
		st = db_query(&res, "SELECT id, title, body,"
		    " DATE_FORMAT(published_at + INTERVAL 9 HOUR, '%Y-%m-%d'),"
		    " insurer_id IS NULL FROM announcements"
		    " WHERE published_at <= NOW(6)"
		    " AND (insurer_id IS NULL OR insurer_id = ?)"
		    " AND (title LIKE ? ESCAPE '!' OR body LIKE ? ESCAPE '!')"
		    " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
		    "issii", ins, pat, pat, (long long)limit, offset);
	else
		st = db_query(&res, "SELECT id, title, body,"
		    " DATE_FORMAT(published_at + INTERVAL 9 HOUR, '%Y-%m-%d'),"
		    " insurer_id IS NULL FROM announcements"
		    " WHERE published_at <= NOW(6)"
		    " AND (insurer_id IS NULL OR insurer_id = ?)"
		    " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
		    "iii", ins, (long long)limit, offset);
	if (st < 0)
		return st;
	for (row = 0; (st = db_res_next(res)) == 1; row++) {
		snprintf(key, sizeof(key), "%s.%d.Id", prefix, row);
		req_set_int(r, key, db_res_int(res, 0));
		snprintf(key, sizeof(key), "%s.%d.Title", prefix, row);
		req_set(r, key, db_res_str(res, 1));
		snprintf(key, sizeof(key), "%s.%d.Body", prefix, row);
		req_set(r, key, db_res_str(res, 2));
		date = db_res_str(res, 3);
		if (date != NULL && strlen(date) == 10) {
			snprintf(key, sizeof(key), "%s.%d.Date", prefix, row);
			req_set(r, key, date);
			/* 2026年1月5日 in Japanese (no leading zeros, as people
			 * write it, like the signup pages); English keeps ISO 8601. */
			snprintf(y, sizeof(y), "%.4s", date);
			ja = strcmp(r->lang, "ja") == 0;
			snprintf(mo, sizeof(mo), "%.*s", ja && date[5] == '0' ? 1 : 2,
			    date + 5 + (ja && date[5] == '0'));
			snprintf(d, sizeof(d), "%.*s", ja && date[8] == '0' ? 1 : 2,
			    date + 8 + (ja && date[8] == '0'));
			text = req_text_vars(r, "Member.Date", vars);
			snprintf(key, sizeof(key), "%s.%d.DateText", prefix, row);
			req_set(r, key, text);
			free(text);
		}
		snprintf(key, sizeof(key), "%s.%d.Operator", prefix, row);
		req_set_int(r, key, db_res_int(res, 4));
	}
	db_res_free(res);
	return st < 0 ? st : row;
}

HDF *
member_vars(void)
{
	HDF	*vars = NULL;
	NEOERR	*err;

	if ((err = hdf_init(&vars)) != STATUS_OK) {
		nerr_ignore(&err);
		log_err("member: cannot make the mail variables");
		return NULL;
	}
	return vars;
}

int
member_var(HDF *vars, const char *key, const char *value)
{
	NEOERR	*err;

	if ((err = hdf_set_value(vars, key, value)) != STATUS_OK) {
		nerr_ignore(&err);
		return -1;
	}
	return 0;
}

int
member_mail(const char *to, const char *lang, const char *name, HDF *vars)
{
	HDF		*own = NULL;
	const char	*support = config_str("Service.SupportURL");
	char		*u;
	long long	 id;
	int		 rc = 0;

	if (vars == NULL && (vars = own = member_vars()) == NULL)
		return DB_ERR;
	u = config_url("/login");
	rc |= member_var(vars, "Mail.LoginURL", u);
	free(u);
	u = config_url("/password/forgot");
	rc |= member_var(vars, "Mail.ForgotURL", u);
	free(u);
	u = config_url("/account");
	rc |= member_var(vars, "Mail.AccountURL", u);
	free(u);
	/* Service.SupportURL may be relative ("/inquiry/new"): make it absolute. */
	u = support[0] == '/' ? config_url(support) : xstrdup(support);
	rc |= member_var(vars, "Mail.SupportURL", u);
	free(u);
	if (rc != 0)
		id = DB_ERR;
	else
		id = outbox_enqueue(to, name, vars, lang != NULL ? lang : "ja");
	if (own != NULL)
		hdf_destroy(&own);
	return id > 0 ? 0 : (id < 0 ? (int)id : DB_ERR);
}

char *
member_mask_email(const char *email)
{
	const char	*at = strrchr(email, '@');

	if (at == NULL || at == email)
		return xstrdup("***");
	return xasprintf("%c***%s", email[0], at);
}

int
member_release_address(const char *email)
{
	long long	 n;

	n = db_exec("UPDATE accounts SET email = CONCAT('withdrawn+', id, '@invalid')"
	    " WHERE email = ? AND state = 'withdrawn'", "s", email);
	if (n > 0)
		log_info("member: the address of a withdrawn account was released");
	return (int)n;
}
