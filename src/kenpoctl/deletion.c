/*
 * kenpoctl deletion — アカウント削除申請 (SPEC §6, seed 001 Q8; src/deletion.h).
 *
 *   deletion list [--state STATE] [--limit N]
 *                     requests, newest first (STATE: unconfirmed, filed,
 *                     objected, approved, rejected, void; default: all);
 *   deletion show ID  one request: its state, the accounts (the old one's
 *                     address too: the operator may see it, the requester
 *                     never does), the contact address until the decision,
 *                     the grace period and whether the old account objected;
 *   deletion approve ID [--as-of YYYY-MM-DD]
 *                     a filed request once its grace_until has passed (as of
 *                     today in Japan, or the given date for tests and drills):
 *                     the old account is erased by account_erase() (state
 *                     closed), the roster person is free, the requester is
 *                     mailed. Exit 1 for an objected, unconfirmed or decided
 *                     request and before the grace period is over;
 *   deletion reject ID
 *                     an unconfirmed, filed or objected request: the
 *                     requester is mailed (when her address was proven).
 *
 * Audited as deletion.approve / deletion.reject (and account.delete).
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "deletion.h"
#include "lifecycle.h"
#include "roster.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_LIST	"deletion list [--state STATE] [--limit N]"
#define USAGE_SHOW	"deletion show ID"
#define USAGE_APPROVE	"deletion approve ID [--as-of YYYY-MM-DD]"
#define USAGE_REJECT	"deletion reject ID"
#define USAGE_ALL	USAGE_LIST " | " USAGE_SHOW " | " USAGE_APPROVE " | " \
	USAGE_REJECT
#define LIST_LIMIT	50

static const char *const states[] = { "unconfirmed", "filed", "objected",
	"approved", "rejected", "void", NULL };

#define COLUMNS	"d.id, d.state, d.requester_account_id, d.old_account_id," \
	" DATE_FORMAT(d.created_at, '%Y-%m-%d %H:%i:%s'), " \
	" DATE_FORMAT(d.filed_at, '%Y-%m-%d %H:%i:%s'), d.grace_until," \
	" DATE_FORMAT(d.objected_at, '%Y-%m-%d %H:%i:%s')," \
	" DATE_FORMAT(d.decided_at, '%Y-%m-%d %H:%i:%s')"

/* One request's common fields from a row of COLUMNS. */
static void
rec_common(struct db_res *res)
{
	ctl_rec_int("id", db_res_int(res, 0));
	ctl_rec_str("state", db_res_str(res, 1));
	if (db_res_isnull(res, 2))
		ctl_rec_str("requester_account", NULL);
	else
		ctl_rec_int("requester_account", db_res_int(res, 2));
	ctl_rec_int("old_account", db_res_int(res, 3));
	ctl_rec_str("created_at", db_res_str(res, 4));
	ctl_rec_str("filed_at", db_res_str(res, 5));
	ctl_rec_str("grace_until", db_res_str(res, 6));
	ctl_rec_str("objected_at", db_res_str(res, 7));
	ctl_rec_str("decided_at", db_res_str(res, 8));
}

/* Parse a request id; 0 when malformed. */
static long long
request_id(const char *s)
{
	long long	 id;

	return util_parse_int(s, 1, 0x7fffffffffffffffLL, &id) == 0 ? id : 0;
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state",	required_argument,	NULL,	's' },
		{ "limit",	required_argument,	NULL,	'l' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	const char	*state = NULL;
	long long	 limit = LIST_LIMIT;
	int		 ch, r, i, ok;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "s:l:", longopts, NULL)) != -1) {
		if (ch == 's') {
			for (ok = 0, i = 0; states[i] != NULL; i++)
				ok |= strcmp(states[i], optarg) == 0;
			if (!ok)
				return ctl_usage(USAGE_LIST, "--state wants one of "
				    "unconfirmed, filed, objected, approved, "
				    "rejected, void");
			state = optarg;
		} else if (ch == 'l') {
			if (util_parse_int(optarg, 1, 10000, &limit) != 0)
				return ctl_usage(USAGE_LIST, "--limit wants 1..10000");
		} else
			return ctl_usage(USAGE_LIST, NULL);
	}
	if (argc - optind != 0)
		return ctl_usage(USAGE_LIST, NULL);
	if (state != NULL)
		r = db_query(&res, "SELECT " COLUMNS " FROM deletion_requests d"
		    " WHERE d.state = ? ORDER BY d.id DESC LIMIT ?", "si", state,
		    limit);
	else
		r = db_query(&res, "SELECT " COLUMNS " FROM deletion_requests d"
		    " ORDER BY d.id DESC LIMIT ?", "i", limit);
	if (r < 0)
		return ctl_db_error(r, "deletion list");
	ctl_list_begin();
	while ((r = db_res_next(res)) > 0) {
		ctl_rec_begin();
		rec_common(res);
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return r < 0 ? ctl_db_error(r, "deletion list") : CTL_OK;
}

static int
cmd_show(int argc, char **argv)
{
	struct db_res	*res = NULL;
	long long	 id;
	int		 r;

	if (argc != 2 || (id = request_id(argv[1])) == 0)
		return ctl_usage(USAGE_SHOW, NULL);
	r = db_query(&res, "SELECT " COLUMNS ", NULLIF(d.contact_email, ''),"
	    " d.lang, o.email, o.state, q.email, q.state, r.personal_id, i.number"
	    " FROM deletion_requests d"
	    " LEFT JOIN accounts o ON o.id = d.old_account_id"
	    " LEFT JOIN accounts q ON q.id = d.requester_account_id"
	    " LEFT JOIN roster r ON r.id = d.roster_id"
	    " LEFT JOIN insurers i ON i.id = r.insurer_id WHERE d.id = ?", "i", id);
	if (r < 0)
		return ctl_db_error(r, "deletion show");
	if ((r = db_res_next(res)) <= 0) {
		db_res_free(res);
		return r < 0 ? ctl_db_error(r, "deletion show") :
		    ctl_refuse("deletion show: no such request");
	}
	ctl_rec_begin();
	rec_common(res);
	ctl_rec_str("contact_email", db_res_str(res, 9));
	ctl_rec_str("lang", db_res_str(res, 10));
	ctl_rec_str("old_account_email", db_res_str(res, 11));
	ctl_rec_str("old_account_state", db_res_str(res, 12));
	ctl_rec_str("requester_email", db_res_str(res, 13));
	ctl_rec_str("requester_state", db_res_str(res, 14));
	ctl_rec_str("insurer", db_res_str(res, 16));
	ctl_rec_str("personal_id", db_res_str(res, 15));
	ctl_rec_end();
	db_res_free(res);
	return CTL_OK;
}

/* 1 when s is a real calendar date YYYY-MM-DD. */
static int
date_valid(const char *s)
{
	char	 back[ROSTER_DATE_LEN + 1];
	int	 i;

	if (strlen(s) != ROSTER_DATE_LEN)
		return 0;
	for (i = 0; i < ROSTER_DATE_LEN; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return lifecycle_date_add(s, 0, back) == 0 && strcmp(back, s) == 0;
}

static int
decide(int argc, char **argv, int approve)
{
	static const struct option longopts[] = {
		{ "as-of",	required_argument,	NULL,	'a' },
		{ NULL,		0,			NULL,	0 }
	};
	struct deletion_decision d;
	const char	*usage = approve ? USAGE_APPROVE : USAGE_REJECT;
	const char	*verb = approve ? "deletion approve" : "deletion reject";
	int		 ch, r;

	memset(&d, 0, sizeof(d));
	d.approve = approve;
	optind = 0;
	while ((ch = getopt_long(argc, argv, approve ? "a:" : "", longopts,
	    NULL)) != -1) {
		if (ch != 'a' || !approve)
			return ctl_usage(usage, NULL);
		if (!date_valid(optarg))
			return ctl_usage(usage, "--as-of wants a date YYYY-MM-DD");
		d.today = optarg;
	}
	if (argc - optind != 1 || (d.id = request_id(argv[optind])) == 0)
		return ctl_usage(usage, NULL);
	if ((r = deletion_decide(&d)) < 0)
		return r == DB_ERR ? ctl_refuse("%s: cannot erase or queue the mail "
		    "(see the log)", verb) : ctl_db_error(r, verb);
	switch (r) {
	case DELETION_D_NONE:
		return ctl_refuse("%s: no such request", verb);
	case DELETION_D_STATE:
		if (approve && strcmp(d.state, "objected") == 0)
			return ctl_refuse("%s: request %lld is objected (the old "
			    "account's owner logged in): reject it", verb, d.id);
		return ctl_refuse("%s: request %lld is %s", verb, d.id, d.state);
	case DELETION_D_EARLY:
		return ctl_refuse("%s: request %lld: the old account may object "
		    "until %s; approve after that day", verb, d.id, d.grace_until);
	default:
		break;
	}
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", d.id);
		ctl_rec_str("state", approve ? "approved" : "rejected");
		ctl_rec_int("old_account", d.old_id);
		ctl_rec_bool("erased", d.erased);
		ctl_rec_bool("requester_mailed", d.mailed);
		ctl_rec_end();
	} else
		ctl_say("request %lld %s%s%s", d.id, approve ? "approved" :
		    "rejected", d.erased ? "; the old account was erased" : "",
		    d.mailed ? "; the requester was mailed" : "");
	return CTL_OK;
}

int
ctl_deletion(int argc, char **argv)
{
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "approve") == 0)
		return decide(argc - 1, argv + 1, 1);
	if (strcmp(argv[1], "reject") == 0)
		return decide(argc - 1, argv + 1, 0);
	return ctl_usage(USAGE_ALL, "deletion: unknown verb %s", argv[1]);
}
