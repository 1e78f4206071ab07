/*
 * member_totp.c — members' TOTP and recovery codes (see member_totp.h). Every
 * time comparison is done by the database (NOW(6)); the secret is opened only
 * for the moment of a check and wiped after it.
 */
#include "autoconf.h"
#include "member_totp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "request.h"
#include "session.h"
#include "util.h"
#include "vault.h"

/* The vault's context of account_id's secret: a sealed blob moved to another
 * account's row does not open. */
static void
context(long long account_id, char out[40])
{
	snprintf(out, 40, "mtotp:%lld", account_id);
}

int
mtotp_status(long long account_id, struct mtotp_status *s)
{
	struct db_res	*res = NULL;
	int		 st;

	memset(s, 0, sizeof(*s));
	st = db_query(&res, "SELECT t.failures,"
	    " (SELECT COUNT(*) FROM member_recovery_codes c WHERE c.account_id ="
	    "  t.account_id AND c.used_at IS NULL),"
	    " (SELECT COUNT(*) FROM member_recovery_codes c WHERE c.account_id ="
	    "  t.account_id)"
	    " FROM member_totp t WHERE t.account_id = ? AND t.enabled_at IS NOT NULL",
	    "i", account_id);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) == 1) {
		s->enabled = 1;
		s->failures = (int)db_res_int(res, 0);
		s->codes_left = (int)db_res_int(res, 1);
		s->codes_total = (int)db_res_int(res, 2);
	}
	db_res_free(res);
	return st < 0 ? st : 0;
}

/* ---- the secret ---- */

/*
 * Open the sealed secret of the row res (columns key_id, wrapped, sealed from
 * col) for account_id into secret. 0 or -1 (logged, without the secret).
 */
static int
open_secret(struct db_res *res, int col, long long account_id,
    unsigned char secret[TOTP_SECRET_BYTES])
{
	unsigned char	*plain = NULL;
	size_t		 plen = 0;
	char		 ctx[40];

	context(account_id, ctx);
	if (vault_open(db_res_str(res, col),
	    (const unsigned char *)db_res_str(res, col + 1), db_res_len(res, col + 1),
	    (const unsigned char *)db_res_str(res, col + 2), db_res_len(res, col + 2),
	    ctx, &plain, &plen) != 0)
		goto bad;
	if (plen != TOTP_SECRET_BYTES) {
		vault_free_plain(plain, plen);
		goto bad;
	}
	memcpy(secret, plain, TOTP_SECRET_BYTES);
	vault_free_plain(plain, plen);
	return 0;
 bad:
	log_err("member %lld: the TOTP secret cannot be opened", account_id);
	return -1;
}

int
mtotp_enrol_begin(long long account_id, const char *session_hash,
    unsigned char secret[TOTP_SECRET_BYTES])
{
	struct vault_box box;
	char		 ctx[40];
	long long	 n;

	crypto_random(secret, TOTP_SECRET_BYTES);
	memset(&box, 0, sizeof(box));
	context(account_id, ctx);
	if (vault_seal(secret, TOTP_SECRET_BYTES, ctx, &box) != 0) {
		log_err("member %lld: the TOTP secret cannot be sealed", account_id);
		util_wipe(secret, TOTP_SECRET_BYTES);
		return -1;
	}
	/* A new row, or a fresh secret over an enrolment left unfinished; never
	 * over a TOTP that is on (the IF keeps every column of such a row). */
	n = db_exec("INSERT INTO member_totp (account_id, key_id, wrapped, sealed,"
	    " enrol_session, enrol_expires_at) VALUES (?, ?, ?, ?, ?,"
	    " NOW(6) + INTERVAL ? MINUTE) ON DUPLICATE KEY UPDATE"
	    " key_id = IF(enabled_at IS NULL, VALUES(key_id), key_id),"
	    " wrapped = IF(enabled_at IS NULL, VALUES(wrapped), wrapped),"
	    " sealed = IF(enabled_at IS NULL, VALUES(sealed), sealed),"
	    " enrol_session = IF(enabled_at IS NULL, VALUES(enrol_session), NULL),"
	    " enrol_expires_at = IF(enabled_at IS NULL, VALUES(enrol_expires_at), NULL)",
	    "isbbsi", account_id, box.key_id, box.wrapped, (size_t)VAULT_WRAPPED_LEN,
	    box.sealed, box.sealed_len, session_hash, (long long)MTOTP_ENROL_MINUTES);
	vault_box_free(&box);
	if (n < 0) {
		util_wipe(secret, TOTP_SECRET_BYTES);
		return (int)n;
	}
	/* 0 rows: the row is unchanged — TOTP is on. */
	if (n == 0 || mtotp_enrol_secret(account_id, session_hash, secret) != 1) {
		util_wipe(secret, TOTP_SECRET_BYTES);
		return 0;
	}
	return 1;
}

int
mtotp_enrol_secret(long long account_id, const char *session_hash,
    unsigned char secret[TOTP_SECRET_BYTES])
{
	struct db_res	*res = NULL;
	int		 st;

	st = db_query(&res, "SELECT key_id, wrapped, sealed FROM member_totp"
	    " WHERE account_id = ? AND enabled_at IS NULL AND enrol_session = ?"
	    " AND enrol_expires_at > NOW(6)", "is", account_id, session_hash);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) == 1 &&
	    open_secret(res, 0, account_id, secret) != 0)
		st = -1;
	db_res_free(res);
	return st;
}

/* ---- recovery codes ---- */

/* The stored form of a member's recovery code (totp.h). */
static int
recovery_hash(const char *code, char out[65])
{
	return totp_recovery_hash("member-recovery", code, out);
}

/* New codes into codes and their hashes into hashes. 0 or -1. */
static int
recovery_make(char codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1],
    char hashes[MTOTP_RECOVERY_CODES][65])
{
	int	 i;

	for (i = 0; i < MTOTP_RECOVERY_CODES; i++) {
		totp_recovery_code(codes[i]);
		if (recovery_hash(codes[i], hashes[i]) != 0)
			return -1;
	}
	return 0;
}

/* Inside db_txn: replace account_id's recovery codes by hashes. 0 or db_status. */
static int
recovery_store(long long account_id, char hashes[MTOTP_RECOVERY_CODES][65])
{
	long long	 n;
	int		 i;

	if ((n = db_exec("DELETE FROM member_recovery_codes WHERE account_id = ?",
	    "i", account_id)) < 0)
		return (int)n;
	for (i = 0; i < MTOTP_RECOVERY_CODES; i++)
		if ((n = db_exec("INSERT INTO member_recovery_codes (account_id,"
		    " code_hash) VALUES (?, ?)", "is", account_id, hashes[i])) < 0)
			return (int)n;
	return 0;
}

/* Inside db_txn: the notice to the member, Mail.Change = what. 0 or db_status. */
static int
change_mail(const char *email, const char *lang, const char *what)
{
	HDF	*vars;
	char	*url;
	int	 st;

	if ((vars = member_vars()) == NULL)
		return DB_ERR;
	url = config_url("/account/security");
	st = member_var(vars, "Mail.Change", what) != 0 ||
	    member_var(vars, "Mail.SecurityURL", url) != 0 ? DB_ERR :
	    member_mail(email, lang, "mfa_changed", vars);
	free(url);
	hdf_destroy(&vars);
	return st;
}

/* ---- switching on ---- */

struct enable {
	struct req	*r;
	const struct member *m;
	const char	*session_hash;
	long long	 step;
	char		 hashes[MTOTP_RECOVERY_CODES][65];
};

static int
enable_txn(void *arg)
{
	struct enable	*e = arg;
	long long	 n;
	int		 st;

	n = db_exec("UPDATE member_totp SET enabled_at = NOW(6), last_step = ?,"
	    " failures = 0, enrol_session = NULL, enrol_expires_at = NULL"
	    " WHERE account_id = ? AND enabled_at IS NULL AND enrol_session = ?"
	    " AND enrol_expires_at > NOW(6)", "iis", e->step, e->m->id,
	    e->session_hash);
	if (n <= 0)
		return (int)n;
	/* From now on every way in asks the code: sessions and remember-me
	 * tokens opened by the password alone end, but this session. */
	if ((st = session_end_all(e->m->id, e->session_hash)) < 0)
		return st;
	if ((st = recovery_store(e->m->id, e->hashes)) < 0 ||
	    (n = audit_open(e->r, "mfa.totp.enable", e->m->id)) < 0 ||
	    (st = change_mail(e->m->email, e->m->lang, "totp_on")) < 0)
		return n < 0 ? (int)n : st;
	return 1;
}

int
mtotp_enable(struct req *r, const struct member *m, const char *session_hash,
    long long step, char codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1])
{
	struct enable	 e;
	int		 st;

	memset(&e, 0, sizeof(e));
	e.r = r;
	e.m = m;
	e.session_hash = session_hash;
	e.step = step;
	if (recovery_make(codes, e.hashes) != 0)
		return DB_ERR;
	st = db_txn(enable_txn, &e);
	util_wipe(e.hashes, sizeof(e.hashes));
	if (st == 1)
		log_info("member %lld: TOTP on", m->id);
	else
		util_wipe(codes, sizeof(char[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1]));
	return st;
}

/* ---- checking a code ---- */

int
mtotp_reset_failures(long long account_id)
{
	long long n = db_exec("UPDATE member_totp SET failures = 0 WHERE account_id = ?",
	    "i", account_id);

	return n < 0 ? (int)n : 0;
}

/* A 6-digit code against the secret; the step stored atomically. */
static int
check_totp(long long account_id, const char *code)
{
	struct db_res	*res = NULL;
	unsigned char	 secret[TOTP_SECRET_BYTES];
	long long	 last, step, any, n;
	int		 st;

	st = db_query(&res, "SELECT last_step, key_id, wrapped, sealed FROM"
	    " member_totp WHERE account_id = ? AND enabled_at IS NOT NULL", "i",
	    account_id);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) != 1) {
		db_res_free(res);
		return st < 0 ? st : MTOTP_OFF;
	}
	last = db_res_int(res, 0);
	st = open_secret(res, 1, account_id, secret);
	db_res_free(res);
	if (st != 0)
		return DB_ERR;
	step = totp_check(secret, sizeof(secret), code, util_now(), last);
	/* A code of a step taken already: said as such (she waits for the next). */
	any = step == 0 ? totp_check(secret, sizeof(secret), code, util_now(), 0) : 0;
	util_wipe(secret, sizeof(secret));
	if (step < 0 || any < 0)
		return DB_ERR;
	if (step == 0)
		return any > 0 ? MTOTP_REPLAY : MTOTP_WRONG;
	/* Another worker may have taken this step meanwhile: only a later step
	 * than the stored one counts (no replay across workers). */
	n = db_exec("UPDATE member_totp SET last_step = ? WHERE account_id = ?"
	    " AND last_step < ?", "iii", step, account_id, step);
	if (n < 0)
		return (int)n;
	return n == 1 ? MTOTP_OK : MTOTP_REPLAY;
}

/* A recovery code: spent when it matches an unused one. */
static int
check_recovery(long long account_id, const char *code)
{
	char		 hash[65];
	long long	 n;

	if (strlen(code) > 32 || recovery_hash(code, hash) != 0)
		return MTOTP_WRONG;
	n = db_exec("UPDATE member_recovery_codes SET used_at = NOW(6) WHERE"
	    " account_id = ? AND code_hash = ? AND used_at IS NULL", "is",
	    account_id, hash);
	if (n < 0)
		return (int)n;
	return n == 1 ? MTOTP_OK : MTOTP_WRONG;
}

int
mtotp_check(long long account_id, const char *code, int *recovery, int *failures)
{
	long long	 n, enabled = 0;
	int		 st, six;

	if (recovery != NULL)
		*recovery = 0;
	if (failures != NULL)
		*failures = 0;
	/* Counted ahead: parallel guesses meet the limit, as failed logins do. */
	n = db_exec("UPDATE member_totp SET failures = LAST_INSERT_ID(failures + 1)"
	    " WHERE account_id = ? AND enabled_at IS NOT NULL AND failures < ?",
	    "ii", account_id, (long long)MTOTP_TRIES);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		if ((st = db_int(&enabled, "SELECT COUNT(*) FROM member_totp WHERE"
		    " account_id = ? AND enabled_at IS NOT NULL", "i",
		    account_id)) < 0)
			return st;
		return enabled > 0 ? MTOTP_LIMIT : MTOTP_OFF;
	}
	if (failures != NULL)
		*failures = (int)db_last_id();
	six = code != NULL && strlen(code) == TOTP_DIGITS &&
	    strspn(code, "0123456789") == TOTP_DIGITS;
	if (code == NULL || code[0] == '\0')
		st = MTOTP_WRONG;
	else if (six)
		st = check_totp(account_id, code);
	else
		st = check_recovery(account_id, code);
	if (st == MTOTP_OK) {
		if (recovery != NULL)
			*recovery = !six;
		if (failures != NULL)
			*failures = 0;
		if ((n = mtotp_reset_failures(account_id)) < 0)
			return (int)n;
	}
	return st;
}

/* ---- confirming a change ---- */

int
mtotp_confirm(struct req *r, const struct member *m)
{
	const char	*code = req_param_trim(r, "code");
	const char	*pw = req_param(r, "current_password");
	int		 st, failures = 0;

	if (code == NULL && (pw == NULL || pw[0] == '\0')) {
		log_info("member %lld: a change without password or code", m->id);
		req_form_error(r, "current_password", "Mfa.Error.ConfirmMissing");
		return MTOTP_CONFIRM_FORM;
	}
	if (code == NULL) {
		st = member_password_check(r, m, "current_password");
		if (st < 0)
			return st;
		return st == MEMBER_PW_OK ? MTOTP_CONFIRM_OK :
		    st == MEMBER_PW_BUSY ? MTOTP_CONFIRM_BUSY : MTOTP_CONFIRM_FORM;
	}
	st = mtotp_check(m->id, code, NULL, &failures);
	if (st < 0)
		return st;
	if (st == MTOTP_OK)
		return MTOTP_CONFIRM_OK;
	if (st == MTOTP_OFF) {
		req_form_error(r, "code", "Mfa.Error.Off");
		return MTOTP_CONFIRM_FORM;
	}
	audit(r, "mfa.totp.fail", m->id);
	if (st == MTOTP_LIMIT || failures >= MTOTP_TRIES) {
		/* Whoever guesses codes in this session has it no more. */
		log_warn("member %lld: %d wrong TOTP codes in a row; session ended",
		    m->id, MTOTP_TRIES);
		audit(r, "mfa.totp.limit", m->id);
		if ((st = mtotp_reset_failures(m->id)) < 0 ||
		    (st = session_end(r)) < 0)
			return st;
		return MTOTP_CONFIRM_ENDED;
	}
	log_info("member %lld: %s TOTP code for a change (%d in a row)", m->id,
	    st == MTOTP_REPLAY ? "a used" : "a wrong", failures);
	req_form_error(r, "code", st == MTOTP_REPLAY ? "Mfa.Error.Replay" :
	    "Mfa.Error.CodeWrong");
	return MTOTP_CONFIRM_FORM;
}

/* ---- switching off, new recovery codes, erasure ---- */

int
mtotp_erase(long long account_id)
{
	long long	 n;

	if ((n = db_exec("DELETE FROM login_pending WHERE account_id = ?", "i",
	    account_id)) < 0 ||
	    (n = db_exec("DELETE FROM member_recovery_codes WHERE account_id = ?",
	    "i", account_id)) < 0 ||
	    (n = db_exec("DELETE FROM member_totp WHERE account_id = ?", "i",
	    account_id)) < 0)
		return (int)n;
	return 0;
}

struct disable {
	struct req	*r;
	long long	 id;
	const char	*what;
};

static int
disable_txn(void *arg)
{
	struct disable	*d = arg;
	char		*c[2] = { NULL, NULL };
	long long	 n;
	int		 st;

	if ((st = db_row(c, 2, "SELECT a.email, a.lang FROM accounts a JOIN"
	    " member_totp t ON t.account_id = a.id WHERE a.id = ? AND"
	    " t.enabled_at IS NOT NULL FOR UPDATE", "i", d->id)) <= 0)
		return st;
	if ((st = mtotp_erase(d->id)) < 0)
		goto out;
	if ((n = audit_open(d->r, "mfa.totp.disable", d->id)) < 0) {
		st = (int)n;
		goto out;
	}
	if ((st = change_mail(c[0], c[1], d->what)) < 0)
		goto out;
	st = 1;
 out:
	free(c[0]);
	free(c[1]);
	return st;
}

int
mtotp_disable(struct req *r, long long account_id, const char *what)
{
	struct disable	 d;
	int		 st;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.id = account_id;
	d.what = what;
	if ((st = db_txn(disable_txn, &d)) == 1)
		log_info("member %lld: TOTP off (%s)", account_id, what);
	return st;
}

struct regen {
	struct req	*r;
	const struct member *m;
	char		 hashes[MTOTP_RECOVERY_CODES][65];
};

static int
regen_txn(void *arg)
{
	struct regen	*g = arg;
	long long	 on = 0, n;
	int		 st;

	if ((st = db_int(&on, "SELECT COUNT(*) FROM member_totp WHERE account_id = ?"
	    " AND enabled_at IS NOT NULL FOR UPDATE", "i", g->m->id)) < 0)
		return st;
	if (on == 0)
		return 0;
	/*
	 * Galera: a certification key shared with a disable or regeneration
	 * on another node (src/db.h). The table has no updated_at; enabled_at
	 * is only ever tested for NULL, so 1 µs more is a change that means
	 * nothing else.
	 */
	if ((n = db_exec("UPDATE member_totp SET enabled_at = enabled_at +"
	    " INTERVAL 1 MICROSECOND WHERE account_id = ?", "i", g->m->id)) < 0)
		return (int)n;
	if ((st = recovery_store(g->m->id, g->hashes)) < 0)
		return st;
	if ((n = audit_open(g->r, "mfa.recovery.regenerate", g->m->id)) < 0)
		return (int)n;
	if ((st = change_mail(g->m->email, g->m->lang, "recovery")) < 0)
		return st;
	return 1;
}

int
mtotp_regenerate(struct req *r, const struct member *m,
    char codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1])
{
	struct regen	 g;
	int		 st;

	memset(&g, 0, sizeof(g));
	g.r = r;
	g.m = m;
	if (recovery_make(codes, g.hashes) != 0)
		return DB_ERR;
	st = db_txn(regen_txn, &g);
	util_wipe(g.hashes, sizeof(g.hashes));
	if (st != 1)
		util_wipe(codes, sizeof(char[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1]));
	return st;
}

/* ---- the login's second step ---- */

void
mtotp_pw_check(const char *password_hash, char out[65])
{
	crypto_sha256_hex(password_hash != NULL ? password_hash : "", out);
}

long long
mtotp_pending_add(long long account_id, long long login_id, int remember,
    const char *next, const char *password_hash, char token[CRYPTO_TOKEN_LEN + 1])
{
	char		 hash[65], pw[65], lid[24];
	long long	 n;

	/* Expired rows of anyone go on the way (a handful at most). */
	if ((n = db_exec("DELETE FROM login_pending WHERE expires_at < NOW(6)"
	    " LIMIT 100", "")) < 0)
		return n;
	crypto_token(token);
	crypto_sha256_hex(token, hash);
	mtotp_pw_check(password_hash, pw);
	snprintf(lid, sizeof(lid), "%lld", login_id);
	n = db_exec("INSERT INTO login_pending (token_hash, account_id, login_id,"
	    " remember, next, pw_check, expires_at) VALUES (?, ?, ?, ?, ?, ?,"
	    " NOW(6) + INTERVAL ? SECOND)", "sisissi", hash, account_id,
	    login_id > 0 ? lid : NULL, (long long)(remember != 0), next, pw,
	    (long long)MTOTP_PENDING_SECONDS);
	if (n < 0) {
		util_wipe(token, CRYPTO_TOKEN_LEN + 1);
		return n;
	}
	return db_last_id();
}

void
mtotp_pending_cookie(struct req *r, const char *token)
{
	if (token != NULL)
		req_set_cookie(r, MTOTP_COOKIE, token, MTOTP_PENDING_SECONDS);
	else if (req_get_cookie(r, MTOTP_COOKIE) != NULL)
		req_set_cookie(r, MTOTP_COOKIE, "", 0);
}

void
mtotp_pending_free(struct mtotp_pending *p)
{
	free(p->next);
	memset(p, 0, sizeof(*p));
}

int
mtotp_pending_load(struct req *r, struct mtotp_pending *p)
{
	struct db_res	*res = NULL;
	const char	*tok = req_get_cookie(r, MTOTP_COOKIE);
	char		 hash[65];
	int		 st;

	memset(p, 0, sizeof(*p));
	if (tok == NULL || strlen(tok) != CRYPTO_TOKEN_LEN)
		return 0;
	crypto_sha256_hex(tok, hash);
	st = db_query(&res, "SELECT id, account_id, login_id, remember, next, pw_check"
	    " FROM login_pending WHERE token_hash = ? AND expires_at > NOW(6)", "s",
	    hash);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) == 1) {
		p->id = db_res_int(res, 0);
		p->account_id = db_res_int(res, 1);
		p->login_id = db_res_int(res, 2);
		p->remember = db_res_int(res, 3) != 0;
		p->next = db_res_isnull(res, 4) ? NULL : xstrdup(db_res_str(res, 4));
		snprintf(p->pw_check, sizeof(p->pw_check), "%s", db_res_str(res, 5));
	}
	db_res_free(res);
	return st;
}

int
mtotp_pending_drop(long long account_id)
{
	long long n = db_exec("DELETE FROM login_pending WHERE account_id = ?", "i",
	    account_id);

	return n < 0 ? (int)n : 0;
}
