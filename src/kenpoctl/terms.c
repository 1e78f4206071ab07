/*
 * kenpoctl terms — versions of the terms members agree to (src/terms.h).
 *
 *   terms publish KIND [--insurer NUMBER] --version V [--url URL] [--text FILE|-]
 *   terms list [--kind KIND] [--insurer NUMBER]
 *   terms show ID
 *
 * KIND is service (利用規約) or privacy (プライバシーポリシー), the operator's,
 * without --insurer; or insurer (会員個別規約) or points (独自ポイント特約), one
 * insurer's, with --insurer. A version needs a URL (where members read it:
 * http(s), or for the operator's kinds also a path on this site), a text (kept
 * as what was agreed to), or both. Publishing makes it the current version at
 * once: every member it applies to (all members for the operator's kinds; the
 * insurer's members who are not 未所属 for its kinds) agrees to it before using
 * the member area again, and new signups agree to it. Publishing the insurer's
 * 会員個別規約 with a URL also makes that URL the insurer's terms link on the
 * top page (insurers.terms_url). A version label is used once per kind and
 * insurer; versions are never edited or removed (consents point at them).
 * Times are printed in Japan time.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "insurer.h"
#include "normalize.h"
#include "terms.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_PUBLISH	"terms publish service|privacy|insurer|points " \
	"[--insurer NUMBER] --version V [--url URL] [--text FILE|-]"
#define USAGE_LIST	"terms list [--kind KIND] [--insurer NUMBER]"
#define USAGE_SHOW	"terms show ID"
#define USAGE_ALL	USAGE_PUBLISH " | " USAGE_LIST " | " USAGE_SHOW

#define TEXT_MAX	(1024 * 1024)	/* bytes of a version's text */

/* Columns of one version, times in Japan time. */
#define SELECT_COLS \
	"SELECT v.id, v.kind, i.number, v.version, v.url," \
	" DATE_FORMAT(v.published_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i:%s')," \
	" NOT EXISTS (SELECT 1 FROM terms_versions w WHERE w.kind = v.kind" \
	"  AND w.scope = v.scope AND w.published_at <= NOW(6)" \
	"  AND (w.published_at > v.published_at OR (w.published_at =" \
	"  v.published_at AND w.id > v.id))) AND v.published_at <= NOW(6)," \
	" (SELECT COUNT(*) FROM consents c WHERE c.terms_version_id = v.id)," \
	" v.body IS NOT NULL, v.body FROM terms_versions v" \
	" LEFT JOIN insurers i ON i.id = v.insurer_id"

static void
print_row(struct db_res *res, int with_body)
{
	ctl_rec_begin();
	ctl_rec_int("id", db_res_int(res, 0));
	ctl_rec_str("kind", db_res_str(res, 1));
	ctl_rec_str("insurer", db_res_str(res, 2));
	ctl_rec_str("version", db_res_str(res, 3));
	ctl_rec_str("url", db_res_str(res, 4));
	ctl_rec_str("published", db_res_str(res, 5));
	ctl_rec_bool("current", db_res_int(res, 6) != 0);
	ctl_rec_int("consents", db_res_int(res, 7));
	ctl_rec_bool("has_text", db_res_int(res, 8) != 0);
	if (with_body)
		ctl_rec_str("text", db_res_str(res, 9));
	ctl_rec_end();
}

struct publish {
	const char	*kind;
	long long	 insurer;
	const char	*version;
	const char	*url;
	const char	*text;
	long long	 id;	/* out */
};

static int
publish_fn(void *arg)
{
	struct publish	*p = arg;
	char		 ins[24];
	long long	 n;

	p->id = 0;
	snprintf(ins, sizeof(ins), "%lld", p->insurer);
	n = db_exec("INSERT INTO terms_versions (kind, insurer_id, version, url,"
	    " body) VALUES (?, ?, ?, ?, ?)", "sssss", p->kind,
	    p->insurer > 0 ? ins : NULL, p->version, p->url, p->text);
	if (n < 0)
		return (int)n;
	p->id = db_last_id();
	if (strcmp(p->kind, "insurer") == 0 && p->url != NULL &&
	    (n = db_exec("UPDATE insurers SET terms_url = ? WHERE id = ?", "si",
	    p->url, p->insurer)) < 0)
		return (int)n;
	return 0;
}

static int
cmd_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "insurer",	required_argument,	NULL,	'i' },
		{ "version",	required_argument,	NULL,	'V' },
		{ "url",	required_argument,	NULL,	'u' },
		{ "text",	required_argument,	NULL,	't' },
		{ NULL,		0,			NULL,	0 }
	};
	struct publish	 p;
	struct db_res	*res = NULL;
	const char	*number = NULL, *textfile = NULL;
	char		*text = NULL;
	long long	 due = 0;
	int		 ch, r;

	memset(&p, 0, sizeof(p));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "i:V:u:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			number = optarg;
			break;
		case 'V':
			p.version = optarg;
			break;
		case 'u':
			p.url = optarg;
			break;
		case 't':
			textfile = optarg;
			break;
		default:
			return ctl_usage(USAGE_PUBLISH, NULL);
		}
	}
	if (argc - optind != 1 || p.version == NULL)
		return ctl_usage(USAGE_PUBLISH, NULL);
	p.kind = argv[optind];
	if (!terms_kind_valid(p.kind))
		return ctl_usage(USAGE_PUBLISH, "unknown kind of terms: %s", p.kind);
	if (terms_kind_insurer(p.kind) && number == NULL)
		return ctl_usage(USAGE_PUBLISH, "%s terms belong to an insurer: "
		    "--insurer NUMBER", p.kind);
	if (!terms_kind_insurer(p.kind) && number != NULL)
		return ctl_usage(USAGE_PUBLISH, "%s terms are the operator's: "
		    "no --insurer", p.kind);
	if (p.url == NULL && textfile == NULL)
		return ctl_usage(USAGE_PUBLISH, "give --url, --text or both");
	if (!ctl_line_ok(p.version, TERMS_VERSION_MAX, 0))
		return ctl_refuse("terms publish: the version must be 1 to %d "
		    "characters without spaces", TERMS_VERSION_MAX);
	if (p.url != NULL && !terms_url_ok(p.url, !terms_kind_insurer(p.kind)))
		return ctl_refuse("terms publish: the URL must be an http(s) URL%s "
		    "of up to %d characters without spaces or quotes",
		    terms_kind_insurer(p.kind) ? "" : " or a path on this site",
		    TERMS_URL_MAX);
	if (number != NULL && (r = ctl_insurer_id_arg("terms", "publish", number,
	    &p.insurer)) != CTL_OK)
		return r;
	if (textfile != NULL && (r = ctl_read_text("terms publish", textfile,
	    TEXT_MAX, &text)) != CTL_OK)
		return r;
	p.text = text;
	r = db_txn(publish_fn, &p);
	free(text);
	if (r == DB_DUP)
		return ctl_refuse("terms publish: version %s of the %s terms is "
		    "already published", p.version, p.kind);
	if (r < 0)
		return ctl_db_error(r, "terms publish");
	audit_ip(NULL, "terms.publish", 0);
	/* Whom it asks to agree again: active accounts it applies to. */
	if (p.insurer > 0)
		r = db_int(&due, "SELECT COUNT(*) FROM accounts WHERE state = 'active'"
		    " AND insurer_id = ? AND unaffiliated = 0", "i", p.insurer);
	else
		r = db_int(&due, "SELECT COUNT(*) FROM accounts"
		    " WHERE state = 'active'", "");
	if (r < 0)
		return ctl_db_error(r, "terms publish");
	if ((r = db_query(&res, SELECT_COLS " WHERE v.id = ?", "i", p.id)) < 0)
		return ctl_db_error(r, "terms publish");
	ctl_say("terms %lld published: %lld active member(s) agree at their "
	    "next visit", p.id, due);
	if (db_res_next(res) == 1) {
		ctl_rec_begin();
		ctl_rec_int("id", db_res_int(res, 0));
		ctl_rec_str("kind", db_res_str(res, 1));
		ctl_rec_str("insurer", db_res_str(res, 2));
		ctl_rec_str("version", db_res_str(res, 3));
		ctl_rec_str("url", db_res_str(res, 4));
		ctl_rec_str("published", db_res_str(res, 5));
		ctl_rec_bool("has_text", db_res_int(res, 8) != 0);
		ctl_rec_int("members_to_agree", due);
		ctl_rec_end();
	}
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind",	required_argument,	NULL,	'k' },
		{ "insurer",	required_argument,	NULL,	'i' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	const char	*kind = NULL, *number = NULL;
	long long	 insurer = 0;
	int		 ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "k:i:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			kind = optarg;
			break;
		case 'i':
			number = optarg;
			break;
		default:
			return ctl_usage(USAGE_LIST, NULL);
		}
	}
	if (optind != argc)
		return ctl_usage(USAGE_LIST, NULL);
	if (kind != NULL && !terms_kind_valid(kind))
		return ctl_usage(USAGE_LIST, "unknown kind of terms: %s", kind);
	if (number != NULL && (r = ctl_insurer_id_arg("terms", "list", number,
	    &insurer)) != CTL_OK)
		return r;
	r = db_query(&res, SELECT_COLS " WHERE (? IS NULL OR v.kind = ?)"
	    " AND (? = 0 OR v.insurer_id = ?)"
	    " ORDER BY FIELD(v.kind, 'service', 'privacy', 'insurer', 'points'),"
	    " v.scope, v.published_at DESC, v.id DESC", "ssii",
	    kind, kind, insurer, insurer);
	if (r < 0)
		return ctl_db_error(r, "terms list");
	ctl_list_begin();
	while (db_res_next(res) == 1)
		print_row(res, 0);
	ctl_list_end();
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_show(int argc, char **argv)
{
	struct db_res	*res = NULL;
	long long	 id;
	int		 r, found = 0;

	if (argc != 2)
		return ctl_usage(USAGE_SHOW, NULL);
	if (util_parse_int(argv[1], 1, 0x7fffffffffffffffLL, &id) != 0)
		return ctl_usage(USAGE_SHOW, "not a terms version id: %s", argv[1]);
	if ((r = db_query(&res, SELECT_COLS " WHERE v.id = ?", "i", id)) < 0)
		return ctl_db_error(r, "terms show");
	if (db_res_next(res) == 1) {
		found = 1;
		print_row(res, ctl_json);
		if (!ctl_json && !db_res_isnull(res, 9))
			printf("\n%s\n", db_res_str(res, 9));
	}
	db_res_free(res);
	if (!found)
		return ctl_refuse("terms show: no terms version %lld", id);
	return CTL_OK;
}

int
ctl_terms(int argc, char **argv)
{
	if (strcmp(argv[1], "publish") == 0)
		return cmd_publish(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "terms: unknown verb %s", argv[1]);
}
