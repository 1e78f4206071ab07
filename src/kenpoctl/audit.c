/*
 * kenpoctl audit — read the audit log (newest first).
 *
 *   audit list [--account ID] [--limit N]   N defaults to 50
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_LIST	"audit list [--account ID] [--limit N]"
#define LIST_LIMIT	50

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "account",	required_argument,	NULL,	'a' },
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	long long	 account = 0, limit = LIST_LIMIT;
	int		 ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "a:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (util_parse_int(optarg, 1, 0x7fffffffffffffffLL,
			    &account) != 0)
				return ctl_usage(USAGE_LIST, "not an account id: %s",
				    optarg);
			break;
		case 'n':
			if (util_parse_int(optarg, 1, 100000, &limit) != 0)
				return ctl_usage(USAGE_LIST, "bad limit: %s", optarg);
			break;
		default:
			return ctl_usage(USAGE_LIST, NULL);
		}
	}
	if (optind != argc)
		return ctl_usage(USAGE_LIST, NULL);
	if (account > 0)
		r = db_query(&res, "SELECT id, created_at, event, account_id, ip "
		    "FROM audit WHERE account_id = ? ORDER BY id DESC LIMIT ?", "ii",
		    account, limit);
	else
		r = db_query(&res, "SELECT id, created_at, event, account_id, ip "
		    "FROM audit ORDER BY id DESC LIMIT ?", "i", limit);
	if (r < 0)
		return ctl_db_error(r, "audit list");
	ctl_list_begin();
	while (db_res_next(res) == 1) {
		ctl_rec_begin();
		ctl_rec_int("id", db_res_int(res, 0));
		ctl_rec_str("time", db_res_str(res, 1));
		ctl_rec_str("event", db_res_str(res, 2));
		if (db_res_isnull(res, 3))
			ctl_rec_str("account", NULL);
		else
			ctl_rec_int("account", db_res_int(res, 3));
		ctl_rec_str("ip", db_res_str(res, 4));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return CTL_OK;
}

int
ctl_audit(int argc, char **argv)
{
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	return ctl_usage(USAGE_LIST, "audit: unknown verb %s", argv[1]);
}
