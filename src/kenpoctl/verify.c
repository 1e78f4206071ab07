/*
 * kenpoctl verify — the eKYC vault's master keys (src/vault.h).
 *
 *   verify status
 *       how many sealed records (verification images, staff and member TOTP
 *       secrets, OIDC signing keys) each
 *       master key holds, and whether that key is configured: current, old
 *       (Verify.OldMasterKeys) or missing (its records cannot be opened).
 *   verify rekey
 *       rewrap every data key that is not under the current master key
 *       (Verify.MasterKey) with it. The sealed data is not touched: only the
 *       60-byte wrapped keys change, each row in its own statement, guarded by
 *       its old key id, so a rekey can be interrupted and run again, and runs
 *       beside a live kenpod. Exit 1 when a record could not be rewrapped (its
 *       key is not configured, or it is damaged: logged) — then do not drop the
 *       old key yet.
 *
 * The rotation, step by step, is in docs/operations.md ("Rotating the eKYC
 * master key").
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "vault.h"
#include "kenpoctl.h"

#define USAGE	"verify status | verify rekey"

/*
 * The sealed things. Rows are walked in the order of a numeric key (a, b):
 * list takes (current key id, a, b) and returns a, b, key_id, wrapped after
 * (a, b); update takes (new key id, new wrapped, a, b, old key id).
 */
static const struct sealed {
	const char	*name;		/* in messages and JSON */
	const char	*list;
	const char	*update;
	const char	*count;		/* key_id, count */
} sealed[] = {
	{ "images",
	  "SELECT verification_id, shot + 0, key_id, wrapped_key FROM verification_images "
	  "WHERE key_id <> ? AND (verification_id, shot + 0) > (?, ?) "
	  "ORDER BY verification_id, shot + 0 LIMIT 200",
	  "UPDATE verification_images SET key_id = ?, wrapped_key = ? "
	  "WHERE verification_id = ? AND shot + 0 = ? AND key_id = ?",
	  "SELECT key_id, COUNT(*) FROM verification_images GROUP BY key_id ORDER BY key_id" },
	{ "staff_totp",
	  "SELECT id, 0, totp_key_id, totp_wrapped FROM staff "
	  "WHERE totp_key_id IS NOT NULL AND totp_key_id <> ? AND (id, 0) > (?, ?) "
	  "ORDER BY id LIMIT 200",
	  "UPDATE staff SET totp_key_id = ?, totp_wrapped = ? "
	  "WHERE id = ? AND 0 = ? AND totp_key_id = ?",
	  "SELECT totp_key_id, COUNT(*) FROM staff WHERE totp_key_id IS NOT NULL "
	  "GROUP BY totp_key_id ORDER BY totp_key_id" },
	{ "oidc_keys",
	  "SELECT id, 0, key_id, wrapped FROM oidc_keys "
	  "WHERE key_id <> ? AND (id, 0) > (?, ?) ORDER BY id LIMIT 200",
	  "UPDATE oidc_keys SET key_id = ?, wrapped = ? "
	  "WHERE id = ? AND 0 = ? AND key_id = ?",
	  "SELECT key_id, COUNT(*) FROM oidc_keys GROUP BY key_id ORDER BY key_id" },
	{ "member_totp",
	  "SELECT account_id, 0, key_id, wrapped FROM member_totp "
	  "WHERE key_id <> ? AND (account_id, 0) > (?, ?) "
	  "ORDER BY account_id LIMIT 200",
	  "UPDATE member_totp SET key_id = ?, wrapped = ? "
	  "WHERE account_id = ? AND 0 = ? AND key_id = ?",
	  "SELECT key_id, COUNT(*) FROM member_totp GROUP BY key_id ORDER BY key_id" },
};

#define NSEALED	(sizeof(sealed) / sizeof(sealed[0]))

static const char *
key_state(const char *id)
{
	if (strcmp(id, vault_current_id()) == 0)
		return "current";
	return vault_has_key(id) ? "old" : "missing";
}

static int
cmd_status(void)
{
	struct db_res	*res;
	size_t		 i;
	int		 r, missing = 0;

	if (vault_ready())
		ctl_say("current master key: %s", vault_current_id());
	else
		ctl_say("no Verify.MasterKey: nothing can be sealed (the eKYC level "
		    "is not offered)");
	ctl_list_begin();
	for (i = 0; i < NSEALED; i++) {
		if ((r = db_query(&res, sealed[i].count, "")) != 0) {
			ctl_list_end();
			return ctl_db_error(r, "verify status");
		}
		while (db_res_next(res) == 1) {
			const char *id = db_res_str(res, 0), *st = key_state(id);

			missing += strcmp(st, "missing") == 0;
			ctl_rec_begin();
			ctl_rec_str("records", sealed[i].name);
			ctl_rec_str("key", id);
			ctl_rec_str("state", st);
			ctl_rec_int("count", db_res_int(res, 1));
			ctl_rec_end();
		}
		db_res_free(res);
	}
	ctl_list_end();
	if (missing > 0)
		return ctl_refuse("verify status: records under a master key that is "
		    "not configured cannot be opened: put the key back in "
		    "Verify.OldMasterKeys and run `kenpoctl verify rekey`");
	return CTL_OK;
}

/* Rewrap one kind of record. Counts into *done and *failed; a db_status. */
static int
rekey_one(const struct sealed *s, long *done, long *failed)
{
	char		 old[VAULT_KEY_ID_LEN + 1], nid[VAULT_KEY_ID_LEN + 1];
	unsigned char	 wrapped[VAULT_WRAPPED_LEN], nw[VAULT_WRAPPED_LEN];
	struct db_res	*res;
	long long	 a = 0, b = 0, n;
	size_t		 wlen;
	int		 r, rows;

	for (;;) {
		if ((r = db_query(&res, s->list, "sii", vault_current_id(), a, b)) != 0)
			return r;
		rows = 0;
		while (db_res_next(res) == 1) {
			rows++;
			a = db_res_int(res, 0);
			b = db_res_int(res, 1);
			snprintf(old, sizeof(old), "%s", db_res_str(res, 2));
			wlen = db_res_len(res, 3);
			if (wlen != sizeof(wrapped)) {
				log_err("verify rekey: %s %lld/%lld: the wrapped key is "
				    "damaged", s->name, a, b);
				(*failed)++;
				continue;
			}
			memcpy(wrapped, db_res_str(res, 3), wlen);
			if (vault_rewrap(old, wrapped, wlen, nid, nw) < 0) {
				(*failed)++;
				continue;
			}
			n = db_exec(s->update, "sbiis", nid, nw, sizeof(nw), a, b, old);
			if (n < 0) {
				db_res_free(res);
				return (int)n;
			}
			*done += n;	/* 0: changed meanwhile (another rekey) */
		}
		db_res_free(res);
		if (rows == 0)
			return 0;
	}
}

static int
cmd_rekey(void)
{
	long	 done = 0, failed = 0;
	size_t	 i;
	int	 r;

	if (!vault_ready())
		return ctl_refuse("verify rekey: Verify.MasterKey is not set: there "
		    "is no key to rewrap under");
	for (i = 0; i < NSEALED; i++)
		if ((r = rekey_one(&sealed[i], &done, &failed)) != 0)
			return ctl_db_error(r, "verify rekey");
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_str("key", vault_current_id());
		ctl_rec_int("rewrapped", done);
		ctl_rec_int("failed", failed);
		ctl_rec_end();
	} else
		ctl_say("rewrapped %ld data key%s under master key %s", done,
		    done == 1 ? "" : "s", vault_current_id());
	if (failed > 0)
		return ctl_refuse("verify rekey: %ld record%s could not be opened (see "
		    "the log): keep the old master keys configured", failed,
		    failed == 1 ? "" : "s");
	return CTL_OK;
}

int
ctl_verify(int argc, char **argv)
{
	if (argc != 2)
		return ctl_usage(USAGE, NULL);
	if (strcmp(argv[1], "status") == 0)
		return cmd_status();
	if (strcmp(argv[1], "rekey") == 0)
		return cmd_rekey();
	return ctl_usage(USAGE, "verify: unknown verb %s", argv[1]);
}
