/*
 * kenpoctl staff — the review console's accounts (src/staff.h).
 *
 *   staff add EMAIL --role reviewer|support|admin
 *                     a new account; prints its one-time enrolment link
 *                     (Staff.BaseURL/enrol/<token>, Staff.EnrolHours). The
 *                     password and the TOTP authenticator are set there; the
 *                     TOTP secret is never printed here.
 *   staff list        every account: id, email, role, state
 *                     (pending|active|locked|disabled)
 *   staff disable EMAIL
 *                     closes the account (sessions ended, link void)
 *   staff reset EMAIL a new enrolment: password, TOTP and recovery codes
 *                     cleared, sessions ended; prints the new link
 * All with --json. The link is a secret for one person: it is printed, never
 * logged.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "outbox.h"
#include "staff.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_ADD	"staff add EMAIL --role reviewer|support|admin"
#define USAGE_LIST	"staff list"
#define USAGE_DISABLE	"staff disable EMAIL"
#define USAGE_RESET	"staff reset EMAIL"
#define USAGE_ALL	USAGE_ADD " | " USAGE_LIST " | " USAGE_DISABLE " | " USAGE_RESET

static void
print_link(long long id, const char *email, const char *role, const char *url)
{
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_str("email", email);
		if (role != NULL)
			ctl_rec_str("role", role);
		ctl_rec_str("enrol_url", url);
		ctl_rec_end();
	} else
		printf("enrolment link for %s (one use, %lld hours):\n%s\n", email,
		    config_int("Staff.EnrolHours"), url);
}

static int
cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "role",	required_argument,	NULL,	'r' },
		{ NULL,		0,			NULL,	0 }
	};
	enum staff_role	 role = STAFF_NONE;
	const char	*rname = NULL;
	char		*url = NULL;
	long long	 id = 0;
	int		 ch, st;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		if (ch != 'r')
			return ctl_usage(USAGE_ADD, NULL);
		if ((role = staff_role_parse(optarg)) == STAFF_NONE)
			return ctl_usage(USAGE_ADD, "--role is reviewer, support or admin");
		rname = optarg;
	}
	if (argc - optind != 1 || role == STAFF_NONE)
		return ctl_usage(USAGE_ADD, role == STAFF_NONE ? "--role is required" :
		    NULL);
	if (!outbox_addr_valid(argv[optind]))
		return ctl_refuse("staff add: not a mail address: %s", argv[optind]);
	st = staff_add(argv[optind], role, &id, &url);
	if (st == DB_DUP)
		return ctl_refuse("staff add: %s has a staff account already "
		    "(staff reset gives it a new enrolment)", argv[optind]);
	if (st < 0)
		return ctl_db_error(st, "staff add");
	print_link(id, argv[optind], rname, url);
	free(url);
	return CTL_OK;
}

static int
cmd_list(int argc, char **argv)
{
	struct db_res	*res = NULL;
	int		 st;

	(void)argv;
	if (argc != 1)
		return ctl_usage(USAGE_LIST, NULL);
	st = db_query(&res, "SELECT id, email, role, enrolled_at IS NOT NULL,"
	    " disabled_at IS NOT NULL, locked_until IS NOT NULL AND locked_until > NOW(6),"
	    " created_at FROM staff ORDER BY id", "");
	if (st < 0)
		return ctl_db_error(st, "staff list");
	ctl_list_begin();
	while ((st = db_res_next(res)) == 1) {
		ctl_rec_begin();
		ctl_rec_int("id", db_res_int(res, 0));
		ctl_rec_str("email", db_res_str(res, 1));
		ctl_rec_str("role", db_res_str(res, 2));
		ctl_rec_str("state", db_res_int(res, 4) ? "disabled" : db_res_int(res, 5) ?
		    "locked" : db_res_int(res, 3) ? "active" : "pending");
		ctl_rec_str("created_at", db_res_str(res, 6));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return st < 0 ? ctl_db_error(st, "staff list") : CTL_OK;
}

static int
cmd_disable(int argc, char **argv)
{
	long long	 id = 0;
	int		 st;

	if (argc != 2)
		return ctl_usage(USAGE_DISABLE, NULL);
	if ((st = staff_disable(argv[1], &id)) < 0)
		return ctl_db_error(st, "staff disable");
	if (st == 0)
		return ctl_refuse("staff disable: no active staff account %s", argv[1]);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_str("email", argv[1]);
		ctl_rec_str("state", "disabled");
		ctl_rec_end();
	} else
		ctl_say("disabled staff account %s (%lld)", argv[1], id);
	return CTL_OK;
}

static int
cmd_reset(int argc, char **argv)
{
	char		*url = NULL;
	long long	 id = 0;
	int		 st;

	if (argc != 2)
		return ctl_usage(USAGE_RESET, NULL);
	if ((st = staff_reset(argv[1], &id, &url)) < 0)
		return ctl_db_error(st, "staff reset");
	if (st == 0)
		return ctl_refuse("staff reset: no active staff account %s", argv[1]);
	print_link(id, argv[1], NULL, url);
	free(url);
	return CTL_OK;
}

int
ctl_staff(int argc, char **argv)
{
	if (strcmp(argv[1], "add") == 0)
		return cmd_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0)
		return cmd_disable(argc - 1, argv + 1);
	if (strcmp(argv[1], "reset") == 0)
		return cmd_reset(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "staff: unknown verb %s", argv[1]);
}
