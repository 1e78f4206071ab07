/*
 * staff_session.c — the console's sessions (staff_session.h). Time arithmetic
 * by the database, as in session.c.
 */
#include "autoconf.h"
#include "staff_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "util.h"

#define STAFF_COOKIE	"ssid"

void
staff_session_free(struct staff_session *s)
{
	if (s == NULL)
		return;
	free(s->email);
	util_free_secret(s->csrf_secret);
	free(s);
}

/* SHA-256 hex of a well-formed cookie into out; 0, or -1 when there is none. */
static int
cookie_hash(struct req *r, char out[65])
{
	const char	*v = req_get_cookie(r, STAFF_COOKIE);
	unsigned char	 raw[CRYPTO_TOKEN_BYTES];
	long		 n;

	if (v == NULL || strlen(v) != CRYPTO_TOKEN_LEN)
		return -1;
	n = crypto_b64url_decode(v, raw, sizeof(raw));
	util_wipe(raw, sizeof(raw));
	if (n != CRYPTO_TOKEN_BYTES)
		return -1;
	crypto_sha256_hex(v, out);
	return 0;
}

/* The session whose id hashes to hash into r->staff; an unknown or expired
 * one is deleted and its cookie cleared. 0 or a db_status. */
static int
load_hash(struct req *r, const char *hash)
{
	struct db_res		*res = NULL;
	struct staff_session	*s;
	long long		 n;
	int			 st;

	st = db_query(&res, "SELECT s.staff_id, st.email, st.role, s.csrf_secret"
	    " FROM staff_sessions s JOIN staff st ON st.id = s.staff_id"
	    " WHERE s.id_hash = ? AND s.idle_expires_at > NOW(6)"
	    " AND s.absolute_expires_at > NOW(6) AND st.disabled_at IS NULL"
	    " AND (st.locked_until IS NULL OR st.locked_until <= NOW(6))", "s", hash);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) <= 0) {
		db_res_free(res);
		if (st < 0)
			return st;
		req_set_cookie(r, STAFF_COOKIE, "", 0);
		n = db_exec("DELETE FROM staff_sessions WHERE id_hash = ?", "s", hash);
		return n < 0 ? (int)n : 0;
	}
	s = xcalloc(1, sizeof(*s));
	s->staff_id = db_res_int(res, 0);
	s->email = xstrdup(db_res_str(res, 1));
	s->role = staff_role_parse(db_res_str(res, 2));
	s->csrf_secret = xstrdup(db_res_str(res, 3));
	memcpy(s->id_hash, hash, sizeof(s->id_hash));
	db_res_free(res);
	/* Every request moves the idle expiry: the console is used by few. */
	n = db_exec("UPDATE staff_sessions SET idle_expires_at ="
	    " LEAST(NOW(6) + INTERVAL ? MINUTE, absolute_expires_at) WHERE id_hash = ?",
	    "is", config_int("Staff.IdleMinutes"), hash);
	if (n < 0)
		log_warn("staff session: idle extension failed (%lld)", n);
	r->staff = s;
	r->csrf_secret = s->csrf_secret;
	return 0;
}

int
staff_session_load(struct req *r)
{
	char	 hash[65];

	staff_session_free(r->staff);
	r->staff = NULL;
	r->csrf_secret = NULL;
	if (cookie_hash(r, hash) != 0)
		return 0;
	return load_hash(r, hash);
}

/* Delete the request's session row (from r->staff or the cookie); forget it. */
static int
drop(struct req *r)
{
	char		 hash[65];
	long long	 n = 0;

	if (r->staff != NULL)
		n = db_exec("DELETE FROM staff_sessions WHERE id_hash = ?", "s",
		    r->staff->id_hash);
	else if (cookie_hash(r, hash) == 0)
		n = db_exec("DELETE FROM staff_sessions WHERE id_hash = ?", "s", hash);
	staff_session_free(r->staff);
	r->staff = NULL;
	r->csrf_secret = NULL;
	return n < 0 ? (int)n : 0;
}

/* A session being opened: chosen before the transaction (staff_session.h). */
struct staff_session_open {
	long long	 staff_id;
	char		 old[65];	/* the request's old row, or "" */
	char		 id[CRYPTO_TOKEN_LEN + 1];
	char		 hash[65];
	char		 csrf[CRYPTO_TOKEN_LEN + 1];
	char		 ip[sizeof(((struct req *)0)->ip)];
};

struct staff_session_open *
staff_session_open_new(struct req *r, long long staff_id)
{
	struct staff_session_open *so = xcalloc(1, sizeof(*so));

	so->staff_id = staff_id;
	if (r->staff != NULL)
		memcpy(so->old, r->staff->id_hash, sizeof(so->old));
	else if (cookie_hash(r, so->old) != 0)
		so->old[0] = '\0';
	snprintf(so->ip, sizeof(so->ip), "%s", r->ip);
	crypto_token(so->id);
	crypto_token(so->csrf);
	crypto_sha256_hex(so->id, so->hash);
	return so;
}

int
staff_session_open_txn(struct staff_session_open *so)
{
	long long	 n;

	if (so->old[0] != '\0' && (n = db_exec("DELETE FROM staff_sessions WHERE"
	    " id_hash = ?", "s", so->old)) < 0)
		return (int)n;
	/* The expired sessions of this staff member go now: nothing else
	 * would delete a session that is never presented again. */
	if ((n = db_exec("DELETE FROM staff_sessions WHERE staff_id = ? AND"
	    " (idle_expires_at <= NOW(6) OR absolute_expires_at <= NOW(6))", "i",
	    so->staff_id)) < 0)
		return (int)n;
	n = db_exec("INSERT INTO staff_sessions (id_hash, staff_id, csrf_secret, ip,"
	    " idle_expires_at, absolute_expires_at) VALUES (?, ?, ?, ?,"
	    " NOW(6) + INTERVAL ? MINUTE, NOW(6) + INTERVAL ? HOUR)", "sissii",
	    so->hash, so->staff_id, so->csrf, so->ip[0] != '\0' ? so->ip : NULL,
	    config_int("Staff.IdleMinutes"), config_int("Staff.AbsoluteHours"));
	return n < 0 ? (int)n : 0;
}

int
staff_session_open_finish(struct req *r, struct staff_session_open *so)
{
	int	 st;

	staff_session_free(r->staff);
	r->staff = NULL;
	r->csrf_secret = NULL;
	req_set_cookie(r, STAFF_COOKIE, so->id, -1);
	st = load_hash(r, so->hash);
	staff_session_open_free(so);
	return st;
}

void
staff_session_open_free(struct staff_session_open *so)
{
	if (so == NULL)
		return;
	util_wipe(so, sizeof(*so));
	free(so);
}

int
staff_session_end(struct req *r)
{
	int	 st;

	if ((st = drop(r)) != 0)
		return st;
	req_set_cookie(r, STAFF_COOKIE, "", 0);
	return 0;
}

int
staff_require(struct req *r, unsigned roles)
{
	static const char *const names[] = { "reviewer", "support", "admin" };
	char		 sid[24];

	if (r->staff == NULL)
		return req_redirect(r, "/login");
	req_set(r, "Staff.Email", r->staff->email);
	req_set(r, "Staff.Role", r->staff->role == STAFF_ADMIN ? names[2] :
	    r->staff->role == STAFF_SUPPORT ? names[1] : names[0]);
	if (staff_role_allows(r->staff->role, roles))
		return 0;
	req_set(r, "Staff.Need", (roles & STAFF_REVIEWER) ? names[0] :
	    (roles & STAFF_SUPPORT) ? names[1] : names[2]);
	log_warn("staff %lld: role refused for %s", r->staff->staff_id, r->route->name);
	snprintf(sid, sizeof(sid), "%lld", r->staff->staff_id);
	if (db_exec("INSERT INTO audit (event, staff_id, ip) VALUES"
	    " ('staff.forbidden', ?, ?)", "ss", sid, r->ip) < 0)
		log_err("audit: cannot record staff.forbidden");
	return req_error(r, 403, "StaffRole");
}

/* One audit row of the console: event, the staff member (0: none). */
void
staff_audit(struct req *r, const char *event, long long staff_id)
{
	char	 sid[24];

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	if (db_exec("INSERT INTO audit (event, staff_id, ip) VALUES (?, ?, ?)", "sss",
	    event, staff_id > 0 ? sid : NULL, r->ip) < 0)
		log_err("audit: cannot record %s", event);
	else
		log_info("audit %s staff=%lld", event, staff_id);
}

