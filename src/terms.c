/*
 * terms.c — versioned terms and consents (terms.h).
 *
 * "Current" is decided in SQL by one rule everywhere: a published version of a
 * kind and scope for which no other published version of the same kind and
 * scope is newer (published_at, then id). The tables are small (a few versions
 * per insurer); the per-request check (terms_due) is one indexed query.
 *
 * Step 1 is a page anyone may load many times a second (the login and signup
 * pages make no database round trip per view: test_login.py), so the
 * operator's current versions it links are kept per worker for
 * GLOBAL_CACHE_MS: a new version shows there within that time, and the
 * consent stored is to the version the page showed (terms_record_global).
 */
#include "autoconf.h"
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "util.h"

#define GLOBAL_CACHE_MS	3000
#define GLOBAL_KINDS	2	/* service, privacy */

/* v is current: published, and nothing of its kind and scope is newer. */
#define CURRENT(v) \
	" " v ".published_at <= NOW(6) AND NOT EXISTS (SELECT 1 FROM" \
	" terms_versions w WHERE w.kind = " v ".kind AND w.scope = " v ".scope" \
	" AND w.published_at <= NOW(6) AND (w.published_at > " v ".published_at" \
	" OR (w.published_at = " v ".published_at AND w.id > " v ".id)))"

int
terms_kind_valid(const char *kind)
{
	return kind != NULL && (strcmp(kind, "service") == 0 ||
	    strcmp(kind, "privacy") == 0 || strcmp(kind, "insurer") == 0 ||
	    strcmp(kind, "points") == 0);
}

int
terms_kind_insurer(const char *kind)
{
	return kind != NULL && (strcmp(kind, "insurer") == 0 ||
	    strcmp(kind, "points") == 0);
}

int
terms_url_ok(const char *url, int local_ok)
{
	size_t	 i, n;

	if (url == NULL || (n = strlen(url)) == 0 || n > TERMS_URL_MAX)
		return 0;
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0 &&
	    !(local_ok && url[0] == '/' && url[1] != '/'))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f ||
		    strchr("\"'<>\\", url[i]) != NULL)
			return 0;
	return 1;
}

char *
terms_label(struct req *r, const char *kind, const char *insurer, const char *points)
{
	const char	*vars[] = { "insurer", insurer != NULL ? insurer : "",
	    "points", points, NULL };
	char		 key[48];

	if (strcmp(kind, "points") == 0 && (points == NULL || points[0] == '\0'))
		snprintf(key, sizeof(key), "Terms.Kind.points_plain");
	else
		snprintf(key, sizeof(key), "Terms.Kind.%s", kind);
	return req_text_vars(r, key, vars);
}

/* Set row n under prefix (terms_list's keys). */
static void
set_row(struct req *r, const char *prefix, int n, const char *id,
    const char *kind, const char *version, const char *url, const char *date,
    const char *insurer, const char *points)
{
	char	 key[96], *text;

	snprintf(key, sizeof(key), "%s.%d.Id", prefix, n);
	req_set(r, key, id);
	snprintf(key, sizeof(key), "%s.%d.Kind", prefix, n);
	req_set(r, key, kind);
	snprintf(key, sizeof(key), "%s.%d.Version", prefix, n);
	req_set(r, key, version);
	snprintf(key, sizeof(key), "%s.%d.Date", prefix, n);
	req_set(r, key, date);
	text = terms_label(r, kind, insurer, points);
	snprintf(key, sizeof(key), "%s.%d.Label", prefix, n);
	req_set(r, key, text);
	free(text);
	/* The version's own link, else its text on /terms/<id> (a version has
	 * one or the other); a stored URL that is no longer acceptable (edited
	 * by hand) is not linked. */
	snprintf(key, sizeof(key), "%s.%d.URL", prefix, n);
	if (url == NULL || url[0] == '\0')
		req_setf(r, key, "/terms/%s", id);
	else if (terms_url_ok(url, 1))
		req_set(r, key, url);
}

int
terms_list(struct req *r, long long account_id, long long insurer_id,
    const char *kinds, const char *prefix)
{
	struct db_res	*res = NULL;
	int		 st, n = 0;

	st = db_query(&res, "SELECT v.id, v.kind, v.version, v.url,"
	    " DATE_FORMAT(v.published_at + INTERVAL 9 HOUR, '%Y-%m-%d'),"
	    " i.name, i.points_name FROM terms_versions v"
	    " LEFT JOIN insurers i ON i.id = v.insurer_id"
	    " WHERE (v.insurer_id IS NULL OR v.insurer_id = ?)"
	    " AND FIND_IN_SET(v.kind, ?) > 0 AND" CURRENT("v")
	    " AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.account_id = ?"
	    "  AND c.terms_version_id = v.id)"
	    " ORDER BY FIELD(v.kind, 'service', 'privacy', 'insurer', 'points'), v.id",
	    "isi", insurer_id, kinds, account_id);
	if (st < 0)
		return st;
	while ((st = db_res_next(res)) == 1)
		set_row(r, prefix, n++, db_res_str(res, 0), db_res_str(res, 1),
		    db_res_str(res, 2), db_res_str(res, 3), db_res_str(res, 4),
		    db_res_str(res, 5), db_res_str(res, 6));
	db_res_free(res);
	return st < 0 ? st : n;
}

int
terms_form_check(struct req *r, const char *prefix)
{
	const char	*id, *v;
	char		 key[96], field[48];
	int		 i, ok = 1;

	for (i = 0; ; i++) {
		snprintf(key, sizeof(key), "%s.%d.Id", prefix, i);
		if ((id = hdf_get_value(r->hdf, key, NULL)) == NULL)
			break;
		snprintf(field, sizeof(field), "agree_%s", id);
		if ((v = req_param(r, field)) == NULL || strcmp(v, "1") != 0) {
			req_form_error(r, field, "Terms.Agree.Missing");
			ok = 0;
		} else {
			snprintf(key, sizeof(key), "%s.%d.Checked", prefix, i);
			req_set(r, key, "1");
		}
	}
	return ok;
}

int
terms_record(struct req *r, long long account_id, const char *prefix,
    const char *via)
{
	const char	*id;
	char		 key[96];
	long long	 n, total = 0, vid;
	int		 i;

	for (i = 0; ; i++) {
		snprintf(key, sizeof(key), "%s.%d.Id", prefix, i);
		if ((id = hdf_get_value(r->hdf, key, NULL)) == NULL)
			break;
		if (util_parse_int(id, 1, 0x7fffffffffffffffLL, &vid) != 0)
			return DB_ERR;	/* set by terms_list: cannot happen */
		n = db_exec("INSERT IGNORE INTO consents (account_id,"
		    " terms_version_id, via) VALUES (?, ?, ?)", "iis",
		    account_id, vid, via);
		if (n < 0)
			return (int)n;
		total += n;
	}
	return (int)total;
}

/* The worker's copy of the operator's current versions (step 1). */
static struct {
	int64_t		 at_ms;		/* 0: never loaded */
	int		 n;
	struct {
		char	 id[24], kind[16], version[4 * TERMS_VERSION_MAX + 1];
		char	 url[TERMS_URL_MAX + 1], date[16];
	} row[GLOBAL_KINDS];
} global;

static int
global_load(void)
{
	struct db_res	*res = NULL;
	int		 st, n = 0;

	st = db_query(&res, "SELECT v.id, v.kind, v.version, IFNULL(v.url, ''),"
	    " DATE_FORMAT(v.published_at + INTERVAL 9 HOUR, '%Y-%m-%d')"
	    " FROM terms_versions v WHERE v.insurer_id IS NULL AND" CURRENT("v")
	    " ORDER BY FIELD(v.kind, 'service', 'privacy')", "");
	if (st < 0)
		return st;
	while ((st = db_res_next(res)) == 1 && n < GLOBAL_KINDS) {
		snprintf(global.row[n].id, sizeof(global.row[n].id), "%s",
		    db_res_str(res, 0));
		snprintf(global.row[n].kind, sizeof(global.row[n].kind), "%s",
		    db_res_str(res, 1));
		snprintf(global.row[n].version, sizeof(global.row[n].version), "%s",
		    db_res_str(res, 2));
		snprintf(global.row[n].url, sizeof(global.row[n].url), "%s",
		    db_res_str(res, 3));
		snprintf(global.row[n].date, sizeof(global.row[n].date), "%s",
		    db_res_str(res, 4));
		n++;
	}
	db_res_free(res);
	if (st < 0)
		return st;
	global.n = n;
	global.at_ms = util_mono_ms();
	return 0;
}

int
terms_list_global(struct req *r, const char *prefix)
{
	int	 st, i;

	if (global.at_ms == 0 || util_mono_ms() - global.at_ms >= GLOBAL_CACHE_MS) {
		if ((st = global_load()) < 0)
			return st;
	}
	for (i = 0; i < global.n; i++)
		set_row(r, prefix, i, global.row[i].id, global.row[i].kind,
		    global.row[i].version, global.row[i].url, global.row[i].date,
		    NULL, NULL);
	return global.n;
}

int
terms_record_global(long long account_id, const char *kind, long long shown_id)
{
	long long	 n;

	n = db_exec("INSERT IGNORE INTO consents (account_id, terms_version_id, via)"
	    " SELECT ?, v.id, 'signup' FROM terms_versions v"
	    " WHERE v.kind = ? AND v.insurer_id IS NULL AND v.published_at <= NOW(6)"
	    " AND (v.id = ? OR (? = 0 AND" CURRENT("v") "))",
	    "isii", account_id, kind, shown_id, shown_id);
	return (int)n;
}

long long
terms_due(long long account_id)
{
	long long	 n = 0;
	int		 st;

	/* The insurer's terms apply while the member belongs to it: not to a
	 * 未所属 member (lifecycle.h), whose insurer no longer has her. */
	st = db_int(&n, "SELECT COUNT(*) FROM accounts a JOIN terms_versions v"
	    " ON v.insurer_id IS NULL OR (v.insurer_id = a.insurer_id"
	    "  AND a.unaffiliated = 0)"
	    " WHERE a.id = ? AND" CURRENT("v")
	    " AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.account_id = a.id"
	    "  AND c.terms_version_id = v.id)", "i", account_id);
	if (st < 0)
		return st;
	return n;
}
