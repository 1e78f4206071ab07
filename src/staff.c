/*
 * staff.c — the review console's accounts: creation and enrolment links,
 * enrolment (password, TOTP, recovery codes), the login's checks and lockout.
 * See staff.h. Every time comparison is done by the database (NOW(6)).
 */
#include "autoconf.h"
#include "staff.h"

#include <ctype.h>
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

enum staff_role
staff_role_parse(const char *s)
{
	if (s == NULL)
		return STAFF_NONE;
	if (strcmp(s, "reviewer") == 0)
		return STAFF_REVIEWER;
	if (strcmp(s, "support") == 0)
		return STAFF_SUPPORT;
	if (strcmp(s, "admin") == 0)
		return STAFF_ADMIN;
	return STAFF_NONE;
}

int
staff_role_allows(enum staff_role role, unsigned roles)
{
	return role == STAFF_ADMIN || (role & roles) != 0;
}

/* A new enrolment token into tok, its SHA-256 hex into hash, the link into *url. */
static void
new_token(char tok[CRYPTO_TOKEN_LEN + 1], char hash[65], char **url)
{
	const char	*base = config_str("Staff.BaseURL");
	size_t		 n = strlen(base);

	crypto_token(tok);
	crypto_sha256_hex(tok, hash);
	while (n > 0 && base[n - 1] == '/')
		n--;
	*url = xasprintf("%.*s/enrol/%s", (int)n, base, tok);
}

static char *
lower(const char *s)
{
	char	*o = xstrdup(s), *p;

	for (p = o; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return o;
}

struct add {
	const char	*email;
	const char	*role;
	const char	*hash;
	long long	 id;
};

static int
add_fn(void *arg)
{
	struct add	*a = arg;
	long long	 n;

	n = db_exec("INSERT INTO staff (email, role, enrol_token_hash, enrol_expires_at)"
	    " VALUES (?, ?, ?, NOW(6) + INTERVAL ? HOUR)", "sssi", a->email, a->role,
	    a->hash, config_int("Staff.EnrolHours"));
	if (n < 0)
		return (int)n;
	a->id = db_last_id();
	return (int)db_exec("INSERT INTO audit (event, staff_id) VALUES ('staff.add', ?)",
	    "i", a->id) < 0 ? DB_ERR : 0;
}

int
staff_add(const char *email, enum staff_role role, long long *id, char **url)
{
	struct add	 a;
	char		 tok[CRYPTO_TOKEN_LEN + 1], hash[65];
	char		*e = lower(email);
	int		 st;

	*url = NULL;
	new_token(tok, hash, url);
	a.email = e;
	a.role = role == STAFF_ADMIN ? "admin" : role == STAFF_SUPPORT ? "support" :
	    "reviewer";
	a.hash = hash;
	a.id = 0;
	st = db_txn(add_fn, &a);
	util_wipe(tok, sizeof(tok));
	free(e);
	if (st < 0) {
		free(*url);
		*url = NULL;
		return st;
	}
	*id = a.id;
	return 0;
}

struct reset {
	const char	*email;
	const char	*hash;
	long long	 id;
	int		 disable;
};

static int
reset_fn(void *arg)
{
	struct reset	*a = arg;
	long long	 n;

	a->id = 0;
	if ((n = db_int(&a->id, "SELECT id FROM staff WHERE email = ? AND"
	    " disabled_at IS NULL FOR UPDATE", "s", a->email)) <= 0)
		return (int)n;
	if (a->disable)
		n = db_exec("UPDATE staff SET disabled_at = NOW(6), enrol_token_hash = NULL,"
		    " enrol_expires_at = NULL WHERE id = ?", "i", a->id);
	else
		n = db_exec("UPDATE staff SET password_hash = NULL, totp_key_id = NULL,"
		    " totp_wrapped = NULL, totp_sealed = NULL, totp_last_step = 0,"
		    " enrolled_at = NULL, failures = 0, locked_until = NULL,"
		    " enrol_token_hash = ?, enrol_expires_at = NOW(6) + INTERVAL ? HOUR"
		    " WHERE id = ?", "sii", a->hash, config_int("Staff.EnrolHours"), a->id);
	if (n < 0 ||
	    (!a->disable && (n = db_exec("DELETE FROM staff_recovery_codes WHERE"
	    " staff_id = ?", "i", a->id)) < 0) ||
	    (n = db_exec("DELETE FROM staff_sessions WHERE staff_id = ?", "i", a->id)) < 0 ||
	    (n = db_exec("INSERT INTO audit (event, staff_id) VALUES (?, ?)", "si",
	    a->disable ? "staff.disable" : "staff.reset", a->id)) < 0)
		return (int)n;
	return 1;
}

int
staff_reset(const char *email, long long *id, char **url)
{
	struct reset	 a;
	char		 tok[CRYPTO_TOKEN_LEN + 1], hash[65];
	char		*e = lower(email);
	int		 st;

	new_token(tok, hash, url);
	util_wipe(tok, sizeof(tok));
	memset(&a, 0, sizeof(a));
	a.email = e;
	a.hash = hash;
	st = db_txn(reset_fn, &a);
	free(e);
	if (st != 1) {
		free(*url);
		*url = NULL;
		return st;
	}
	*id = a.id;
	return 1;
}

int
staff_disable(const char *email, long long *id)
{
	struct reset	 a;
	char		*e = lower(email);
	int		 st;

	memset(&a, 0, sizeof(a));
	a.email = e;
	a.disable = 1;
	st = db_txn(reset_fn, &a);
	free(e);
	*id = a.id;
	return st;
}

/* ---- enrolment ---- */

void
staff_enrol_free(struct staff_enrol *e)
{
	free(e->email);
	util_wipe(e->secret, sizeof(e->secret));
	memset(e, 0, sizeof(*e));
}

/* Open (or make and seal) the TOTP secret of staff id into secret. 0, -1 or a
 * db_status. */
static int
enrol_secret(long long id, unsigned char secret[TOTP_SECRET_BYTES])
{
	struct db_res	*res = NULL;
	struct vault_box box;
	unsigned char	*plain = NULL;
	size_t		 plen = 0;
	char		 ctx[40];
	long long	 n;
	int		 st;

	snprintf(ctx, sizeof(ctx), "totp:%lld", id);
	if ((st = db_query(&res, "SELECT totp_key_id, totp_wrapped, totp_sealed FROM"
	    " staff WHERE id = ?", "i", id)) < 0)
		return st;
	if ((st = db_res_next(res)) != 1) {
		db_res_free(res);
		return st < 0 ? st : DB_ERR;
	}
	if (!db_res_isnull(res, 2)) {
		st = vault_open(db_res_str(res, 0),
		    (const unsigned char *)db_res_str(res, 1), db_res_len(res, 1),
		    (const unsigned char *)db_res_str(res, 2), db_res_len(res, 2), ctx,
		    &plain, &plen);
		db_res_free(res);
		if (st != 0 || plen != TOTP_SECRET_BYTES) {
			if (st == 0)
				vault_free_plain(plain, plen);
			log_err("staff %lld: the TOTP secret cannot be opened", id);
			return -1;
		}
		memcpy(secret, plain, TOTP_SECRET_BYTES);
		vault_free_plain(plain, plen);
		return 0;
	}
	db_res_free(res);
	crypto_random(secret, TOTP_SECRET_BYTES);
	memset(&box, 0, sizeof(box));
	if (vault_seal(secret, TOTP_SECRET_BYTES, ctx, &box) != 0) {
		log_err("staff %lld: the TOTP secret cannot be sealed", id);
		return -1;
	}
	/* Only when none was stored meanwhile (two tabs): then open that one. */
	n = db_exec("UPDATE staff SET totp_key_id = ?, totp_wrapped = ?, totp_sealed = ?"
	    " WHERE id = ? AND totp_sealed IS NULL", "sbbi", box.key_id,
	    box.wrapped, (size_t)VAULT_WRAPPED_LEN, box.sealed, box.sealed_len, id);
	vault_box_free(&box);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return enrol_secret(id, secret);
	return 0;
}

int
staff_enrol_open(const char *token, struct staff_enrol *e)
{
	char	*c[2] = { NULL, NULL };
	int	 st;

	memset(e, 0, sizeof(*e));
	if (token == NULL || strlen(token) != CRYPTO_TOKEN_LEN)
		return 0;
	crypto_sha256_hex(token, e->token_hash);
	st = db_row(c, 2, "SELECT id, email FROM staff WHERE enrol_token_hash = ?"
	    " AND enrol_expires_at > NOW(6) AND disabled_at IS NULL", "s",
	    e->token_hash);
	if (st <= 0)
		return st;
	e->id = strtoll(c[0], NULL, 10);
	e->email = c[1];
	free(c[0]);
	if ((st = enrol_secret(e->id, e->secret)) != 0) {
		staff_enrol_free(e);
		return st;
	}
	return 1;
}

int
staff_recovery_hash(const char *code, char out[65])
{
	return totp_recovery_hash("staff-recovery", code, out);
}

struct complete {
	struct staff_enrol *e;
	const char	*hash;
	long long	 step;
	const char	*ip;
	char		(*codes)[STAFF_RECOVERY_LEN + 1];
	char		 hashes[STAFF_RECOVERY_CODES][65];
};

static int
complete_fn(void *arg)
{
	struct complete	*c = arg;
	long long	 n;
	int		 i;

	n = db_exec("UPDATE staff SET password_hash = ?, totp_last_step = ?,"
	    " enrolled_at = NOW(6), enrol_token_hash = NULL, enrol_expires_at = NULL,"
	    " failures = 0, locked_until = NULL WHERE id = ? AND enrol_token_hash = ?"
	    " AND enrol_expires_at > NOW(6) AND disabled_at IS NULL", "siis",
	    c->hash, c->step, c->e->id, c->e->token_hash);
	if (n <= 0)
		return (int)n;
	if ((n = db_exec("DELETE FROM staff_recovery_codes WHERE staff_id = ?", "i",
	    c->e->id)) < 0)
		return (int)n;
	for (i = 0; i < STAFF_RECOVERY_CODES; i++)
		if ((n = db_exec("INSERT INTO staff_recovery_codes (staff_id, code_hash)"
		    " VALUES (?, ?)", "is", c->e->id, c->hashes[i])) < 0)
			return (int)n;
	if ((n = db_exec("INSERT INTO audit (event, staff_id, ip) VALUES"
	    " ('staff.enrol', ?, ?)", "is", c->e->id, c->ip)) < 0)
		return (int)n;
	return 1;
}

int
staff_enrol_complete(struct staff_enrol *e, const char *password_hash,
    long long step, const char *ip,
    char codes[STAFF_RECOVERY_CODES][STAFF_RECOVERY_LEN + 1])
{
	struct complete	 c;
	int		 i, st;

	memset(&c, 0, sizeof(c));
	c.e = e;
	c.hash = password_hash;
	c.step = step;
	c.ip = ip;
	c.codes = codes;
	for (i = 0; i < STAFF_RECOVERY_CODES; i++) {
		totp_recovery_code(codes[i]);
		if (staff_recovery_hash(codes[i], c.hashes[i]) != 0)
			return DB_ERR;
	}
	st = db_txn(complete_fn, &c);
	if (st == 1)
		log_info("staff %lld enrolled", e->id);
	return st;
}

/* ---- login ---- */

void
staff_account_free(struct staff_account *a)
{
	free(a->email);
	free(a->password_hash);
	memset(a, 0, sizeof(*a));
}

int
staff_find(const char *email, struct staff_account *a)
{
	char	*c[6] = { NULL };
	char	*e;
	int	 st, i;

	memset(a, 0, sizeof(*a));
	e = lower(email);
	st = db_row(c, 6, "SELECT id, email, role, password_hash, totp_last_step,"
	    " locked_until IS NOT NULL AND locked_until > NOW(6) FROM staff"
	    " WHERE email = ? AND enrolled_at IS NOT NULL AND disabled_at IS NULL"
	    " AND password_hash IS NOT NULL", "s", e);
	free(e);
	if (st <= 0)
		return st;
	a->id = strtoll(c[0], NULL, 10);
	a->email = c[1];
	c[1] = NULL;
	a->role = staff_role_parse(c[2]);
	a->password_hash = c[3];
	c[3] = NULL;
	a->totp_last_step = strtoll(c[4], NULL, 10);
	a->locked = strcmp(c[5], "1") == 0;
	for (i = 0; i < 6; i++)
		free(c[i]);
	return 1;
}

/* The TOTP code against the sealed secret; the step stored atomically. */
static int
totp_factor(const struct staff_account *a, const char *code)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	long long	 step, n;
	int		 st;

	if ((st = enrol_secret(a->id, secret)) != 0)
		return st;
	step = totp_check(secret, sizeof(secret), code, util_now(), a->totp_last_step);
	util_wipe(secret, sizeof(secret));
	if (step <= 0)
		return step < 0 ? -1 : 0;
	/* Another worker may have taken this step in the meantime: only a
	 * later step than the stored one counts (no replay across workers). */
	n = db_exec("UPDATE staff SET totp_last_step = ? WHERE id = ? AND"
	    " totp_last_step < ?", "iii", step, a->id, step);
	if (n < 0)
		return (int)n;
	return n == 1;
}

int
staff_second_factor(const struct staff_account *a, const char *code, int *recovery)
{
	char		 hash[65];
	long long	 n;

	*recovery = 0;
	if (code == NULL || code[0] == '\0')
		return 0;
	if (strlen(code) == TOTP_DIGITS && strspn(code, "0123456789") == TOTP_DIGITS)
		return totp_factor(a, code);
	if (strlen(code) > 32 || staff_recovery_hash(code, hash) != 0)
		return 0;
	n = db_exec("UPDATE staff_recovery_codes SET used_at = NOW(6) WHERE staff_id = ?"
	    " AND code_hash = ? AND used_at IS NULL", "is", a->id, hash);
	if (n < 0)
		return (int)n;
	*recovery = n == 1;
	return n == 1;
}

int
staff_login_count(long long id)
{
	long long n = db_exec("UPDATE staff SET failures = failures + 1 WHERE id = ?",
	    "i", id);

	return n < 0 ? (int)n : 0;
}

int
staff_login_uncount(long long id)
{
	long long n = db_exec("UPDATE staff SET failures = failures - 1 WHERE id = ?"
	    " AND failures > 0", "i", id);

	return n < 0 ? (int)n : 0;
}

int
staff_login_failed(long long id)
{
	long long	 n, locked = 0;
	int		 st;

	/* Counted ahead (staff_login_count): only the lock is left. */
	n = db_exec("UPDATE staff SET locked_until = NOW(6) + INTERVAL ? MINUTE,"
	    " failures = 0 WHERE id = ? AND failures >= ?", "iii",
	    config_int("Staff.LockMinutes"), id,
	    config_int("Staff.LockAfterFailures"));
	if (n < 0)
		return (int)n;
	st = db_int(&locked, "SELECT locked_until IS NOT NULL AND locked_until > NOW(6)"
	    " FROM staff WHERE id = ?", "i", id);
	if (st < 0)
		return st;
	return locked == 1;
}

int
staff_login_ok(long long id, const char *password_hash)
{
	long long	 n;

	/*
	 * Galera: a certification key shared with kenpoctl staff reset and
	 * disable (src/db.h). staff has no updated_at, and the reset of the
	 * counters below changes nothing when they are clear already, so the
	 * row is first really changed (failures + 1, undone at once: the
	 * write set keeps the row's key). It also checks that the password
	 * proven is still the account's and that the account is not disabled.
	 */
	n = db_exec("UPDATE staff SET failures = failures + 1 WHERE id = ? AND"
	    " BINARY password_hash = ? AND disabled_at IS NULL", "is", id,
	    password_hash);
	if (n <= 0)
		return (int)n;
	n = db_exec("UPDATE staff SET failures = 0, locked_until = NULL"
	    " WHERE id = ?", "i", id);
	return n < 0 ? (int)n : 1;
}
