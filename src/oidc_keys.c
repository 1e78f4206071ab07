/*
 * oidc_keys.c — ID token signing keys: lazy creation, the per-worker cache of
 * the opened current key, rotation, the daily clean-up (see oidc_keys.h).
 *
 * Times are the database's (NOW(6), UTC on our connections), so hosts with
 * slightly different clocks agree on which key is retired.
 */
#include "autoconf.h"
#include "oidc_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "util.h"
#include "vault.h"

/* The opened current key of this process (a worker, kenpoctl). */
static struct jose_key	 cached;

/*
 * Create a key in state ('current' or 'next'). 0 created, 0 as well when
 * another process created that state's key first (DB_DUP on live_state),
 * OIDC_KEYS_NOVAULT, -1, or a db_status.
 */
static int
key_create(const char *state)
{
	struct jose_key	 k;
	struct vault_box box = { { 0 }, { 0 }, NULL, 0 };
	char		 x[JOSE_B64_32 + 2], y[JOSE_B64_32 + 2], ctx[64];
	long long	 n;

	if (!vault_ready())
		return OIDC_KEYS_NOVAULT;
	if (jose_es256_generate(&k) != 0)
		return -1;
	snprintf(ctx, sizeof(ctx), "oidc-key:%s", k.kid);
	if (vault_seal(k.d, sizeof(k.d), ctx, &box) != 0) {
		jose_key_wipe(&k);
		return -1;
	}
	jose_key_wipe(&k);
	crypto_b64url_encode(k.x, sizeof(k.x), x);
	crypto_b64url_encode(k.y, sizeof(k.y), y);
	n = db_exec("INSERT INTO oidc_keys (kid, state, x, y, key_id, wrapped,"
	    " sealed, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
	    " IF(? = 1, NOW(6), NULL))", "sssssbbi", k.kid, state, x, y, box.key_id, box.wrapped,
	    (size_t)VAULT_WRAPPED_LEN, box.sealed, box.sealed_len,
	    (long long)(strcmp(state, "current") == 0));
	vault_box_free(&box);
	if (n == DB_DUP)
		return 0;	/* another worker was quicker: use its key */
	if (n < 0)
		return (int)n;
	log_info("oidc: signing key %s created as %s", k.kid, state);
	return 0;
}

int
oidc_keys_ensure(void)
{
	long long	 cur = 0, next = 0;
	int		 st;

	st = db_int(&cur, "SELECT COUNT(*) FROM oidc_keys WHERE state = 'current'", "");
	if (st < 0)
		return st;
	st = db_int(&next, "SELECT COUNT(*) FROM oidc_keys WHERE state = 'next'", "");
	if (st < 0)
		return st;
	if (cur == 0 && (st = key_create("current")) != 0)
		return st;
	if (next == 0 && (st = key_create("next")) != 0)
		return st;
	return 0;
}

/* Load the current key (and open it unless it is the cached one). 1 loaded,
 * 0 none, -1, or a db_status. */
static int
current_load(struct jose_key *k)
{
	struct db_res	*res = NULL;
	unsigned char	*plain = NULL;
	size_t		 plen = 0;
	char		 ctx[64];
	int		 st, rc = -1;

	st = db_query(&res, "SELECT kid, x, y, key_id, wrapped, sealed FROM"
	    " oidc_keys WHERE state = 'current'", "");
	if (st != 0)
		return st;
	if ((st = db_res_next(res)) <= 0) {
		db_res_free(res);
		return st;
	}
	if (cached.has_d && strcmp(cached.kid, db_res_str(res, 0)) == 0) {
		*k = cached;
		db_res_free(res);
		return 1;
	}
	if (jose_key_public(k, db_res_str(res, 0), db_res_str(res, 1),
	    db_res_str(res, 2)) != 0) {
		log_err("oidc: signing key row with a malformed public key");
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "oidc-key:%s", k->kid);
	if (vault_open(db_res_str(res, 3),
	    (const unsigned char *)db_res_str(res, 4), db_res_len(res, 4),
	    (const unsigned char *)db_res_str(res, 5), db_res_len(res, 5), ctx,
	    &plain, &plen) != 0 || plen != JOSE_KEY_BYTES) {
		log_err("oidc: signing key %s does not open (is its master key"
		    " in Verify.MasterKey or Verify.OldMasterKeys?)", k->kid);
		goto out;
	}
	memcpy(k->d, plain, JOSE_KEY_BYTES);
	k->has_d = 1;
	jose_key_wipe(&cached);
	cached = *k;
	rc = 1;
out:
	if (plain != NULL)
		vault_free_plain(plain, plen);
	db_res_free(res);
	return rc;
}

int
oidc_keys_signing(struct jose_key *k)
{
	int	 st;

	memset(k, 0, sizeof(*k));
	if (!vault_ready()) {
		log_err("oidc: Verify.MasterKey is not set: ID tokens cannot be"
		    " signed (docs/oidc.md, Signing keys)");
		return OIDC_KEYS_NOVAULT;
	}
	if ((st = current_load(k)) == 1)
		return 0;
	if (st < 0)
		return st;
	if ((st = oidc_keys_ensure()) != 0)
		return st;
	if ((st = current_load(k)) == 1)
		return 0;
	if (st == 0) {
		log_err("oidc: no current signing key after creating one");
		return -1;
	}
	return st;
}

int
oidc_keys_published(struct jose_key **keys, size_t *n)
{
	struct db_res	*res = NULL;
	size_t		 cap = 4;
	int		 st;

	*keys = NULL;
	*n = 0;
	if (vault_ready() && (st = oidc_keys_ensure()) != 0 &&
	    st != OIDC_KEYS_NOVAULT && st != -1)
		return st;
	st = db_query(&res, "SELECT kid, x, y FROM oidc_keys WHERE state <> 'retired'"
	    " OR retire_after > NOW(6) ORDER BY FIELD(state, 'current', 'next',"
	    " 'retired'), id DESC", "");
	if (st != 0)
		return st;
	*keys = xcalloc(cap, sizeof(**keys));
	while ((st = db_res_next(res)) == 1) {
		if (*n == cap) {
			cap *= 2;
			*keys = xrealloc(*keys, cap * sizeof(**keys));
		}
		if (jose_key_public(&(*keys)[*n], db_res_str(res, 0),
		    db_res_str(res, 1), db_res_str(res, 2)) != 0) {
			log_err("oidc: signing key row with a malformed public key");
			continue;
		}
		(*n)++;
	}
	db_res_free(res);
	if (st < 0) {
		free(*keys);
		*keys = NULL;
		*n = 0;
		return st;
	}
	return 0;
}

struct rotate {
	const char	*expect;
	char		 new_kid[JOSE_KID_LEN + 1];
	int		 done;
};

static int
rotate_fn(void *arg)
{
	struct rotate	*rt = arg;
	char		*row[2] = { NULL, NULL };
	long long	 n;
	int		 st;

	rt->done = 0;
	rt->new_kid[0] = '\0';
	/* Lock both live rows: a second rotation waits, then sees ours. */
	st = db_row(row, 2, "SELECT (SELECT kid FROM oidc_keys WHERE state ="
	    " 'current' FOR UPDATE), (SELECT kid FROM oidc_keys WHERE state ="
	    " 'next' FOR UPDATE)", "");
	if (st < 0)
		return st;
	if (row[0] == NULL || row[1] == NULL ||
	    (rt->expect != NULL && strcmp(rt->expect, row[0]) != 0)) {
		free(row[0]);
		free(row[1]);
		return 0;
	}
	n = db_exec("UPDATE oidc_keys SET state = 'retired', retire_after ="
	    " NOW(6) + INTERVAL ? SECOND WHERE state = 'current' AND kid = ?",
	    "is", config_int("OIDC.IDTokenSeconds") + OIDC_KEYS_MARGIN, row[0]);
	if (n == 1)
		n = db_exec("UPDATE oidc_keys SET state = 'current', activated_at ="
		    " NOW(6) WHERE state = 'next' AND kid = ?", "s", row[1]);
	if (n == 1) {
		snprintf(rt->new_kid, sizeof(rt->new_kid), "%s", row[1]);
		rt->done = 1;
	}
	free(row[0]);
	free(row[1]);
	if (n < 0)
		return (int)n;
	if (n != 1)
		return DB_RETRY;
	return 0;
}

int
oidc_keys_rotate(const char *expect_kid, char new_kid[JOSE_KID_LEN + 1])
{
	struct rotate	 rt;
	int		 st;

	if (!vault_ready())
		return OIDC_KEYS_NOVAULT;
	/* Both live keys exist before the switch: the new next is made after. */
	if ((st = oidc_keys_ensure()) != 0)
		return st;
	memset(&rt, 0, sizeof(rt));
	rt.expect = expect_kid;
	if ((st = db_txn(rotate_fn, &rt)) < 0)
		return st;
	if (!rt.done)
		return 0;
	log_info("oidc: signing keys rotated: %s now signs", rt.new_kid);
	audit_ip(NULL, "oidc.key_rotated", 0);
	if ((st = oidc_keys_ensure()) != 0)
		return st;
	if (new_kid != NULL)
		snprintf(new_kid, JOSE_KID_LEN + 1, "%s", rt.new_kid);
	return 1;
}

int
oidc_keys_daily(long long *deleted, int *rotated)
{
	char		*cur[2] = { NULL, NULL };
	long long	 n, days = config_int("OIDC.KeyRotationDays");
	int		 st;

	*deleted = 0;
	*rotated = 0;
	n = db_exec("DELETE FROM oidc_keys WHERE state = 'retired'"
	    " AND retire_after <= NOW(6)", "");
	if (n < 0)
		return (int)n;
	*deleted = n;
	if (days <= 0 || !vault_ready())
		return 0;
	st = db_row(cur, 2, "SELECT kid, activated_at <= NOW(6) - INTERVAL ? DAY"
	    " FROM oidc_keys WHERE state = 'current'", "i", days);
	if (st < 0)
		return st;
	if (st == 1 && cur[1] != NULL && strcmp(cur[1], "1") == 0) {
		st = oidc_keys_rotate(cur[0], NULL);
		if (st == 1)
			*rotated = 1;
		else if (st < 0 && st != OIDC_KEYS_NOVAULT) {
			free(cur[0]);
			free(cur[1]);
			return st;
		}
	}
	free(cur[0]);
	free(cur[1]);
	return 0;
}
