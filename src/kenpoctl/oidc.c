/*
 * kenpoctl oidc — the OpenID provider's signing keys (src/oidc_keys.h,
 * docs/oidc.md "Signing keys").
 *
 *   oidc key list     every key: kid, state (current|next|retired),
 *                     created, activated, retire_after
 *   oidc key rotate   now: the next key signs, the current one is retired
 *                     (published until its ID tokens expired), a new next
 * Both with --json (before the noun, or after the verb). Missing keys are
 * created first (needs Verify.MasterKey). A rotation is audited
 * (oidc.key_rotated); the daily job rotates by itself after
 * OIDC.KeyRotationDays.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "oidc_keys.h"
#include "kenpoctl.h"

#define USAGE_LIST	"oidc key list"
#define USAGE_ROTATE	"oidc key rotate"
#define USAGE_ALL	USAGE_LIST " | " USAGE_ROTATE

static int
keys_failed(int st, const char *what)
{
	if (st == OIDC_KEYS_NOVAULT)
		return ctl_refuse("%s: Verify.MasterKey is not set: signing keys "
		    "cannot be created or opened", what);
	if (st == -1)
		return ctl_refuse("%s: a signing key could not be made or opened "
		    "(see the log)", what);
	return ctl_db_error(st, what);
}

static int
cmd_list(void)
{
	struct db_res	*res = NULL;
	int		 st;

	st = oidc_keys_ensure();
	if (st != 0 && st != OIDC_KEYS_NOVAULT)
		return keys_failed(st, "oidc key list");
	st = db_query(&res, "SELECT kid, state, DATE_FORMAT(created_at,"
	    " '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(activated_at, '%Y-%m-%d %H:%i:%s'),"
	    " DATE_FORMAT(retire_after, '%Y-%m-%d %H:%i:%s'), key_id FROM oidc_keys"
	    " ORDER BY FIELD(state, 'next', 'current', 'retired'), id DESC", "");
	if (st != 0)
		return ctl_db_error(st, "oidc key list");
	ctl_list_begin();
	while ((st = db_res_next(res)) == 1) {
		ctl_rec_begin();
		ctl_rec_str("kid", db_res_str(res, 0));
		ctl_rec_str("state", db_res_str(res, 1));
		ctl_rec_str("created_at", db_res_str(res, 2));
		ctl_rec_str("activated_at", db_res_str(res, 3));
		ctl_rec_str("retire_after", db_res_str(res, 4));
		ctl_rec_str("master_key_id", db_res_str(res, 5));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return st < 0 ? ctl_db_error(st, "oidc key list") : CTL_OK;
}

static int
cmd_rotate(void)
{
	char	 kid[JOSE_KID_LEN + 1] = "";
	int	 st;

	st = oidc_keys_rotate(NULL, kid);
	if (st < 0)
		return keys_failed(st, "oidc key rotate");
	if (st == 0)
		return ctl_refuse("oidc key rotate: nothing rotated (another "
		    "rotation ran at the same time?)");
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_bool("rotated", 1);
		ctl_rec_str("current_kid", kid);
		ctl_rec_end();
	} else
		printf("rotated: %s now signs; the previous key stays published "
		    "until its ID tokens expired\n", kid);
	return CTL_OK;
}

int
ctl_oidc(int argc, char **argv)
{
	int	 i, n = 0;
	char	*args[4];

	/* "--json" may follow the verb too. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			ctl_json = 1;
		else if (n < 4)
			args[n++] = argv[i];
		else
			return ctl_usage(USAGE_ALL, NULL);
	}
	if (n != 2 || strcmp(args[0], "key") != 0)
		return ctl_usage(USAGE_ALL, NULL);
	if (strcmp(args[1], "list") == 0)
		return cmd_list();
	if (strcmp(args[1], "rotate") == 0)
		return cmd_rotate();
	return ctl_usage(USAGE_ALL, "unknown verb: %s", args[1]);
}
