/*
 * oidc.c — shared parts of the OpenID Connect provider (see oidc.h).
 */
#include "autoconf.h"
#include "oidc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "util.h"

static const char *const acrs[] = {
	NULL, OIDC_ACR_INSURER, OIDC_ACR_IDENTITY, OIDC_ACR_SENSITIVE
};

const char *
oidc_acr_name(int level)
{
	return level >= 1 && level <= 3 ? acrs[level] : NULL;
}

int
oidc_acr_level(const char *acr)
{
	int	 i;

	if (acr == NULL)
		return 0;
	for (i = 1; i <= 3; i++)
		if (strcmp(acr, acrs[i]) == 0)
			return i;
	return 0;
}

/* 1 when s could be a client id: 1..64 characters of [A-Za-z0-9._~-]. */
static int
client_id_ok(const char *s)
{
	size_t	 n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 64)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._~-") == n;
}

void
oidc_client_free(struct oidc_client *c)
{
	if (c == NULL)
		return;
	free(c->client_id);
	free(c->name);
	free(c->secret_hash);
	memset(c, 0, sizeof(*c));
}

int
oidc_client_load(const char *client_id, struct oidc_client *c)
{
	char	*row[6] = { NULL };
	int	 st, i;

	memset(c, 0, sizeof(*c));
	if (!client_id_ok(client_id))
		return 0;
	st = db_row(row, 6, "SELECT id, client_id, name, public, secret_hash,"
	    " min_acr FROM oidc_clients WHERE client_id = ? AND deleted_at IS NULL",
	    "s", client_id);
	if (st == 1 && (row[0] == NULL || row[1] == NULL || row[2] == NULL)) {
		log_err("oidc: client row with NULL columns");
		st = DB_ERR;
	}
	if (st == 1) {
		c->id = strtoll(row[0], NULL, 10);
		c->client_id = row[1];
		c->name = row[2];
		c->public = row[3] != NULL && atoi(row[3]) != 0;
		c->secret_hash = row[4];
		c->min_level = oidc_acr_level(row[5]);
		if (c->min_level == 0)
			c->min_level = 1;
		row[1] = row[2] = row[4] = NULL;
	}
	for (i = 0; i < 6; i++)
		free(row[i]);
	return st;
}

int
oidc_client_uri_ok(const struct oidc_client *c, const char *kind,
    const char *uri)
{
	char		 hash[65];
	long long	 n;
	struct db_res	*res = NULL;
	int		 st;

	if (uri == NULL || *uri == '\0' || strlen(uri) > 2000)
		return 0;
	crypto_sha256_hex(uri, hash);
	/* The hash finds the row; the text itself is compared byte for byte
	 * (BINARY), not under the table's case-insensitive collation. */
	st = db_query(&res, "SELECT 1 FROM oidc_client_uris WHERE client = ?"
	    " AND kind = ? AND uri_hash = ? AND BINARY uri = BINARY ?",
	    "isss", c->id, kind, hash, uri);
	if (st != 0)
		return st;
	n = db_res_next(res);
	db_res_free(res);
	return (int)n;
}

static int
hmac_secret(const char *msg, size_t len, unsigned char out[32])
{
	unsigned char	 key[64];
	size_t		 keylen;
	int		 st;

	keylen = config_secret("Security.Secret", key, sizeof(key));
	if (keylen == 0) {
		log_err("oidc: Security.Secret is not set");
		return -1;
	}
	st = crypto_hmac(key, keylen, msg, len, out);
	util_wipe(key, sizeof(key));
	return st;
}

int
oidc_secret_hash(const char *secret, char out[65])
{
	unsigned char	 mac[32];
	char		*msg;
	int		 i, st;

	msg = xasprintf("client-secret|%s", secret);
	st = hmac_secret(msg, strlen(msg), mac);
	util_free_secret(msg);
	if (st != 0)
		return -1;
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	util_wipe(mac, sizeof(mac));
	return 0;
}

int
oidc_subject(const char *client_id, long long account_id,
    char out[OIDC_SUB_LEN + 1])
{
	unsigned char	 mac[32];
	char		 msg[128];
	int		 n;

	n = snprintf(msg, sizeof(msg), "oidc-sub|%s|%lld", client_id, account_id);
	if (n < 0 || (size_t)n >= sizeof(msg) ||
	    hmac_secret(msg, (size_t)n, mac) != 0)
		return -1;
	crypto_b64url_encode(mac, sizeof(mac), out);
	return 0;
}
