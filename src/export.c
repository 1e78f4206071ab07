/*
 * export.c — the member's own data as JSON or CSV (see export.h).
 *
 * One function per section (section_profile, section_bindings, …): each runs
 * its query and hands columns and rows to the sink, which writes JSON (jansson)
 * or CSV. A new section is a new function and a line in export_account's table;
 * nothing else changes. Values come from the database as text; a column's type
 * letter says how JSON writes it ('s' string, 'i' integer, 'b' true/false; SQL
 * NULL is null), CSV writes the text ("true"/"false" for 'b', "" for NULL).
 *
 * What is left out, on purpose: the password hash, tokens and session ids (no
 * use to the member, and dangerous in a file that may be mailed around); the
 * card key (an HMAC of the card number, which kenpo never stores) and the 枝番
 * (part of the card identifiers that 健康保険法 §194-2 protects); full client
 * addresses (the audit log's: the list of logins shows networks only, as the
 * account page does).
 */
#include "autoconf.h"
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "db.h"
#include "log.h"

#define EXPORT_VERSION	1
#define MAXCOLS		16

struct col {
	const char	*name;
	char		 type;		/* 's', 'i', 'b' */
};

struct sink {
	enum export_format fmt;
	struct buf	*csv;
	json_t		*root;		/* JSON: the whole document */
	json_t		*sec;		/* JSON: the current section's array */
	const struct col *cols;
	size_t		 ncols;
	int		 single;	/* the section is one record */
	int		 failed;	/* JSON: a value could not be made */
};

/* ------------------------------------------------------------------ CSV */

void
export_csv_cell(struct buf *out, const char *v)
{
	const char	*p;

	buf_puts(out, "\"");
	/* Spreadsheets run a cell that starts like a formula: make it text. */
	if (v != NULL && v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL)
		buf_puts(out, "'");
	for (p = v; p != NULL && *p != '\0'; p++) {
		if (*p == '"')
			buf_puts(out, "\"\"");
		else
			buf_append(out, p, 1);
	}
	buf_puts(out, "\"");
}

/* One CSV line of n cells. */
static void
csv_line(struct buf *out, const char *const *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(out, ",");
		export_csv_cell(out, v[i]);
	}
	buf_puts(out, "\r\n");
}

/* ------------------------------------------------------------------ the sink */

/* Begin section name with columns cols[0..ncols) (a record when single). */
static void
sec_begin(struct sink *k, const char *name, int single, const struct col *cols,
    size_t ncols)
{
	const char	*head[MAXCOLS];
	size_t		 i;

	k->cols = cols;
	k->ncols = ncols;
	k->single = single;
	if (k->fmt == EXPORT_CSV) {
		csv_line(k->csv, &name, 1);
		for (i = 0; i < ncols && i < MAXCOLS; i++)
			head[i] = cols[i].name;
		csv_line(k->csv, head, i);
		return;
	}
	k->sec = single ? NULL : json_array();
	if (!single && (k->sec == NULL ||
	    json_object_set_new(k->root, name, k->sec) != 0)) {
		k->sec = NULL;
		k->failed = 1;
	}
	if (single && json_object_set_new(k->root, name, json_null()) != 0)
		k->failed = 1;
}

/* The JSON value of text v of type t (NULL: null). */
static json_t *
json_value(const char *v, char t)
{
	if (v == NULL)
		return json_null();
	if (t == 'i')
		return json_integer(strtoll(v, NULL, 10));
	if (t == 'b')
		return json_boolean(strcmp(v, "0") != 0);
	return json_string(v);	/* NULL when not UTF-8: counted as failed */
}

/* One row of the current section: v[0..ncols), NULL for SQL NULL. */
static void
sec_row(struct sink *k, const char *name, const char *const *v)
{
	const char	*text[MAXCOLS];
	json_t		*obj, *val;
	size_t		 i;

	if (k->fmt == EXPORT_CSV) {
		for (i = 0; i < k->ncols && i < MAXCOLS; i++)
			text[i] = k->cols[i].type == 'b' && v[i] != NULL ?
			    (strcmp(v[i], "0") != 0 ? "true" : "false") : v[i];
		csv_line(k->csv, text, i);
		return;
	}
	if ((obj = json_object()) == NULL) {
		k->failed = 1;
		return;
	}
	for (i = 0; i < k->ncols; i++) {
		if ((val = json_value(v[i], k->cols[i].type)) == NULL ||
		    json_object_set_new(obj, k->cols[i].name, val) != 0)
			k->failed = 1;
	}
	if (k->single) {
		if (json_object_set_new(k->root, name, obj) != 0)
			k->failed = 1;
	} else if (k->sec == NULL) {
		json_decref(obj);
		k->failed = 1;
	} else if (json_array_append_new(k->sec, obj) != 0)
		k->failed = 1;
}

static void
sec_end(struct sink *k)
{
	if (k->fmt == EXPORT_CSV)
		buf_puts(k->csv, "\r\n");
	k->sec = NULL;
}

/*
 * Run sql (one parameter: the account id) and write its rows as section name.
 * The query's columns are cols, in order. 0 or a db_status.
 */
static int
sec_query(struct sink *k, const char *name, int single, const struct col *cols,
    size_t ncols, const char *sql, long long account_id)
{
	struct db_res	*res = NULL;
	const char	*v[MAXCOLS];
	size_t		 i;
	int		 st;

	if (ncols > MAXCOLS)
		return DB_ERR;
	if ((st = db_query(&res, sql, "i", account_id)) != 0)
		return st;
	sec_begin(k, name, single, cols, ncols);
	while ((st = db_res_next(res)) == 1) {
		for (i = 0; i < ncols; i++)
			v[i] = db_res_isnull(res, (int)i) ? NULL :
			    db_res_str(res, (int)i);
		sec_row(k, name, v);
		if (single)
			break;
	}
	db_res_free(res);
	sec_end(k);
	return st < 0 ? st : 0;
}

/* ------------------------------------------------------------------ sections */

/* Times as Japan time in ISO 8601: 2026-12-03T21:05:00+09:00. */
#define JST(col) "DATE_FORMAT(" col " + INTERVAL 9 HOUR, '%Y-%m-%dT%H:%i:%s+09:00')"

/* The account itself. */
static int
section_profile(struct sink *k, long long id)
{
	static const struct col cols[] = {
		{ "email", 's' }, { "state", 's' }, { "level", 'i' },
		{ "unaffiliated", 'b' }, { "lost_on", 's' }, { "language", 's' },
		{ "notification_mail", 'b' }, { "insurer_number", 's' },
		{ "insurer_name", 's' }, { "registered_at", 's' },
		{ "activated_at", 's' },
	};

	return sec_query(k, "profile", 1, cols, sizeof(cols) / sizeof(cols[0]),
	    "SELECT a.email, a.state, a.level, a.unaffiliated,"
	    " DATE_FORMAT(a.lost_on, '%Y-%m-%d'), a.lang, a.notify, i.number,"
	    " i.name, " JST("a.created_at") ", " JST("a.activated_at")
	    " FROM accounts a LEFT JOIN insurers i ON i.id = a.insurer_id"
	    " WHERE a.id = ?", id);
}

/* The roster person the account is bound to (本人確認), if any. */
static int
section_bindings(struct sink *k, long long id)
{
	static const struct col cols[] = {
		{ "insurer_number", 's' }, { "insurer_name", 's' },
		{ "personal_id", 's' }, { "name_kana", 's' }, { "birthdate", 's' },
		{ "qualified_from", 's' }, { "qualified_until", 's' },
	};

	return sec_query(k, "bindings", 0, cols, sizeof(cols) / sizeof(cols[0]),
	    "SELECT i.number, i.name, r.personal_id, r.name_kana,"
	    " DATE_FORMAT(r.birthdate, '%Y-%m-%d'),"
	    " DATE_FORMAT(r.qualified_from, '%Y-%m-%d'),"
	    " DATE_FORMAT(r.qualified_until, '%Y-%m-%d')"
	    " FROM accounts a JOIN roster r ON r.id = a.roster_id"
	    " JOIN insurers i ON i.id = r.insurer_id WHERE a.id = ?", id);
}

/*
 * CONSENTS — the terms the member agreed to, with version and time (issue 10
 * item 5; sql/0010_consents.sql): the kind of terms (service, privacy, insurer,
 * points), the version's label, where it was agreed (signup or renewal),
 * newest first.
 */
static int
section_consents(struct sink *k, long long id)
{
	static const struct col cols[] = {
		{ "terms", 's' }, { "version", 's' }, { "via", 's' },
		{ "agreed_at", 's' },
	};

	return sec_query(k, "consents", 0, cols, sizeof(cols) / sizeof(cols[0]),
	    "SELECT t.kind, t.version, c.via, " JST("c.agreed_at")
	    " FROM consents c JOIN terms_versions t ON t.id = c.terms_version_id"
	    " WHERE c.account_id = ? ORDER BY c.agreed_at DESC, c.id DESC", id);
}

/* The list of recent logins (login_history.h), newest first. */
static int
section_logins(struct sink *k, long long id)
{
	static const struct col cols[] = {
		{ "time", 's' }, { "kind", 's' }, { "network", 's' },
		{ "browser", 's' }, { "os", 's' },
	};

	return sec_query(k, "logins", 0, cols, sizeof(cols) / sizeof(cols[0]),
	    "SELECT " JST("created_at") ", kind, net, browser, os"
	    " FROM login_history WHERE account_id = ?"
	    " ORDER BY created_at DESC, id DESC", id);
}

/*
 * Her passkeys (sql/0022_passkeys.sql): the name she gave each, when it was
 * added and last used, and whether the authenticator said it is synced
 * (backed up). Not the credential id or the public key: they identify the
 * authenticator, not her, and are of no use to her outside this service.
 */
static int
section_passkeys(struct sink *k, long long id)
{
	static const struct col cols[] = {
		{ "name", 's' }, { "added_at", 's' }, { "last_used_at", 's' },
		{ "synced", 'b' },
	};

	return sec_query(k, "passkeys", 0, cols, sizeof(cols) / sizeof(cols[0]),
	    "SELECT name, " JST("created_at") ", " JST("last_used_at") ","
	    " backup_state FROM passkeys WHERE account_id = ? ORDER BY id", id);
}

/* The sections, in the order of the file. */
static int (*const sections[])(struct sink *, long long) = {
	section_profile,
	section_bindings,
	section_consents,
	section_logins,
	section_passkeys,
};

/* ------------------------------------------------------------------ the file */

int
export_account(long long account_id, enum export_format fmt, struct buf *out)
{
	struct sink	 k;
	time_t		 t = time(NULL) + 9 * 3600;
	struct tm	 tm;
	char		 now[32], *text = NULL;
	size_t		 i;
	int		 st = 0;

	memset(&k, 0, sizeof(k));
	k.fmt = fmt;
	k.csv = out;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%S+09:00", &tm) == 0)
		snprintf(now, sizeof(now), "-");
	if (fmt == EXPORT_CSV) {
		buf_puts(out, "\xEF\xBB\xBF");	/* BOM: Excel then reads UTF-8 */
	} else if ((k.root = json_object()) == NULL ||
	    json_object_set_new(k.root, "format",
	    json_string("kenpo-member-data")) != 0 ||
	    json_object_set_new(k.root, "version",
	    json_integer(EXPORT_VERSION)) != 0 ||
	    json_object_set_new(k.root, "exported_at", json_string(now)) != 0)
		k.failed = 1;
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]) && !k.failed; i++)
		if ((st = sections[i](&k, account_id)) != 0)
			goto out;
	if (fmt == EXPORT_JSON) {
		if (k.failed || (text = json_dumps(k.root, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER)) == NULL) {
			log_err("export: account %lld: the JSON could not be made",
			    account_id);
			st = DB_ERR;
			goto out;
		}
		buf_puts(out, text);
		buf_puts(out, "\n");
	}
 out:
	free(text);
	if (k.root != NULL)
		json_decref(k.root);
	return st;
}
