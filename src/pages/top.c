/*
 * GET /top — the member top page (SPEC §6; R_MEMBER: others are sent to /login
 * by the pipeline): "提供：<insurer>", the member's name (the roster's katakana),
 * the ten newest announcements the member may read with "もっと見る" and a
 * keyword search (both on /announcements), the insurer's links, and the
 * features of each verification level (SPEC §5, seed 001 p.11) — each shown as
 * available, or with what unlocks it.
 *
 * The levels: 0 none, 1 団体ID認証 (insurer number known), 2 本人確認 (the roster
 * match of signup steps 3–4: every active member), 3 健診・医療アクセス認証
 * (document, face photo and secret question, reviewed). "ご利用いただける機能"
 * lists what the member can do here, each with a link and a line saying what
 * it is for (or, when her level or 未所属 keeps it from her, why and how to
 * unlock it). The features of level 3 (健診・医療アクセス認証) exist only for
 * members of insurers that link health data (seed p.17 note): below level 3
 * they are explained once below the list, with a link to /verify (Top.More),
 * at level 3 they are linked (/sensitive); other members see nothing of
 * that level, neither here nor in the table. 未所属 (the roster shows the member's qualification has ended;
 * member_load keeps the flag) keeps the account settings and the operator's
 * announcements only, as in the seed.
 * The insurer's box never says "no guidance from your insurer" while the
 * insurer has announcements: it counts them and points to the news.
 * Below the features, the seed's ○/×/△ table of every level (src/levels.c)
 * with the member's own column marked. A member at 団体ID認証 (level 1, no
 * roster person: signup finished with the insurer number alone) is offered
 * 本人確認 (/account/verify) at the top of the page.
 * Returns 200, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "levels.h"
#include "lifecycle.h"
#include "maintenance.h"
#include "member.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "verify_page.h"

#define TOP_NEWS	10

enum feature_unaffiliated {
	F_NO,		/* not for 未所属 members */
	F_PARTIAL,	/* in part (L.Top.Feature.<key>.Partial says how) */
	F_YES,
};

/*
 * What a member can do here (SPEC §5–§6; the seed's table, p.11, for the
 * levels): L.Top.Feature.<key>.Name and .Text (what it is for).
 */
static const struct feature {
	const char	*key;		/* L.Top.Feature.<key>.* */
	const char	*href;		/* where it is */
	int		 level;		/* the verification level that unlocks it */
	int		 unaffiliated;	/* enum feature_unaffiliated */
} features[] = {
	{ "News",	 "/announcements",	1, F_PARTIAL },
	{ "InsurerLinks", "#insurer",		1, F_NO },
	{ "Settings",	 "/account",		0, F_YES },
	{ "Logins",	 "/account/logins",	0, F_YES },
	{ "Export",	 "/account/export",	0, F_YES },
	{ "FAQ",	 "/help/faq",		0, F_YES },
};

/* Top.Features.<n>.{Name,Href,State,Text} for member m. */
static void
set_features(struct req *r, const struct member *m)
{
	const struct feature *f;
	const char	*state;
	char		 key[64], tkey[64];
	size_t		 i;

	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		f = &features[i];
		if (m->unaffiliated && f->unaffiliated == F_NO) {
			state = "off";
			snprintf(tkey, sizeof(tkey), "Top.Status.Unaffiliated");
		} else if (m->level < f->level) {
			state = "locked";
			snprintf(tkey, sizeof(tkey), "Top.Unlock.%d", f->level);
		} else if (m->unaffiliated && f->unaffiliated == F_PARTIAL) {
			state = "partial";
			snprintf(tkey, sizeof(tkey), "Top.Feature.%s.Partial", f->key);
		} else {
			state = "ok";
			snprintf(tkey, sizeof(tkey), "Top.Feature.%s.Text", f->key);
		}
		snprintf(key, sizeof(key), "Top.Features.%zu.Text", i);
		req_set(r, key, req_text(r, tkey));
		snprintf(tkey, sizeof(tkey), "Top.Feature.%s.Name", f->key);
		snprintf(key, sizeof(key), "Top.Features.%zu.Name", i);
		req_set(r, key, req_text(r, tkey));
		snprintf(key, sizeof(key), "Top.Features.%zu.State", i);
		req_set(r, key, state);
		if (strcmp(state, "ok") == 0 || strcmp(state, "partial") == 0) {
			snprintf(key, sizeof(key), "Top.Features.%zu.Href", i);
			req_set(r, key, f->href);
		}
	}
}

/*
 * Level 3 (健診・医療アクセス認証) only for members of insurers that link
 * health data (seed p.17 note; verify_offered): what it unlocks and a link to
 * /verify below level 3, the sensitive features (/sensitive) at level 3.
 * Others see nothing of it. Returns offered (0/1) or a db_status.
 */
static int
set_sensitive(struct req *r, const struct member *m)
{
	int	 st;

	if ((st = verify_offered(m, NULL)) <= 0)
		return st;
	if (m->level < 3) {
		req_set(r, "Top.More", "1");
		if (m->level >= 2)
			req_set(r, "Top.VerifyLink", "1");
	} else
		req_set(r, "Top.SensitiveLink", "1");
	return 1;
}

/* 1 when u may be a link target: an absolute http(s) URL (operator data). */
static int
url_ok(const char *u)
{
	return u != NULL && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0) && strpbrk(u, " \"'<>\\") == NULL;
}

/*
 * The insurer's box: its name, member terms and own points, and how many of
 * the announcements are the insurer's own (not when 未所属). 0 or a db_status.
 */
static int
set_insurer(struct req *r, const struct member *m)
{
	char		 nbuf[24] = "0";
	/* "n" first: a NULL value (no points name) ends the list. */
	const char	*vars[] = { "n", nbuf, "insurer", m->insurer_name, "points",
	    m->points_name, NULL };
	long long	 n = 0;
	int		 st;

	if (m->insurer_name == NULL || m->unaffiliated)
		return 0;
	req_set(r, "Top.InsurerBox", "1");
	st = db_int(&n, "SELECT COUNT(*) FROM announcements"
	    " WHERE published_at <= NOW(6) AND insurer_id = ?", "i", m->insurer_id);
	if (st < 0)
		return st;
	if (n > 0) {
		snprintf(nbuf, sizeof(nbuf), "%lld", n);
		req_set_text(r, "Top.InsurerNewsText", "Top.InsurerNews", vars);
	} else
		req_set_text(r, "Top.InsurerNoneText", "Top.InsurerNone", vars);
	if (url_ok(m->terms_url)) {
		req_set(r, "Top.TermsURL", m->terms_url);
		req_set_text(r, "Top.TermsText", "Top.InsurerTerms", vars);
	}
	if (m->points_name != NULL && m->points_name[0] != '\0')
		req_set_text(r, "Top.PointsText", "Top.InsurerPoints", vars);
	return 0;
}

/* Key = date (YYYY-MM-DD) as Member.Date writes it in the page's language. */
static void
set_date(struct req *r, const char *key, const char *date)
{
	char		 y[8], mo[4], d[4], *text;
	const char	*vars[] = { "y", y, "m", mo, "d", d, NULL };
	int		 ja = strcmp(r->lang, "ja") == 0;

	snprintf(y, sizeof(y), "%.4s", date);
	snprintf(mo, sizeof(mo), "%.*s", ja && date[5] == '0' ? 1 : 2,
	    date + 5 + (ja && date[5] == '0'));
	snprintf(d, sizeof(d), "%.*s", ja && date[8] == '0' ? 1 : 2,
	    date + 8 + (ja && date[8] == '0'));
	text = req_text_vars(r, "Member.Date", vars);
	req_set(r, key, text);
	free(text);
}

/*
 * 未所属 since lost_on: the last day a rejoin gives the account back and the
 * day it is closed (lifecycle.h), for the notice (Top.UnaffiliatedDates).
 */
static void
unaffiliated_dates(struct req *r, const char *lost_on)
{
	char		 until[ROSTER_DATE_LEN + 1], closes[ROSTER_DATE_LEN + 1];
	const char	*vars[7];

	if (lost_on[0] == '\0' ||
	    lifecycle_date_add(lost_on, LIFECYCLE_DAYS - 1, until) != 0 ||
	    lifecycle_date_add(lost_on, LIFECYCLE_DAYS, closes) != 0)
		return;
	set_date(r, "Top.LostOn", lost_on);
	set_date(r, "Top.RejoinUntil", until);
	set_date(r, "Top.ClosesOn", closes);
	vars[0] = "lost";
	vars[1] = hdf_get_value(r->hdf, "Top.LostOn", "");
	vars[2] = "until";
	vars[3] = hdf_get_value(r->hdf, "Top.RejoinUntil", "");
	vars[4] = "closes";
	vars[5] = hdf_get_value(r->hdf, "Top.ClosesOn", "");
	vars[6] = NULL;
	req_set_text(r, "Top.UnaffiliatedDates", "Top.UnaffiliatedDates", vars);
}

int
page_top(struct req *r)
{
	struct member	 m;
	char		 lk[32];
	long long	 total = 0;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "top";
	if (m.name_kana != NULL) {
		const char *vars[] = { "name", m.name_kana, NULL };

		req_set(r, "Top.Name", m.name_kana);
		req_set_text(r, "Top.HelloText", "Top.Hello", vars);
	}
	if (m.insurer_name != NULL)
		req_set(r, "Top.Insurer", m.insurer_name);
	req_set(r, "Top.Email", m.email);
	req_set_int(r, "Top.Level", m.level);
	snprintf(lk, sizeof(lk), "Top.Levels.%d", m.level);
	req_set(r, "Top.LevelText", req_text(r, lk));
	if (m.unaffiliated) {
		req_set(r, "Top.Unaffiliated", "1");
		unaffiliated_dates(r, m.lost_on);
	}

	st = member_announcements(r, &m, NULL, 0, TOP_NEWS, "Top.News", &total);
	if (st < 0) {
		member_free(&m);
		return req_db_error(r, st);
	}
	if (total > TOP_NEWS)
		req_set(r, "Top.NewsMore", "1");
	if ((st = set_insurer(r, &m)) < 0) {
		member_free(&m);
		return req_db_error(r, st);
	}
	set_features(r, &m);
	if ((st = set_sensitive(r, &m)) < 0) {
		member_free(&m);
		return req_db_error(r, st);
	}
	/* The insurer's maintenance notice (not for 未所属: no longer its member). */
	if (!m.unaffiliated)
		(void)maintenance_show(r, m.insurer_id);
	if (m.level < 2 && m.name_kana == NULL && !m.unaffiliated)
		req_set(r, "Top.Verify", "1");
	levels_table_for(r, levels_column(m.level, m.unaffiliated), st);
	member_free(&m);
	return 200;
}
