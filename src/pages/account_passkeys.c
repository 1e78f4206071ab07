/*
 * GET, POST /account/security/passkeys — her passkeys (issue 15; docs/mfa.md
 * "Passkeys"): the list (name, when added, when last used, 同期されたパスキー
 * when the authenticator says it is backed up), adding one and removing one.
 * Every change needs her password in the same form (member_password_check:
 * the hashing pool, counted per account).
 *
 * Outcomes:
 *   - GET: the list, the add form (password, name prefilled with the browser
 *     and system as the login history names them), a remove form per passkey;
 *     ?done=added|removed says what was done;
 *   - POST action=add, password right: 200, the ceremony page
 *     (account_passkey_add.cs): a registration challenge (register, bound to
 *     this session, 5 minutes) and the creation options in data-* attributes
 *     for passkey.js, which posts the result to /account/security/passkeys/
 *     register (passkey_register.c);
 *   - POST action=remove, password right, passkey hers: deleted, audited
 *     passkey.remove, mail passkey_removed, 303 → ?done=removed; not hers or
 *     gone: 303 → the list (nothing changed, logged);
 *   - a wrong or missing password: 200, the list with the error (counted;
 *     past Member.PasswordTries nothing is checked); the pool full: 503;
 *   - a name longer than 64 characters: 200 with the error;
 *   - an unknown action: 400.
 * Returns 200, 303, 400 or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "passkey.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "useragent.h"
#include "util.h"

/* The default name: "Chrome / Windows" as the login history says it. */
static void
default_name(struct req *r, char *out, size_t cap)
{
	struct useragent ua;

	useragent_parse(req_header(r, "User-Agent"), &ua);
	if (ua.browser[0] != '\0' && ua.os[0] != '\0')
		snprintf(out, cap, "%s / %s", ua.browser, ua.os);
	else if (ua.browser[0] != '\0' || ua.os[0] != '\0')
		snprintf(out, cap, "%s%s", ua.browser, ua.os);
	else
		snprintf(out, cap, "%s", req_text(r, "Passkey.DefaultName"));
}

static int
show_list(struct req *r, const struct member *m)
{
	const char	*done = req_param(r, "done");
	char		 name[80];
	int		 n;

	r->template = "account_passkeys";
	if ((n = passkey_list_set(r, m->id, "PasskeyList")) < 0)
		return req_db_error(r, n);
	req_set_int(r, "Passkeys.Count", n);
	if (req_param(r, "name") == NULL) {
		default_name(r, name, sizeof(name));
		req_set(r, "Passkeys.Name", name);
	} else
		req_set(r, "Passkeys.Name", req_param(r, "name"));
	if (done != NULL && (strcmp(done, "added") == 0 ||
	    strcmp(done, "removed") == 0))
		req_set(r, "Passkeys.Done", done);
	return 200;
}

/* The ceremony page: a register challenge and the creation options. */
static int
add_ceremony(struct req *r, const struct member *m, const char *name)
{
	unsigned char	 ch[WEBAUTHN_CHALLENGE_LEN], user[PASSKEY_USER_LEN];
	json_t		*o, *excl;
	char		*s;
	int		 st;

	if ((st = passkey_user_handle(m->id, user)) < 0)
		return req_db_error(r, st);
	if ((excl = passkey_descriptors(m->id)) == NULL)
		return req_db_error(r, DB_ERR);
	if ((st = passkey_challenge_new("register", r->sess->id_hash, NULL, m->id,
	    ch)) < 0) {
		json_decref(excl);
		return req_db_error(r, st);
	}
	o = json_pack("{s:o, s:{s:s, s:s}, s:{s:o, s:s, s:s},"
	    " s:[{s:s, s:i}, {s:s, s:i}], s:{s:s, s:b, s:s}, s:s, s:i, s:o}",
	    "challenge", passkey_b64_json(ch, sizeof(ch)),
	    "rp", "id", webauthn_rpid(), "name", config_str("Service.Name"),
	    "user", "id", passkey_b64_json(user, sizeof(user)),
	    "name", m->email, "displayName", m->email,
	    "pubKeyCredParams", "type", "public-key", "alg", WEBAUTHN_ALG_ES256,
	    "type", "public-key", "alg", WEBAUTHN_ALG_EDDSA,
	    "authenticatorSelection", "residentKey", "required",
	    "requireResidentKey", 1, "userVerification", "required",
	    "attestation", "none",
	    "timeout", PASSKEY_CHALLENGE_SECONDS * 1000,
	    "excludeCredentials", excl);
	util_wipe(ch, sizeof(ch));
	if (o == NULL || (s = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return 500;
	}
	json_decref(o);
	req_set(r, "Passkeys.Options", s);
	free(s);
	req_set(r, "Passkeys.Name", name);
	r->template = "account_passkey_add";
	return 200;
}

struct removal {
	long long	 account;
	long long	 id;
	char		 name[PASSKEY_NAME_MAX * 4 + 1];
};

/* 0 removed, 1 not hers or gone. */
static int
remove_txn(void *arg)
{
	struct removal	*rm = arg;
	char		*v[1] = { NULL };
	long long	 n;
	int		 st;

	if ((st = db_row(v, 1, "SELECT name FROM passkeys WHERE id = ? AND"
	    " account_id = ? FOR UPDATE", "ii", rm->id, rm->account)) < 0)
		return st;
	if (st == 0)
		return 1;
	snprintf(rm->name, sizeof(rm->name), "%s", v[0] ? v[0] : "");
	free(v[0]);
	if ((n = db_exec("DELETE FROM passkeys WHERE id = ? AND account_id = ?",
	    "ii", rm->id, rm->account)) < 0)
		return (int)n;
	return passkey_mail(rm->account, "passkey_removed", rm->name);
}

static int
post(struct req *r, const struct member *m)
{
	struct removal	 rm;
	const char	*act = req_param(r, "action"), *name;
	long long	 id = 0;
	int		 st;

	if (act == NULL || (strcmp(act, "add") != 0 && strcmp(act, "remove") != 0)) {
		log_info("account_passkeys: unknown action");
		return 400;
	}
	if (strcmp(act, "add") == 0) {
		name = req_param_trim(r, "name");
		if (name != NULL && util_utf8_len(name) > PASSKEY_NAME_MAX)
			req_form_error(r, "name", "Passkey.Error.NameLong");
	} else {
		name = NULL;
		if (util_parse_int(req_param(r, "id") ? req_param(r, "id") : "", 1,
		    (1LL << 62), &id) != 0) {
			log_info("account_passkeys: remove without a valid id");
			return 400;
		}
	}
	st = member_password_check(r, m, "password");
	if (st != MEMBER_PW_OK) {
		if (st >= 0 && st != MEMBER_PW_BUSY) {
			int rc = show_list(r, m);

			if (strcmp(act, "remove") == 0)
				req_setf(r, "Passkeys.RemoveError", "%lld", id);
			return rc;
		}
		return member_password_refused(r, st);
	}
	if (r->nerrors > 0)
		return show_list(r, m);
	if (strcmp(act, "add") == 0) {
		char	 def[80];

		if (name == NULL) {
			default_name(r, def, sizeof(def));
			name = def;
		}
		return add_ceremony(r, m, name);
	}
	memset(&rm, 0, sizeof(rm));
	rm.account = m->id;
	rm.id = id;
	if ((st = db_txn(remove_txn, &rm)) < 0)
		return req_db_error(r, st);
	if (st == 1) {
		log_info("account_passkeys: passkey to remove is not hers or gone");
		return req_redirect(r, "/account/security/passkeys");
	}
	audit(r, "passkey.remove", m->id);
	return req_redirect(r, "/account/security/passkeys?done=removed");
}

int
page_account_passkeys(struct req *r)
{
	struct member	 m;
	int		 st;

	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	req_set(r, "Account.Email", m.email);
	st = strcmp(r->method, "POST") == 0 ? post(r, &m) : show_list(r, &m);
	member_free(&m);
	return st;
}
