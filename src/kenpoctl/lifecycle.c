/*
 * kenpoctl lifecycle — the daily job of the 100-day rules (SPEC §6; the rules
 * are in src/lifecycle.h).
 *
 *   lifecycle run [--as-of YYYY-MM-DD]
 *       as of today in Japan (or the given date, for tests and drills): accounts
 *       whose roster person's qualified_until has arrived become 未所属, those
 *       qualified again within 100 days of the loss come back, those 未所属 for
 *       100 days or more are closed and their personal data erased; then sent
 *       closure mails leave the outbox. One transaction per account, each
 *       re-checked under lock: running it twice, or twice at once, does what
 *       one run does. Then the eKYC images past their retention are deleted
 *       (Verify.RetentionDays after the decision, abandoned drafts after
 *       Verify.DraftHours; by the real clock, whatever --as-of says). Exit 1
 *       when an account or a verification could not be handled (logged; the
 *       next run tries again) or the database is down.
 *
 * Run daily by kenpo-lifecycle.timer (contrib/systemd/).
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "lifecycle.h"
#include "roster.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_RUN	"lifecycle run [--as-of YYYY-MM-DD]"

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
	/* 2026-02-30 comes back as 2026-03-02: not a date. */
	return lifecycle_date_add(s, 0, back) == 0 && strcmp(back, s) == 0 &&
	    strcmp(s, "1900-01-01") >= 0 && strcmp(s, "2999-12-31") <= 0;
}

static int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as-of",	required_argument,	NULL,	'a' },
		{ NULL,		0,			NULL,	0 }
	};
	struct lifecycle_run	 lr;
	char			 today[ROSTER_DATE_LEN + 1];
	int			 ch, r;

	memset(&lr, 0, sizeof(lr));
	roster_today(today);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "a:", longopts, NULL)) != -1) {
		if (ch != 'a')
			return ctl_usage(USAGE_RUN, NULL);
		if (!date_valid(optarg))
			return ctl_usage(USAGE_RUN, "--as-of wants a date "
			    "YYYY-MM-DD");
		snprintf(today, sizeof(today), "%s", optarg);
	}
	if (argc - optind != 0)
		return ctl_usage(USAGE_RUN, NULL);
	lr.today = today;
	r = lifecycle_run(&lr);
	if (r < 0 && lr.unaffiliated + lr.reaffiliated + lr.closed + lr.failed == 0)
		return ctl_db_error(r, "lifecycle run");
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_str("as_of", today);
		ctl_rec_bool("ok", r == 0 && lr.failed == 0);
		ctl_rec_int("unaffiliated", lr.unaffiliated);
		ctl_rec_int("reaffiliated", lr.reaffiliated);
		ctl_rec_int("closed", lr.closed);
		ctl_rec_int("mails_purged", lr.purged);
		ctl_rec_int("logins_pruned", lr.logins_pruned);
		ctl_rec_int("verifications_purged", lr.verifications_purged);
		ctl_rec_int("failed", lr.failed);
		ctl_rec_int("oidc_codes_deleted", lr.oidc_codes);
		ctl_rec_int("oidc_tokens_deleted", lr.oidc_tokens);
		ctl_rec_int("oidc_keys_deleted", lr.oidc_keys);
		ctl_rec_bool("oidc_key_rotated", lr.oidc_rotated);
		ctl_rec_end();
	} else
		ctl_say("lifecycle as of %s: %ld unaffiliated (未所属), %ld "
		    "affiliated again, %ld closed after %d days, %ld closure "
		    "mail%s purged, %ld old login%s forgotten, the images of %ld "
		    "verification%s deleted", today,
		    lr.unaffiliated, lr.reaffiliated, lr.closed, LIFECYCLE_DAYS,
		    lr.purged, lr.purged == 1 ? "" : "s", lr.logins_pruned,
		    lr.logins_pruned == 1 ? "" : "s", lr.verifications_purged,
		    lr.verifications_purged == 1 ? "" : "s");
	if (!ctl_json)
		ctl_say("oidc: %ld expired codes, %ld expired or revoked access "
		    "tokens, %ld retired signing keys deleted%s", lr.oidc_codes,
		    lr.oidc_tokens, lr.oidc_keys, lr.oidc_rotated ?
		    "; the signing key was rotated" : "");
	if (r < 0 || lr.failed > 0)
		return ctl_refuse("lifecycle run: %ld account%s or verification%s "
		    "not handled (see the log); run it again", lr.failed,
		    lr.failed == 1 ? "" : "s", lr.failed == 1 ? "" : "s");
	return CTL_OK;
}

int
ctl_lifecycle(int argc, char **argv)
{
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	return ctl_usage(USAGE_RUN, "lifecycle: unknown verb %s", argv[1]);
}
