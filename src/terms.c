/*
 * terms.c — versioned terms and consents (terms.h).
 *
 * "Current" is decided in SQL by one rule everywhere: a published version of a
 * kind and scope for which no other published version of the same kind and
 * scope is newer (published_at, then id). The tables are small (a few versions
 * per insurer); the per-request check (terms_due) is one indexed query.
 */
#include "autoconf.h"
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "util.h"

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

/* The label of one version row: kind, insurer name, points name. malloc'd. */
static char *
label(struct req *r, const char *kind, const char *insurer, const char *points)
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

int
terms_list(struct req *r, long long account_id, long long insurer_id,
    const char *kinds, const char *prefix)
{
	struct db_res	*res = NULL;
	const char	*kind, *url;
	char		 key[96], *text;
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
	while ((st = db_res_next(res)) == 1) {
		kind = db_res_str(res, 1);
		snprintf(key, sizeof(key), "%s.%d.Id", prefix, n);
		req_set(r, key, db_res_str(res, 0));
		snprintf(key, sizeof(key), "%s.%d.Kind", prefix, n);
		req_set(r, key, kind);
		snprintf(key, sizeof(key), "%s.%d.Version", prefix, n);
		req_set(r, key, db_res_str(res, 2));
		snprintf(key, sizeof(key), "%s.%d.Date", prefix, n);
		req_set(r, key, db_res_str(res, 4));
		text = label(r, kind, db_res_str(res, 5), db_res_str(res, 6));
		snprintf(key, sizeof(key), "%s.%d.Label", prefix, n);
		req_set(r, key, text);
		free(text);
		/* The version's own link, else the configured one of the
		 * operator's kinds; a stored URL that is no longer acceptable
		 * (edited by hand) is not linked. */
		url = db_res_str(res, 3);
		if (url == NULL && strcmp(kind, "service") == 0)
			url = config_str("Service.TermsURL");
		else if (url == NULL && strcmp(kind, "privacy") == 0)
			url = config_str("Service.PrivacyURL");
		if (terms_url_ok(url, 1)) {
			snprintf(key, sizeof(key), "%s.%d.URL", prefix, n);
			req_set(r, key, url);
		}
		n++;
	}
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

int
terms_record_current(long long account_id, long long insurer_id,
    const char *kinds)
{
	long long	 n;

	n = db_exec("INSERT IGNORE INTO consents (account_id, terms_version_id, via)"
	    " SELECT ?, v.id, 'signup' FROM terms_versions v"
	    " WHERE (v.insurer_id IS NULL OR v.insurer_id = ?)"
	    " AND FIND_IN_SET(v.kind, ?) > 0 AND" CURRENT("v"),
	    "iis", account_id, insurer_id, kinds);
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
