/*
 * reset.c — see reset.h.
 *
 * A request row is claimed FOR UPDATE SKIP LOCKED and deleted in the same
 * transaction that stores the token and queues the mail, so each request
 * yields at most one mail even with several mailers, and none is lost when a
 * mailer dies (the row stays until a transaction that acted on it commits).
 */
#include "autoconf.h"
#include "reset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "util.h"

int
reset_request_queue(const char *email, const char *lang, const char *ip, int send)
{
	long long	 n;

	n = db_exec("INSERT INTO reset_requests (email, lang, ip, send)"
	    " VALUES (?, ?, ?, ?)", "sssi", email, lang, ip, (long long)(send != 0));
	return n < 0 ? (int)n : 0;
}

/* The mail's variables for token. NULL on an HDF failure. */
static HDF *
mail_vars(const char *token)
{
	HDF		*vars = NULL;
	NEOERR		*err;
	char		*url, mins[24];

	url = xasprintf("%s/password/reset/%s", config_str("Service.BaseURL"), token);
	snprintf(mins, sizeof(mins), "%lld", config_int("Login.ResetMinutes"));
	if ((err = hdf_init(&vars)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.ResetURL", url)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.ResetMinutes", mins)) != STATUS_OK) {
		nerr_ignore(&err);
		if (vars != NULL)
			hdf_destroy(&vars);
		vars = NULL;
	}
	util_free_secret(url);
	return vars;
}

struct one {
	long long	 id;		/* the request row */
	long long	 account_id;	/* the account it reached, 0 none */
	int		 found;		/* a request was claimed */
	char		 ip[64];
};

/* Claim one request and carry it out (safe to rerun: db_txn retries whole). */
static int
one_txn(void *arg)
{
	struct one	*o = arg;
	struct account	*a = NULL;
	char		*c[5] = { NULL }, token[CRYPTO_TOKEN_LEN + 1], hash[65];
	const char	*lang;
	HDF		*vars = NULL;
	long long	 n;
	int		 st, i;

	memset(o, 0, sizeof(*o));
	token[0] = '\0';
	st = db_row(c, 5, "SELECT id, email, lang, ip, send FROM reset_requests"
	    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", "");
	if (st <= 0)
		return st;
	o->found = 1;
	o->id = strtoll(c[0], NULL, 10);
	snprintf(o->ip, sizeof(o->ip), "%s", c[3] != NULL ? c[3] : "");
	if ((n = db_exec("DELETE FROM reset_requests WHERE id = ?", "i", o->id)) < 0) {
		st = (int)n;
		goto out;
	}
	if (strcmp(c[4], "1") != 0)
		goto out;	/* over the address's hourly limit */
	if ((st = account_find_email(c[1], &a)) < 0)
		goto out;
	st = 0;
	if (a == NULL || strcmp(a->state, "withdrawn") == 0 ||
	    strcmp(a->state, "closed") == 0)
		goto out;
	o->account_id = a->id;
	crypto_token(token);
	crypto_sha256_hex(token, hash);
	n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE account_id = ?"
	    " AND purpose = 'reset' AND used_at IS NULL AND superseded_at IS NULL",
	    "i", a->id);
	if (n >= 0)
		n = db_exec("INSERT INTO tokens (account_id, purpose, token_hash,"
		    " expires_at) VALUES (?, 'reset', ?, NOW(6) + INTERVAL ? MINUTE)",
		    "isi", a->id, hash, config_int("Login.ResetMinutes"));
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	if ((vars = mail_vars(token)) == NULL) {
		st = DB_ERR;
		goto out;
	}
	lang = a->lang != NULL && a->lang[0] != '\0' ? a->lang : c[2];
	n = outbox_enqueue(a->email, "password_reset", vars, lang);
	st = n < 0 ? (int)n : 0;
 out:
	util_wipe(token, sizeof(token));
	if (vars != NULL)
		hdf_destroy(&vars);
	account_free(a);
	for (i = 0; i < 5; i++)
		free(c[i]);
	return st;
}

int
reset_request_run(int n)
{
	struct one	 o;
	int		 done, st;

	for (done = 0; done < n; done++) {
		if ((st = db_txn(one_txn, &o)) < 0) {
			log_err("password reset request not carried out (db status "
			    "%d); kept for the next round", st);
			return done > 0 ? done : st;
		}
		if (!o.found)
			break;
		if (o.account_id != 0)
			audit_ip(o.ip[0] != '\0' ? o.ip : NULL, "password.reset_mail",
			    o.account_id);
	}
	return done;
}
